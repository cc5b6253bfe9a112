//! The web layer: the route table, extractors, and thin handlers that call the same
//! domain functions for the JSON API (`api`) and the pages (`pages`).

pub mod api;
pub mod calendar;
pub mod charts;
pub mod client;
pub mod csrf;
pub mod csv_out;
pub mod errors;
pub mod extract;
pub mod input_guard;
pub mod json_body;
pub mod log_redact;
pub mod pages;
pub mod query;
pub mod render;
pub mod security_headers;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse};
use tracing_actix_web::RequestId;

use crate::app::AppState;
use crate::error::{AppError, FieldErrors, Msg};

/// The largest form or JSON body: far more than any form a person fills in.
pub const FORM_LIMIT: usize = 256 * 1024;
/// The largest file body (.ics, CSV).
pub const FILE_LIMIT: usize = 8 * 1024 * 1024;
/// The import page posts a whole spreadsheet file as form text, which URL-encoding makes
/// up to three times longer (ä is `%C3%A4`).
pub const IMPORT_FORM_LIMIT: usize = 3 * FILE_LIMIT;

/// The largest form body a path takes.
pub fn form_limit(path: &str) -> usize {
    if path.starts_with("/imports/") {
        IMPORT_FORM_LIMIT
    } else {
        FORM_LIMIT
    }
}

/// How forms are read: up to `limit`, a larger one answered 413.
pub fn form_config(limit: usize) -> web::FormConfig {
    web::FormConfig::default()
        .limit(limit)
        .error_handler(|e, _| match e {
            actix_web::error::UrlencodedError::Overflow { .. } => AppError::TooLarge.into(),
            e => AppError::BadBody(e.to_string()).into(),
        })
}

/// The route table: each feature registers its own routes (see `api::routes` and
/// `pages::routes`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PayloadConfig::new(FILE_LIMIT))
        .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
        .app_data(
            web::JsonConfig::default()
                .limit(FORM_LIMIT)
                .error_handler(|e, _| match e {
                    actix_web::error::JsonPayloadError::Overflow { .. }
                    | actix_web::error::JsonPayloadError::OverflowKnownLength { .. } => {
                        AppError::TooLarge.into()
                    }
                    e => json_refusal(&e).into(),
                }),
        )
        .app_data(form_config(FORM_LIMIT))
        .app_data(
            web::QueryConfig::default()
                .error_handler(|e, _| AppError::BadBody(e.to_string()).into()),
        )
        .route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz))
        .service(
            web::scope("/api/v1")
                .configure(api::routes)
                .default_service(web::to(not_found)),
        )
        .configure(pages::routes)
        .default_service(web::to(not_found));
}

/// Why a JSON body could not be read, translated, under `body`.
fn json_refusal(e: &actix_web::error::JsonPayloadError) -> AppError {
    use actix_web::error::JsonPayloadError as E;
    let msg = match e {
        E::ContentType => Msg::new("error.json_media"),
        E::Deserialize(e) if e.is_syntax() || e.is_eof() => Msg::new("error.json_syntax")
            .arg("line", e.line())
            .arg("column", e.column()),
        E::Deserialize(e) if e.to_string().starts_with("duplicate key") => {
            let key = e.to_string();
            let key = key.split('`').nth(1).unwrap_or_default().to_string();
            Msg::new("error.json_duplicate_key")
                .arg("key", key)
                .arg("line", e.line())
        }
        E::Deserialize(_) => Msg::new("error.json_object"),
        e => return AppError::BadBody(e.to_string()),
    };
    AppError::Validation(FieldErrors::single("body", msg))
}

/// Whether cookies get the Secure flag: by setting, or ("auto") when the request came
/// over https, directly or through a proxy that says so.
pub fn secure_cookies(req: &actix_web::HttpRequest) -> bool {
    use crate::config::SecureCookies;
    let Some(st) = req.app_data::<web::Data<AppState>>() else {
        return false;
    };
    match st.settings.secure_cookies {
        SecureCookies::Always => true,
        SecureCookies::Never => false,
        SecureCookies::Auto => client::is_https(req, &st.settings.trusted_proxies),
    }
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// The process is up.
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// The database answers.
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let backend = state.pool.backend_name();
    let answer = state.pool.run(crate::db::ping).await;
    match answer {
        Ok(()) => {
            HttpResponse::Ok().json(serde_json::json!({"status": "ready", "database": backend}))
        }
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({"status": "unavailable", "database": backend}))
        }
    }
}

/// Logs each request once (inside its span, so the line carries the request id) and
/// echoes the id in `X-Request-Id`, so a user's report can be found in the logs.
pub async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().map(|r| r.to_string());
    let started = std::time::Instant::now();
    let mut res = next.call(req).await?;
    tracing::info!(
        method = %res.request().method(),
        path = %log_redact::path(res.request().path()),
        status = res.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    if let Some(id) = id.and_then(|i| HeaderValue::from_str(&i).ok()) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-request-id"), id);
    }
    Ok(res)
}
