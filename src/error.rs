//! The one error type. Domain code returns `AppError`, which knows nothing of HTTP; the
//! web layer (`web::errors`) maps it once to a status, problem+json (RFC 9457) on the API
//! or a friendly page in the browser, translated to the caller's language. Internal
//! causes are logged once and never shown.

use std::collections::BTreeMap;

use crate::i18n::{self, Lang};

/// A message for a field: a translation key and its placeholder values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// Placeholder values translated for the reader: a field's label, or a message of
    /// its own (why an event was refused).
    pub rich_args: Vec<(&'static str, RichArg)>,
}

/// A placeholder value that is itself read in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RichArg {
    /// A translation key.
    Label(String),
    Msg(Msg),
}

impl Msg {
    pub fn new(key: &'static str) -> Self {
        Self {
            key,
            args: Vec::new(),
            rich_args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// A placeholder filled with the translation of `key` in the reader's language.
    pub fn arg_label(mut self, name: &'static str, key: String) -> Self {
        self.rich_args.push((name, RichArg::Label(key)));
        self
    }

    /// A placeholder filled with another message, in the reader's language.
    pub fn arg_msg(mut self, name: &'static str, msg: Msg) -> Self {
        self.rich_args.push((name, RichArg::Msg(msg)));
        self
    }

    /// The message as kept in a text column (a background job's outcome), to be shown
    /// later in the reader's language by `stored_text`.
    pub fn to_stored(&self) -> String {
        self.stored_value().to_string()
    }

    fn stored_value(&self) -> serde_json::Value {
        use serde_json::{json, Map, Value};
        let mut args = Map::new();
        for (k, v) in &self.args {
            args.insert(k.to_string(), Value::String(v.clone()));
        }
        for (k, a) in &self.rich_args {
            let v = match a {
                RichArg::Label(key) => json!({ "label": key }),
                RichArg::Msg(m) => m.stored_value(),
            };
            args.insert(k.to_string(), v);
        }
        json!({ "key": self.key, "args": args })
    }

    pub fn text(&self, lang: Lang) -> String {
        let mut args = self.args.clone();
        args.extend(self.rich_args.iter().map(|(name, a)| match a {
            RichArg::Label(key) => (*name, i18n::t(lang, key)),
            RichArg::Msg(m) => (*name, m.text(lang)),
        }));
        i18n::t_args(lang, self.key, &args)
    }
}

/// A message kept by `Msg::to_stored`, in the reader's language; text that is no kept
/// message (rows written before messages were kept) as it is.
pub fn stored_text(stored: &str, lang: Lang) -> String {
    match serde_json::from_str::<serde_json::Value>(stored) {
        Ok(v) if v.get("key").and_then(|k| k.as_str()).is_some() => stored_value_text(&v, lang),
        _ => stored.to_string(),
    }
}

fn stored_value_text(v: &serde_json::Value, lang: Lang) -> String {
    use serde_json::Value;
    let args: Vec<(&str, String)> = v["args"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, a)| {
                    let text = match a {
                        Value::String(s) => s.clone(),
                        Value::Object(o) => match o.get("label").and_then(|l| l.as_str()) {
                            Some(key) => i18n::t(lang, key),
                            None => stored_value_text(a, lang),
                        },
                        other => other.to_string(),
                    };
                    (k.as_str(), text)
                })
                .collect()
        })
        .unwrap_or_default();
    i18n::t_args(lang, v["key"].as_str().unwrap_or_default(), &args)
}

/// Messages per field, in the order fields were checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, Vec<Msg>>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, msg: Msg) {
        self.0.entry(field.to_string()).or_default().push(msg);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn single(field: &str, msg: Msg) -> Self {
        let mut e = Self::default();
        e.add(field, msg);
        e
    }

    /// `Ok(())` when nothing was added, else the validation error.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self))
        }
    }

    pub fn translated(&self, lang: Lang) -> BTreeMap<String, Vec<String>> {
        self.0
            .iter()
            .map(|(k, v)| (k.clone(), v.iter().map(|m| m.text(lang)).collect()))
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("conflict")]
    Conflict(FieldErrors),
    #[error("the request body could not be read: {0}")]
    BadBody(String),
    #[error("not signed in")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("missing or invalid CSRF token")]
    Csrf,
    #[error("not found")]
    NotFound,
    /// The path exists, not with this method; the methods it takes ("GET, PATCH").
    #[error("method not allowed")]
    MethodNotAllowed(String),
    /// Someone else saved the record since this edit began.
    #[error("the record was changed since it was read")]
    Stale(Box<crate::domain::versioning::Stale>),
    #[error("the request body is too large")]
    TooLarge,
    #[error("too many failed logins")]
    TooManyRequests { retry_after_secs: i64 },
    /// Colleagues' contacts or plans near this one; saving needs an acknowledgement.
    #[error("contact collides with the team's other contacts")]
    Collision(Vec<crate::domain::outreach::guard::Collision>),
    /// Employers in the register look like the new one; creating it needs an
    /// acknowledgement.
    #[error("likely duplicates in the register")]
    Duplicates(Vec<crate::domain::employers::duplicates::Duplicate>),
    /// An all-or-nothing import with rows it cannot write; the report says which.
    #[error("the import was refused; nothing was written")]
    ImportRefused(Box<crate::domain::imports::Report>),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    /// The translation keys of the title and detail shown to people.
    pub fn title_key(&self) -> &'static str {
        match self {
            Self::Validation(_) | Self::BadBody(_) => "error.validation.title",
            Self::ImportRefused(_) => "error.import_refused.title",
            Self::Conflict(_) => "error.conflict.title",
            Self::Collision(_) => "error.collision.title",
            Self::Duplicates(_) => "error.duplicates.title",
            Self::Unauthorized => "error.unauthorized.title",
            Self::Forbidden => "error.forbidden.title",
            Self::Csrf => "error.csrf.title",
            Self::NotFound => "error.not_found.title",
            Self::MethodNotAllowed(_) => "error.method.title",
            Self::TooManyRequests { .. } => "error.throttled.title",
            Self::TooLarge => "error.too_large.title",
            Self::Stale(_) => "error.stale.title",
            Self::Internal(_) => "error.internal.title",
        }
    }

    pub fn detail_key(&self) -> &'static str {
        match self {
            Self::Validation(_) | Self::BadBody(_) => "error.validation.detail",
            Self::ImportRefused(_) => "error.import_refused.detail",
            Self::Conflict(_) => "error.conflict.detail",
            Self::Collision(_) => "error.collision.detail",
            Self::Duplicates(_) => "error.duplicates.api_detail",
            Self::Unauthorized => "error.unauthorized.detail",
            Self::Forbidden => "error.forbidden.detail",
            Self::Csrf => "error.csrf.detail",
            Self::NotFound => "error.not_found.detail",
            Self::MethodNotAllowed(_) => "error.method.detail",
            Self::TooManyRequests { .. } => "error.throttled.detail",
            Self::TooLarge => "error.too_large.detail",
            Self::Stale(_) => "error.stale.detail",
            Self::Internal(_) => "error.internal.detail",
        }
    }
}

/// Database refusals that the request caused are the caller's to fix (4xx); the rest
/// are ours (500).
impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as Kind, Error};
        let one = |key| FieldErrors::single("record", Msg::new(key));
        match e {
            Error::NotFound => Self::NotFound,
            // Two saves racing for the same version number, feed secret or name.
            Error::DatabaseError(Kind::UniqueViolation, _) => {
                Self::Conflict(one("error.saved_meanwhile"))
            }
            Error::DatabaseError(Kind::ForeignKeyViolation, _) => {
                Self::Validation(one("error.reference_missing"))
            }
            Error::DatabaseError(_, info) if input_too_large(info.message()) => {
                Self::Validation(one("error.input_too_large"))
            }
            other => Self::Internal(format!("database: {other}")),
        }
    }
}

/// PostgreSQL's words for a value too big to store or index.
fn input_too_large(message: &str) -> bool {
    [
        "index row size",
        "index row requires",
        "value too long",
        "string is too long",
        "invalid byte sequence",
    ]
    .iter()
    .any(|m| message.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_message_reads_in_each_language_and_old_text_stays() {
        let m = Msg::new("error.ics.in_event").arg("uid", "abc@x").arg_msg(
            "why",
            Msg::new("error.ics.unknown_zone").arg("zone", "Mars"),
        );
        let kept = m.to_stored();
        assert_eq!(stored_text(&kept, Lang::En), m.text(Lang::En));
        assert_eq!(
            stored_text(&kept, Lang::Fi),
            "Tapahtuma abc@x: aikavyöhyke ”Mars” on tuntematon."
        );
        assert_eq!(stored_text("line 3: broken", Lang::Fi), "line 3: broken");
    }
}
