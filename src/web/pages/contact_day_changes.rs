//! Changing a contact day from its page: move it, invite colleagues, sign up or leave.
//! Everyone concerned is told by e-mail (the domain writes the outbox).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::domain::contact_days::{self, ContactDayPatch};
use crate::error::AppError;
use crate::mail::contact_day::Outbox;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::contact_days::render_show;
use crate::web::pages::{filled, NoFields};
use crate::web::render::{see_other, PageCtx};

/// Moves or edits the day; a bad value re-shows the page with the form open.
pub async fn move_day(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(form): SafeForm<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now, rules) = (id.into_inner(), ctx.state.now(), ctx.state.rules());
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let patch = ContactDayPatch {
        date: Some(get("date")),
        starts_at: Some(get("starts_at")),
        ends_at: Some(get("ends_at")),
        place: Some(get("place")),
        // An emptied theme clears it.
        theme: Some(filled(&get("theme")).unwrap_or_default()),
    };
    let a = actor.clone();
    match ctx
        .state
        .pool
        .tx(move |conn| contact_days::update(conn, &a, id, patch, &Outbox, &rules, now))
        .await
    {
        Ok(_) => Ok(see_other(
            &format!("/contact-days/{id}"),
            Some("flash.day_moved"),
        )),
        Err(AppError::Validation(e)) => {
            render_show(
                &ctx,
                &actor,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some((&form, &e)),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// Invites the ticked colleagues (`u_<id>` fields).
pub async fn invite(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(form): SafeForm<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now, rules) = (id.into_inner(), ctx.state.now(), ctx.state.rules());
    let ids: Vec<i64> = form
        .keys()
        .filter_map(|k| k.strip_prefix("u_"))
        .filter_map(|v| v.parse().ok())
        .collect();
    let flash = match ctx
        .state
        .pool
        .tx(move |conn| contact_days::invite(conn, &actor, id, &ids, &Outbox, &rules, now))
        .await
    {
        Ok(_) => "flash.invited",
        Err(AppError::Validation(_)) => "flash.invite_none",
        Err(e) => return Err(e),
    };
    Ok(see_other(&format!("/contact-days/{id}"), Some(flash)))
}

type DayAction = fn(
    &mut crate::db::DbConn,
    &crate::domain::users::Actor,
    i64,
    &dyn crate::domain::notices::Notifier,
    &crate::domain::Rules,
    chrono::NaiveDateTime,
) -> Result<contact_days::ContactDay, AppError>;

/// Runs a one-button change (join, leave) and goes back to the day with a message.
async fn day_action(
    req: HttpRequest,
    actor: crate::domain::users::Actor,
    id: i64,
    action: DayAction,
    flash: &str,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (now, rules) = (ctx.state.now(), ctx.state.rules());
    ctx.state
        .pool
        .tx(move |conn| action(conn, &actor, id, &Outbox, &rules, now))
        .await?;
    Ok(see_other(&format!("/contact-days/{id}"), Some(flash)))
}

pub async fn join(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(_): SafeForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    day_action(
        req,
        actor,
        id.into_inner(),
        contact_days::join,
        "flash.day_joined",
    )
    .await
}

pub async fn leave(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(_): SafeForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    day_action(
        req,
        actor,
        id.into_inner(),
        contact_days::leave,
        "flash.day_left",
    )
    .await
}
