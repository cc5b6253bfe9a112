//! The weekly plan page, adding and moving planned contacts, and the team's week.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::domain::closed_set::Choice;
use crate::domain::employers::service as employers;
use crate::domain::outreach::guard::Collision;
use crate::domain::outreach::{Channel, Purpose};
use crate::domain::plan::PlanStatus;
use crate::domain::plan::{self, PlanInput, PlanItem};
use crate::domain::users::{list_org_users, Actor};
use crate::domain::week::Week;
use crate::error::{AppError, FieldErrors};
use crate::i18n::format_date;
use crate::web::api::plan::{parse_week, WeekQuery};
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::field::Field;
use crate::web::pages::outreach::pick_employer;
use crate::web::pages::{filled, views, NoFields};
use crate::web::render::{see_other, submit, PageCtx};

fn item_view(ctx: &PageCtx, i: &PlanItem) -> Value {
    json!({
        "id": i.row.id,
        "employer_id": i.row.employer_id,
        "employer_name": i.employer_name,
        "time": i.row.planned_time,
        "date": i.row.planned_on.to_string(),
        "channel": ctx.t(i.row.channel.label_key()),
        "purpose": ctx.t(i.row.purpose.label_key()),
        "note": i.row.note,
        "status": i.row.status,
        "planned": i.row.status == PlanStatus::Planned,
        "done": i.row.status == PlanStatus::Done,
        "cancelled": i.row.status == PlanStatus::Cancelled,
    })
}

fn follow_up_view(ctx: &PageCtx, f: &crate::domain::follow_ups::FollowUp) -> Value {
    json!({
        "id": f.row.id,
        "title": f.row.title,
        "employer_id": f.row.employer_id,
        "employer_name": f.employer_name,
        "due": format_date(ctx.lang, f.row.due_on),
        "overdue": f.overdue,
    })
}

fn week_nav(ctx: &PageCtx, week: Week, base: &str) -> Value {
    let days = week.days();
    json!({
        "label": week.label(),
        "range": format!("{} – {}", format_date(ctx.lang, days[0]), format_date(ctx.lang, days[6])),
        "number": week.week,
        "prev": format!("{base}?week={}", week.prev().label()),
        "next": format!("{base}?week={}", week.next().label()),
        "this": base,
    })
}

pub async fn week(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<WeekQuery>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let week = parse_week(q.week.as_deref(), ctx.state.today())?;
    let user = q
        .user
        .as_deref()
        .and_then(|u| u.parse::<i64>().ok())
        .unwrap_or(actor.user_id);
    let (a, now, rules, today) = (
        actor.clone(),
        ctx.state.now(),
        ctx.state.rules(),
        ctx.state.today(),
    );
    let p = ctx
        .state
        .pool
        .tx(move |conn| plan::week(conn, &a, user, week, now, &rules))
        .await?;
    let days: Vec<Value> = p
        .days
        .iter()
        .map(|d| {
            json!({
                "date": d.date.to_string(),
                "label": format!("{} {}", ctx.t(&format!("weekday.{}", d.weekday)), format_date(ctx.lang, d.date)),
                "today": d.date == today,
                "past": d.date < today,
                "weekend": d.date.weekday().number_from_monday() > 5,
                "items": d.planned.iter().map(|i| item_view(&ctx, i)).collect::<Vec<_>>(),
                "follow_ups": d.follow_ups.iter().map(|f| follow_up_view(&ctx, f)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let c = &p.in_person;
    let percent = if c.target > 0 {
        (c.count * 100 / c.target).min(100)
    } else {
        100
    };
    let s = &p.suggestions;
    ctx.ok(
        "plan/week",
        &ctx.t("plan.title"),
        json!({
            "nav_plan": true,
            "mine": user == actor.user_id,
            "user_name": p.user_name,
            "week": week_nav(&ctx, week, "/plan"),
            "days": days,
            "overdue": p.overdue_follow_ups.iter().map(|f| follow_up_view(&ctx, f)).collect::<Vec<_>>(),
            "counter": {"count": c.count, "target": c.target, "percent": percent, "met": c.count >= c.target,
                        "previous": c.previous.iter().map(|w| json!({"week": w.week, "count": w.count})).collect::<Vec<_>>()},
            "quiet": s.quiet_employers.iter().map(|q| json!({"id": q.employer_id, "name": q.name, "stage": ctx.t(q.stage.label_key())})).collect::<Vec<_>>(),
            "next_steps": s.next_steps.iter().map(|n| json!({"id": n.employer_id, "name": n.name, "step": ctx.t(n.step.key())})).collect::<Vec<_>>(),
            "open_leads": s.leads_without_candidates.iter().map(|l| json!({"id": l.lead_id, "title": l.title, "employer_id": l.employer_id, "employer_name": l.employer_name, "apply_by": l.apply_by.map(|d| format_date(ctx.lang, d))})).collect::<Vec<_>>(),
            "can_write": actor.can_write(),
        }),
    )
}

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct PlanForm {
    employer_id: Field<i64>,
    planned_on: String,
    planned_time: String,
    channel: String,
    purpose: String,
    note: String,
    acknowledge_collisions: String,
    /// Set when the form re-shows a move that collided: it posts back as that move.
    #[serde(skip_deserializing)]
    moving: Option<i64>,
}

impl PlanForm {
    fn to_input(&self) -> Result<PlanInput, AppError> {
        let mut e = FieldErrors::default();
        let employer_id = self
            .employer_id
            .read(&mut e, "employer_id", "error.unknown_employer");
        e.into_result()?;
        Ok(PlanInput {
            employer_id,
            specialist_id: None,
            planned_on: filled(&self.planned_on),
            planned_time: filled(&self.planned_time),
            channel: filled(&self.channel).map(Choice::from),
            purpose: filled(&self.purpose).map(Choice::from),
            note: filled(&self.note),
            acknowledge_collisions: Some(!self.acknowledge_collisions.is_empty()),
        })
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    employer_id: Option<String>,
    date: Option<String>,
    q: Option<String>,
}

async fn render_form(
    ctx: &PageCtx,
    actor: &Actor,
    form: &PlanForm,
    errors: Option<FieldErrors>,
    collisions: &[Collision],
) -> Result<HttpResponse, AppError> {
    let employer_id = form.employer_id.value().ok_or(AppError::NotFound)?;
    let a = actor.clone();
    let employer = ctx
        .state
        .pool
        .run(move |conn| employers::get(conn, &a, employer_id))
        .await?;
    let sel = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    ctx.ok(
        "plan/form",
        &ctx.t("plan.add"),
        json!({
            "nav_plan": true,
            "employer": {"id": employer.id, "name": employer.name},
            "form": form,
            "errors": ctx.errors(errors.as_ref()),
            "has_errors": errors.is_some(),
            "collisions": collisions.iter().map(|c| c.message(ctx.lang)).collect::<Vec<_>>(),
            "channels": views::choice_options::<Channel>(ctx, Some(sel(&form.channel).as_deref().unwrap_or("in_person"))),
            "purposes": views::choice_options::<Purpose>(ctx, sel(&form.purpose).as_deref()),
        }),
    )
}

pub async fn new_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<NewQuery>,
) -> Result<HttpResponse, AppError> {
    actor.require_write()?;
    let ctx = PageCtx::from_req(&req)?;
    let q = q.into_inner();
    let Some(employer_id) = q.employer_id.filter(|e| !e.is_empty()) else {
        return pick_employer(&ctx, &actor, q.q, "/plan/new").await;
    };
    let today: NaiveDate = ctx.state.today();
    let form = PlanForm {
        employer_id: Field::parse(&employer_id),
        planned_on: q.date.unwrap_or_else(|| today.to_string()),
        ..Default::default()
    };
    render_form(&ctx, &actor, &form, None, &[]).await
}

pub async fn create(
    req: HttpRequest,
    PageUser(actor): PageUser,
    SafeForm(form): SafeForm<PlanForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (a, now, rules) = (actor.clone(), ctx.state.now(), ctx.state.rules());
    let result = match form.to_input() {
        Err(e) => Err(e),
        Ok(input) => {
            ctx.state
                .pool
                .tx(move |conn| plan::create(conn, &a, input, now, &rules))
                .await
        }
    };
    let result = match result {
        Err(AppError::Collision(list)) => return collided(&ctx, &actor, &form, &list).await,
        other => other,
    };
    submit(
        result,
        |item| {
            see_other(
                &format!("/plan?week={}", Week::of(item.row.planned_on).label()),
                Some("flash.plan_added"),
            )
        },
        |e| render_form(&ctx, &actor, &form, Some(e), &[]),
    )
    .await
}

/// The form again with colleagues' contacts near the day, to acknowledge (409).
async fn collided(
    ctx: &PageCtx,
    actor: &Actor,
    form: &PlanForm,
    list: &[Collision],
) -> Result<HttpResponse, AppError> {
    let mut page = render_form(ctx, actor, form, None, list).await?;
    *page.status_mut() = StatusCode::CONFLICT;
    Ok(page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MoveForm {
    planned_on: String,
    planned_time: String,
    acknowledge_collisions: String,
}

/// Moves a planned contact to another day; a collision there is shown on the plan form.
pub async fn move_item(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(f): SafeForm<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let id = id.into_inner();
    let mut patch = serde_json::Map::new();
    patch.insert("planned_on".into(), json!(f.planned_on));
    if !f.planned_time.trim().is_empty() {
        patch.insert("planned_time".into(), json!(f.planned_time));
    }
    if !f.acknowledge_collisions.is_empty() {
        patch.insert("acknowledge_collisions".into(), json!(true));
    }
    let (a, now, rules) = (actor.clone(), ctx.state.now(), ctx.state.rules());
    match ctx
        .state
        .pool
        .tx(move |conn| plan::patch(conn, &a, id, patch, now, &rules))
        .await
    {
        Ok(item) => Ok(see_other(
            &format!("/plan?week={}", Week::of(item.row.planned_on).label()),
            Some("flash.plan_moved"),
        )),
        Err(AppError::Collision(list)) => {
            let a = actor.clone();
            let item = ctx
                .state
                .pool
                .run(move |conn| plan::get(conn, &a, id))
                .await?;
            let form = PlanForm {
                employer_id: Field::Value(item.row.employer_id),
                planned_on: f.planned_on.clone(),
                planned_time: f.planned_time.clone(),
                channel: item.row.channel.to_string(),
                purpose: item.row.purpose.to_string(),
                note: item.row.note.clone().unwrap_or_default(),
                acknowledge_collisions: String::new(),
                moving: Some(id),
            };
            collided(&ctx, &actor, &form, &list).await
        }
        Err(AppError::Validation(e)) => {
            let mut flash_key = "flash.plan_move_failed";
            if e.0.contains_key("planned_on") {
                flash_key = "flash.plan_move_bad_date";
            }
            Ok(see_other("/plan", Some(flash_key)))
        }
        Err(other) => Err(other),
    }
}

pub async fn cancel(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(_): SafeForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now) = (id.into_inner(), ctx.state.now());
    let item = ctx
        .state
        .pool
        .tx(move |conn| plan::cancel(conn, &actor, id, now))
        .await?;
    Ok(see_other(
        &format!("/plan?week={}", Week::of(item.row.planned_on).label()),
        Some("flash.plan_cancelled"),
    ))
}

pub async fn team(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<WeekQuery>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let week = parse_week(q.week.as_deref(), ctx.state.today())?;
    let (a, rules) = (actor.clone(), ctx.state.rules());
    let (members, _) = ctx
        .state
        .pool
        .run(move |conn| {
            Ok((
                plan::team_week(conn, &a, week, &rules)?,
                list_org_users(conn, a.org_id)?,
            ))
        })
        .await?;
    let days: Vec<String> = week
        .days()
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                ctx.t(crate::domain::leads::Weekday::ALL
                    [d.weekday().num_days_from_monday() as usize]
                    .label_key()),
                d.format("%-d.%-m.")
            )
        })
        .collect();
    let rows: Vec<Value> = members
        .iter()
        .map(|m| {
            json!({
                "user_id": m.user_id,
                "name": m.name,
                "per_day": m.planned_per_day,
                "in_person": m.in_person,
                "target": m.target,
                "met": m.in_person >= m.target,
                "items": m.planned.iter().map(|i| item_view(&ctx, i)).collect::<Vec<_>>(),
            })
        })
        .collect();
    ctx.ok(
        "plan/team",
        &ctx.t("plan.team_title"),
        json!({"nav_team": true, "week": week_nav(&ctx, week, "/plan/team"), "days": days, "rows": rows, "week_label": week.label()}),
    )
}

/// The week plan, the team's week and planned contacts.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/plan", web::get().to(week))
        .route("/plan/new", web::get().to(new_form))
        .route("/plan/team", web::get().to(team))
        .route("/plan/items", web::post().to(create))
        .route("/plan/items/{id}/move", web::post().to(move_item))
        .route("/plan/items/{id}/cancel", web::post().to(cancel));
}
