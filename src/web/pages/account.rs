//! The account page: password, personal API tokens, calendar feed and e-mail switches.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::users::{self, Actor};
use crate::domain::{auth, throttle};
use crate::error::{AppError, FieldErrors, Msg};
use crate::web::client;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::NoFields;
use crate::web::render::{see_other, submit, Messages, PageCtx};

async fn render(
    ctx: &PageCtx,
    actor: &Actor,
    password_errors: Option<FieldErrors>,
    new_token: Option<String>,
) -> Result<HttpResponse, AppError> {
    let a = actor.clone();
    let now = ctx.state.now();
    let (tokens, secret, mail) = ctx
        .state
        .pool
        .tx(move |conn| {
            Ok((
                auth::list_tokens(conn, &a)?,
                crate::domain::calendar::feed_secret(conn, &a, now)?,
                crate::mail::outbox::preferences(conn, &a)?,
            ))
        })
        .await?;
    let mail = mail
        .iter()
        .map(|p| MailSwitch {
            kind: p.kind.as_str(),
            label: ctx.t(p.kind.label_key()),
            enabled: p.enabled,
        })
        .collect();
    let tokens = tokens
        .iter()
        .map(|t| TokenLine {
            id: t.id,
            name: t.name.clone(),
            prefix: t.token_prefix.clone(),
            created: ctx.datetime(t.created_at),
            last_used: t.last_used_at.map(|x| ctx.datetime(x)),
            revoked: t.revoked_at.map(|x| ctx.datetime(x)),
        })
        .collect();
    let view = AccountView {
        nav_account: true,
        email: &actor.email,
        tokens,
        new_token,
        mail,
        feed_url: format!("{}/calendar/{secret}.ics", ctx.origin()),
        password_errors: ctx.errors(password_errors.as_ref()),
    };
    ctx.ok("account/show", &ctx.t("account.title"), view)
}

#[derive(Serialize)]
struct AccountView<'a> {
    nav_account: bool,
    email: &'a str,
    tokens: Vec<TokenLine>,
    /// Shown once, right after it was made.
    new_token: Option<String>,
    mail: Vec<MailSwitch>,
    feed_url: String,
    password_errors: Messages,
}

#[derive(Serialize)]
struct TokenLine {
    id: i64,
    name: String,
    prefix: String,
    created: String,
    last_used: Option<String>,
    revoked: Option<String>,
}

#[derive(Serialize)]
struct MailSwitch {
    kind: &'static str,
    label: String,
    enabled: bool,
}

pub async fn show(req: HttpRequest, PageUser(actor): PageUser) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    render(&ctx, &actor, None, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    repeat_password: String,
}

pub async fn change_password(
    req: HttpRequest,
    PageUser(actor): PageUser,
    SafeForm(f): SafeForm<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let a = actor.clone();
    let session = req
        .cookie(crate::web::extract::SESSION_COOKIE)
        .map(|c| c.value().to_string());
    let now = ctx.state.now();
    // A wrong current password counts as a failed login for this account (the same
    // count the login form keeps), reserved before the check and kept even though the
    // change itself is rolled back.
    let keys = [
        throttle::Key::Email(actor.email.clone()),
        throttle::Key::Client(client::address(&req, &ctx.state.settings.trusted_proxies)),
    ];
    let limits = ctx.state.throttle_limits();
    let reserve_keys = keys.clone();
    let reserved = ctx
        .state
        .pool
        .run(move |conn| throttle::reserve(conn, &reserve_keys, limits, now))
        .await;
    if let Err(AppError::TooManyRequests { retry_after_secs }) = reserved {
        let msg = Msg::new("login.throttled").arg("minutes", (retry_after_secs + 59) / 60);
        let errors = FieldErrors::single("current_password", msg);
        let mut page = render(&ctx, &actor, Some(errors), None).await?;
        *page.status_mut() = actix_web::http::StatusCode::TOO_MANY_REQUESTS;
        return Ok(page);
    }
    reserved?;
    let success_keys = keys.clone();
    let result = ctx
        .state
        .pool
        .tx(move |conn| {
            users::change_password(
                conn,
                &a,
                &f.current_password,
                &f.new_password,
                &f.repeat_password,
                session.as_deref(),
                now,
            )?;
            throttle::succeeded(conn, &success_keys)
        })
        .await;
    // The current password was right (only the new one was refused): that try was no
    // guess, so it does not count.
    if let Err(AppError::Validation(e)) = &result {
        if !e.0.contains_key("current_password") {
            ctx.state
                .pool
                .run(move |conn| throttle::succeeded(conn, &keys))
                .await?;
        }
    }
    submit(
        result,
        |()| see_other("/account", Some("flash.password_changed")),
        |e| render(&ctx, &actor, Some(e), None),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    name: String,
}

/// Shows the new token once, on the page that answers the post.
pub async fn create_token(
    req: HttpRequest,
    PageUser(actor): PageUser,
    SafeForm(f): SafeForm<TokenForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let a = actor.clone();
    let now = ctx.state.now();
    let (_, secret) = ctx
        .state
        .pool
        .run(move |conn| auth::create_token(conn, &a, &f.name, now))
        .await?;
    render(&ctx, &actor, None, Some(secret)).await
}

pub async fn revoke_token(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(_): SafeForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let now = ctx.state.now();
    let id = id.into_inner();
    ctx.state
        .pool
        .run(move |conn| auth::revoke_token(conn, &actor, id, now))
        .await?;
    Ok(see_other("/account", Some("flash.token_revoked")))
}

/// A new calendar address; the old one stops working.
pub async fn rotate_calendar(
    req: HttpRequest,
    PageUser(actor): PageUser,
    SafeForm(_): SafeForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let now = ctx.state.now();
    ctx.state
        .pool
        .tx(move |conn| crate::domain::calendar::rotate_secret(conn, &actor, now))
        .await?;
    Ok(see_other(
        "/account#calendar",
        Some("flash.calendar_rotated"),
    ))
}

/// The e-mail switches as ticked boxes (`m_<kind>`).
#[derive(Deserialize, Default)]
pub struct MailForm {
    #[serde(flatten)]
    ticked: std::collections::BTreeMap<String, String>,
}

/// The e-mail switches: a ticked box is on, an unticked one off.
pub async fn save_mail(
    req: HttpRequest,
    PageUser(actor): PageUser,
    SafeForm(form): SafeForm<MailForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let changes: Vec<(String, bool)> = crate::mail::outbox::Kind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_string(),
                form.ticked.contains_key(&format!("m_{}", k.as_str())),
            )
        })
        .collect();
    ctx.state
        .pool
        .tx(move |conn| crate::mail::outbox::set_preferences(conn, &actor, &changes))
        .await?;
    Ok(see_other("/account#mail", Some("flash.mail_saved")))
}

/// The user's own account: password, tokens, calendar link, mail.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/account", web::get().to(show))
        .route("/account/password", web::post().to(change_password))
        .route("/account/tokens", web::post().to(create_token))
        .route("/account/calendar", web::post().to(rotate_calendar))
        .route("/account/mail", web::post().to(save_mail))
        .route("/account/tokens/{id}/revoke", web::post().to(revoke_token));
}
