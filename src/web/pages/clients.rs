//! Job seeker pages: the caseload, the job seeker's page with matches, proposals,
//! placements and support, and the vocational profile with its history.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::domain::clients::profile::{self, Profile};
use crate::domain::clients::{self, ClientInput, ClientParams, ClientStatus, Disclosure};
use crate::domain::closed_set::Choice;
use crate::domain::matching::find;
use crate::domain::placements::{
    self, EmploymentType, PlacementInput, SupportChannel, SupportInput, WithWhom,
};
use crate::domain::proposals::{self, ProposalInput};
use crate::domain::reference::Industry;
use crate::domain::users::{list_org_users, Actor};
use crate::error::{AppError, FieldErrors};
use crate::i18n::format_date;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::schedule::ScheduleTicks;
use crate::web::pages::{filled, views};
use crate::web::render::{options, see_other, PageCtx};

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
    specialist_id: String,
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
    fn to_input(&self) -> ClientInput {
        ClientInput {
            display_name: filled(&self.display_name),
            specialist_id: filled(&self.specialist_id).map(|s| s.parse().unwrap_or(-1)),
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
        }
    }

    fn from_row(c: &clients::ClientRow) -> Self {
        let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
        Self {
            display_name: c.display_name.clone(),
            specialist_id: c.specialist_id.to_string(),
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
    status: StatusCode,
    form: &ClientForm,
    errors: Option<&FieldErrors>,
    editing: Option<i64>,
) -> Result<HttpResponse, AppError> {
    let org = actor.org_id;
    let users = ctx
        .state
        .pool
        .run(move |conn| list_org_users(conn, org))
        .await?;
    let sel = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    ctx.render(
        status,
        "clients/form",
        &if editing.is_some() { ctx.t("clients.edit_title") } else { ctx.t("clients.new") },
        json!({
            "nav_clients": true, "form": form, "editing": editing,
            "action": editing.map(|id| format!("/clients/{id}")).unwrap_or_else(|| "/clients".into()),
            "errors": errors.map(|e| ctx.errors(e)).unwrap_or(json!({})), "has_errors": errors.is_some(),
            "statuses": views::choice_options::<ClientStatus>(ctx, Some(sel(&form.status).as_deref().unwrap_or("exploring"))),
            "disclosures": views::choice_options::<Disclosure>(ctx, Some(sel(&form.disclosure).as_deref().unwrap_or("none"))),
            "wants": options([("yes".to_string(), ctx.t("common.yes")), ("no".to_string(), ctx.t("common.no"))], sel(&form.wants_work).as_deref()),
            "users": views::owner_options(&users, Some(sel(&form.specialist_id).as_deref().unwrap_or(&actor.user_id.to_string()))),
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
    render_form(&ctx, &actor, StatusCode::OK, &form, None, None).await
}

async fn save(
    req: HttpRequest,
    actor: Actor,
    form: ClientForm,
    editing: Option<i64>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (a, now, tz, input) = (
        actor.clone(),
        ctx.state.now(),
        ctx.state.settings.timezone,
        form.to_input(),
    );
    let patch = serde_json::to_value(&input)
        .ok()
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default();
    let result = ctx
        .state
        .pool
        .tx(move |conn| match editing {
            Some(id) => clients::patch(conn, &a, id, patch, now, tz),
            None => clients::create(conn, &a, input, now, tz),
        })
        .await;
    match result {
        Ok(c) => Ok(see_other(
            &format!("/clients/{}", c.row.id),
            Some("flash.client_saved"),
        )),
        Err(AppError::Validation(e)) => {
            render_form(
                &ctx,
                &actor,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form,
                Some(&e),
                editing,
            )
            .await
        }
        Err(other) => Err(other),
    }
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
    render_form(
        &ctx,
        &actor,
        StatusCode::OK,
        &ClientForm::from_row(&c.row),
        None,
        Some(id),
    )
    .await
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
            let p = profile::current(conn, &a, id)?;
            let all = find::for_client(conn, &a, id, &w, Some(&cache))?;
            let top: Vec<_> = all.into_iter().take(10).collect();
            let matches = find::views(conn, &a, &top, lang)?;
            let props = proposals::for_client(conn, &a, id)?;
            let places = placements::for_client(conn, &a, id)?;
            let places = placements::with_support(conn, &a, places)?;
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
                        "options": views::choice_options::<proposals::ProposalStatus>(&ctx, Some(p.status.as_str()))}))
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
            "profile": profile_view(&ctx, version, &p),
            "matches": matches, "proposals": props, "placements": places, "contacts": contacts,
            "with_whom": views::choice_options::<WithWhom>(&ctx, Some("worker")),
            "support_channels": views::choice_options::<SupportChannel>(&ctx, Some("in_person")),
            "today": ctx.state.today().to_string(),
        }),
    )
}

fn profile_view(ctx: &PageCtx, version: i32, p: &Profile) -> Value {
    json!({
        "version": version,
        "occupations": p.occupations.iter().map(|o| format!("{o} {}", crate::domain::occupations::OCCUPATIONS.title(o).unwrap_or_default())).collect::<Vec<_>>(),
        "job_wishes": p.job_wishes,
        "hours": match (p.hours_min, p.hours_max) { (Some(a), Some(b)) => Some(format!("{a}–{b} h")), (Some(a), None) => Some(format!("≥ {a} h")), (None, Some(b)) => Some(format!("≤ {b} h")), _ => None },
        "days": p.days.iter().filter_map(Choice::known).map(|d| ctx.t(d.label_key())).collect::<Vec<_>>().join(" "),
        "shifts": p.shifts.iter().filter_map(Choice::known).map(|s| ctx.t(s.label_key())).collect::<Vec<_>>().join(", "),
        "home": views::municipality_name(ctx, p.home_municipality_code.as_deref()),
        "max_commute_km": p.max_commute_km,
        "strengths": p.strengths, "support_needs": p.support_needs, "goals": p.goals,
        "skills": p.skills.join(", "),
    })
}

/// The profile form: lists as comma-separated text, days and shifts as ticks.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct ProfileForm {
    occupations: String,
    job_wishes: String,
    industries_wanted: String,
    industries_avoided: String,
    hours_min: String,
    hours_max: String,
    home_municipality_code: String,
    max_commute_km: String,
    means_of_travel: String,
    earliest_start: String,
    wage_wish: String,
    strengths: String,
    skills: String,
    education: String,
    support_needs: String,
    personal_network_leads: String,
    goals: String,
    #[serde(flatten)]
    ticks: ScheduleTicks,
}

fn list_of(s: &str) -> Vec<String> {
    s.split([',', ';'])
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

fn number(s: &str) -> Option<i32> {
    // Not a whole number: out of range, so the check names the field.
    filled(s).map(|v| v.trim().parse().unwrap_or(-1))
}

impl ProfileForm {
    fn to_profile(&self, keep: &Profile) -> Profile {
        Profile {
            occupations: list_of(&self.occupations)
                .into_iter()
                .map(|o| o.split_whitespace().next().unwrap_or_default().to_string())
                .collect(),
            job_wishes: self.job_wishes.trim().to_string(),
            industries_wanted: list_of(&self.industries_wanted)
                .into_iter()
                .map(Choice::from)
                .collect(),
            industries_avoided: list_of(&self.industries_avoided)
                .into_iter()
                .map(Choice::from)
                .collect(),
            avoid_employer_ids: keep.avoid_employer_ids.clone(),
            hours_min: number(&self.hours_min),
            hours_max: number(&self.hours_max),
            days: self.ticks.days(),
            shifts: self.ticks.shifts(),
            home_municipality_code: filled(&self.home_municipality_code),
            max_commute_km: number(&self.max_commute_km),
            means_of_travel: self.means_of_travel.trim().to_string(),
            earliest_start: filled(&self.earliest_start)
                .and_then(|s| crate::domain::outreach::parse_date(&s)),
            wage_wish: filled(&self.wage_wish),
            strengths: self.strengths.trim().to_string(),
            skills: list_of(&self.skills),
            education: self.education.trim().to_string(),
            work_history: keep.work_history.clone(),
            support_needs: self.support_needs.trim().to_string(),
            personal_network_leads: self.personal_network_leads.trim().to_string(),
            goals: self.goals.trim().to_string(),
        }
    }

    fn from_profile(p: &Profile) -> Self {
        let n = |v: Option<i32>| v.map(|x| x.to_string()).unwrap_or_default();
        let texts = |v: &[Choice<Industry>]| v.iter().map(ToString::to_string).collect::<Vec<_>>();
        Self {
            occupations: p.occupations.join(", "),
            job_wishes: p.job_wishes.clone(),
            industries_wanted: texts(&p.industries_wanted).join(", "),
            industries_avoided: texts(&p.industries_avoided).join(", "),
            hours_min: n(p.hours_min),
            hours_max: n(p.hours_max),
            home_municipality_code: p.home_municipality_code.clone().unwrap_or_default(),
            max_commute_km: n(p.max_commute_km),
            means_of_travel: p.means_of_travel.clone(),
            earliest_start: p.earliest_start.map(|d| d.to_string()).unwrap_or_default(),
            wage_wish: p.wage_wish.clone().unwrap_or_default(),
            strengths: p.strengths.clone(),
            skills: p.skills.join(", "),
            education: p.education.clone(),
            support_needs: p.support_needs.clone(),
            personal_network_leads: p.personal_network_leads.clone(),
            goals: p.goals.clone(),
            ticks: ScheduleTicks::of(
                &p.days.iter().filter_map(Choice::known).collect::<Vec<_>>(),
                &p.shifts
                    .iter()
                    .filter_map(Choice::known)
                    .collect::<Vec<_>>(),
            ),
        }
    }
}

async fn render_profile(
    ctx: &PageCtx,
    actor: &Actor,
    id: i64,
    status: StatusCode,
    form: &ProfileForm,
    errors: Option<&FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let (a, tz) = (actor.clone(), ctx.state.settings.timezone);
    let (c, history) = ctx
        .state
        .pool
        .run(move |conn| {
            Ok((
                clients::get(conn, &a, id, tz)?,
                profile::history(conn, &a, id)?,
            ))
        })
        .await?;
    let (days, shifts) = form.ticks.views(ctx);
    ctx.render(
        status,
        "clients/profile",
        &ctx.t("profile.title"),
        json!({
            "nav_clients": true, "client": {"id": c.row.id, "name": c.row.display_name},
            "form": form, "errors": errors.map(|e| ctx.errors(e)).unwrap_or(json!({})), "has_errors": errors.is_some(),
            "days": days, "shifts": shifts,
            "municipalities": views::municipality_options(ctx, filled(&form.home_municipality_code).as_deref()),
            "industries": Industry::ALL.iter().map(|s| json!({"code": s, "label": ctx.t(s.label_key())})).collect::<Vec<_>>(),
            "unit_groups": crate::domain::occupations::OCCUPATIONS.unit_groups().iter().map(|(c, t)| json!({"code": c, "title": t})).collect::<Vec<_>>(),
            "work": current_work(ctx, &history),
            "history": history.iter().map(|v| json!({"version": v.version, "when": ctx.datetime(v.saved_at), "who": v.saved_by, "profile": profile_view(ctx, v.version, &v.profile)})).collect::<Vec<_>>(),
        }),
    )
}

pub async fn profile_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, a, tz) = (id.into_inner(), actor.clone(), ctx.state.settings.timezone);
    let (_, p) = ctx
        .state
        .pool
        .run(move |conn| {
            clients::get(conn, &a, id, tz)?;
            profile::current(conn, &a, id)
        })
        .await?;
    render_profile(
        &ctx,
        &actor,
        id,
        StatusCode::OK,
        &ProfileForm::from_profile(&p),
        None,
    )
    .await
}

pub async fn profile_save(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(form): SafeForm<ProfileForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, a, tz, now) = (
        id.into_inner(),
        actor.clone(),
        ctx.state.settings.timezone,
        ctx.state.now(),
    );
    let f = form.clone();
    let result = ctx
        .state
        .pool
        .tx(move |conn| {
            clients::get(conn, &a, id, tz)?;
            let (_, keep) = profile::current(conn, &a, id)?;
            profile::save(conn, &a, id, f.to_profile(&keep), now)
        })
        .await;
    match result {
        Ok(_) => Ok(see_other(
            &format!("/clients/{id}"),
            Some("flash.profile_saved"),
        )),
        Err(AppError::Validation(e)) => {
            render_profile(
                &ctx,
                &actor,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form,
                Some(&e),
            )
            .await
        }
        Err(other) => Err(other),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProposeForm {
    lead_id: String,
}

pub async fn propose(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(f): SafeForm<ProposeForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now) = (id.into_inner(), ctx.state.now());
    let input = ProposalInput {
        lead_id: Some(f.lead_id.parse().unwrap_or(-1)),
        client_id: Some(id),
        ..Default::default()
    };
    match ctx
        .state
        .pool
        .tx(move |conn| proposals::propose(conn, &actor, input, now))
        .await
    {
        Ok(_) => Ok(see_other(
            &format!("/clients/{id}#proposals"),
            Some("flash.proposed"),
        )),
        Err(AppError::Validation(_) | AppError::Conflict(_)) => Ok(see_other(
            &format!("/clients/{id}#proposals"),
            Some("flash.propose_failed"),
        )),
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    status: String,
    reason: String,
}

pub async fn answer(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(f): SafeForm<AnswerForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now) = (id.into_inner(), ctx.state.now());
    let input = ProposalInput {
        status: Some(f.status.into()),
        reason: filled(&f.reason),
        ..Default::default()
    };
    let p = ctx
        .state
        .pool
        .tx(move |conn| proposals::answer(conn, &actor, id, input, now))
        .await?;
    Ok(see_other(
        &format!("/clients/{}#proposals", p.client_id),
        Some("flash.answer_saved"),
    ))
}

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct PlacementForm {
    client_id: String,
    employer_id: String,
    lead_id: String,
    job_title: String,
    isco_code: String,
    hours_per_week: String,
    wage: String,
    starts_on: String,
    employment_type: String,
    competitive: String,
    disclosure: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PlacementQuery {
    client_id: String,
    lead_id: String,
}

async fn render_placement(
    ctx: &PageCtx,
    status: StatusCode,
    form: &PlacementForm,
    errors: Option<&FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let sel = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    ctx.render(
        status,
        "clients/placement",
        &ctx.t("placements.new"),
        json!({
            "nav_clients": true, "form": form, "errors": errors.map(|e| ctx.errors(e)).unwrap_or(json!({})), "has_errors": errors.is_some(),
            "types": views::choice_options::<EmploymentType>(ctx, Some(sel(&form.employment_type).as_deref().unwrap_or("permanent"))),
            "disclosures": views::choice_options::<Disclosure>(ctx, Some(sel(&form.disclosure).as_deref().unwrap_or("none"))),
        }),
    )
}

pub async fn placement_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<PlacementQuery>,
) -> Result<HttpResponse, AppError> {
    actor.require_write()?;
    let ctx = PageCtx::from_req(&req)?;
    let mut form = PlacementForm {
        client_id: q.client_id.clone(),
        starts_on: ctx.state.today().to_string(),
        competitive: "on".into(),
        ..Default::default()
    };
    if let Ok(lead_id) = q.lead_id.parse::<i64>() {
        let a = actor.clone();
        let lead = ctx
            .state
            .pool
            .run(move |conn| crate::domain::leads::get(conn, &a, lead_id))
            .await?;
        form.lead_id = lead.id.to_string();
        form.employer_id = lead.employer_id.to_string();
        form.job_title = lead.title.clone();
        form.isco_code = lead.isco_code.clone().unwrap_or_default();
    }
    render_placement(&ctx, StatusCode::OK, &form, None).await
}

pub async fn placement_create(
    req: HttpRequest,
    PageUser(actor): PageUser,
    SafeForm(f): SafeForm<PlacementForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let now = ctx.state.now();
    let id = |s: &str| filled(s).map(|v| v.parse().unwrap_or(-1));
    let input = PlacementInput {
        client_id: id(&f.client_id),
        employer_id: id(&f.employer_id),
        lead_id: id(&f.lead_id),
        job_title: filled(&f.job_title),
        isco_code: filled(&f.isco_code),
        hours_per_week: number(&f.hours_per_week),
        wage: filled(&f.wage),
        starts_on: filled(&f.starts_on),
        ends_on: None,
        end_reason: None,
        employment_type: filled(&f.employment_type).map(Choice::from),
        competitive: Some(!f.competitive.is_empty()),
        disclosure: filled(&f.disclosure).map(Choice::from),
    };
    match ctx
        .state
        .pool
        .tx(move |conn| placements::create(conn, &actor, input, now))
        .await
    {
        // A new job: the profile asks for an update.
        Ok(p) => Ok(see_other(
            &format!("/clients/{}/profile", p.client_id),
            Some("flash.placement_saved"),
        )),
        Err(AppError::Validation(e)) => {
            render_placement(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &f, Some(&e)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SupportForm {
    occurred_on: String,
    with_whom: String,
    channel: String,
    note: String,
}

pub async fn support_add(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(f): SafeForm<SupportForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now) = (id.into_inner(), ctx.state.now());
    let input = SupportInput {
        occurred_on: filled(&f.occurred_on),
        with_whom: filled(&f.with_whom).map(Choice::from),
        channel: filled(&f.channel).map(Choice::from),
        note: filled(&f.note),
    };
    let a = actor.clone();
    let client = ctx
        .state
        .pool
        .run(move |conn| Ok(placements::get(conn, &a, id)?.client_id))
        .await?;
    match ctx
        .state
        .pool
        .tx(move |conn| placements::add_support(conn, &actor, id, input, now))
        .await
    {
        Ok(_) => Ok(see_other(
            &format!("/clients/{client}#placements"),
            Some("flash.support_saved"),
        )),
        Err(AppError::Validation(e)) if e.0.contains_key("with_whom") => Ok(see_other(
            &format!("/clients/{client}#placements"),
            Some("flash.support_no_consent"),
        )),
        Err(AppError::Validation(_)) => Ok(see_other(
            &format!("/clients/{client}#placements"),
            Some("flash.support_failed"),
        )),
        Err(e) => Err(e),
    }
}

/// The job seekers a lead fits, best first, with reasons; propose from here.
pub async fn lead_matches(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, a, w, lang) = (
        id.into_inner(),
        actor.clone(),
        ctx.state.settings.weights,
        ctx.lang,
    );
    let (lead, views) = ctx
        .state
        .pool
        .run(move |conn| {
            let lead = crate::domain::leads::get(conn, &a, id)?;
            let all = find::for_lead(conn, &a, id, &w)?;
            let top: Vec<_> = all.into_iter().take(30).collect();
            Ok((lead, find::views(conn, &a, &top, lang)?))
        })
        .await?;
    let rows: Vec<Value> = views
        .iter()
        .map(|m| {
            let of = |k: crate::domain::matching::Kind| m.reasons.iter().filter(|r| r.kind == k).map(|r| r.text.clone()).collect::<Vec<_>>();
            json!({
                "client_id": m.client_id, "name": m.client_name, "score": format!("{:.0}", m.score),
                "fits": of(crate::domain::matching::Kind::Fits), "missing": of(crate::domain::matching::Kind::Missing),
                "relaxed": of(crate::domain::matching::Kind::Relaxed),
            })
        })
        .collect();
    ctx.ok(
        "clients/lead_matches",
        &ctx.t("matches.for_lead"),
        json!({"nav_leads": true, "lead": {"id": lead.id, "title": lead.title, "employer": lead.employer_name, "employer_id": lead.employer_id}, "rows": rows, "can_write": actor.can_write()}),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WorkForm {
    employer: String,
    title: String,
    occupation: String,
    from: String,
    to: String,
    went_well: String,
    why_ended: String,
}

/// Adds a job to the work history: a new profile version.
pub async fn work_add(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(f): SafeForm<WorkForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, a, tz, now) = (
        id.into_inner(),
        actor.clone(),
        ctx.state.settings.timezone,
        ctx.state.now(),
    );
    let date = |s: &str| filled(s).and_then(|d| crate::domain::outreach::parse_date(&d));
    let entry = profile::WorkHistory {
        employer: f.employer.trim().to_string(),
        title: f.title.trim().to_string(),
        occupation: filled(&f.occupation)
            .map(|o| o.split_whitespace().next().unwrap_or_default().to_string()),
        from: date(&f.from),
        to: date(&f.to),
        went_well: f.went_well.trim().to_string(),
        why_ended: f.why_ended.trim().to_string(),
    };
    let result = ctx
        .state
        .pool
        .tx(move |conn| {
            clients::get(conn, &a, id, tz)?;
            let (_, mut p) = profile::current(conn, &a, id)?;
            p.work_history.push(entry);
            profile::save(conn, &a, id, p, now)
        })
        .await;
    match result {
        Ok(_) => Ok(see_other(
            &format!("/clients/{id}/profile#work"),
            Some("flash.profile_saved"),
        )),
        Err(AppError::Validation(_)) => Ok(see_other(
            &format!("/clients/{id}/profile#work"),
            Some("flash.work_failed"),
        )),
        Err(e) => Err(e),
    }
}

/// Removes one job from the work history: a new profile version.
pub async fn work_remove(
    req: HttpRequest,
    PageUser(actor): PageUser,
    path: web::Path<(i64, usize)>,
    SafeForm(_): SafeForm<crate::web::pages::NoFields>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let ((id, index), a, tz, now) = (
        path.into_inner(),
        actor.clone(),
        ctx.state.settings.timezone,
        ctx.state.now(),
    );
    ctx.state
        .pool
        .tx(move |conn| {
            clients::get(conn, &a, id, tz)?;
            let (_, mut p) = profile::current(conn, &a, id)?;
            if index >= p.work_history.len() {
                return Err(AppError::NotFound);
            }
            p.work_history.remove(index);
            profile::save(conn, &a, id, p, now)
        })
        .await?;
    Ok(see_other(
        &format!("/clients/{id}/profile#work"),
        Some("flash.profile_saved"),
    ))
}

fn current_work(ctx: &PageCtx, history: &[profile::Version]) -> Vec<Value> {
    let Some(v) = history.first() else {
        return Vec::new();
    };
    v.profile
        .work_history
        .iter()
        .enumerate()
        .map(|(i, w)| {
            json!({
                "index": i, "employer": w.employer, "title": w.title, "occupation": w.occupation,
                "from": w.from.map(|d| format_date(ctx.lang, d)), "to": w.to.map(|d| format_date(ctx.lang, d)),
                "went_well": w.went_well, "why_ended": w.why_ended,
            })
        })
        .collect()
}
