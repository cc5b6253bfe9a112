//! Optimistic concurrency. Every editable record (employers, contact persons, leads,
//! planned contacts, job seekers and their profiles, logged contacts, placements,
//! partners, contact days, follow-ups) carries a version that every save counts up. An edit says which
//! version it started from; when someone else has saved since, the edit is refused
//! (409) with the record as it is now and, per field, the value that differs from the
//! edit, so the editor can keep theirs or take the other.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{AppError, FieldErrors, Msg};

/// The version an edit started from; None when the caller did not say (an API client
/// that does not track versions: its edit applies to whatever is stored).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expected(pub Option<i32>);

impl Expected {
    /// Takes `"version"` out of a JSON body: a whole number, or null/absent.
    pub fn take_from(body: &mut Map<String, Value>) -> Result<Self, AppError> {
        match body.remove("version") {
            None | Some(Value::Null) => Ok(Self(None)),
            Some(v) => v
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .map(|n| Self(Some(n)))
                .ok_or_else(|| {
                    AppError::Validation(FieldErrors::single("version", Msg::new("error.number")))
                }),
        }
    }

    /// From a form's hidden field; blank means not said (a new record).
    pub fn from_form(value: &str) -> Result<Self, AppError> {
        match value.trim() {
            "" => Ok(Self(None)),
            v => v.parse().map(|n| Self(Some(n))).map_err(|_| {
                AppError::Validation(FieldErrors::single("version", Msg::new("error.number")))
            }),
        }
    }
}

/// A merge patch read against the stored record: the edited input, and whether it
/// changes anything (a save that changes nothing is no new version).
pub struct Edit<I> {
    pub input: I,
    pub unchanged: bool,
}

/// Takes `version` out of `patch`, applies the rest over `theirs` (the stored record in
/// input shape, at `version`; `current` as the API shows it) and refuses it as stale
/// when it started from another version.
pub fn merge<I, R>(
    mut patch: Map<String, Value>,
    theirs: &I,
    version: i32,
    current: &R,
) -> Result<Edit<I>, AppError>
where
    I: Serialize + serde::de::DeserializeOwned,
    R: Serialize,
{
    let expected = Expected::take_from(&mut patch)?;
    let input: I = crate::domain::validate::merge_patch(theirs, patch)?;
    check(expected, version, theirs, &input, current)?;
    let unchanged = serde_json::to_value(theirs).ok() == serde_json::to_value(&input).ok();
    Ok(Edit { input, unchanged })
}

/// An update filtered on the version it read touched `rows`: none means a save won in
/// between (PostgreSQL runs transactions side by side), answered by `stale`.
pub fn applied(rows: usize, stale: impl FnOnce() -> AppError) -> Result<(), AppError> {
    match rows {
        0 => Err(stale()),
        _ => Ok(()),
    }
}

/// What an editor needs when their edit was refused as stale.
#[derive(Debug)]
pub struct Stale {
    /// The version stored now: saving again from it keeps the editor's values.
    pub version: i32,
    /// The record as stored now, as the API shows it.
    pub current: Value,
    /// Per field that differs, the stored value (message `error.changed_meanwhile`).
    pub differences: FieldErrors,
}

/// A value as a person reads it in a message.
fn shown(v: &Value) -> String {
    match v {
        Value::Null => "–".into(),
        Value::String(s) if s.trim().is_empty() => "–".into(),
        // Forms send "a, b" where the record keeps ["a", "b"]: compare as read.
        Value::String(s) => s.trim().to_string(),
        Value::Array(items) if items.is_empty() => "–".into(),
        Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join(", "),
        // A contact person and the like: its values as read, in order.
        Value::Object(fields) => fields
            .values()
            .map(shown)
            .filter(|v| v != "–")
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

/// Refuses an edit from `expected` when the record is at `version` now. `theirs` and
/// `mine` are the stored record and the edit in the same input shape; `current` is the
/// stored record as the API shows it.
pub fn check<I: Serialize, R: Serialize>(
    expected: Expected,
    version: i32,
    theirs: &I,
    mine: &I,
    current: &R,
) -> Result<(), AppError> {
    match expected.0 {
        Some(v) if v != version => Err(stale(version, theirs, mine, current)),
        _ => Ok(()),
    }
}

/// The refusal itself (also when a concurrent save won between read and write).
pub fn stale<I: Serialize, R: Serialize>(
    version: i32,
    theirs: &I,
    mine: &I,
    current: &R,
) -> AppError {
    let (t, m) = (
        serde_json::to_value(theirs).unwrap_or(Value::Null),
        serde_json::to_value(mine).unwrap_or(Value::Null),
    );
    let mut differences = FieldErrors::default();
    if let (Value::Object(t), Value::Object(m)) = (&t, &m) {
        for (field, theirs) in t {
            let mine = m.get(field).unwrap_or(&Value::Null);
            if shown(theirs) != shown(mine) {
                differences.add(
                    field,
                    Msg::new("error.changed_meanwhile").arg("value", shown(theirs)),
                );
            }
        }
    }
    AppError::Stale(Box::new(Stale {
        version,
        current: serde_json::to_value(current).unwrap_or(Value::Null),
        differences,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_stale_edit_names_the_fields_that_differ() {
        let theirs =
            json!({"name": "Kauppa Oy", "phone": "040 1", "tags": ["a"], "t2": ["x", "y"]});
        let mine = json!({"name": "Kauppa Oy", "phone": "050 2", "tags": [], "t2": ["x", " y"]});
        assert!(check(Expected(Some(3)), 3, &theirs, &mine, &theirs).is_ok());
        assert!(check(Expected(None), 9, &theirs, &mine, &theirs).is_ok());
        let Err(AppError::Stale(s)) = check(Expected(Some(2)), 3, &theirs, &mine, &theirs) else {
            panic!("stale expected");
        };
        assert_eq!(s.version, 3);
        let fields: Vec<&String> = s.differences.0.keys().collect();
        assert_eq!(fields, ["phone", "tags"]);
        assert_eq!(s.differences.0["phone"][0].args[0].1, "040 1");
    }

    #[test]
    fn the_version_comes_from_the_body_or_the_form() {
        let mut body = json!({"name": "x", "version": 4})
            .as_object()
            .unwrap()
            .clone();
        assert_eq!(Expected::take_from(&mut body).unwrap(), Expected(Some(4)));
        assert!(!body.contains_key("version"));
        let mut bad = json!({"version": "neljä"}).as_object().unwrap().clone();
        assert!(Expected::take_from(&mut bad).is_err());
        assert_eq!(Expected::from_form(" 7 ").unwrap(), Expected(Some(7)));
        assert_eq!(Expected::from_form("").unwrap(), Expected(None));
        assert!(Expected::from_form("seitsemän").is_err());
    }
}
