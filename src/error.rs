//! The one error type. Domain code returns `AppError`; the web layer turns it into
//! problem+json (RFC 9457) on the API or a friendly page in the browser
//! (`web::errors`), translated to the caller's language. Internal causes are logged
//! once and never shown.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

use crate::i18n::{self, Lang};

/// A message for a field: a translation key and its placeholder values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    pub fn new(key: &'static str) -> Self {
        Self {
            key,
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    pub fn text(&self, lang: Lang) -> String {
        i18n::t_args(lang, self.key, &self.args)
    }
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
    #[error("too many failed logins")]
    TooManyRequests { retry_after_secs: i64 },
    /// Colleagues' contacts or plans near this one; saving needs an acknowledgement.
    #[error("contact collides with the team's other contacts")]
    Collision(Vec<crate::domain::outreach::guard::Collision>),
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
            Self::Conflict(_) => "error.conflict.title",
            Self::Collision(_) => "error.collision.title",
            Self::Unauthorized => "error.unauthorized.title",
            Self::Forbidden => "error.forbidden.title",
            Self::Csrf => "error.csrf.title",
            Self::NotFound => "error.not_found.title",
            Self::TooManyRequests { .. } => "error.throttled.title",
            Self::Internal(_) => "error.internal.title",
        }
    }

    pub fn detail_key(&self) -> &'static str {
        match self {
            Self::Validation(_) | Self::BadBody(_) => "error.validation.detail",
            Self::Conflict(_) => "error.conflict.detail",
            Self::Collision(_) => "error.collision.detail",
            Self::Unauthorized => "error.unauthorized.detail",
            Self::Forbidden => "error.forbidden.detail",
            Self::Csrf => "error.csrf.detail",
            Self::NotFound => "error.not_found.detail",
            Self::TooManyRequests { .. } => "error.throttled.detail",
            Self::Internal(_) => "error.internal.detail",
        }
    }

    fn slug(&self) -> &'static str {
        match self {
            Self::Validation(_) | Self::BadBody(_) => "validation",
            Self::Conflict(_) => "conflict",
            Self::Collision(_) => "collision",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::Csrf => "csrf",
            Self::NotFound => "not-found",
            Self::TooManyRequests { .. } => "too-many-requests",
            Self::Internal(_) => "internal",
        }
    }

    /// problem+json in the given language.
    pub fn problem(&self, lang: Lang) -> HttpResponse {
        let mut body = json!({
            "type": format!("https://placefirst.fi/problems/{}", self.slug()),
            "title": i18n::t(lang, self.title_key()),
            "status": self.status_code().as_u16(),
            "detail": i18n::t(lang, self.detail_key()),
        });
        match self {
            Self::Validation(f) | Self::Conflict(f) => {
                body["errors"] = json!(f.translated(lang));
            }
            Self::Collision(list) => {
                body["collisions"] = json!(list
                    .iter()
                    .map(|c| {
                        let mut v = json!(c);
                        v["message"] = json!(c.message(lang));
                        v
                    })
                    .collect::<Vec<_>>());
            }
            Self::BadBody(why) => {
                body["errors"] = json!({ "body": [why] });
            }
            _ => {}
        }
        let mut resp = HttpResponse::build(self.status_code());
        resp.content_type("application/problem+json");
        if let Self::TooManyRequests { retry_after_secs } = self {
            resp.insert_header(("Retry-After", retry_after_secs.to_string()));
        }
        if matches!(self, Self::Unauthorized) {
            resp.insert_header(("WWW-Authenticate", "Bearer"));
        }
        resp.body(body.to_string())
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation(_) | Self::BadBody(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Conflict(_) | Self::Collision(_) => StatusCode::CONFLICT,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// English by default; `web::errors` re-renders it in the caller's language.
    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(cause) = self {
            tracing::error!(cause = %cause, "internal error");
        }
        self.problem(Lang::En)
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => Self::NotFound,
            other => Self::Internal(format!("database: {other}")),
        }
    }
}
