//! The forms on a partner's page: an agreement, the member-list import, a joint event;
//! and the event's page, where the employers met there are logged.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::employers::list::{list as employer_list, ListParams};
use crate::domain::partners::report::Quarter;
use crate::domain::partners::{agreements, events, members};
use crate::error::AppError;
use crate::i18n::format_date;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::field::Field;
use crate::web::pages::filled;
use crate::web::pages::partners::render_show;
use crate::web::pages::views::Named;
use crate::web::render::{see_other, submit, Messages, PageCtx};

/// The joint-event form as posted and as re-shown; attendees are ticked by name
/// (`a_<user id>`).
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct EventForm {
    title: String,
    held_on: String,
    place: String,
    notes: String,
    #[serde(flatten)]
    ticked: BTreeMap<String, String>,
}

/// The agreement form as posted and as re-shown.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AgreementForm {
    pub summary: String,
    pub starts_on: String,
    pub ends_on: String,
    /// One link a line.
    pub links: String,
}

/// What the forms on a partner's page show: blank and closed, or as a post left them
/// (the form with its messages and open); and the employer search.
/// The template reads the forms' fields and the search text whatever was posted.
#[derive(Default, Serialize)]
pub struct FormState {
    pub agreement_form: AgreementForm,
    pub agreement_errors: Option<Messages>,
    pub agreement_open: bool,
    pub event_form: EventForm,
    pub event_errors: Option<Messages>,
    pub event_open: bool,
    /// The employer search on the members card ("" for none) and what it found.
    pub q: String,
    pub found: Vec<Named>,
}

pub async fn add_agreement(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(form): SafeForm<AgreementForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now, a) = (id.into_inner(), ctx.state.now(), actor.clone());
    let input = agreements::AgreementInput {
        summary: filled(&form.summary),
        starts_on: filled(&form.starts_on),
        ends_on: filled(&form.ends_on),
        links: form
            .links
            .lines()
            .map(str::to_string)
            .filter(|l| !l.trim().is_empty())
            .collect(),
    };
    let result = ctx
        .state
        .pool
        .tx(move |conn| agreements::create(conn, &a, id, input, now))
        .await;
    submit(
        result,
        |_| {
            see_other(
                &format!("/partners/{id}#agreements"),
                Some("flash.agreement_saved"),
            )
        },
        |e| {
            let q = Quarter::of(ctx.state.today());
            let forms = FormState {
                agreement_form: form,
                agreement_errors: Some(ctx.errors(Some(&e))),
                agreement_open: true,
                ..Default::default()
            };
            render_show(&ctx, &actor, id, q, StatusCode::UNPROCESSABLE_ENTITY, forms)
        },
    )
    .await
}

pub async fn add_event(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(form): SafeForm<EventForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now, rules, a) = (
        id.into_inner(),
        ctx.state.now(),
        ctx.state.rules(),
        actor.clone(),
    );
    let input = events::EventInput {
        title: filled(&form.title),
        held_on: filled(&form.held_on),
        place: filled(&form.place),
        notes: filled(&form.notes),
        attendee_ids: form
            .ticked
            .keys()
            .filter_map(|k| k.strip_prefix("a_"))
            .filter_map(|v| v.parse().ok())
            .collect(),
        imported_event_id: None,
    };
    let result = ctx
        .state
        .pool
        .tx(move |conn| events::create(conn, &a, id, input, &rules, now))
        .await;
    submit(
        result,
        |e| {
            see_other(
                &format!("/partners/{id}/events/{}", e.row.id),
                Some("flash.event_saved"),
            )
        },
        |e| {
            let q = Quarter::of(ctx.state.today());
            let forms = FormState {
                event_form: form,
                event_errors: Some(ctx.errors(Some(&e))),
                event_open: true,
                ..Default::default()
            };
            render_show(&ctx, &actor, id, q, StatusCode::UNPROCESSABLE_ENTITY, forms)
        },
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EventQuery {
    q: Option<String>,
}

/// The event: who went, the employers met (search and log one with a button), leads.
pub async fn event(
    req: HttpRequest,
    PageUser(actor): PageUser,
    path: web::Path<(i64, i64)>,
    q: web::Query<EventQuery>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let ((id, eid), a) = (path.into_inner(), actor.clone());
    let search = q.into_inner().q.filter(|s| !s.trim().is_empty());
    let s2 = search.clone();
    let (partner, ev, found) = ctx
        .state
        .pool
        .run(move |conn| {
            let partner = crate::domain::partners::row(conn, &a, id)?;
            let ev = events::get(conn, &a, id, eid)?;
            let found = match s2 {
                None => Vec::new(),
                Some(q) => {
                    let params = ListParams {
                        q: Some(q),
                        limit: Some("10".into()),
                        ..Default::default()
                    }
                    .parse(10)?;
                    employer_list(conn, &a, &params)?.items
                }
            };
            Ok((partner, ev, found))
        })
        .await?;
    let met: Vec<i64> = ev.employers_met.iter().map(|m| m.employer_id).collect();
    let row = &ev.row;
    let view = EventView {
        nav_partners: true,
        can_write: actor.can_write(),
        partner: Named::new(partner.id, &partner.name),
        ev: EventDetail {
            id: row.id,
            title: row.title.clone(),
            date: format_date(ctx.lang, row.held_on),
            place: row.place.clone(),
            notes: row.notes.clone(),
            future: row.held_on > ctx.state.today(),
        },
        attendees: ev.attendees.iter().map(|(_, n)| n.clone()).collect(),
        met: ev
            .employers_met
            .iter()
            .map(|m| Named::new(m.employer_id, &m.employer_name))
            .collect(),
        met_count: ev.employers_met.len(),
        leads: ev
            .leads
            .iter()
            .map(|(id, title)| LeadLink {
                id: *id,
                title: title.clone(),
            })
            .collect(),
        q: search,
        found: found
            .iter()
            .map(|e| Found {
                id: e.id,
                name: e.name.clone(),
                already: met.contains(&e.id),
            })
            .collect(),
    };
    ctx.ok("partners/event", &ev.row.title, view)
}

#[derive(Serialize)]
struct EventView {
    nav_partners: bool,
    can_write: bool,
    partner: Named,
    ev: EventDetail,
    /// Our people who went, by name.
    attendees: Vec<String>,
    /// The employers met there.
    met: Vec<Named>,
    met_count: usize,
    /// Leads found there.
    leads: Vec<LeadLink>,
    /// The employer search and what it found.
    q: Option<String>,
    found: Vec<Found>,
}

#[derive(Serialize)]
struct EventDetail {
    id: i64,
    title: String,
    date: String,
    place: Option<String>,
    notes: Option<String>,
    /// Not held yet: no employers to log.
    future: bool,
}

#[derive(Serialize)]
struct LeadLink {
    id: i64,
    title: String,
}

/// An employer found by the search, and whether it is logged as met already.
#[derive(Serialize)]
struct Found {
    id: i64,
    name: String,
    already: bool,
}

pub async fn met(
    req: HttpRequest,
    PageUser(actor): PageUser,
    path: web::Path<(i64, i64)>,
    SafeForm(form): SafeForm<EmployerPick>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let ((id, eid), now, rules) = (path.into_inner(), ctx.state.now(), ctx.state.rules());
    let input = events::MetInput {
        employer_id: form.employer_id.value(),
        learned: filled(&form.learned),
        ..Default::default()
    };
    let flash = match ctx
        .state
        .pool
        .tx(move |conn| events::met(conn, &actor, id, eid, input, &rules, now))
        .await
    {
        Ok(_) => "flash.met_saved",
        Err(AppError::Validation(_)) => "flash.met_failed",
        Err(e) => return Err(e),
    };
    Ok(see_other(
        &format!("/partners/{id}/events/{eid}"),
        Some(flash),
    ))
}

/// An employer picked from a search on the partner's or the event's page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EmployerPick {
    employer_id: Field<i64>,
    learned: String,
}

/// Adds a found employer as a member, or marks it referred by the partner.
async fn employer_action(
    req: HttpRequest,
    actor: crate::domain::users::Actor,
    id: i64,
    form: EmployerPick,
    referral: bool,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let now = ctx.state.now();
    let Some(employer) = form.employer_id.value() else {
        return Ok(see_other(
            &format!("/partners/{id}#members"),
            Some("flash.met_failed"),
        ));
    };
    let result = ctx
        .state
        .pool
        .tx(move |conn| {
            if referral {
                members::refer(conn, &actor, id, employer, now)
            } else {
                members::add(conn, &actor, id, employer, now).map(|_| ())
            }
        })
        .await;
    let flash = match result {
        Ok(()) if referral => "flash.referral_saved",
        Ok(()) => "flash.member_added",
        Err(AppError::Conflict(_)) => "flash.partner_attributed",
        Err(AppError::Validation(_)) => "flash.met_failed",
        Err(e) => return Err(e),
    };
    Ok(see_other(&format!("/partners/{id}#members"), Some(flash)))
}

pub async fn add_member(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(form): SafeForm<EmployerPick>,
) -> Result<HttpResponse, AppError> {
    employer_action(req, actor, id.into_inner(), form, false).await
}

pub async fn refer(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(form): SafeForm<EmployerPick>,
) -> Result<HttpResponse, AppError> {
    employer_action(req, actor, id.into_inner(), form, true).await
}
