//! JSON read into typed input with field-named errors. serde reports a wrong field as
//! one English line of Rust internals; this names the field by its path
//! (`contacts.0.email`) with a translated message, and refuses a body that is not a
//! JSON object (serde would read a top-level array as a struct, field by position).
//! Request bodies (`web::json_body`) and merge patches (`validate::merge_patch`) both
//! come through here.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{AppError, FieldErrors, Msg};

/// `value` as a `T`, or field errors naming where it went wrong.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, AppError> {
    if !value.is_object() {
        return Err(AppError::Validation(FieldErrors::single(
            "body",
            Msg::new("error.json_object"),
        )));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let at = path_of(e.path());
        let (field, msg) = message(&at, &e.inner().to_string());
        AppError::Validation(FieldErrors::single(&field, msg))
    })
}

fn path_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The text between the first pair of backticks in serde's message.
fn quoted(text: &str) -> Option<&str> {
    let start = text.find('`')? + 1;
    let len = text[start..].find('`')?;
    Some(&text[start..start + len])
}

/// `name` under `at`, unless the path already ends with it (serde_path_to_error puts
/// an unknown key on the path, a missing one not).
fn join(at: &str, name: &str) -> String {
    if at == name || at.ends_with(&format!(".{name}")) {
        at.to_string()
    } else if at.is_empty() {
        name.to_string()
    } else {
        format!("{at}.{name}")
    }
}

/// serde's message, classified into a field and a translated message. serde's own text
/// is English and names Rust types, so it is never shown.
pub fn message(at: &str, text: &str) -> (String, Msg) {
    let field = if at.is_empty() { "body" } else { at };
    if text.starts_with("missing field") {
        let name = quoted(text).unwrap_or("body");
        return (join(at, name), Msg::new("error.required"));
    }
    if text.starts_with("unknown field") {
        let name = quoted(text).unwrap_or("body");
        return (join(at, name), Msg::new("error.unknown_field"));
    }
    if text.starts_with("unknown variant") {
        return (field.to_string(), Msg::new("error.choice"));
    }
    if let Some(rest) = text.strip_prefix("invalid type:") {
        let expected = rest.split(", expected ").nth(1).unwrap_or("");
        return (field.to_string(), Msg::new(expected_key(expected)));
    }
    // Text that should have been a number or a truth value (query strings, map keys).
    if text.contains("invalid digit")
        || text.contains("number too")
        || text.contains("float literal")
        || text.contains("empty string") && text.contains("integer")
    {
        return (field.to_string(), Msg::new("error.expect_number"));
    }
    if text.contains("`true` or `false`") {
        return (field.to_string(), Msg::new("error.expect_bool"));
    }
    if text.starts_with("invalid length") {
        return (field.to_string(), Msg::new("error.expect_list"));
    }
    (field.to_string(), Msg::new("error.invalid_value"))
}

fn expected_key(expected: &str) -> &'static str {
    let e = expected.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| e.contains(w));
    if has(&[
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64", "integer", "number",
    ]) {
        "error.expect_number"
    } else if has(&["bool"]) {
        "error.expect_bool"
    } else if has(&["sequence", "list", "array", "tuple"]) {
        "error.expect_list"
    } else if has(&["struct", "map", "object"]) {
        "error.expect_object"
    } else if has(&["string", "str", "date", "text", "char"]) {
        "error.expect_text"
    } else {
        "error.invalid_value"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        email: String,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        count: Option<i64>,
        contacts: Vec<Inner>,
    }

    fn errs(v: Value) -> Vec<(String, &'static str)> {
        match from_value::<Outer>(v) {
            Err(AppError::Validation(f)) => {
                f.0.into_iter()
                    .flat_map(|(k, ms)| ms.into_iter().map(move |m| (k.clone(), m.key)))
                    .collect()
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn each_kind_of_mistake_names_its_field() {
        use serde_json::json;
        assert_eq!(
            errs(json!({"count": 1, "contacts": []})),
            [("name".into(), "error.required")]
        );
        assert_eq!(
            errs(json!({"name": "a", "count": "x", "contacts": []})),
            [("count".into(), "error.expect_number")]
        );
        assert_eq!(
            errs(json!({"name": "a", "contacts": [{"email": 5}]})),
            [("contacts.0.email".into(), "error.expect_text")]
        );
        assert_eq!(
            errs(json!({"name": "a", "contacts": [], "extra": 1})),
            [("extra".into(), "error.unknown_field")]
        );
        assert_eq!(
            errs(json!({"name": "a", "contacts": {}})),
            [("contacts".into(), "error.expect_list")]
        );
        assert_eq!(
            errs(json!(["a", 1, []])),
            [("body".into(), "error.json_object")]
        );
    }
}

#[cfg(test)]
mod tagged {
    use crate::domain::follow_ups::Action;
    use serde_json::json;

    #[test]
    fn an_action_refuses_keys_it_does_not_take() {
        assert!(super::from_value::<Action>(json!({"action": "done"})).is_ok());
        for extra in [
            json!({"action": "done", "until": "2026-12-24"}),
            json!({"action": "reopen", "x": 1}),
            json!({"action": "snooze", "assignee_id": 3}),
        ] {
            assert!(
                super::from_value::<Action>(extra.clone()).is_err(),
                "{extra}"
            );
        }
    }
}

/// A JSON value that refuses an object naming the same key twice (serde_json keeps the
/// last one silently, so `{"name": "a", "name": "b"}` would save "b" without a word).
pub struct StrictValue(pub Value);

impl<'de> serde::Deserialize<'de> for StrictValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(StrictValue(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!("duplicate key `{key}`")));
            }
            let StrictValue(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}
