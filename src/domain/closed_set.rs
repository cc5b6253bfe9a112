//! Closed sets of values (stages, statuses, channels ...) as Rust enums. One macro gives
//! each its wire name (serde), its database text on both backends (diesel), its
//! translation key and the list of all values, so no list of strings is kept anywhere
//! else. The database refuses other values too (CHECK constraints, migration 000013).

use serde::{Deserialize, Serialize};

/// Declares a closed set: `closed_set! { pub enum Stage ("stage") { NotContacted = "not_contacted", ... } }`.
/// The string in parentheses is the prefix of its translation keys (`stage.not_contacted`).
#[macro_export]
macro_rules! closed_set {
    ($(#[$meta:meta])* pub enum $name:ident ($prefix:literal) { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 ::diesel::expression::AsExpression, ::diesel::deserialize::FromSqlRow)]
        #[diesel(sql_type = ::diesel::sql_types::Text)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in the order they are offered.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name on the wire and in the database.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The translation key of the value's label.
            pub const fn label_key(self) -> &'static str {
                match self { $($name::$variant => concat!($prefix, ".", $text)),+ }
            }

            /// The database names of all values (for CHECK constraints and their test).
            pub fn names() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl $crate::domain::closed_set::ClosedSet for $name {
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn name(self) -> &'static str {
                self.as_str()
            }
            fn key(self) -> &'static str {
                self.label_key()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::domain::closed_set::Unknown;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s).ok_or_else(|| $crate::domain::closed_set::Unknown(s.to_string()))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&s).ok_or_else(|| {
                    <D::Error as ::serde::de::Error>::unknown_variant(&s, &[$($text),+])
                })
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                concat!(module_path!(), "::", stringify!($name)).into()
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({ "type": "string", "enum": [$($text),+] })
            }
        }

        impl<DB> ::diesel::serialize::ToSql<::diesel::sql_types::Text, DB> for $name
        where
            DB: ::diesel::backend::Backend,
            str: ::diesel::serialize::ToSql<::diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut ::diesel::serialize::Output<'b, '_, DB>,
            ) -> ::diesel::serialize::Result {
                <str as ::diesel::serialize::ToSql<::diesel::sql_types::Text, DB>>::to_sql(self.as_str(), out)
            }
        }

        impl<DB> ::diesel::deserialize::FromSql<::diesel::sql_types::Text, DB> for $name
        where
            DB: ::diesel::backend::Backend,
            String: ::diesel::deserialize::FromSql<::diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> ::diesel::deserialize::Result<Self> {
                let s = <String as ::diesel::deserialize::FromSql<::diesel::sql_types::Text, DB>>::from_sql(bytes)?;
                Self::parse(&s).ok_or_else(|| {
                    format!("{} is not a known {}", s, stringify!($name)).into()
                })
            }
        }
    };
}

/// What every closed set offers, for code that works on any of them (option lists).
pub trait ClosedSet: Copy + PartialEq + 'static {
    fn all() -> &'static [Self];
    /// The name on the wire and in the database.
    fn name(self) -> &'static str;
    /// The translation key of its label.
    fn key(self) -> &'static str;
}

/// A text that names no value of the set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {0:?}")]
pub struct Unknown(pub String);

/// A closed-set field as a request sent it: a known value, or the text it came as, so a
/// wrong value becomes a field message ("choose one of the offered values") instead of
/// a refused body, and a merge patch can carry it back unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice<T> {
    Known(T),
    Other(String),
}

/// Documented as the set's values: any other text is refused (422, naming the field).
impl<T: schemars::JsonSchema> schemars::JsonSchema for Choice<T> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        g.subschema_for::<T>()
    }
}

impl<T: Copy> Choice<T> {
    pub fn known(&self) -> Option<T> {
        match self {
            Choice::Known(v) => Some(*v),
            Choice::Other(_) => None,
        }
    }
}

/// Implemented by every closed set (through the macro's `FromStr` and `Display`). Spaces
/// around the value are forgiven, as in any other text field.
impl<T: std::str::FromStr> Choice<T> {
    pub fn from_text(s: &str) -> Self {
        s.trim()
            .parse()
            .map_or_else(|_| Choice::Other(s.to_string()), Choice::Known)
    }
}

impl<T: std::str::FromStr> From<String> for Choice<T> {
    fn from(s: String) -> Self {
        Choice::from_text(&s)
    }
}

impl<T: std::str::FromStr> From<&str> for Choice<T> {
    fn from(s: &str) -> Self {
        Choice::from_text(s)
    }
}

impl<T: std::fmt::Display> std::fmt::Display for Choice<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Choice::Known(v) => v.fmt(f),
            Choice::Other(t) => f.write_str(t),
        }
    }
}

impl<T: std::fmt::Display> Serialize for Choice<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Choice::Known(v) => s.collect_str(v),
            Choice::Other(t) => s.serialize_str(t),
        }
    }
}

impl<'de, T: std::str::FromStr> Deserialize<'de> for Choice<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(Choice::from_text(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::closed_set! {
        /// A test set.
        pub enum Colour ("colour") { Red = "red", DarkBlue = "dark_blue" }
    }

    #[test]
    fn names_keys_and_wire_form() {
        assert_eq!(Colour::ALL, &[Colour::Red, Colour::DarkBlue]);
        assert_eq!(Colour::DarkBlue.as_str(), "dark_blue");
        assert_eq!(Colour::DarkBlue.label_key(), "colour.dark_blue");
        assert_eq!(Colour::parse("red"), Some(Colour::Red));
        assert_eq!(Colour::parse("Red"), None);
        assert_eq!(
            serde_json::to_string(&Colour::DarkBlue).unwrap(),
            "\"dark_blue\""
        );
        let e = serde_json::from_str::<Colour>("\"green\"").unwrap_err();
        assert!(e.to_string().contains("`red` or `dark_blue`"), "{e}");
    }

    #[test]
    fn choices_keep_what_was_sent() {
        let c: Choice<Colour> = serde_json::from_str("\"red\"").unwrap();
        assert_eq!(c, Choice::Known(Colour::Red));
        let c: Choice<Colour> = serde_json::from_str("\"green\"").unwrap();
        assert_eq!(c, Choice::Other("green".into()));
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"green\"");
        assert!(serde_json::from_str::<Choice<Colour>>("7").is_err());
    }
}
