//! Placements (job starts) and follow-along support after them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::{clients, leads, placements, support_contacts};
use crate::db::scope::{known, Owned};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::audit::{self, Action, Entity, Privacy};
use crate::domain::clients::{self as job_seekers, ClientStatus, Disclosure};
use crate::domain::closed_set::Choice;
use crate::domain::leads::LeadStatus;
use crate::domain::occupations::read_code;
use crate::domain::outreach::parse_date;
use crate::domain::users::Actor;
use crate::domain::validate::choice;
use crate::domain::validate::{optional_text, required_text};
use crate::domain::versioning;
use crate::error::{AppError, FieldErrors, Msg};

crate::closed_set! {
    pub enum EmploymentType ("employment_type") {
        Permanent = "permanent",
        FixedTerm = "fixed_term",
        Temporary = "temporary",
    }
}

crate::closed_set! {
    /// Who a follow-along support contact was with.
    pub enum WithWhom ("with_whom") {
        Worker = "worker",
        Employer = "employer",
        WorkCommunity = "work_community",
    }
}

crate::closed_set! {
    pub enum SupportChannel ("support_channel") {
        InPerson = "in_person",
        Phone = "phone",
        Video = "video",
        Message = "message",
    }
}

#[derive(Debug, Clone, Serialize, Queryable, Selectable, schemars::JsonSchema)]
#[diesel(table_name = placements)]
pub struct Placement {
    pub id: i64,
    pub client_id: i64,
    pub employer_id: i64,
    pub lead_id: Option<i64>,
    pub job_title: String,
    pub isco_code: Option<String>,
    pub hours_per_week: Option<i32>,
    pub wage: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub employment_type: EmploymentType,
    pub competitive: bool,
    pub disclosure: Disclosure,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The partner organisation the job came through.
    pub partner_id: Option<i64>,
    /// Counts saves; an edit names the version it started from (`domain::versioning`).
    pub version: i32,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PlacementInput {
    pub client_id: Option<i64>,
    pub employer_id: Option<i64>,
    pub lead_id: Option<i64>,
    pub job_title: Option<String>,
    pub isco_code: Option<String>,
    pub hours_per_week: Option<i32>,
    pub wage: Option<String>,
    #[schemars(extend("format" = "date"))]
    pub starts_on: Option<String>,
    #[schemars(extend("format" = "date"))]
    pub ends_on: Option<String>,
    pub end_reason: Option<String>,
    pub employment_type: Option<Choice<EmploymentType>>,
    pub competitive: Option<bool>,
    pub disclosure: Option<Choice<Disclosure>>,
}

impl From<&Placement> for PlacementInput {
    fn from(p: &Placement) -> Self {
        Self {
            client_id: Some(p.client_id),
            employer_id: Some(p.employer_id),
            lead_id: p.lead_id,
            job_title: Some(p.job_title.clone()),
            isco_code: p.isco_code.clone(),
            hours_per_week: p.hours_per_week,
            wage: p.wage.clone(),
            starts_on: Some(p.starts_on.to_string()),
            ends_on: p.ends_on.map(|d| d.to_string()),
            end_reason: p.end_reason.clone(),
            employment_type: Some(Choice::Known(p.employment_type)),
            competitive: Some(p.competitive),
            disclosure: Some(Choice::Known(p.disclosure)),
        }
    }
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = placements, treat_none_as_null = true)]
struct PlacementDraft {
    client_id: i64,
    employer_id: i64,
    lead_id: Option<i64>,
    job_title: String,
    isco_code: Option<String>,
    hours_per_week: Option<i32>,
    wage: Option<String>,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    end_reason: Option<String>,
    employment_type: EmploymentType,
    competitive: bool,
    disclosure: Disclosure,
}

fn parse(conn: &mut DbConn, actor: &Actor, i: PlacementInput) -> Result<PlacementDraft, AppError> {
    let mut e = FieldErrors::default();
    let job_title = required_text(&mut e, "job_title", i.job_title, 200);
    let isco_code = read_code(&mut e, "isco_code", i.isco_code);
    if i.hours_per_week.is_some_and(|h| !(1..=80).contains(&h)) {
        e.add(
            "hours_per_week",
            Msg::new("error.range").arg("min", 1).arg("max", 80),
        );
    }
    let starts_on = match i.starts_on.as_deref().and_then(parse_date) {
        Some(d) => d,
        None => {
            e.add("starts_on", Msg::new("error.date"));
            NaiveDate::default()
        }
    };
    let ends_on = i.ends_on.filter(|s| !s.trim().is_empty()).and_then(|s| {
        parse_date(&s).or_else(|| {
            e.add("ends_on", Msg::new("error.date"));
            None
        })
    });
    if ends_on.is_some_and(|d| d < starts_on) {
        e.add("ends_on", Msg::new("error.end_before_start"));
    }
    let end_reason = optional_text(&mut e, "end_reason", i.end_reason, 1000);
    let employment_type =
        choice(&mut e, "employment_type", i.employment_type).unwrap_or(EmploymentType::Permanent);
    let disclosure = choice(&mut e, "disclosure", i.disclosure).unwrap_or(Disclosure::None);
    let wage = optional_text(&mut e, "wage", i.wage, 200);
    let org = actor.org_id;
    let client_id = known(conn, Owned::Client, org, i.client_id)?;
    if client_id.is_none() {
        e.add("client_id", Msg::new("error.unknown_client"));
    }
    let employer_id = known(conn, Owned::Employer, org, i.employer_id)?;
    if employer_id.is_none() {
        e.add("employer_id", Msg::new("error.unknown_employer"));
    }
    if let Some(l) = i.lead_id {
        // The lead must be this employer's; with no known employer it cannot be.
        let n: i64 = match employer_id {
            Some(emp) => db_run!(conn, |c| leads::table
                .filter(leads::id.eq(l))
                .filter(leads::organisation_id.eq(org))
                .filter(leads::employer_id.eq(emp))
                .count()
                .get_result(c))?,
            None => 0,
        };
        if n == 0 {
            e.add("lead_id", Msg::new("error.unknown_lead"));
        }
    }
    let (Some(client_id), Some(employer_id), true) = (client_id, employer_id, e.is_empty()) else {
        return Err(AppError::Validation(e));
    };
    Ok(PlacementDraft {
        client_id,
        employer_id,
        lead_id: i.lead_id,
        job_title,
        isco_code,
        hours_per_week: i.hours_per_week,
        wage,
        starts_on,
        ends_on,
        end_reason,
        employment_type,
        competitive: i.competitive.unwrap_or(true),
        disclosure,
    })
}

pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<Placement, AppError> {
    db_run!(conn, |c| placements::table
        .filter(placements::id.eq(id))
        .filter(placements::organisation_id.eq(actor.org_id))
        .select(Placement::as_select())
        .first(c)
        .optional())?
    .ok_or(AppError::NotFound)
}

/// A job start: the job seeker is now working, and the profile wants an update.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    input: PlacementInput,
    now: NaiveDateTime,
) -> Result<Placement, AppError> {
    actor.require_write()?;
    let d = parse(conn, actor, input)?;
    job_seekers::refuse_if_erased(conn, actor.org_id, d.client_id, "client_id")?;
    let id: i64 = db_run!(conn, |c| diesel::insert_into(placements::table)
        .values((
            &d,
            placements::organisation_id.eq(actor.org_id),
            placements::created_at.eq(now),
            placements::updated_at.eq(now)
        ))
        .returning(placements::id)
        .get_result(c))?;
    // Through the lead's partner, else the employer's.
    let via_lead: Option<i64> = match d.lead_id {
        Some(l) => db_run!(conn, |c| leads::table
            .filter(leads::id.eq(l))
            .filter(leads::organisation_id.eq(actor.org_id))
            .select(leads::partner_id)
            .first::<Option<i64>>(c)
            .optional())?
        .flatten(),
        None => None,
    };
    let partner = match via_lead {
        Some(p) => Some(p),
        None => crate::domain::partners::members::partner_of(conn, actor.org_id, d.employer_id)?,
    };
    if partner.is_some() {
        db_run!(conn, |c| diesel::update(
            placements::table.filter(placements::id.eq(id))
        )
        .set(placements::partner_id.eq(partner))
        .execute(c))?;
    }
    if d.ends_on.is_none() {
        job_seekers::set_status(conn, actor, d.client_id, ClientStatus::Working, now)?;
    }
    if let Some(l) = d.lead_id {
        let before: Option<LeadStatus> = db_run!(conn, |c| leads::table
            .filter(leads::id.eq(l))
            .filter(leads::organisation_id.eq(actor.org_id))
            .select(leads::status)
            .first(c)
            .optional())?;
        if let Some(b) = before.filter(|b| *b != LeadStatus::FilledByUs) {
            let change = audit::Change {
                field: "status".into(),
                old: b.as_str().into(),
                new: LeadStatus::FilledByUs.as_str().into(),
                private: false,
            };
            audit::record(
                conn,
                actor,
                audit::Event {
                    action: Action::Update,
                    entity: Entity::Lead,
                    entity_id: Some(l),
                    changes: &[change],
                    at: now,
                },
            )?;
        }
        db_run!(conn, |c| diesel::update(
            leads::table
                .filter(leads::id.eq(l))
                .filter(leads::organisation_id.eq(actor.org_id))
        )
        .set((
            leads::status.eq(LeadStatus::FilledByUs),
            leads::updated_at.eq(now)
        ))
        .execute(c))?;
    }
    let created = get(conn, actor, id)?;
    audit::changed(
        conn,
        actor,
        Action::Create,
        Entity::Placement,
        id,
        None::<&Placement>,
        Some(&created),
        FREE_TEXT,
        now,
    )?;
    Ok(created)
}

/// Why a job ended may be about health, and the wage is the person's own business: the
/// trail says only "changed".
const FREE_TEXT: Privacy = Privacy::Fields(&["end_reason", "wage"]);

pub fn patch(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    patch: serde_json::Map<String, serde_json::Value>,
    now: NaiveDateTime,
) -> Result<Placement, AppError> {
    actor.require_write()?;
    let current = get(conn, actor, id)?;
    job_seekers::refuse_if_erased(conn, actor.org_id, current.client_id, "client_id")?;
    let theirs = PlacementInput::from(&current);
    let edit = versioning::merge(patch, &theirs, current.version, &current)?;
    if edit.unchanged {
        return Ok(current);
    }
    let d = parse(conn, actor, edit.input.clone())?;
    let rows = db_run!(conn, |c| diesel::update(
        placements::table
            .filter(placements::id.eq(id))
            .filter(placements::organisation_id.eq(actor.org_id))
            .filter(placements::version.eq(current.version))
    )
    .set((&d, placements::updated_at.eq(now)))
    .execute(c))?;
    versioning::applied(rows, || match get(conn, actor, id) {
        Ok(now) => versioning::stale(now.version, &PlacementInput::from(&now), &edit.input, &now),
        Err(e) => e,
    })?;
    let after = get(conn, actor, id)?;
    audit::changed(
        conn,
        actor,
        Action::Update,
        Entity::Placement,
        id,
        Some(&current),
        Some(&after),
        FREE_TEXT,
        now,
    )?;
    Ok(after)
}

pub fn for_client(
    conn: &mut DbConn,
    actor: &Actor,
    client_id: i64,
) -> Result<Vec<Placement>, AppError> {
    Ok(db_run!(conn, |c| placements::table
        .filter(placements::organisation_id.eq(actor.org_id))
        .filter(placements::client_id.eq(client_id))
        .order(placements::starts_on.desc())
        .select(Placement::as_select())
        .load(c))?)
}

#[derive(Debug, Clone, Serialize, Queryable, Selectable, schemars::JsonSchema)]
#[diesel(table_name = support_contacts)]
pub struct SupportContact {
    pub id: i64,
    pub placement_id: i64,
    pub specialist_id: i64,
    pub occurred_on: NaiveDate,
    pub with_whom: WithWhom,
    pub channel: SupportChannel,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SupportInput {
    #[schemars(extend("format" = "date"))]
    pub occurred_on: Option<String>,
    pub with_whom: Option<Choice<WithWhom>>,
    pub channel: Option<Choice<SupportChannel>>,
    pub note: Option<String>,
}

/// Records follow-along support. Contact with the employer or the work community needs
/// the worker's consent.
pub fn add_support(
    conn: &mut DbConn,
    actor: &Actor,
    placement_id: i64,
    i: SupportInput,
    now: NaiveDateTime,
) -> Result<SupportContact, AppError> {
    actor.require_write()?;
    let p = get(conn, actor, placement_id)?;
    job_seekers::refuse_if_erased(conn, actor.org_id, p.client_id, "note")?;
    let mut e = FieldErrors::default();
    let occurred_on = match i.occurred_on.as_deref().and_then(parse_date) {
        Some(d) => d,
        None => {
            e.add("occurred_on", Msg::new("error.date"));
            now.date()
        }
    };
    let with_whom = choice(&mut e, "with_whom", i.with_whom).unwrap_or(WithWhom::Worker);
    let channel = choice(&mut e, "channel", i.channel).unwrap_or(SupportChannel::InPerson);
    let note = optional_text(&mut e, "note", i.note, 2000);
    if with_whom != WithWhom::Worker {
        let consent: bool = db_run!(conn, |c| clients::table
            .filter(clients::id.eq(p.client_id))
            .filter(clients::organisation_id.eq(actor.org_id))
            .select(clients::consent_to_contact_employers)
            .first(c))?;
        if !consent {
            e.add("with_whom", Msg::new("error.no_consent"));
        }
    }
    e.into_result()?;
    let mut changes = vec![audit::Change::note(
        "support_contact",
        serde_json::json!({
            "occurred_on": occurred_on.to_string(),
            "with_whom": with_whom.as_str(),
            "channel": channel.as_str(),
        }),
    )];
    if note.is_some() {
        changes.push(audit::Change {
            field: "note".into(),
            old: serde_json::Value::Null,
            new: serde_json::Value::Null,
            private: true,
        });
    }
    audit::record(
        conn,
        actor,
        audit::Event {
            action: Action::Update,
            entity: Entity::Placement,
            entity_id: Some(placement_id),
            changes: &changes,
            at: now,
        },
    )?;
    Ok(db_run!(conn, |c| diesel::insert_into(
        support_contacts::table
    )
    .values((
        support_contacts::organisation_id.eq(actor.org_id),
        support_contacts::placement_id.eq(placement_id),
        support_contacts::specialist_id.eq(actor.user_id),
        support_contacts::occurred_on.eq(occurred_on),
        support_contacts::with_whom.eq(with_whom),
        support_contacts::channel.eq(channel),
        support_contacts::note.eq(&note),
        support_contacts::created_at.eq(now),
    ))
    .returning(SupportContact::as_returning())
    .get_result(c))?)
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SupportSummary {
    pub contacts: Vec<SupportContact>,
    /// Seen in person within a week before the start or three days after.
    pub seen_around_start: bool,
    /// Weeks 1-4 after the start that had a contact with the worker.
    pub first_month_weeks_with_contact: usize,
}

pub fn support(
    conn: &mut DbConn,
    actor: &Actor,
    placement_id: i64,
) -> Result<SupportSummary, AppError> {
    let p = get(conn, actor, placement_id)?;
    let contacts: Vec<SupportContact> = db_run!(conn, |c| support_contacts::table
        .filter(support_contacts::organisation_id.eq(actor.org_id))
        .filter(support_contacts::placement_id.eq(placement_id))
        .order(support_contacts::occurred_on.asc())
        .select(SupportContact::as_select())
        .load(c))?;
    Ok(summarise(p.starts_on, contacts))
}

/// Each placement with its support summary, in one query for all their contacts.
pub fn with_support(
    conn: &mut DbConn,
    actor: &Actor,
    places: Vec<Placement>,
) -> Result<Vec<(Placement, SupportSummary)>, AppError> {
    let ids: Vec<i64> = places.iter().map(|p| p.id).collect();
    let mut all: Vec<SupportContact> = db_run!(conn, |c| support_contacts::table
        .filter(support_contacts::organisation_id.eq(actor.org_id))
        .filter(support_contacts::placement_id.eq_any(&ids))
        .order((
            support_contacts::occurred_on.asc(),
            support_contacts::id.asc()
        ))
        .select(SupportContact::as_select())
        .load(c))?;
    Ok(places
        .into_iter()
        .map(|p| {
            let (mine, rest) = all.drain(..).partition(|c| c.placement_id == p.id);
            all = rest;
            let summary = summarise(p.starts_on, mine);
            (p, summary)
        })
        .collect())
}

pub fn summarise(start: NaiveDate, contacts: Vec<SupportContact>) -> SupportSummary {
    let worker: Vec<NaiveDate> = contacts
        .iter()
        .filter(|c| c.with_whom == WithWhom::Worker)
        .map(|c| c.occurred_on)
        .collect();
    let seen_around_start = contacts.iter().any(|c| {
        c.with_whom == WithWhom::Worker
            && c.channel == SupportChannel::InPerson
            && (c.occurred_on - start).num_days() >= -7
            && (c.occurred_on - start).num_days() <= 3
    });
    let first_month_weeks_with_contact = (0..4)
        .filter(|w| {
            worker
                .iter()
                .any(|d| (*d - start).num_days() >= w * 7 && (*d - start).num_days() < (w + 1) * 7)
        })
        .count();
    SupportSummary {
        contacts,
        seen_around_start,
        first_month_weeks_with_contact,
    }
}
