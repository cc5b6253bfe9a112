//! Changing a contact day from its page: move it, invite colleagues, sign up or leave.
//! Everyone concerned is told by e-mail (the domain writes the outbox).

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};

use crate::domain::contact_days::{self, ContactDayPatch};
use crate::domain::versioning::Expected;
use crate::error::AppError;
use crate::mail::contact_day::Outbox;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::contact_days::{render_show, MoveForm};
use crate::web::pages::{filled, NoFields};
use crate::web::render::{see_other, submit, PageCtx};

/// Moves or edits the day; a bad value re-shows the page with the form open.
pub async fn move_day(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(mut form): SafeForm<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let Expected(version) = Expected::from_form(&form.version)?;
    let (id, now, rules) = (id.into_inner(), ctx.state.now(), ctx.state.rules());
    let patch = ContactDayPatch {
        date: Some(form.date.clone()),
        starts_at: Some(form.starts_at.clone()),
        ends_at: Some(form.ends_at.clone()),
        place: Some(form.place.clone()),
        // An emptied theme clears it.
        theme: Some(filled(&form.theme).unwrap_or_default()),
        version,
    };
    let a = actor.clone();
    let result = ctx
        .state
        .pool
        .tx(move |conn| contact_days::update(conn, &a, id, patch, &Outbox, &rules, now))
        .await;
    crate::web::render::take_stored_version(&result, &mut form.version);
    submit(
        result,
        |_| see_other(&format!("/contact-days/{id}"), Some("flash.day_moved")),
        |e| render_show(&ctx, &actor, id, Some((&form, e))),
    )
    .await
}

/// Colleagues ticked on the day's page (`u_<user id>`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct InviteForm {
    #[serde(flatten)]
    ticked: BTreeMap<String, String>,
}

/// Invites the ticked colleagues (`u_<id>` fields).
pub async fn invite(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(form): SafeForm<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now, rules) = (id.into_inner(), ctx.state.now(), ctx.state.rules());
    let ids: Vec<i64> = form
        .ticked
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
