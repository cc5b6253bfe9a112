//! Working a contact day from the phone: a call without an answer in one tap, employers
//! added to a list during the day, and the tally as JSON that the page's script polls
//! so everyone on the day sees the numbers move without reloading.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::closed_set::Choice;
use crate::domain::contact_days::{self, Tally};
use crate::domain::outreach::{service, CallResult, Channel, OutreachInput};
use crate::error::AppError;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::field::Field;
use crate::web::render::{see_other, PageCtx};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EmployerForm {
    employer_id: Field<i64>,
    user_id: Field<i64>,
}

/// "No answer" on a call-list row: logged as a call on the day, nothing else to type.
pub async fn no_answer(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(form): SafeForm<EmployerForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now, rules) = (id.into_inner(), ctx.state.now(), ctx.state.rules());
    let Some(employer_id) = form.employer_id.value() else {
        return Ok(see_other(
            &format!("/contact-days/{id}"),
            Some("flash.target_failed"),
        ));
    };
    let input = OutreachInput {
        employer_id: Some(employer_id),
        channel: Some(Choice::Known(Channel::Phone)),
        result: Some(Choice::Known(CallResult::NoAnswer)),
        contact_day_id: Some(id),
        // The lists already left out employers colleagues contacted lately.
        acknowledge_collisions: Some(true),
        ..Default::default()
    };
    let result = ctx
        .state
        .pool
        .tx(move |conn| service::create(conn, &actor, input, now, &rules))
        .await;
    // Say why when the caller is not on the day.
    let refused = match &result {
        Err(AppError::Validation(e)) if e.0.contains_key("contact_day_id") => "flash.not_on_day",
        _ => "flash.outreach_failed",
    };
    back_to_row(id, employer_id, result, "flash.no_answer_logged", refused)
}

/// Back to the employer's row on the day's list, saying whether it worked; a refusal
/// (bad value, a stop) is a message there, anything else an error page.
fn back_to_row<T>(
    day: i64,
    employer_id: i64,
    result: Result<T, AppError>,
    done: &'static str,
    refused: &'static str,
) -> Result<HttpResponse, AppError> {
    let flash = match result {
        Ok(_) => done,
        Err(AppError::Validation(_) | AppError::Conflict(_)) => refused,
        Err(e) => return Err(e),
    };
    Ok(see_other(
        &format!("/contact-days/{day}#e-{employer_id}"),
        Some(flash),
    ))
}

/// The host adds an employer to a participant's list (or moves it there).
pub async fn add_target(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(form): SafeForm<EmployerForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let id = id.into_inner();
    let (Some(employer_id), Some(user_id)) = (form.employer_id.value(), form.user_id.value())
    else {
        return Ok(see_other(
            &format!("/contact-days/{id}"),
            Some("flash.target_failed"),
        ));
    };
    let result = ctx
        .state
        .pool
        .tx(move |conn| contact_days::assign(conn, &actor, id, employer_id, user_id))
        .await;
    back_to_row(
        id,
        employer_id,
        result,
        "flash.target_added",
        "flash.target_failed",
    )
}

/// The live state of a day: totals, each list's tally, and the employers done.
#[derive(Serialize)]
pub struct Live {
    pub total: Tally,
    pub lists: Vec<LiveList>,
    pub done: Vec<LiveDone>,
}

#[derive(Serialize)]
pub struct LiveList {
    pub user_id: i64,
    #[serde(flatten)]
    pub tally: Tally,
}

#[derive(Serialize)]
pub struct LiveDone {
    pub employer_id: i64,
    /// No answer: the row stays open to try again.
    pub unanswered: bool,
    /// The result in the reader's language, as the row shows it.
    pub label: String,
}

pub async fn live(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let id = id.into_inner();
    let (day, done) = ctx
        .state
        .pool
        .run(move |conn| {
            Ok((
                contact_days::get(conn, &actor, id)?,
                contact_days::done_on_day(conn, &actor, id)?,
            ))
        })
        .await?;
    let body = Live {
        total: day.total.clone(),
        lists: day
            .tally
            .iter()
            .map(|(u, t)| LiveList {
                user_id: *u,
                tally: t.clone(),
            })
            .collect(),
        done: done
            .iter()
            .map(|r| LiveDone {
                employer_id: r.employer_id,
                unanswered: r.result == Some(CallResult::NoAnswer),
                label: result_label(&ctx, r.result),
            })
            .collect(),
    };
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(body))
}

/// What a logged contact came to, for the row's badge ("reached" when nobody said).
pub fn result_label(ctx: &PageCtx, r: Option<CallResult>) -> String {
    ctx.t(r.unwrap_or(CallResult::Reached).label_key())
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/contact-days/{id}/no-answer", web::post().to(no_answer))
        .route("/contact-days/{id}/targets", web::post().to(add_target))
        .route("/contact-days/{id}/live", web::get().to(live));
}
