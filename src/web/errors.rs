//! Turns an `AppError` into what the caller reads: problem+json in their language
//! on `/api/`, a friendly page (or the login page) in the browser.

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::HttpResponse;
use serde_json::json;

use crate::error::AppError;
use crate::web::extract::{negotiate_lang, state};
use crate::web::render::PageCtx;

pub async fn render_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<BoxBody>>, actix_web::Error> {
    let res = next.call(req).await?;
    let replacement = res
        .response()
        .error()
        .and_then(|e| e.as_error::<AppError>())
        .map(|err| render(res.request(), err));
    Ok(match replacement {
        Some(new) => res.into_response(new).map_into_right_body(),
        None => res.map_body(|_, b| b.boxed()).map_into_left_body(),
    })
}

fn render(req: &actix_web::HttpRequest, err: &AppError) -> HttpResponse {
    let default_lang = state(req)
        .map(|s| s.settings.default_lang)
        .unwrap_or(crate::i18n::Lang::Fi);
    let lang = negotiate_lang(req, default_lang);
    if req.path().starts_with("/api/") {
        return err.problem(lang);
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
            actix_web::ResponseError::status_code(err),
            "errors/page",
            &title,
            json!({"status": actix_web::ResponseError::status_code(err).as_u16(), "detail": ctx.t(err.detail_key())}),
        )
    });
    page.unwrap_or_else(|e| {
        tracing::error!(error = %e, "error page failed to render");
        HttpResponse::build(actix_web::ResponseError::status_code(err))
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
