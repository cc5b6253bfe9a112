//! Extractors: the signed-in user (API and pages), the page language, and forms whose
//! CSRF token has been checked.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::auth;
use crate::domain::users::Actor;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::web::csrf::{self, CsrfToken};

pub const SESSION_COOKIE: &str = "pf_session";
pub const LANG_COOKIE: &str = "pf_lang";

pub fn state(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::internal("application state missing"))
}

/// The language for this request: the user's choice, then the language cookie,
/// then Accept-Language, then the configured default.
pub fn negotiate_lang(req: &HttpRequest, default: Lang) -> Lang {
    if let Some(lang) = req.extensions().get::<Actor>().and_then(|a| a.locale) {
        return lang;
    }
    if let Some(lang) = req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value())) {
        return lang;
    }
    req.headers()
        .get("accept-language")
        .and_then(|h| h.to_str().ok())
        .and_then(Lang::from_accept_language)
        .unwrap_or(default)
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let h = req.headers().get("authorization")?.to_str().ok()?;
    let (scheme, token) = h.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

async fn session_actor(req: &HttpRequest) -> Result<Option<Actor>, AppError> {
    let Some(secret) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    let st = state(req)?;
    let now = st.now();
    st.pool
        .run(move |conn| auth::actor_for_session(conn, &secret, now))
        .await
}

/// The API caller: a personal token (`Authorization: Bearer`), or a browser session
/// that sends its CSRF token in `X-CSRF-Token` for anything but reads.
pub struct ApiUser(pub Actor);

impl FromRequest for ApiUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let actor = if let Some(token) = bearer(&req) {
                let st = state(&req)?;
                let now = st.now();
                st.pool
                    .run(move |conn| auth::actor_for_token(conn, &token, now))
                    .await?
            } else {
                let actor = session_actor(&req).await?;
                if actor.is_some() && ![Method::GET, Method::HEAD].contains(req.method()) {
                    let header = req
                        .headers()
                        .get("x-csrf-token")
                        .and_then(|h| h.to_str().ok())
                        .unwrap_or("");
                    let cookie = req
                        .extensions()
                        .get::<CsrfToken>()
                        .map(|t| t.0.clone())
                        .unwrap_or_default();
                    if !csrf::same(header, &cookie) {
                        return Err(AppError::Csrf);
                    }
                }
                actor
            };
            let actor = actor.ok_or(AppError::Unauthorized)?;
            req.extensions_mut().insert(actor.clone());
            Ok(ApiUser(actor))
        })
    }
}

/// A signed-in browser user; without a session the error page sends them to log in.
pub struct PageUser(pub Actor);

impl FromRequest for PageUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let actor = session_actor(&req).await?.ok_or(AppError::Unauthorized)?;
            req.extensions_mut().insert(actor.clone());
            Ok(PageUser(actor))
        })
    }
}

/// The browser user when there is one (the login page).
pub struct MaybeUser(pub Option<Actor>);

impl FromRequest for MaybeUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let actor = session_actor(&req).await?;
            if let Some(a) = &actor {
                req.extensions_mut().insert(a.clone());
            }
            Ok(MaybeUser(actor))
        })
    }
}

#[derive(Deserialize)]
struct WithCsrf<T> {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    inner: T,
}

/// A urlencoded form whose `csrf_token` matched the browser's CSRF cookie. Form
/// structs hold strings only; the domain parses them.
pub struct SafeForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for SafeForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = web::Form::<WithCsrf<T>>::from_request(req, payload);
        let expected = req
            .extensions()
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        Box::pin(async move {
            let form = form
                .await
                .map_err(|e| AppError::BadBody(e.to_string()))?
                .into_inner();
            if expected.is_empty() || !csrf::same(&form.csrf_token, &expected) {
                return Err(AppError::Csrf);
            }
            Ok(SafeForm(form.inner))
        })
    }
}
