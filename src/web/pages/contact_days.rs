//! Contact day pages: plan a day, build and work through the call lists, see the tally.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Duration;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::domain::contact_days::{self, ContactDayInput};
use crate::domain::employers::list::{list as employer_list, ListParams};
use crate::domain::recurrence::{Recurrence, RepeatKind};
use crate::domain::users::{list_org_users, Actor, Role};
use crate::error::{AppError, FieldErrors};
use crate::i18n::format_date;
use crate::mail::contact_day::Outbox;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::field::Field;
use crate::web::pages::{filled, views, NoFields};
use crate::web::render::{options, see_other, submit, PageCtx};

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

/// The planning form. Participants are ticked by name (`p_<user id>`); target
/// employers are chosen by a filter (the day's theme: an industry, an area, a stage or
/// a tag), or are a partner's members.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct DayForm {
    date: String,
    starts_at: String,
    ends_at: String,
    place: String,
    theme: String,
    tag: String,
    industry: String,
    municipality: String,
    stage: String,
    partner_id: Field<i64>,
    repeat: Field<RepeatKind>,
    repeat_count: Field<u32>,
    #[serde(flatten)]
    ticked: BTreeMap<String, String>,
}

impl DayForm {
    /// A fresh form: the user ticked, a working day's hours, six repeats on offer.
    fn fresh(actor: &Actor, partner_id: Field<i64>) -> Self {
        Self {
            starts_at: "09:00".into(),
            ends_at: "14:00".into(),
            repeat_count: Field::Value(6),
            partner_id,
            ticked: BTreeMap::from([(format!("p_{}", actor.user_id), "on".into())]),
            ..Default::default()
        }
    }

    fn participant_ids(&self) -> Vec<i64> {
        self.ticked
            .keys()
            .filter_map(|k| k.strip_prefix("p_"))
            .filter_map(|v| v.parse().ok())
            .collect()
    }

    fn filter(&self) -> ListParams {
        ListParams {
            industry: filled(&self.industry),
            municipality: filled(&self.municipality),
            stage: filled(&self.stage),
            tag: filled(&self.tag),
            limit: Some("100".into()),
            ..Default::default()
        }
    }

    /// With a partner's member list and no filter, the members are the targets.
    fn only_members(&self) -> bool {
        let f = self.filter();
        !self.partner_id.is_empty()
            && [f.industry, f.municipality, f.stage, f.tag]
                .iter()
                .all(Option::is_none)
    }

    fn to_input(&self) -> Result<ContactDayInput, AppError> {
        let mut e = FieldErrors::default();
        let partner_id = self
            .partner_id
            .read(&mut e, "partner_id", "error.unknown_partner");
        let repeat = self.repeat.read(&mut e, "rrule", "error.choice");
        let count = self.repeat_count.read(&mut e, "rrule", "error.number");
        e.into_result()?;
        let date = crate::domain::outreach::parse_date(&self.date);
        let rrule = match (repeat, date) {
            (None | Some(RepeatKind::Once), _) | (_, None) => None,
            // Let the domain say what is wrong with a missing or zero count.
            (Some(_), Some(_)) if count.unwrap_or(0) == 0 => Some(format!(
                "FREQ=WEEKLY;COUNT={}",
                count.map(|c| c.to_string()).unwrap_or_default()
            )),
            (Some(kind), Some(date)) => {
                Recurrence::simple(kind, date, count.unwrap_or(1)).map(|r| r.to_rrule())
            }
        };
        Ok(ContactDayInput {
            date: filled(&self.date),
            starts_at: filled(&self.starts_at),
            ends_at: filled(&self.ends_at),
            place: filled(&self.place),
            theme: filled(&self.theme),
            participant_ids: self.participant_ids(),
            target_employer_ids: Vec::new(),
            rrule,
            partner_id,
        })
    }
}

async fn render_form(
    ctx: &PageCtx,
    actor: &Actor,
    form: &DayForm,
    errors: Option<FieldErrors>,
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
    let people: Vec<Value> = users
        .iter()
        .map(|u| json!({"id": u.id, "name": u.display_name, "checked": form.ticked.contains_key(&format!("p_{}", u.id))}))
        .collect();
    let opt = |s: &str| filled(s);
    ctx.ok(
        "contact_days/form",
        &ctx.t("days.new"),
        json!({
            "nav_days": true, "people": people,
            "form": form,
            "partners": options(partner_rows.iter().map(|p| (p.id.to_string(), p.name.clone())), Some(&form.partner_id.to_string())),
            "repeats": views::choice_options::<RepeatKind>(ctx, Some(&form.repeat.to_string())),
            "errors": ctx.errors(errors.as_ref()), "has_errors": errors.is_some(),
            "industries": views::industry_options(ctx, opt(&form.industry).as_deref()),
            "municipalities": views::municipality_options(ctx, opt(&form.municipality).as_deref()),
            "stages": views::stage_options(ctx, opt(&form.stage).as_deref()),
        }),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    partner_id: Field<i64>,
}

pub async fn new_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<NewQuery>,
) -> Result<HttpResponse, AppError> {
    actor.require_write()?;
    let ctx = PageCtx::from_req(&req)?;
    let form = DayForm::fresh(&actor, q.into_inner().partner_id);
    render_form(&ctx, &actor, &form, None).await
}

pub async fn create(
    req: HttpRequest,
    PageUser(actor): PageUser,
    SafeForm(form): SafeForm<DayForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (a, now, rules) = (actor.clone(), ctx.state.now(), ctx.state.rules());
    let (filter, only_members) = (form.filter(), form.only_members());
    let result = match form.to_input() {
        Err(e) => Err(e),
        Ok(input) => {
            ctx.state
                .pool
                .tx(move |conn| {
                    let targets = if only_members {
                        Vec::new()
                    } else {
                        let q = filter.parse(100)?;
                        let page = employer_list(conn, &a, &q)?;
                        page.items.iter().map(|e| e.id).collect()
                    };
                    let input = ContactDayInput {
                        target_employer_ids: targets,
                        ..input
                    };
                    contact_days::create(conn, &a, input, &Outbox, &rules, now)
                })
                .await
        }
    };
    submit(
        result,
        |d| {
            see_other(
                &format!("/contact-days/{}", d.row.id),
                Some("flash.day_saved"),
            )
        },
        |e| render_form(&ctx, &actor, &form, Some(e)),
    )
    .await
}

pub async fn show(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    render_show(&ctx, &actor, id.into_inner(), None).await
}

/// The move form on the day's page: what the day becomes (the domain checks it).
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct MoveForm {
    pub date: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub theme: String,
}

/// The day's page; `moving` re-shows the move form with what was typed and why it failed.
pub async fn render_show(
    ctx: &PageCtx,
    actor: &Actor,
    id: i64,
    moving: Option<(&MoveForm, FieldErrors)>,
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
    let move_form = match &moving {
        Some((f, _)) => (*f).clone(),
        None => MoveForm {
            date: d.row.day.to_string(),
            starts_at: d.row.starts_at.clone(),
            ends_at: d.row.ends_at.clone(),
            place: d.row.place.clone(),
            theme: d.row.theme.clone().unwrap_or_default(),
        },
    };
    ctx.ok(
        "contact_days/show",
        &ctx.t("days.title_one"),
        json!({
            "joined": joined, "invitable": invitable, "move": move_form,
            "move_errors": moving.as_ref().map(|(_, e)| ctx.errors(Some(e))), "moving": moving.is_some(),
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
