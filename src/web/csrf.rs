//! CSRF protection. A signed-in browser's token is derived from its session secret, so
//! it is bound to that session: a token planted in another browser, or kept from before
//! a login, is worth nothing. Before login (the login form itself) the token is a random
//! `pf_csrf` cookie (SameSite=Lax, so other sites cannot read or send it on a cross-site
//! POST). Every state-changing form carries the token in a hidden field.

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::HttpMessage;

use crate::domain::auth::random_hex;

pub const COOKIE: &str = "pf_csrf";

/// The browser's CSRF token, put in the request's extensions by `ensure_cookie`.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// Compares without an early exit so timing tells nothing.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub async fn ensure_cookie(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if let Some(session) = req.cookie(crate::web::extract::SESSION_COOKIE) {
        let token = crate::domain::auth::sha256_hex(&format!("csrf:{}", session.value()));
        req.extensions_mut().insert(CsrfToken(token));
        return next.call(req).await;
    }
    let existing = req
        .cookie(COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 64);
    let secure = crate::web::secure_cookies(req.request());
    let (token, fresh) = match existing {
        Some(t) => (t, false),
        None => (random_hex(32), true),
    };
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let mut res = next.call(req).await?;
    // The JSON API needs no cookie; its reference page (/api/docs) has forms.
    if fresh && !res.request().path().starts_with("/api/v1/") {
        let cookie = Cookie::build(COOKIE, token)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(secure)
            .finish();
        res.response_mut().add_cookie(&cookie).ok();
    }
    Ok(res)
}
