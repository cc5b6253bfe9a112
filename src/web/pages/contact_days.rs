//! Contact day pages: plan a day, build and work through the call lists, see the tally.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Duration;
use serde_json::{json, Value};

use crate::domain::contact_days::{self, ContactDayInput};
use crate::domain::employers::list::{list as employer_list, ListParams};
use crate::domain::users::{list_org_users, Actor, Role};
use crate::error::{AppError, FieldErrors};
use crate::i18n::format_date;
use crate::mail::contact_day::Outbox;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::{views, NoFields};
use crate::web::render::{options, see_other, PageCtx};

pub async fn list(req: HttpRequest, PageUser(actor): PageUser) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let today = ctx.state.today();
    let a = actor.clone();
    let days = ctx
        .state
        .pool
        .run(move |conn| {
            contact_days::list(
                conn,
                &a,
                today - Duration::days(60),
                today + Duration::days(365),
            )
        })
        .await?;
    let rows: Vec<Value> = days
        .iter()
        .map(|d| json!({"id": d.id, "date": format_date(ctx.lang, d.day), "time": format!("{}–{}", d.starts_at, d.ends_at), "place": d.place, "theme": d.theme, "cancelled": d.status == crate::domain::contact_days::DayStatus::Cancelled, "past": d.day < today}))
        .collect();
    ctx.ok(
        "contact_days/list",
        &ctx.t("days.title"),
        json!({"nav_days": true, "rows": rows, "can_write": actor.can_write()}),
    )
}

async fn render_form(
    ctx: &PageCtx,
    actor: &Actor,
    status: StatusCode,
    form: &HashMap<String, String>,
    errors: Option<&FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let (org, a) = (actor.org_id, actor.clone());
    let (users, partner_rows) = ctx
        .state
        .pool
        .run(move |conn| {
            Ok((
                list_org_users(conn, org)?,
                crate::domain::partners::list(conn, &a, None)?,
            ))
        })
        .await?;
    // A new form may arrive with only the partner chosen (from the partner's page).
    let fresh = form.keys().all(|k| k == "partner_id");
    let people: Vec<Value> = users
        .iter()
        .map(|u| json!({"id": u.id, "name": u.display_name, "checked": form.get(&format!("p_{}", u.id)).is_some() || (fresh && u.id == actor.user_id)}))
        .collect();
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    ctx.render(
        status,
        "contact_days/form",
        &ctx.t("days.new"),
        json!({
            "nav_days": true, "people": people,
            "form": {"date": get("date"), "starts_at": if fresh { "09:00".into() } else { get("starts_at") }, "ends_at": if fresh { "14:00".into() } else { get("ends_at") }, "place": get("place"), "theme": get("theme"), "tag": get("tag"), "repeat_count": if fresh { "6".into() } else { get("repeat_count") }},
            "partners": options(partner_rows.iter().map(|p| (p.id.to_string(), p.name.clone())), form.get("partner_id").map(String::as_str)),
            "repeats": crate::web::render::options(["none", "weekly", "biweekly", "monthly"].iter().map(|k| (k.to_string(), ctx.t(&format!("days.repeat_kind.{k}")))), form.get("repeat").map(String::as_str)),
            "errors": errors.map(|e| ctx.errors(e)).unwrap_or(json!({})), "has_errors": errors.is_some(),
            "industries": views::industry_options(ctx, form.get("industry").map(String::as_str)),
            "municipalities": views::municipality_options(ctx, form.get("municipality").map(String::as_str)),
            "stages": views::stage_options(ctx, form.get("stage").map(String::as_str)),
        }),
    )
}

pub async fn new_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    actor.require_write()?;
    let ctx = PageCtx::from_req(&req)?;
    let form: HashMap<String, String> = q
        .into_inner()
        .into_iter()
        .filter(|(k, v)| k == "partner_id" && !v.is_empty())
        .collect();
    render_form(&ctx, &actor, StatusCode::OK, &form, None).await
}

/// Participants are ticked by name; target employers are chosen by a filter (the day's
/// theme: an industry, an area, a stage or a tag), up to 100.
pub async fn create(
    req: HttpRequest,
    PageUser(actor): PageUser,
    SafeForm(form): SafeForm<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let pick = |k: &str| form.get(k).filter(|v| !v.trim().is_empty()).cloned();
    let participant_ids: Vec<i64> = form
        .keys()
        .filter_map(|k| k.strip_prefix("p_"))
        .filter_map(|v| v.parse().ok())
        .collect();
    let filter = ListParams {
        industry: pick("industry"),
        municipality: pick("municipality"),
        stage: pick("stage"),
        tag: pick("tag"),
        limit: Some("100".into()),
        ..Default::default()
    };
    let only_members = pick("partner_id").is_some()
        && ["industry", "municipality", "stage", "tag"]
            .iter()
            .all(|k| pick(k).is_none());
    let input = ContactDayInput {
        date: pick("date"),
        starts_at: pick("starts_at"),
        ends_at: pick("ends_at"),
        place: pick("place"),
        theme: pick("theme"),
        participant_ids,
        target_employer_ids: Vec::new(),
        rrule: repeat_rule(&form),
        partner_id: pick("partner_id").and_then(|p| p.parse().ok()),
    };
    let (a, now, rules) = (actor.clone(), ctx.state.now(), ctx.state.rules());
    let result = ctx
        .state
        .pool
        .tx(move |conn| {
            // With a partner's member list and no filter, the members are the targets.
            let targets = if only_members {
                Vec::new()
            } else {
                let q = filter.parse(100)?;
                employer_list(conn, &a, &q)?
                    .items
                    .iter()
                    .map(|e| e.id)
                    .collect()
            };
            contact_days::create(
                conn,
                &a,
                ContactDayInput {
                    target_employer_ids: targets,
                    ..input
                },
                &Outbox,
                &rules,
                now,
            )
        })
        .await;
    match result {
        Ok(d) => Ok(see_other(
            &format!("/contact-days/{}", d.row.id),
            Some("flash.day_saved"),
        )),
        Err(AppError::Validation(e)) => {
            render_form(
                &ctx,
                &actor,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form,
                Some(&e),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// The page's "repeat" choice as an RRULE (the domain checks it).
fn repeat_rule(form: &HashMap<String, String>) -> Option<String> {
    let kind = form.get("repeat").map(String::as_str).unwrap_or("");
    if kind.is_empty() || kind == "none" {
        return None;
    }
    let date = form
        .get("date")
        .and_then(|d| crate::domain::outreach::parse_date(d))?;
    let count: u32 = form
        .get("repeat_count")
        .and_then(|c| c.trim().parse().ok())
        .unwrap_or(0);
    if count == 0 {
        // Let the domain say what is wrong with the count.
        return Some(format!(
            "FREQ=WEEKLY;COUNT={}",
            form.get("repeat_count").map(String::as_str).unwrap_or("")
        ));
    }
    crate::domain::recurrence::Recurrence::simple(kind, date, count).map(|r| r.to_rrule())
}

pub async fn show(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    render_show(&ctx, &actor, id.into_inner(), StatusCode::OK, None).await
}

/// The day's page; `moving` re-shows the move form with what was typed and why it failed.
pub async fn render_show(
    ctx: &PageCtx,
    actor: &Actor,
    id: i64,
    status: StatusCode,
    moving: Option<(&HashMap<String, String>, &FieldErrors)>,
) -> Result<HttpResponse, AppError> {
    let (a, org) = (actor.clone(), actor.org_id);
    let (d, summary, users) = ctx
        .state
        .pool
        .run(move |conn| {
            Ok((
                contact_days::get(conn, &a, id)?,
                contact_days::summary(conn, &a, id)?,
                list_org_users(conn, org)?,
            ))
        })
        .await?;
    let held = d.row.day <= ctx.state.today()
        && d.row.status != crate::domain::contact_days::DayStatus::Cancelled;
    let name_of = |u: i64| {
        d.participants
            .iter()
            .find(|p| p.user_id == u)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let lists: Vec<Value> = d
        .participants
        .iter()
        .map(|p| {
            let t = d.tally.get(&p.user_id).cloned().unwrap_or_default();
            json!({
                "user_id": p.user_id, "name": p.name, "mine": p.user_id == actor.user_id,
                "contacts": t.contacts, "meetings": t.meetings_booked, "leads": t.leads_found,
                "employers": d.targets.iter().filter(|x| x.assignee_id == Some(p.user_id)).map(|x| json!({"id": x.employer_id, "name": x.name, "stage": ctx.t(x.stage.label_key())})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let excluded: Vec<Value> = d
        .targets
        .iter()
        .filter_map(|x| {
            x.excluded_reason.as_ref().map(
                |r| json!({"id": x.employer_id, "name": x.name, "reason": ctx.t(r.label_key())}),
            )
        })
        .collect();
    let unassigned = d
        .targets
        .iter()
        .filter(|x| x.assignee_id.is_none() && x.excluded_reason.is_none())
        .count();
    let can_manage = actor.can_write()
        && (d.row.host_id == actor.user_id || matches!(actor.role, Role::TeamLead | Role::Admin));
    let joined = d.participants.iter().any(|p| p.user_id == actor.user_id);
    let invitable: Vec<Value> = users
        .iter()
        .filter(|u| !d.participants.iter().any(|p| p.user_id == u.id))
        .map(|u| json!({"id": u.id, "name": u.display_name}))
        .collect();
    let typed = |k: &str, current: String| match moving {
        Some((f, _)) => f.get(k).cloned().unwrap_or_default(),
        None => current,
    };
    let move_form = json!({
        "date": typed("date", d.row.day.to_string()),
        "starts_at": typed("starts_at", d.row.starts_at.clone()),
        "ends_at": typed("ends_at", d.row.ends_at.clone()),
        "place": typed("place", d.row.place.clone()),
        "theme": typed("theme", d.row.theme.clone().unwrap_or_default()),
    });
    ctx.render(
        status,
        "contact_days/show",
        &ctx.t("days.title_one"),
        json!({
            "joined": joined, "invitable": invitable, "move": move_form,
            "move_errors": moving.map(|(_, e)| ctx.errors(e)), "moving": moving.is_some(),
            "nav_days": true,
            "day": {"id": d.row.id, "date": format_date(ctx.lang, d.row.day), "time": format!("{}–{}", d.row.starts_at, d.row.ends_at), "place": d.row.place, "theme": d.row.theme, "cancelled": d.row.status == crate::domain::contact_days::DayStatus::Cancelled, "host": name_of(d.row.host_id)},
            "lists": lists, "excluded": excluded, "unassigned": unassigned, "targets": d.targets.len(),
            "total": {"contacts": d.total.contacts, "meetings": d.total.meetings_booked, "leads": d.total.leads_found},
            "can_write": actor.can_write(), "can_manage": can_manage,
            "held": held,
            "summary": {
                "leads": summary.leads.iter().map(|(lid, title, employer)| json!({"id": lid, "title": title, "employer": employer})).collect::<Vec<_>>(),
                "follow_ups": summary.follow_ups.iter().map(|(title, due, employer)| json!({"title": title, "due": format_date(ctx.lang, *due), "employer": employer})).collect::<Vec<_>>(),
                "not_reached": summary.not_reached.iter().map(|(eid, name)| json!({"id": eid, "name": name})).collect::<Vec<_>>(),
                "earlier": summary.earlier.iter().map(|e| json!({"id": e.contact_day_id, "date": format_date(ctx.lang, e.day), "contacts": e.contacts})).collect::<Vec<_>>(),
            },
        }),
    )
}

pub async fn build(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(_): SafeForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, rules) = (id.into_inner(), ctx.state.rules());
    match ctx
        .state
        .pool
        .tx(move |conn| contact_days::build_call_lists(conn, &actor, id, &rules))
        .await
    {
        Ok(_) => Ok(see_other(
            &format!("/contact-days/{id}"),
            Some("flash.lists_built"),
        )),
        Err(AppError::Validation(_) | AppError::Conflict(_)) => Ok(see_other(
            &format!("/contact-days/{id}"),
            Some("flash.lists_failed"),
        )),
        Err(e) => Err(e),
    }
}

pub async fn cancel(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(_): SafeForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now, rules) = (id.into_inner(), ctx.state.now(), ctx.state.rules());
    ctx.state
        .pool
        .tx(move |conn| contact_days::cancel(conn, &actor, id, &Outbox, &rules, now))
        .await?;
    Ok(see_other(
        &format!("/contact-days/{id}"),
        Some("flash.day_cancelled"),
    ))
}

/// Contact days: list, planning form, the day, its lists and changes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use crate::web::pages::contact_day_changes as changes;
    cfg.route("/contact-days", web::get().to(list))
        .route("/contact-days", web::post().to(create))
        .route("/contact-days/new", web::get().to(new_form))
        // Before the day's page, which would take "12.ics" as its id.
        .route(
            "/contact-days/{id}.ics",
            web::get().to(crate::web::calendar::contact_day),
        )
        .route("/contact-days/{id}", web::get().to(show))
        .route("/contact-days/{id}/call-lists", web::post().to(build))
        .route("/contact-days/{id}/cancel", web::post().to(cancel))
        .route("/contact-days/{id}/move", web::post().to(changes::move_day))
        .route(
            "/contact-days/{id}/participants",
            web::post().to(changes::invite),
        )
        .route("/contact-days/{id}/join", web::post().to(changes::join))
        .route("/contact-days/{id}/leave", web::post().to(changes::leave));
}
