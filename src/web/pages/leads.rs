//! Job lead pages: the list, and one form for adding and editing.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::closed_set::Choice;
use crate::domain::employers::service as employers;
use crate::domain::leads::{
    self, Lead, LeadInput, LeadParams, LeadSource, LeadStatus, ScheduleInput,
};
use crate::domain::occupations::OCCUPATIONS;
use crate::domain::users::Actor;
use crate::domain::versioning::Expected;
use crate::error::{AppError, FieldErrors};
use crate::i18n::format_date;
use crate::web::extract::PageUser;
use crate::web::pages::field::Field;
use crate::web::pages::filled;
use crate::web::pages::outreach::pick_employer;
use crate::web::pages::schedule::{ScheduleTicks, Tick};
use crate::web::pages::views::{self, Named};
use crate::web::pages::{create, update, EditForm};
use crate::web::render::{options, see_other, submit, Messages, Opt, PageCtx};

pub async fn list(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<LeadParams>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let mut params = q.into_inner();
    let status = params
        .status
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "active".into());
    params.status = Some(status.clone()).filter(|s| s != "all");
    params.limit = Some("100".into());
    let occupation = params.occupation.clone().unwrap_or_default();
    let export_url = views::export_url(
        "leads",
        &[
            ("status", params.status.clone()),
            ("employer_id", params.employer_id.clone()),
            ("q", params.q.clone()),
            ("occupation", params.occupation.clone()),
        ],
    );
    let (a, today, now) = (actor.clone(), ctx.state.today(), ctx.state.now());
    // An occupation that is none is named beside the filter, over an empty list.
    let (rows, errors) = match ctx
        .state
        .pool
        .tx(move |conn| leads::list(conn, &a, params, today, now))
        .await
    {
        Ok(page) => (
            page.items.iter().map(|l| LeadLine::of(&ctx, l)).collect(),
            None,
        ),
        Err(AppError::Validation(e)) => (Vec::new(), Some(e)),
        Err(e) => return Err(e),
    };
    let mut statuses = vec![
        ("active".to_string(), ctx.t("leads.active")),
        ("all".to_string(), ctx.t("common.all")),
    ];
    statuses.extend(
        LeadStatus::ALL
            .iter()
            .map(|s| (s.to_string(), ctx.t(s.label_key()))),
    );
    let view = ListView {
        nav_leads: true,
        errors: ctx.errors(errors.as_ref()),
        occupation,
        unit_groups: OCCUPATIONS
            .unit_groups(ctx.lang)
            .into_iter()
            .map(|(code, title)| UnitGroup { code, title })
            .collect(),
        rows,
        statuses: options(statuses, Some(&status)),
        can_write: actor.can_write(),
        export_url,
    };
    ctx.ok("leads/list", &ctx.t("leads.title"), view)
}

#[derive(Serialize)]
struct ListView {
    nav_leads: bool,
    errors: Messages,
    /// The occupation filter as typed.
    occupation: String,
    unit_groups: Vec<UnitGroup>,
    rows: Vec<LeadLine>,
    statuses: Vec<Opt>,
    can_write: bool,
    export_url: String,
}

#[derive(Serialize)]
struct LeadLine {
    id: i64,
    title: String,
    employer_id: i64,
    employer_name: String,
    /// The ISCO code and its title.
    occupation: Option<String>,
    /// Hours a week, as a range.
    hours: Option<String>,
    status: LeadStatus,
    status_label: String,
    apply_by: Option<String>,
    municipality: Option<String>,
    days: String,
    shifts: String,
}

impl LeadLine {
    fn of(ctx: &PageCtx, l: &Lead) -> Self {
        let hours = match (l.hours_min, l.hours_max) {
            (Some(a), Some(b)) if a == b => Some(format!("{a} h")),
            (Some(a), Some(b)) => Some(format!("{a}–{b} h")),
            (Some(a), None) => Some(format!("≥ {a} h")),
            (None, Some(b)) => Some(format!("≤ {b} h")),
            (None, None) => None,
        };
        let days: Vec<String> = l
            .schedule
            .days
            .iter()
            .map(|d| ctx.t(d.label_key()))
            .collect();
        let shifts: Vec<String> = l
            .schedule
            .shifts
            .iter()
            .map(|s| ctx.t(s.label_key()))
            .collect();
        Self {
            id: l.id,
            title: l.title.clone(),
            employer_id: l.employer_id,
            employer_name: l.employer_name.clone(),
            occupation: l.isco_code.as_ref().map(|c| OCCUPATIONS.label(c, ctx.lang)),
            hours,
            status: l.status,
            status_label: ctx.t(l.status.label_key()),
            apply_by: l.apply_by.map(|d| format_date(ctx.lang, d)),
            municipality: views::municipality_name(ctx, l.municipality_code.as_deref()),
            days: days.join(" "),
            shifts: shifts.join(", "),
        }
    }
}

/// The lead form: strings only; days and shifts as one checkbox each.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct LeadForm {
    employer_id: Field<i64>,
    /// The contact the lead came from ("add a lead" on a logged contact).
    outreach_id: Field<i64>,
    title: String,
    isco_code: String,
    description: String,
    hours_min: Field<i32>,
    hours_max: Field<i32>,
    municipality_code: String,
    wage: String,
    requirements: String,
    starts_on: String,
    apply_by: String,
    source: String,
    status: String,
    /// The version the form was filled from (blank for a new lead).
    version: String,
    #[serde(flatten)]
    ticks: ScheduleTicks,
}

impl LeadForm {
    fn to_input(&self) -> Result<LeadInput, AppError> {
        let mut e = FieldErrors::default();
        let employer_id = self
            .employer_id
            .read(&mut e, "employer_id", "error.unknown_employer");
        let outreach_id = self
            .outreach_id
            .read(&mut e, "outreach_id", "error.unknown_outreach");
        let hours_min = self.hours_min.read(&mut e, "hours_min", "error.number");
        let hours_max = self.hours_max.read(&mut e, "hours_max", "error.number");
        e.into_result()?;
        Ok(LeadInput {
            employer_id,
            title: filled(&self.title),
            isco_code: filled(&self.isco_code)
                .map(|s| s.split_whitespace().next().unwrap_or_default().to_string()),
            description: filled(&self.description),
            hours_min,
            hours_max,
            schedule: ScheduleInput {
                days: self.ticks.days(),
                shifts: self.ticks.shifts(),
            },
            municipality_code: filled(&self.municipality_code),
            wage: filled(&self.wage),
            requirements: filled(&self.requirements),
            starts_on: filled(&self.starts_on),
            apply_by: filled(&self.apply_by),
            source: filled(&self.source).map(Choice::from),
            status: filled(&self.status).map(Choice::from),
            found_by: None,
            outreach_id,
        })
    }

    fn from_lead(l: &Lead) -> Self {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            employer_id: Field::Value(l.employer_id),
            outreach_id: l.outreach_id.into(),
            title: l.title.clone(),
            isco_code: o(&l.isco_code),
            description: o(&l.description),
            hours_min: l.hours_min.into(),
            hours_max: l.hours_max.into(),
            municipality_code: o(&l.municipality_code),
            wage: o(&l.wage),
            requirements: o(&l.requirements),
            starts_on: l.starts_on.map(|x| x.to_string()).unwrap_or_default(),
            apply_by: l.apply_by.map(|x| x.to_string()).unwrap_or_default(),
            source: l.source.to_string(),
            status: l.status.to_string(),
            ticks: ScheduleTicks::of(&l.schedule.days, &l.schedule.shifts),
            version: l.version.to_string(),
        }
    }
}

async fn render(
    ctx: &PageCtx,
    actor: &Actor,
    form: &LeadForm,
    errors: Option<FieldErrors>,
    editing: Option<i64>,
) -> Result<HttpResponse, AppError> {
    let employer_id = form.employer_id.value().ok_or(AppError::NotFound)?;
    let a = actor.clone();
    let employer = ctx
        .state
        .pool
        .run(move |conn| employers::get(conn, &a, employer_id))
        .await?;
    let sel = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    let (days, shifts) = form.ticks.views(ctx);
    let title = if editing.is_some() {
        ctx.t("leads.edit_title")
    } else {
        ctx.t("leads.new")
    };
    let municipality = sel(&form.municipality_code).or(employer.municipality_code.clone());
    let source = sel(&form.source).unwrap_or_else(|| "employer_contact".into());
    let status = sel(&form.status).unwrap_or_else(|| "open".into());
    let view = FormView {
        nav_leads: true,
        employer: Named::new(employer.id, &employer.name),
        form,
        errors: ctx.errors(errors.as_ref()),
        has_errors: errors.is_some(),
        action: editing
            .map(|id| format!("/leads/{id}"))
            .unwrap_or_else(|| "/leads".into()),
        editing,
        days,
        shifts,
        municipalities: views::municipality_options(ctx, municipality.as_deref()),
        sources: views::choice_options::<LeadSource>(ctx, Some(&source)),
        statuses: views::choice_options::<LeadStatus>(ctx, Some(&status)),
        unit_groups: OCCUPATIONS
            .unit_groups(ctx.lang)
            .into_iter()
            .map(|(code, title)| UnitGroup { code, title })
            .collect(),
    };
    ctx.ok("leads/form", &title, view)
}

#[derive(Serialize)]
struct FormView<'a> {
    nav_leads: bool,
    employer: Named,
    form: &'a LeadForm,
    errors: Messages,
    has_errors: bool,
    action: String,
    editing: Option<i64>,
    days: Vec<Tick>,
    shifts: Vec<Tick>,
    municipalities: Vec<Opt>,
    sources: Vec<Opt>,
    statuses: Vec<Opt>,
    /// ISCO unit groups, for the occupation search.
    unit_groups: Vec<UnitGroup>,
}

#[derive(Serialize)]
struct UnitGroup {
    code: &'static str,
    title: &'static str,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    employer_id: Option<String>,
    /// The logged contact the lead was found on.
    outreach: Option<String>,
    q: Option<String>,
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
        return pick_employer(&ctx, &actor, q.q, "/leads/new").await;
    };
    let form = LeadForm {
        employer_id: Field::parse(&employer_id),
        outreach_id: Field::parse(q.outreach.as_deref().unwrap_or_default()),
        ..Default::default()
    };
    render(&ctx, &actor, &form, None, None).await
}

impl EditForm for LeadForm {
    async fn save(
        req: HttpRequest,
        actor: Actor,
        mut form: Self,
        editing: Option<i64>,
    ) -> Result<HttpResponse, AppError> {
        let ctx = PageCtx::from_req(&req)?;
        let (a, now) = (actor.clone(), ctx.state.now());
        let expected = Expected::from_form(&form.version)?;
        let result = match form.to_input() {
            Err(e) => Err(e),
            Ok(input) => {
                ctx.state
                    .pool
                    .tx(move |conn| match editing {
                        Some(id) => leads::update(conn, &a, id, input, expected, now),
                        None => leads::create(conn, &a, input, now),
                    })
                    .await
            }
        };
        crate::web::render::take_stored_version(&result, &mut form.version);
        submit(
            result,
            |l| {
                see_other(
                    &format!("/employers/{}#timeline", l.employer_id),
                    Some("flash.lead_saved"),
                )
            },
            |e| render(&ctx, &actor, &form, Some(e), editing),
        )
        .await
    }
}

pub async fn edit_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, a, today, now) = (
        id.into_inner(),
        actor.clone(),
        ctx.state.today(),
        ctx.state.now(),
    );
    let lead = ctx
        .state
        .pool
        .tx(move |conn| {
            leads::expire_due(conn, a.org_id, today, now)?;
            leads::get(conn, &a, id)
        })
        .await?;
    render(&ctx, &actor, &LeadForm::from_lead(&lead), None, Some(id)).await
}

/// Job leads.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/leads", web::get().to(list))
        .route("/leads", web::post().to(create::<LeadForm>))
        .route("/leads/new", web::get().to(new_form))
        .route("/leads/{id}", web::get().to(edit_form))
        .route("/leads/{id}", web::post().to(update::<LeadForm>));
}
