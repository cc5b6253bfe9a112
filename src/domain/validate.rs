//! Small parsers shared by the domain types: trimmed text, e-mail, phone, URL; and the
//! one rule every text input passes, whatever parser reads it (forms, JSON, query
//! strings, .ics and CSV files): no control characters, and a length limit.

use crate::domain::closed_set::Choice;
use crate::error::{AppError, FieldErrors, Msg};

/// No single text value anywhere may be longer than this many characters (a little
/// under the form limit: a pasted member list is one long value); fields have their own,
/// smaller limits on top.
pub const MAX_TEXT_CHARS: usize = 250_000;

/// The first character no text may hold: NUL and the other C0 and C1 control
/// characters, and DEL. Tabs and line breaks are text.
pub fn forbidden_char(s: &str) -> Option<char> {
    s.chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// For a whole file: where the first forbidden character is (line and code).
pub fn file_problem(text: &str) -> Option<Msg> {
    let c = forbidden_char(text)?;
    let at = text.find(c).unwrap_or(0);
    Some(
        Msg::new("error.file_control_char")
            .arg("line", text[..at].matches('\n').count() + 1)
            .arg("code", format!("U+{:04X}", c as u32)),
    )
}

/// Why a text value is refused, if it is.
pub fn text_problem(s: &str) -> Option<Msg> {
    if let Some(c) = forbidden_char(s) {
        return Some(Msg::new("error.control_char").arg("code", format!("U+{:04X}", c as u32)));
    }
    if s.len() > MAX_TEXT_CHARS && s.chars().count() > MAX_TEXT_CHARS {
        return Some(Msg::new("error.too_long").arg("max", MAX_TEXT_CHARS));
    }
    None
}

/// Trimmed text, or None when empty; records a message when longer than `max`.
pub fn optional_text(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<String>,
    max: usize,
) -> Option<String> {
    let v = value
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())?;
    if let Some(msg) = text_problem(&v) {
        errors.add(field, msg);
    } else if v.chars().count() > max {
        errors.add(field, Msg::new("error.too_long").arg("max", max));
    }
    Some(v)
}

/// Trimmed, non-empty text of at most `max` characters.
pub fn required_text(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<String>,
    max: usize,
) -> String {
    match optional_text(errors, field, value, max) {
        Some(v) => v,
        None => {
            errors.add(field, Msg::new("error.required"));
            String::new()
        }
    }
}

pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',')
        && !domain.contains('@')
        && s.len() <= 254
}

pub fn optional_email(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<String>,
) -> Option<String> {
    let v = optional_text(errors, field, value, 254)?;
    if !is_email(&v) {
        errors.add(field, Msg::new("error.email"));
    }
    Some(v.to_lowercase())
}

/// Digits, spaces, +, -, ( and ); 5 to 20 digits.
pub fn optional_phone(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<String>,
) -> Option<String> {
    let v = optional_text(errors, field, value, 40)?;
    let digits = v.chars().filter(|c| c.is_ascii_digit()).count();
    let allowed = v.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if !allowed || !(5..=20).contains(&digits) {
        errors.add(field, Msg::new("error.phone"));
    }
    Some(v)
}

/// An http(s) address; a bare domain gets https:// in front.
pub fn optional_url(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<String>,
) -> Option<String> {
    let v = optional_text(errors, field, value, 300)?;
    let full = if v.starts_with("http://") || v.starts_with("https://") {
        v
    } else {
        format!("https://{v}")
    };
    let host = full
        .split("://")
        .nth(1)
        .unwrap_or_default()
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    if host.is_empty() || !host.contains('.') || full.chars().any(char::is_whitespace) {
        errors.add(field, Msg::new("error.url"));
    }
    Some(full)
}

/// A page size from a query parameter: 1 to `max`, `default` when absent; anything else
/// is named under `limit`.
/// A yes-or-no query parameter: true/1/yes/on or false/0/no/off (any case), absent is
/// no; any other word is a mistake to name, not a quiet "no".
pub fn yes_no_param(errors: &mut FieldErrors, field: &str, value: Option<String>) -> bool {
    match value.map(|v| v.trim().to_lowercase()).as_deref() {
        None | Some("" | "false" | "0" | "off" | "no") => false,
        Some("true" | "1" | "on" | "yes") => true,
        Some(_) => {
            errors.add(field, Msg::new("error.expect_bool"));
            false
        }
    }
}

pub fn limit_param(errors: &mut FieldErrors, value: Option<String>, default: i64, max: i64) -> i64 {
    match value
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
    {
        None => default,
        Some(l) => match l.parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => n,
            _ => {
                errors.add(
                    "limit",
                    Msg::new("error.range").arg("min", 1).arg("max", max),
                );
                default
            }
        },
    }
}

/// A record id from a query parameter, or None when empty; other text is named under
/// `field`.
pub fn id_param(e: &mut FieldErrors, field: &str, v: Option<String>) -> Option<i64> {
    let v = v.filter(|s| !s.trim().is_empty())?;
    // Ids start at 1: "-1" or "0" names no record, and is refused rather than finding
    // nothing in silence.
    v.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .or_else(|| {
            e.add(field, Msg::new("error.choice"));
            None
        })
}

/// A day from a query parameter (2026-11-24 or 24.11.2026), or None when empty; other
/// text is named under `field`.
pub fn day_param(e: &mut FieldErrors, field: &str, v: Option<String>) -> Option<chrono::NaiveDate> {
    let v = v.filter(|s| !s.trim().is_empty())?;
    crate::domain::outreach::parse_date(&v).or_else(|| {
        e.add(field, Msg::new("error.date"));
        None
    })
}

/// The value of a closed set, or None when empty; records a message for any other text.
pub fn choice<T: Copy>(e: &mut FieldErrors, field: &str, value: Option<Choice<T>>) -> Option<T> {
    match value? {
        Choice::Known(v) => Some(v),
        Choice::Other(t) if t.trim().is_empty() => None,
        Choice::Other(_) => {
            e.add(field, Msg::new("error.choice"));
            None
        }
    }
}

/// Like `choice`, and a message when nothing was given.
pub fn required_choice<T: Copy>(
    e: &mut FieldErrors,
    field: &str,
    value: Option<Choice<T>>,
) -> Option<T> {
    let blank = match &value {
        None => true,
        Some(Choice::Other(t)) => t.trim().is_empty(),
        Some(Choice::Known(_)) => false,
    };
    if blank {
        e.add(field, Msg::new("error.required"));
        return None;
    }
    choice(e, field, value)
}

/// Merges a JSON patch into any input type; unknown fields and wrong types are
/// reported as validation errors.
/// Fields that only a new record reads, refused on a change rather than ignored.
pub fn refuse_create_only(
    patch: &serde_json::Map<String, serde_json::Value>,
    create_only: &[&str],
) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    for f in create_only.iter().filter(|f| patch.contains_key(**f)) {
        errors.add(f, Msg::new("error.create_only"));
    }
    errors.into_result()
}

pub fn merge_patch<T>(
    current: &T,
    patch: serde_json::Map<String, serde_json::Value>,
) -> Result<T, AppError>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let mut value = serde_json::to_value(current).map_err(AppError::internal)?;
    let obj = value
        .as_object_mut()
        .ok_or_else(|| AppError::internal("input is not an object"))?;
    let mut errors = FieldErrors::default();
    for (k, v) in patch {
        if k == "id" || !obj.contains_key(&k) {
            errors.add(&k, Msg::new("error.unknown_field"));
            continue;
        }
        // `null` clears: the field takes its empty value, as if never sent.
        if v.is_null() {
            obj.remove(&k);
        } else {
            obj.insert(k, v);
        }
    }
    errors.into_result()?;
    crate::domain::json_input::from_value(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_parameter_is_a_positive_number() {
        let mut e = FieldErrors::default();
        assert_eq!(id_param(&mut e, "user_id", Some(" 12 ".into())), Some(12));
        assert_eq!(id_param(&mut e, "user_id", Some("".into())), None);
        assert!(e.into_result().is_ok());
        for bad in ["-1", "0", "12a", "9999999999999999999999"] {
            let mut e = FieldErrors::default();
            assert_eq!(id_param(&mut e, "user_id", Some(bad.into())), None);
            assert!(e.into_result().is_err(), "{bad} refused");
        }
    }

    #[test]
    fn control_characters_are_refused_and_text_is_kept() {
        assert_eq!(forbidden_char("Kahvila\0"), Some('\0'));
        assert_eq!(forbidden_char("a\u{7f}"), Some('\u{7f}'));
        assert_eq!(forbidden_char("a\u{85}"), Some('\u{85}'));
        assert_eq!(forbidden_char("rivi 1\r\nrivi 2\tsarake – äö"), None);
        assert_eq!(
            file_problem("a\r\nb\r\nc\u{0}").map(|m| m.text(crate::i18n::Lang::En)),
            Some("Line 3: the control character U+0000 is not text.".into())
        );
        let mut e = FieldErrors::default();
        optional_text(&mut e, "name", Some("Kauppa\u{0}Oy".into()), 200);
        assert_eq!(e.0["name"][0].key, "error.control_char");
        let mut e = FieldErrors::default();
        optional_text(
            &mut e,
            "name",
            Some("x".repeat(MAX_TEXT_CHARS + 1)),
            usize::MAX,
        );
        assert_eq!(e.0["name"][0].key, "error.too_long");
    }

    #[test]
    fn emails() {
        assert!(is_email("maija@example.fi"));
        for bad in [
            "maija", "maija@", "@x.fi", "a b@x.fi", "a@x", "a@.fi", "a@x.fi.",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn urls_and_phones() {
        let mut e = FieldErrors::default();
        assert_eq!(
            optional_url(&mut e, "w", Some("esimerkki.fi".into())).unwrap(),
            "https://esimerkki.fi"
        );
        assert!(e.is_empty());
        optional_url(&mut e, "w", Some("not a url".into()));
        optional_phone(&mut e, "p", Some("call me".into()));
        assert_eq!(e.0.len(), 2);
        let mut e = FieldErrors::default();
        optional_phone(&mut e, "p", Some("+358 40 123 4567".into()));
        assert!(e.is_empty());
    }
}
