//! Login, logout and the language switch.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::users::Role;
use crate::domain::{auth, throttle, users};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::web::client;
use crate::web::extract::{MaybeUser, SafeForm, LANG_COOKIE, SESSION_COOKIE};
use crate::web::pages::NoFields;
use crate::web::render::{see_other, PageCtx};

/// Only local paths are followed after login, never another site.
fn safe_next(next: &str) -> &str {
    // Browsers drop tabs and newlines and read "\\" as "/", so any of them could turn a
    // local path into "//elsewhere": accept only plain path characters.
    let plain = next
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/_.~?=&%#-+,".contains(c));
    if plain && next.starts_with('/') && !next.starts_with("//") {
        next
    } else {
        "/"
    }
}

/// Each role's home: a specialist's own week, a team lead's team week, the employer
/// register for the rest.
pub async fn home(MaybeUser(user): MaybeUser) -> HttpResponse {
    let to = match user.map(|u| u.role) {
        None => "/login",
        Some(Role::Specialist) => "/plan",
        Some(Role::TeamLead) => "/plan/team",
        Some(Role::Admin | Role::Viewer) => "/employers",
    };
    see_other(to, None)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextParam {
    next: String,
}

pub async fn login_form(
    MaybeUser(user): MaybeUser,
    req: HttpRequest,
    q: web::Query<NextParam>,
) -> Result<HttpResponse, AppError> {
    if user.is_some() {
        return Ok(see_other(safe_next(&q.next), None));
    }
    let ctx = PageCtx::from_req(&req)?;
    ctx.ok(
        "auth/login",
        &ctx.t("login.title"),
        LoginView {
            next: Some(&q.next),
            email: "",
            error: None,
        },
    )
}

/// The login form: where to go after, the e-mail typed, and why it was refused.
#[derive(Serialize)]
struct LoginView<'a> {
    next: Option<&'a str>,
    email: &'a str,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: String,
}

pub async fn login(
    req: HttpRequest,
    SafeForm(form): SafeForm<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let st = &ctx.state;
    let keys = [
        throttle::Key::Email(form.email.clone()),
        throttle::Key::Client(client::address(&req, &st.settings.trusted_proxies)),
    ];
    let again = |status: StatusCode, key: &str, args: Vec<(&str, String)>| {
        ctx.render(
            status,
            "auth/login",
            &ctx.t("login.title"),
            LoginView {
                next: Some(&form.next),
                email: &form.email,
                error: Some(crate::i18n::t_args(ctx.lang, key, &args)),
            },
        )
    };
    let (email, password) = (form.email.clone(), form.password.clone());
    let hours = st.settings.session_hours;
    let now = st.now();
    let limits = st.throttle_limits();
    let found = st
        .pool
        .run(move |conn| {
            throttle::reserve(conn, &keys, limits, now)?;
            match users::authenticate(conn, &email, &password)? {
                Some(actor) => {
                    throttle::succeeded(conn, &keys)?;
                    Ok(Some((
                        auth::create_session(conn, &actor, hours, now)?,
                        actor,
                    )))
                }
                None => Ok(None),
            }
        })
        .await;
    let found = match found {
        Err(AppError::TooManyRequests { retry_after_secs }) => {
            let minutes = (retry_after_secs + 59) / 60;
            return again(
                StatusCode::TOO_MANY_REQUESTS,
                "login.throttled",
                vec![("minutes", minutes.to_string())],
            );
        }
        other => other?,
    };
    let Some((secret, actor)) = found else {
        tracing::info!("failed login");
        return again(StatusCode::UNAUTHORIZED, "login.failed", vec![]);
    };
    let cookie = Cookie::build(SESSION_COOKIE, secret)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(crate::web::secure_cookies(&req))
        .max_age(actix_web::cookie::time::Duration::hours(hours))
        .finish();
    let mut resp = see_other(safe_next(&form.next), None);
    resp.add_cookie(&cookie).map_err(AppError::internal)?;
    if let Some(lang) = actor.locale {
        resp.add_cookie(&Cookie::build(LANG_COOKIE, lang.code()).path("/").finish())
            .map_err(AppError::internal)?;
    }
    Ok(resp)
}

pub async fn logout(
    req: HttpRequest,
    SafeForm(_): SafeForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    if let Some(secret) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string()) {
        let now = ctx.state.now();
        ctx.state
            .pool
            .run(move |conn| auth::end_session(conn, &secret, now))
            .await?;
    }
    let mut gone = Cookie::build(SESSION_COOKIE, "").path("/").finish();
    gone.make_removal();
    let mut resp = see_other("/login", Some("flash.logged_out"));
    resp.add_cookie(&gone).map_err(AppError::internal)?;
    Ok(resp)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LangForm {
    lang: String,
    next: String,
}

/// Remembers the language in a cookie, and for a signed-in user in their account.
pub async fn set_lang(
    MaybeUser(user): MaybeUser,
    req: HttpRequest,
    SafeForm(form): SafeForm<LangForm>,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::parse(&form.lang).ok_or_else(|| {
        AppError::Validation(crate::error::FieldErrors::single(
            "lang",
            crate::error::Msg::new("error.choice"),
        ))
    })?;
    if let Some(actor) = user {
        let st = crate::web::extract::state(&req)?;
        st.pool
            .run(move |conn| users::set_locale(conn, &actor, lang))
            .await?;
    }
    let mut resp = see_other(safe_next(&form.next), None);
    let cookie = Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish();
    resp.add_cookie(&cookie).map_err(AppError::internal)?;
    Ok(resp)
}

/// The start page, logging in and out, and the language switch.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/login", web::get().to(login_form))
        .route("/login", web::post().to(login))
        .route("/logout", web::post().to(logout))
        .route("/lang", web::post().to(set_lang));
}
