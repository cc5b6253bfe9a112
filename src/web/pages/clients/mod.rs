//! Job seeker pages: the caseload, the job seeker's form and page. The profile,
//! proposals and placements have their own files.

mod gdpr;
mod placements;
mod profile;
mod proposals;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::clients::{self, ClientInput, ClientParams, ClientStatus, Disclosure};
use crate::domain::closed_set::Choice;
use crate::domain::matching::{find, text, Kind};
use crate::domain::placements::{SupportChannel, WithWhom};
use crate::domain::proposals::{named, Of, ProposalStatus};
use crate::domain::users::{list_org_users, Actor};
use crate::error::{AppError, FieldErrors};
use crate::i18n::format_date;
use crate::web::extract::PageUser;
use crate::web::pages::field::Field;
use crate::web::pages::{create, update, EditForm};
use crate::web::pages::{filled, versioned_patch, views};
use crate::web::render::{options, see_other, submit, Messages, Opt, PageCtx};

pub async fn list(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<ClientParams>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let mut params = q.into_inner();
    let mine = params.specialist.as_deref() != Some("all");
    params.specialist = Some(if mine { "me".into() } else { "all".into() });
    let export_url = views::export_url(
        "job-seekers",
        &[
            ("specialist", params.specialist.clone()),
            ("status", params.status.clone()),
        ],
    );
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
    let rows = rows
        .iter()
        .map(|c| ClientLine {
            id: c.id,
            name: c.display_name.clone(),
            status: ctx.t(c.status.label_key()),
            status_code: c.status,
            intake: format_date(ctx.lang, c.intake_date),
            specialist: views::owner_name(&users, Some(c.specialist_id)),
        })
        .collect();
    let load = |l: &clients::Caseload| Load {
        name: l.name.clone(),
        active: l.active,
        limit: l.limit,
        over: l.over_limit,
    };
    let view = ListView {
        nav_clients: true,
        rows,
        mine,
        export_url,
        can_write: actor.can_write(),
        loads: loads.iter().map(load).collect(),
        my_load: loads
            .iter()
            .find(|l| l.specialist_id == actor.user_id)
            .map(load),
    };
    ctx.ok("clients/list", &ctx.t("clients.title"), view)
}

#[derive(Serialize)]
struct ListView {
    nav_clients: bool,
    rows: Vec<ClientLine>,
    mine: bool,
    can_write: bool,
    loads: Vec<Load>,
    my_load: Option<Load>,
    export_url: String,
}

#[derive(Serialize)]
struct ClientLine {
    id: i64,
    name: String,
    status: String,
    status_code: ClientStatus,
    intake: String,
    specialist: Option<String>,
}

/// A specialist's caseload against the limit.
#[derive(Serialize)]
struct Load {
    name: String,
    active: i64,
    limit: i64,
    over: bool,
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
    /// The version the form was opened at (`domain::versioning`).
    version: String,
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
            version: c.version.to_string(),
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
    let or = |s: &str, default: &'static str| filled(s).unwrap_or_else(|| default.into());
    let yes_no = [("yes", "common.yes"), ("no", "common.no")].map(|(v, k)| (v.into(), ctx.t(k)));
    let specialist = form
        .specialist_id
        .value()
        .unwrap_or(actor.user_id)
        .to_string();
    let view = FormView {
        nav_clients: true,
        form,
        editing,
        action: editing.map_or_else(|| "/clients".into(), |id| format!("/clients/{id}")),
        errors: ctx.errors(errors.as_ref()),
        has_errors: errors.is_some(),
        statuses: views::choice_options::<ClientStatus>(ctx, Some(&or(&form.status, "exploring"))),
        disclosures: views::choice_options::<Disclosure>(ctx, Some(&or(&form.disclosure, "none"))),
        wants: options(yes_no, filled(&form.wants_work).as_deref()),
        users: views::owner_options(&users, Some(&specialist)),
    };
    let title = match editing {
        Some(_) => ctx.t("clients.edit_title"),
        None => ctx.t("clients.new"),
    };
    ctx.ok("clients/form", &title, view)
}

#[derive(Serialize)]
struct FormView<'a> {
    nav_clients: bool,
    form: &'a ClientForm,
    editing: Option<i64>,
    action: String,
    errors: Messages,
    has_errors: bool,
    statuses: Vec<Opt>,
    disclosures: Vec<Opt>,
    wants: Vec<Opt>,
    users: Vec<Opt>,
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

impl EditForm for ClientForm {
    async fn save(
        req: HttpRequest,
        actor: Actor,
        mut form: Self,
        editing: Option<i64>,
    ) -> Result<HttpResponse, AppError> {
        let ctx = PageCtx::from_req(&req)?;
        let (a, now, tz) = (actor.clone(), ctx.state.now(), ctx.state.settings.timezone);
        let result = match form.to_input() {
            Err(e) => Err(e),
            Ok(input) => {
                let patch = versioned_patch(&input, &form.version)?;
                ctx.state
                    .pool
                    .tx(move |conn| match editing {
                        Some(id) => clients::patch(conn, &a, id, patch, now, tz),
                        None => clients::create(conn, &a, input, now, tz),
                    })
                    .await
            }
        };
        crate::web::render::take_stored_version(&result, &mut form.version);
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
}

pub async fn edit_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    actor.require_write()?;
    let ctx = PageCtx::from_req(&req)?;
    let (id, a, tz) = (id.into_inner(), actor.clone(), ctx.state.settings.timezone);
    let now = ctx.state.now();
    let c = ctx
        .state
        .pool
        .tx(move |conn| clients::open(conn, &a, id, now, tz))
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
    let (id, a, tz, m, lang) = (
        id.into_inner(),
        actor.clone(),
        ctx.state.settings.timezone,
        ctx.state.settings.matching,
        ctx.lang,
    );
    let cache = ctx.state.lead_cache.clone();
    let now = ctx.state.now();
    let opener = a.clone();
    let c = ctx
        .state
        .pool
        .tx(move |conn| clients::open(conn, &opener, id, now, tz))
        .await?;
    let ((version, p), matches, props, places, contacts) = ctx
        .state
        .pool
        .run(move |conn| {
            let p = crate::domain::clients::profile::current(conn, &a, id)?;
            let all = find::for_client(conn, &a, id, &m, Some(&cache))?;
            let top: Vec<_> = all.into_iter().take(10).collect();
            let matches = find::views(conn, &a, &top, lang)?;
            let props = named(conn, &a, Of::Client(id))?;
            let places = crate::domain::placements::for_client(conn, &a, id)?;
            let places = crate::domain::placements::with_support(conn, &a, places)?;
            let contacts = clients::contacts_on_behalf(conn, &a, id, 50)?;
            Ok((p, matches, props, places, contacts))
        })
        .await?;
    let row = &c.row;
    let reasons = |m: &find::MatchView, kind: Kind| -> Vec<String> {
        m.reasons
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| r.text.clone())
            .collect()
    };
    let matches = matches
        .iter()
        .map(|m| MatchLine {
            lead_id: m.lead_id,
            title: m.lead_title.clone(),
            employer_id: m.employer_id,
            employer: m.employer_name.clone(),
            score: format!("{:.0}", m.score),
            fits: reasons(m, Kind::Fits),
            missing: reasons(m, Kind::Missing),
            relaxed: reasons(m, Kind::Relaxed),
        })
        .collect();
    // Proposed for a lead still in play: not offered again, listed apart.
    let already = props
        .iter()
        .filter(|p| p.lead_in_play())
        .map(|p| AlreadyLine {
            id: p.proposal.id,
            lead_id: p.proposal.lead_id,
            title: p.lead_title.clone(),
            employer_id: p.employer_id,
            employer: p.employer_name.clone(),
            status: ctx.t(p.proposal.status.label_key()),
        })
        .collect();
    let proposals = props
        .iter()
        .map(|p| ProposalLine {
            id: p.proposal.id,
            lead_id: p.proposal.lead_id,
            title: p.lead_title.clone(),
            employer_id: p.employer_id,
            employer: p.employer_name.clone(),
            status: ctx.t(p.proposal.status.label_key()),
            reason: p.proposal.reason.clone(),
            options: views::choice_options::<ProposalStatus>(
                &ctx,
                Some(p.proposal.status.as_str()),
            ),
        })
        .collect();
    let placements = places
        .iter()
        .map(|(p, s)| PlacementLine {
            id: p.id,
            title: p.job_title.clone(),
            employer_id: p.employer_id,
            start: format_date(ctx.lang, p.starts_on),
            end: p.ends_on.map(|d| format_date(ctx.lang, d)),
            hours: p.hours_per_week,
            kind: ctx.t(p.employment_type.label_key()),
            competitive: p.competitive,
            seen_around_start: s.seen_around_start,
            weeks: s.first_month_weeks_with_contact,
            support: s
                .contacts
                .iter()
                .map(|c| SupportLine {
                    on: format_date(ctx.lang, c.occurred_on),
                    with_label: ctx.t(c.with_whom.label_key()),
                    channel: ctx.t(c.channel.label_key()),
                    note: c.note.clone(),
                })
                .collect(),
        })
        .collect();
    let contacts = contacts
        .iter()
        .map(|x| ContactLine {
            employer_id: x.employer_id,
            employer: x.employer_name.clone(),
            when: ctx.datetime(x.occurred_at),
            channel: ctx.t(x.channel.label_key()),
            purpose: ctx.t(x.purpose.label_key()),
        })
        .collect();
    let view = ShowView {
        nav_clients: true,
        can_write: actor.can_write(),
        client: ClientView {
            id: row.id,
            name: row.display_name.clone(),
            status: ctx.t(row.status.label_key()),
            intake: format_date(ctx.lang, row.intake_date),
            disclosure: ctx.t(row.disclosure.label_key()),
            disclosure_notes: row.disclosure_notes.clone(),
            consent: row.consent_to_contact_employers,
            wants_work: row.wants_work,
            rapid_days: c.rapid_job_search_days,
            first_contact: c
                .first_employer_contact_on
                .map(|d| format_date(ctx.lang, d)),
            erased: row.erased_at.map(|t| ctx.datetime(t)),
        },
        profile: profile::ProfileView::of(&ctx, version, &p),
        matches,
        min_score: text::points(ctx.lang, m.min_score),
        already,
        proposals,
        placements,
        contacts,
        with_whom: views::choice_options::<WithWhom>(&ctx, Some("worker")),
        support_channels: views::choice_options::<SupportChannel>(&ctx, Some("in_person")),
        today: ctx.state.today().to_string(),
    };
    ctx.ok("clients/show", &row.display_name, view)
}

#[derive(Serialize)]
struct ShowView {
    nav_clients: bool,
    can_write: bool,
    client: ClientView,
    profile: profile::ProfileView,
    matches: Vec<MatchLine>,
    /// The cut-off, as the reader writes numbers.
    min_score: String,
    already: Vec<AlreadyLine>,
    proposals: Vec<ProposalLine>,
    placements: Vec<PlacementLine>,
    contacts: Vec<ContactLine>,
    with_whom: Vec<Opt>,
    support_channels: Vec<Opt>,
    today: String,
}

#[derive(Serialize)]
struct ClientView {
    id: i64,
    name: String,
    status: String,
    intake: String,
    disclosure: String,
    disclosure_notes: Option<String>,
    consent: bool,
    wants_work: Option<bool>,
    rapid_days: Option<i64>,
    first_contact: Option<String>,
    /// When the person's data was erased (the record is no longer edited).
    erased: Option<String>,
}

/// A lead that fits, with the reasons by kind.
#[derive(Serialize)]
struct MatchLine {
    lead_id: i64,
    title: String,
    employer_id: i64,
    employer: String,
    score: String,
    fits: Vec<String>,
    missing: Vec<String>,
    relaxed: Vec<String>,
}

/// A lead the job seeker was already proposed for, with the proposal's status.
#[derive(Serialize)]
struct AlreadyLine {
    id: i64,
    lead_id: i64,
    title: String,
    employer_id: i64,
    employer: String,
    status: String,
}

#[derive(Serialize)]
struct ProposalLine {
    id: i64,
    lead_id: i64,
    title: String,
    employer_id: i64,
    employer: String,
    status: String,
    reason: Option<String>,
    options: Vec<Opt>,
}

#[derive(Serialize)]
struct PlacementLine {
    id: i64,
    title: String,
    employer_id: i64,
    start: String,
    end: Option<String>,
    hours: Option<i32>,
    #[serde(rename = "type")]
    kind: String,
    competitive: bool,
    seen_around_start: bool,
    weeks: usize,
    support: Vec<SupportLine>,
}

#[derive(Serialize)]
struct SupportLine {
    on: String,
    with_label: String,
    channel: String,
    note: Option<String>,
}

/// A contact made on the job seeker's behalf.
#[derive(Serialize)]
struct ContactLine {
    employer_id: i64,
    employer: String,
    when: String,
    channel: String,
    purpose: String,
}

/// Job seekers, their profiles, proposals, placements and a lead's matches.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/clients", web::get().to(list))
        .route("/clients", web::post().to(create::<ClientForm>))
        .route("/clients/new", web::get().to(new_form))
        .route("/clients/{id}", web::get().to(show))
        .route("/clients/{id}", web::post().to(update::<ClientForm>))
        .route("/clients/{id}/edit", web::get().to(edit_form))
        .configure(gdpr::routes)
        .configure(profile::routes)
        .configure(proposals::routes)
        .configure(placements::routes);
}
