//! Proposing a lead to a job seeker and recording the answer; the lead's status follows.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::{clients, employers, lead_proposals, leads, users};
use crate::db::scope::{known, Owned};
use crate::db::{DbConn, Tx};
use crate::db_run;
use crate::domain::closed_set::Choice;
use crate::domain::leads::LeadStatus;
use crate::domain::users::Actor;
use crate::domain::validate::optional_text;
use crate::error::{AppError, FieldErrors, Msg};

crate::closed_set! {
    /// How a lead proposed to a job seeker went.
    pub enum ProposalStatus ("proposal") {
        Proposed = "proposed",
        Interested = "interested",
        NotInterested = "not_interested",
        Applied = "applied",
        Interview = "interview",
        Offer = "offer",
        Hired = "hired",
        NotHired = "not_hired",
    }
}

#[derive(Debug, Clone, Serialize, Queryable, Selectable, schemars::JsonSchema)]
#[diesel(table_name = lead_proposals)]
pub struct Proposal {
    pub id: i64,
    pub lead_id: i64,
    pub client_id: i64,
    pub proposed_by: Option<i64>,
    pub status: ProposalStatus,
    pub reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ProposalInput {
    pub lead_id: Option<i64>,
    pub client_id: Option<i64>,
    /// Why this job fits the job seeker, in a line.
    pub reason: Option<String>,
}

/// How a proposal went: the job seeker's answer or the employer's decision.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ProposalAnswer {
    pub status: Option<Choice<ProposalStatus>>,
    pub reason: Option<String>,
}

fn lead_status(conn: &mut DbConn, org: i64, lead_id: i64) -> Result<Option<LeadStatus>, AppError> {
    Ok(db_run!(conn, |c| leads::table
        .filter(leads::id.eq(lead_id))
        .filter(leads::organisation_id.eq(org))
        .select(leads::status)
        .first(c)
        .optional())?)
}

/// The lead's status after its proposals changed: hired fills it, an interview makes it
/// interviewing, live proposals keep candidates proposed, none left reopens it.
fn follow(
    conn: &mut DbConn,
    actor: &Actor,
    lead_id: i64,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let Some(current) = lead_status(conn, actor.org_id, lead_id)? else {
        return Ok(());
    };
    use ProposalStatus as P;
    let answers: Vec<ProposalStatus> = db_run!(conn, |c| lead_proposals::table
        .filter(lead_proposals::organisation_id.eq(actor.org_id))
        .filter(lead_proposals::lead_id.eq(lead_id))
        .select(lead_proposals::status)
        .load(c))?;
    let has = |s: ProposalStatus| answers.contains(&s);
    let live = answers
        .iter()
        .any(|a| ![P::NotInterested, P::NotHired].contains(a));
    let next = if has(P::Hired) {
        LeadStatus::FilledByUs
    } else if has(P::Interview) || has(P::Offer) {
        LeadStatus::Interviewing
    } else if live {
        LeadStatus::CandidatesProposed
    } else {
        LeadStatus::Open
    };
    // A lead someone closed by hand (withdrawn, filled otherwise, expired) stays closed.
    let following = [
        LeadStatus::Open,
        LeadStatus::CandidatesProposed,
        LeadStatus::Interviewing,
    ];
    if following.contains(&current) && current != next {
        db_run!(conn, |c| diesel::update(
            leads::table
                .filter(leads::id.eq(lead_id))
                .filter(leads::organisation_id.eq(actor.org_id))
        )
        .set((leads::status.eq(next), leads::updated_at.eq(now)))
        .execute(c))?;
    }
    Ok(())
}

pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<Proposal, AppError> {
    db_run!(conn, |c| lead_proposals::table
        .filter(lead_proposals::id.eq(id))
        .filter(lead_proposals::organisation_id.eq(actor.org_id))
        .select(Proposal::as_select())
        .first(c)
        .optional())?
    .ok_or(AppError::NotFound)
}

/// Proposes a lead to a job seeker.
pub fn propose(
    conn: &mut Tx<'_>,
    actor: &Actor,
    input: ProposalInput,
    now: NaiveDateTime,
) -> Result<Proposal, AppError> {
    actor.require_write()?;
    let mut e = FieldErrors::default();
    let status = match input.lead_id {
        Some(l) => lead_status(conn, actor.org_id, l)?,
        None => None,
    };
    match status {
        None => e.add("lead_id", Msg::new("error.unknown_lead")),
        Some(s) if !LeadStatus::OPEN.contains(&s) && s != LeadStatus::Interviewing => {
            e.add("lead_id", Msg::new("error.lead_closed"))
        }
        Some(_) => {}
    }
    let client_id = known(conn, Owned::Client, actor.org_id, input.client_id)?;
    match client_id {
        None => e.add("client_id", Msg::new("error.unknown_client")),
        // Presenting someone to an employer needs their consent.
        Some(k)
            if !crate::domain::clients::without_consent(conn, actor.org_id, &[k])?.is_empty() =>
        {
            e.add("client_id", Msg::new("error.no_contact_consent"))
        }
        Some(_) => {}
    }
    let reason = optional_text(&mut e, "reason", input.reason, 1000);
    let (Some(lead_id), Some(client_id), true) = (input.lead_id, client_id, e.is_empty()) else {
        return Err(AppError::Validation(e));
    };
    let exists: Option<i64> = db_run!(conn, |c| lead_proposals::table
        .filter(lead_proposals::organisation_id.eq(actor.org_id))
        .filter(lead_proposals::lead_id.eq(lead_id))
        .filter(lead_proposals::client_id.eq(client_id))
        .select(lead_proposals::id)
        .first(c)
        .optional())?;
    if exists.is_some() {
        return Err(AppError::Conflict(FieldErrors::single(
            "client_id",
            Msg::new("error.already_proposed"),
        )));
    }
    let id: i64 = db_run!(conn, |c| diesel::insert_into(lead_proposals::table)
        .values((
            lead_proposals::organisation_id.eq(actor.org_id),
            lead_proposals::lead_id.eq(lead_id),
            lead_proposals::client_id.eq(client_id),
            lead_proposals::proposed_by.eq(actor.user_id),
            lead_proposals::status.eq(ProposalStatus::Proposed),
            lead_proposals::reason.eq(&reason),
            lead_proposals::created_at.eq(now),
            lead_proposals::updated_at.eq(now),
        ))
        .returning(lead_proposals::id)
        .get_result(c))?;
    // The trail of the job seeker notes the proposal (its reason only as "changed").
    let mut changes = vec![crate::domain::audit::Change::note(
        "proposed_for_lead",
        lead_id,
    )];
    if reason.is_some() {
        changes.push(crate::domain::audit::Change {
            field: "reason".into(),
            old: serde_json::Value::Null,
            new: serde_json::Value::Null,
            private: true,
        });
    }
    crate::domain::audit::record(
        conn,
        actor,
        crate::domain::audit::Event {
            action: crate::domain::audit::Action::Create,
            entity: crate::domain::audit::Entity::Client,
            entity_id: Some(client_id),
            changes: &changes,
            at: now,
        },
    )?;
    follow(conn, actor, lead_id, now)?;
    get(conn, actor, id)
}

/// Records the job seeker's answer or the employer's decision.
pub fn answer(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    input: ProposalAnswer,
    now: NaiveDateTime,
) -> Result<Proposal, AppError> {
    actor.require_write()?;
    let current = get(conn, actor, id)?;
    let mut e = FieldErrors::default();
    let status = input.status.as_ref().and_then(Choice::known);
    if status.is_none() {
        e.add("status", Msg::new("error.choice"));
    }
    // An answer without a reason keeps the one given before ("" clears it).
    let reason = match input.reason {
        None => current.reason.clone(),
        given => optional_text(&mut e, "reason", given, 1000),
    };
    e.into_result()?;
    let status = status.ok_or_else(|| AppError::internal("status checked above"))?;
    db_run!(conn, |c| diesel::update(
        lead_proposals::table
            .filter(lead_proposals::id.eq(id))
            .filter(lead_proposals::organisation_id.eq(actor.org_id))
    )
    .set((
        lead_proposals::status.eq(status),
        lead_proposals::reason.eq(&reason),
        lead_proposals::updated_at.eq(now)
    ))
    .execute(c))?;
    let change = crate::domain::audit::Change {
        field: format!("proposal.{}", current.lead_id),
        old: current.status.as_str().into(),
        new: status.as_str().into(),
        private: false,
    };
    crate::domain::audit::record(
        conn,
        actor,
        crate::domain::audit::Event {
            action: crate::domain::audit::Action::Update,
            entity: crate::domain::audit::Entity::Client,
            entity_id: Some(current.client_id),
            changes: &[change],
            at: now,
        },
    )?;
    follow(conn, actor, current.lead_id, now)?;
    get(conn, actor, id)
}

pub fn for_client(
    conn: &mut DbConn,
    actor: &Actor,
    client_id: i64,
) -> Result<Vec<Proposal>, AppError> {
    Ok(db_run!(conn, |c| lead_proposals::table
        .filter(lead_proposals::organisation_id.eq(actor.org_id))
        .filter(lead_proposals::client_id.eq(client_id))
        .order(lead_proposals::updated_at.desc())
        .select(Proposal::as_select())
        .load(c))?)
}

/// Whose proposals are read.
#[derive(Debug, Clone, Copy)]
pub enum Of<'a> {
    Client(i64),
    Lead(i64),
    Clients(&'a [i64]),
}

/// The (lead, job seeker) pairs already proposed, which matching does not offer again.
/// Every proposal counts, whatever its answer: there is no withdrawn status, and a pair
/// cannot be proposed twice.
pub fn pairs(conn: &mut DbConn, org: i64, of: Of) -> Result<HashSet<(i64, i64)>, AppError> {
    let rows: Vec<(i64, i64)> = db_run!(conn, |c| {
        let q = lead_proposals::table
            .filter(lead_proposals::organisation_id.eq(org))
            .into_boxed::<Db>();
        match of {
            Of::Client(id) => q.filter(lead_proposals::client_id.eq(id)),
            Of::Lead(id) => q.filter(lead_proposals::lead_id.eq(id)),
            Of::Clients(ids) => q.filter(lead_proposals::client_id.eq_any(ids)),
        }
        .select((lead_proposals::lead_id, lead_proposals::client_id))
        .load(c)
    })?;
    Ok(rows.into_iter().collect())
}

/// A proposal with what people read: the lead's title and employer, the job seeker and
/// their specialist.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Named {
    #[serde(flatten)]
    pub proposal: Proposal,
    pub lead_title: String,
    pub lead_status: LeadStatus,
    pub employer_id: i64,
    pub employer_name: String,
    pub client_name: String,
    pub specialist_id: i64,
    pub specialist_name: String,
}

impl Named {
    /// The lead still takes candidates or interviews: the proposal is live, and the job
    /// seeker's page lists it apart from the new matches.
    pub fn lead_in_play(&self) -> bool {
        LeadStatus::OPEN.contains(&self.lead_status) || self.lead_status == LeadStatus::Interviewing
    }
}

/// Proposals with their names, the latest change first.
pub fn named(conn: &mut DbConn, actor: &Actor, of: Of) -> Result<Vec<Named>, AppError> {
    type Row = (Proposal, String, LeadStatus, i64, String, String, i64);
    let org = actor.org_id;
    let rows: Vec<Row> = db_run!(conn, |c| {
        let q = lead_proposals::table
            .inner_join(leads::table.inner_join(employers::table))
            .inner_join(clients::table)
            .filter(lead_proposals::organisation_id.eq(org))
            .into_boxed::<Db>();
        match of {
            Of::Client(id) => q.filter(lead_proposals::client_id.eq(id)),
            Of::Lead(id) => q.filter(lead_proposals::lead_id.eq(id)),
            Of::Clients(ids) => q.filter(lead_proposals::client_id.eq_any(ids)),
        }
        .order((lead_proposals::updated_at.desc(), lead_proposals::id.desc()))
        .select((
            Proposal::as_select(),
            leads::title,
            leads::status,
            employers::id,
            employers::name,
            clients::display_name,
            clients::specialist_id,
        ))
        .load(c)
    })?;
    let ids: Vec<i64> = rows.iter().map(|r| r.6).collect();
    let people: HashMap<i64, String> = db_run!(conn, |c| users::table
        .filter(users::organisation_id.eq(org))
        .filter(users::id.eq_any(&ids))
        .select((users::id, users::display_name))
        .load::<(i64, String)>(c))?
    .into_iter()
    .collect();
    Ok(rows
        .into_iter()
        .map(
            |(
                proposal,
                lead_title,
                lead_status,
                employer_id,
                employer_name,
                client_name,
                specialist_id,
            )| Named {
                proposal,
                lead_title,
                lead_status,
                employer_id,
                employer_name,
                client_name,
                specialist_name: people.get(&specialist_id).cloned().unwrap_or_default(),
                specialist_id,
            },
        )
        .collect())
}
