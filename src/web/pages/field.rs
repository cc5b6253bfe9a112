//! Typed form fields. A browser sends every field as text; `Field<T>` holds what the
//! text means: nothing, a value of `T`, or text that is not one, kept so the form can
//! be shown again as it was typed, with a message beside the field.

use std::fmt::{self, Display};
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{FieldErrors, Msg};

/// A date as typed in a form: what a date input sends (2026-11-24) or as Finns write
/// it (24.11.2026); shown again as the date input wants it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormDate(pub NaiveDate);

impl FromStr for FormDate {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        crate::domain::outreach::parse_date(s)
            .map(FormDate)
            .ok_or(())
    }
}

impl Display for FormDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.format("%Y-%m-%d").fmt(f)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Field<T> {
    #[default]
    Empty,
    Value(T),
    Bad(String),
}

impl<T: FromStr> Field<T> {
    pub fn parse(text: &str) -> Self {
        let t = text.trim();
        if t.is_empty() {
            return Field::Empty;
        }
        t.parse()
            .map(Field::Value)
            .unwrap_or_else(|_| Field::Bad(text.to_string()))
    }
}

impl<T: Clone> Field<T> {
    /// The value, or None when left empty; text that is not a value adds `msg` to
    /// `name` in `errors` (the caller then shows the form again and writes nothing).
    pub fn read(&self, errors: &mut FieldErrors, name: &str, msg: &'static str) -> Option<T> {
        match self {
            Field::Empty => None,
            Field::Value(v) => Some(v.clone()),
            Field::Bad(_) => {
                errors.add(name, Msg::new(msg));
                None
            }
        }
    }

    pub fn value(&self) -> Option<T> {
        match self {
            Field::Value(v) => Some(v.clone()),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Field::Empty)
    }
}

impl<T> From<Option<T>> for Field<T> {
    fn from(v: Option<T>) -> Self {
        v.map(Field::Value).unwrap_or(Field::Empty)
    }
}

impl<T: Display> Display for Field<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Empty => Ok(()),
            Field::Value(v) => v.fmt(f),
            Field::Bad(s) => f.write_str(s),
        }
    }
}

/// As the text the form shows.
impl<T: Display> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de, T: FromStr> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Field::parse(&String::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_read_as_its_type_or_kept_with_a_message() {
        assert_eq!(Field::<i64>::parse(" 12 "), Field::Value(12));
        assert_eq!(Field::<i64>::parse("  "), Field::Empty);
        let bad = Field::<i64>::parse("12a");
        assert_eq!(bad.to_string(), "12a");
        let mut e = FieldErrors::default();
        assert_eq!(bad.read(&mut e, "hours", "error.number"), None);
        assert_eq!(
            e.0["hours"][0].text(crate::i18n::Lang::En),
            "Give a whole number."
        );
        let mut e = FieldErrors::default();
        assert_eq!(
            Field::Value(3).read(&mut e, "hours", "error.number"),
            Some(3)
        );
        assert!(e.is_empty());
    }

    #[test]
    fn a_form_with_a_typed_field_deserialises_from_text() {
        #[derive(Deserialize, Serialize)]
        struct F {
            n: Field<i32>,
        }
        let f: F = serde_json::from_str(r#"{"n": "x1"}"#).unwrap();
        assert_eq!(f.n, Field::Bad("x1".into()));
        assert_eq!(serde_json::to_value(&f).unwrap()["n"], "x1");
        let f: F = serde_json::from_str(r#"{"n": ""}"#).unwrap();
        assert!(f.n.is_empty());
    }
}
