//! Job seeker pages: the caseload, the job seeker's form and page. The profile,
//! proposals and placements have their own files.

mod placements;
mod profile;
mod proposals;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::domain::clients::{self, ClientInput, ClientParams, ClientStatus, Disclosure};
use crate::domain::closed_set::Choice;
use crate::domain::matching::find;
use crate::domain::placements::{SupportChannel, WithWhom};
use crate::domain::users::{list_org_users, Actor};
use crate::error::{AppError, FieldErrors};
use crate::i18n::format_date;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::field::Field;
use crate::web::pages::{filled, views};
use crate::web::render::{options, see_other, submit, PageCtx};

pub async fn list(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<ClientParams>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let mut params = q.into_inner();
    let mine = params.specialist.as_deref() != Some("all");
    params.specialist = Some(if mine { "me".into() } else { "all".into() });
    let (a, limit) = (actor.clone(), ctx.state.settings.caseload_limit);
    let (rows, loads, users) = ctx
        .state
        .pool
        .run(move |conn| {
            Ok((
                clients::list(conn, &a, params)?,
                clients::caseloads(conn, &a, limit)?,
                list_org_users(conn, a.org_id)?,
            ))
        })
        .await?;
    let rows: Vec<Value> = rows
        .iter()
        .map(|c| {
            json!({
                "id": c.id, "name": c.display_name, "status": ctx.t(c.status.label_key()), "status_code": c.status,
                "intake": format_date(ctx.lang, c.intake_date),
                "specialist": users.iter().find(|u| u.id == c.specialist_id).map(|u| u.display_name.clone()),
            })
        })
        .collect();
    let mine_load = loads.iter().find(|l| l.specialist_id == actor.user_id);
    ctx.ok(
        "clients/list",
        &ctx.t("clients.title"),
        json!({
            "nav_clients": true, "rows": rows, "mine": mine, "can_write": actor.can_write(),
            "loads": loads.iter().map(|l| json!({"name": l.name, "active": l.active, "limit": l.limit, "over": l.over_limit})).collect::<Vec<_>>(),
            "my_load": mine_load.map(|l| json!({"active": l.active, "limit": l.limit, "over": l.over_limit})),
        }),
    )
}

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct ClientForm {
    display_name: String,
    specialist_id: Field<i64>,
    intake_date: String,
    status: String,
    wants_work: String,
    wants_work_asked_on: String,
    benefits_counselling_on: String,
    consent_to_contact_employers: String,
    disclosure: String,
    disclosure_notes: String,
    own_first_employer_contact_on: String,
}

impl ClientForm {
    fn to_input(&self) -> Result<ClientInput, AppError> {
        let mut e = FieldErrors::default();
        let specialist_id = self
            .specialist_id
            .read(&mut e, "specialist_id", "error.unknown_user");
        e.into_result()?;
        Ok(ClientInput {
            display_name: filled(&self.display_name),
            specialist_id,
            intake_date: filled(&self.intake_date),
            status: filled(&self.status).map(Choice::from),
            wants_work: match self.wants_work.as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            },
            wants_work_asked_on: filled(&self.wants_work_asked_on),
            benefits_counselling_on: filled(&self.benefits_counselling_on),
            consent_to_contact_employers: Some(!self.consent_to_contact_employers.is_empty()),
            disclosure: filled(&self.disclosure).map(Choice::from),
            disclosure_notes: filled(&self.disclosure_notes),
            own_first_employer_contact_on: filled(&self.own_first_employer_contact_on),
        })
    }

    fn from_row(c: &clients::ClientRow) -> Self {
        let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
        Self {
            display_name: c.display_name.clone(),
            specialist_id: Field::Value(c.specialist_id),
            intake_date: c.intake_date.to_string(),
            status: c.status.to_string(),
            wants_work: match c.wants_work {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => String::new(),
            },
            wants_work_asked_on: d(c.wants_work_asked_on),
            benefits_counselling_on: d(c.benefits_counselling_on),
            consent_to_contact_employers: if c.consent_to_contact_employers {
                "on".into()
            } else {
                String::new()
            },
            disclosure: c.disclosure.to_string(),
            disclosure_notes: c.disclosure_notes.clone().unwrap_or_default(),
            own_first_employer_contact_on: d(c.own_first_employer_contact_on),
        }
    }
}

async fn render_form(
    ctx: &PageCtx,
    actor: &Actor,
    form: &ClientForm,
    errors: Option<FieldErrors>,
    editing: Option<i64>,
) -> Result<HttpResponse, AppError> {
    let org = actor.org_id;
    let users = ctx
        .state
        .pool
        .run(move |conn| list_org_users(conn, org))
        .await?;
    let sel = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    ctx.ok(
        "clients/form",
        &if editing.is_some() { ctx.t("clients.edit_title") } else { ctx.t("clients.new") },
        json!({
            "nav_clients": true, "form": form, "editing": editing,
            "action": editing.map(|id| format!("/clients/{id}")).unwrap_or_else(|| "/clients".into()),
            "errors": errors.as_ref().map(|e| ctx.errors(e)).unwrap_or(json!({})), "has_errors": errors.is_some(),
            "statuses": views::choice_options::<ClientStatus>(ctx, Some(sel(&form.status).as_deref().unwrap_or("exploring"))),
            "disclosures": views::choice_options::<Disclosure>(ctx, Some(sel(&form.disclosure).as_deref().unwrap_or("none"))),
            "wants": options([("yes".to_string(), ctx.t("common.yes")), ("no".to_string(), ctx.t("common.no"))], sel(&form.wants_work).as_deref()),
            "users": views::owner_options(&users, Some(&form.specialist_id.value().unwrap_or(actor.user_id).to_string())),
        }),
    )
}

pub async fn new_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
) -> Result<HttpResponse, AppError> {
    actor.require_write()?;
    let ctx = PageCtx::from_req(&req)?;
    let form = ClientForm {
        intake_date: ctx.state.today().to_string(),
        ..Default::default()
    };
    render_form(&ctx, &actor, &form, None, None).await
}

async fn save(
    req: HttpRequest,
    actor: Actor,
    form: ClientForm,
    editing: Option<i64>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (a, now, tz) = (actor.clone(), ctx.state.now(), ctx.state.settings.timezone);
    let result = match form.to_input() {
        Err(e) => Err(e),
        Ok(input) => {
            let patch = serde_json::to_value(&input)
                .ok()
                .and_then(|v| v.as_object().cloned())
                .unwrap_or_default();
            ctx.state
                .pool
                .tx(move |conn| match editing {
                    Some(id) => clients::patch(conn, &a, id, patch, now, tz),
                    None => clients::create(conn, &a, input, now, tz),
                })
                .await
        }
    };
    submit(
        result,
        |c| {
            see_other(
                &format!("/clients/{}", c.row.id),
                Some("flash.client_saved"),
            )
        },
        |e| render_form(&ctx, &actor, &form, Some(e), editing),
    )
    .await
}

pub async fn create(
    req: HttpRequest,
    PageUser(actor): PageUser,
    SafeForm(form): SafeForm<ClientForm>,
) -> Result<HttpResponse, AppError> {
    save(req, actor, form, None).await
}

pub async fn update(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(form): SafeForm<ClientForm>,
) -> Result<HttpResponse, AppError> {
    save(req, actor, form, Some(id.into_inner())).await
}

pub async fn edit_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    actor.require_write()?;
    let ctx = PageCtx::from_req(&req)?;
    let (id, a, tz) = (id.into_inner(), actor.clone(), ctx.state.settings.timezone);
    let c = ctx
        .state
        .pool
        .run(move |conn| clients::get(conn, &a, id, tz))
        .await?;
    render_form(&ctx, &actor, &ClientForm::from_row(&c.row), None, Some(id)).await
}

/// The job seeker's page.
pub async fn show(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, a, tz, w, lang) = (
        id.into_inner(),
        actor.clone(),
        ctx.state.settings.timezone,
        ctx.state.settings.weights,
        ctx.lang,
    );
    let cache = ctx.state.lead_cache.clone();
    let (c, (version, p), matches, props, places, contacts) = ctx
        .state
        .pool
        .run(move |conn| {
            let c = clients::get(conn, &a, id, tz)?;
            let p = crate::domain::clients::profile::current(conn, &a, id)?;
            let all = find::for_client(conn, &a, id, &w, Some(&cache))?;
            let top: Vec<_> = all.into_iter().take(10).collect();
            let matches = find::views(conn, &a, &top, lang)?;
            let props = crate::domain::proposals::for_client(conn, &a, id)?;
            let places = crate::domain::placements::for_client(conn, &a, id)?;
            let places = crate::domain::placements::with_support(conn, &a, places)?;
            let contacts = clients::contacts_on_behalf(conn, &a, id, 50)?;
            Ok((c, p, matches, props, places, contacts))
        })
        .await?;
    let row = &c.row;
    let matches: Vec<Value> = matches
        .iter()
        .map(|m| {
            json!({
                "lead_id": m.lead_id, "title": m.lead_title, "employer_id": m.employer_id, "employer": m.employer_name,
                "score": format!("{:.0}", m.score),
                "fits": m.reasons.iter().filter(|r| matches!(r.kind, crate::domain::matching::Kind::Fits)).map(|r| r.text.clone()).collect::<Vec<_>>(),
                "missing": m.reasons.iter().filter(|r| matches!(r.kind, crate::domain::matching::Kind::Missing)).map(|r| r.text.clone()).collect::<Vec<_>>(),
                "relaxed": m.reasons.iter().filter(|r| matches!(r.kind, crate::domain::matching::Kind::Relaxed)).map(|r| r.text.clone()).collect::<Vec<_>>(),
                "proposed": props.iter().any(|p| p.lead_id == m.lead_id),
            })
        })
        .collect();
    let props: Vec<Value> = props
        .iter()
        .map(|p| json!({"id": p.id, "lead_id": p.lead_id, "status": ctx.t(p.status.label_key()), "reason": p.reason,
                        "options": views::choice_options::<crate::domain::proposals::ProposalStatus>(&ctx, Some(p.status.as_str()))}))
        .collect();
    let places: Vec<Value> = places
        .iter()
        .map(|(p, s)| {
            json!({
                "id": p.id, "title": p.job_title, "employer_id": p.employer_id, "start": format_date(ctx.lang, p.starts_on),
                "end": p.ends_on.map(|d| format_date(ctx.lang, d)), "hours": p.hours_per_week,
                "type": ctx.t(p.employment_type.label_key()), "competitive": p.competitive,
                "seen_around_start": s.seen_around_start, "weeks": s.first_month_weeks_with_contact,
                "support": s.contacts.iter().map(|c| json!({"on": format_date(ctx.lang, c.occurred_on), "with_label": ctx.t(c.with_whom.label_key()), "channel": ctx.t(c.channel.label_key()), "note": c.note})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let contacts: Vec<Value> = contacts
        .iter()
        .map(|x| json!({"employer_id": x.employer_id, "employer": x.employer_name, "when": ctx.datetime(x.occurred_at), "channel": ctx.t(x.channel.label_key()), "purpose": ctx.t(x.purpose.label_key())}))
        .collect();
    ctx.ok(
        "clients/show",
        &row.display_name,
        json!({
            "nav_clients": true, "can_write": actor.can_write(),
            "client": {
                "id": row.id, "name": row.display_name, "status": ctx.t(row.status.label_key()),
                "intake": format_date(ctx.lang, row.intake_date),
                "disclosure": ctx.t(row.disclosure.label_key()), "disclosure_notes": row.disclosure_notes,
                "consent": row.consent_to_contact_employers,
                "wants_work": row.wants_work,
                "rapid_days": c.rapid_job_search_days, "first_contact": c.first_employer_contact_on.map(|d| format_date(ctx.lang, d)),
            },
            "profile": profile::profile_view(&ctx, version, &p),
            "matches": matches, "proposals": props, "placements": places, "contacts": contacts,
            "with_whom": views::choice_options::<WithWhom>(&ctx, Some("worker")),
            "support_channels": views::choice_options::<SupportChannel>(&ctx, Some("in_person")),
            "today": ctx.state.today().to_string(),
        }),
    )
}

/// Job seekers, their profiles, proposals, placements and a lead's matches.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/clients", web::get().to(list))
        .route("/clients", web::post().to(create))
        .route("/clients/new", web::get().to(new_form))
        .route("/clients/{id}", web::get().to(show))
        .route("/clients/{id}", web::post().to(update))
        .route("/clients/{id}/edit", web::get().to(edit_form))
        .configure(profile::routes)
        .configure(proposals::routes)
        .configure(placements::routes);
}
