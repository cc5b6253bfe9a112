//! Turns an `AppError` into what the caller reads: problem+json in their language
//! on `/api/`, a friendly page (or the login page) in the browser.

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

use crate::error::AppError;
use crate::i18n::{self, Lang};
use crate::web::extract::{negotiate_lang, state};
use crate::web::render::PageCtx;

/// The one mapping of domain errors to HTTP.
impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation(_) | Self::BadBody(_) | Self::ImportRefused(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::Conflict(_) | Self::Collision(_) | Self::Duplicates(_) | Self::Stale(_) => {
                StatusCode::CONFLICT
            }
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// English by default; `render_errors` re-renders it in the caller's language.
    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(cause) = self {
            tracing::error!(cause = %cause, "internal error");
        }
        problem(self, Lang::En)
    }
}

fn slug(err: &AppError) -> &'static str {
    match err {
        AppError::Validation(_) | AppError::BadBody(_) => "validation",
        AppError::ImportRefused(_) => "import-refused",
        AppError::Conflict(_) => "conflict",
        AppError::Collision(_) => "collision",
        AppError::Duplicates(_) => "duplicate",
        AppError::Unauthorized => "unauthorized",
        AppError::Forbidden => "forbidden",
        AppError::Csrf => "csrf",
        AppError::NotFound => "not-found",
        AppError::MethodNotAllowed(_) => "method-not-allowed",
        AppError::TooManyRequests { .. } => "too-many-requests",
        AppError::TooLarge => "too-large",
        AppError::Stale(_) => "stale",
        AppError::Internal(_) => "internal",
    }
}

/// The error page: the status and what it means.
#[derive(serde::Serialize)]
struct ErrorView {
    status: u16,
    detail: String,
}

/// problem+json (RFC 9457) in the given language. Built as a JSON map, so its keys
/// keep the order API clients have seen (sorted).
pub fn problem(err: &AppError, lang: Lang) -> HttpResponse {
    let mut body = json!({
        "type": format!("https://placefirst.fi/problems/{}", slug(err)),
        "title": i18n::t(lang, err.title_key()),
        "status": err.status_code().as_u16(),
        "detail": i18n::t(lang, err.detail_key()),
    });
    match err {
        AppError::Validation(f) | AppError::Conflict(f) => {
            body["errors"] = json!(f.translated(lang));
        }
        AppError::Collision(list) => {
            body["collisions"] = json!(list
                .iter()
                .map(|c| {
                    let mut v = json!(c);
                    v["message"] = json!(c.message(lang));
                    v
                })
                .collect::<Vec<_>>());
        }
        AppError::Duplicates(list) => {
            body["duplicates"] = json!(list
                .iter()
                .map(|d| {
                    let mut v = json!(d);
                    v["message"] = json!(d.message(lang));
                    v
                })
                .collect::<Vec<_>>());
        }
        AppError::Stale(s) => {
            body["version"] = json!(s.version);
            body["current"] = s.current.clone();
            body["errors"] = json!(s.differences.translated(lang));
        }
        AppError::BadBody(why) => {
            body["errors"] = json!({ "body": [why] });
        }
        AppError::ImportRefused(report) => {
            body["report"] = json!(report.as_ref().clone().translated(lang));
        }
        _ => {}
    }
    let mut resp = HttpResponse::build(err.status_code());
    resp.content_type("application/problem+json");
    if let AppError::TooManyRequests { retry_after_secs } = err {
        resp.insert_header(("Retry-After", retry_after_secs.to_string()));
    }
    if let AppError::MethodNotAllowed(allow) = err {
        resp.insert_header(("Allow", allow.clone()));
    }
    if matches!(err, AppError::Unauthorized) {
        resp.insert_header(("WWW-Authenticate", "Bearer"));
    }
    resp.body(body.to_string())
}

pub async fn render_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<BoxBody>>, actix_web::Error> {
    let res = next.call(req).await?;
    let replacement = res
        .response()
        .error()
        .and_then(|e| match e.as_error::<AppError>() {
            Some(err) => Some(render(res.request(), err)),
            // actix's own refusals (a body over the limit, an unreadable one) answer in the
            // same shapes as ours instead of text/plain.
            None => framework_error(res.response().status()).map(|err| render(res.request(), &err)),
        });
    Ok(match replacement {
        Some(new) => res.into_response(new).map_into_right_body(),
        None => res.map_body(|_, b| b.boxed()).map_into_left_body(),
    })
}

fn framework_error(status: StatusCode) -> Option<AppError> {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => Some(AppError::TooLarge),
        StatusCode::NOT_FOUND => Some(AppError::NotFound),
        s if s.is_client_error() => Some(AppError::BadBody(
            s.canonical_reason().unwrap_or("bad request").to_string(),
        )),
        s if s.is_server_error() => Some(AppError::Internal(s.to_string())),
        _ => None,
    }
}

fn render(req: &actix_web::HttpRequest, err: &AppError) -> HttpResponse {
    let default_lang = state(req)
        .map(|s| s.settings.default_lang)
        .unwrap_or(Lang::Fi);
    let lang = negotiate_lang(req, default_lang);
    if req.path().starts_with("/api/") {
        return problem(err, lang);
    }
    if matches!(err, AppError::Unauthorized) {
        let next = match req.query_string() {
            "" => req.path().to_string(),
            q => format!("{}?{}", req.path(), q),
        };
        let next: String = url_encode(&next);
        return HttpResponse::SeeOther()
            .insert_header(("Location", format!("/login?next={next}")))
            .finish();
    }
    let page = PageCtx::from_req(req).and_then(|ctx| {
        let title = ctx.t(err.title_key());
        ctx.render(
            err.status_code(),
            "errors/page",
            &title,
            ErrorView {
                status: err.status_code().as_u16(),
                detail: ctx.t(err.detail_key()),
            },
        )
    });
    page.unwrap_or_else(|e| {
        tracing::error!(error = %e, "error page failed to render");
        HttpResponse::build(err.status_code())
            .content_type("text/plain")
            .body(err.to_string())
    })
}

/// Percent-encodes a path for a query parameter.
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
