//! What the fidelity figures read, in a handful of queries scoped to the organisation.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{
    client_profiles, clients, employers, leads, outreach, outreach_clients, placements,
    support_contacts, users,
};
use crate::db::scope::{in_org, Owned};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::clients::profile::Profile;
use crate::domain::clients::ClientStatus;
use crate::domain::outreach::{Channel, Purpose};
use crate::domain::placements::SupportContact;
use crate::domain::reference::Industry;
use crate::domain::users::Actor;
use crate::domain::week::{local_midnight_utc, utc_to_local};
use crate::error::AppError;

use super::{Period, Scope};

/// Face to face: a visit, or meeting the employer at an event.
pub const FACE_TO_FACE: [Channel; 2] = [Channel::InPerson, Channel::Event];

#[derive(Debug, Clone)]
pub struct Contact {
    pub id: i64,
    pub specialist_id: i64,
    pub employer_id: i64,
    pub at: NaiveDateTime,
    pub channel: Channel,
    pub purpose: Purpose,
    pub planned: bool,
}

impl Contact {
    pub fn face_to_face(&self) -> bool {
        self.channel.face_to_face()
    }
}

#[derive(Debug, Clone)]
pub struct Intake {
    pub client_id: i64,
    pub intake: NaiveDate,
    /// The first face-to-face employer contact, by the specialist or the job seeker.
    pub first_contact: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct PlacementFact {
    pub id: i64,
    pub client_id: i64,
    pub employer_id: i64,
    /// ISCO unit group, or the job title when there is none.
    pub job_type: String,
    pub competitive: bool,
    pub starts_on: NaiveDate,
    pub support: Vec<SupportContact>,
}

#[derive(Debug, Clone, Default)]
pub struct Data {
    pub specialists: Vec<i64>,
    pub contacts: Vec<Contact>,
    /// Face-to-face meetings up to the period's end, per employer met in the period.
    pub meetings_so_far: HashMap<i64, usize>,
    /// The first learning visit (purpose learn_needs) with each employer, organisation-wide.
    pub first_learning: HashMap<i64, NaiveDateTime>,
    /// (contact id, client id) for client-specific contacts.
    pub on_behalf: Vec<(i64, i64)>,
    pub profiles: HashMap<i64, Profile>,
    pub employer_industry: HashMap<i64, Option<Industry>>,
    /// Occupations of leads found from a contact.
    pub leads_from_contact: HashMap<i64, Vec<String>>,
    /// Occupations of each employer's leads.
    pub leads_at_employer: HashMap<i64, Vec<String>>,
    pub intakes: Vec<Intake>,
    /// Active job seekers and workers, and those searching, per specialist.
    pub active: HashMap<i64, usize>,
    pub searching: HashMap<i64, usize>,
    /// Placements that were running at some time in the period.
    pub placements: Vec<PlacementFact>,
}

pub fn specialists(conn: &mut DbConn, actor: &Actor, scope: Scope) -> Result<Vec<i64>, AppError> {
    let org = actor.org_id;
    match scope {
        Scope::Specialist(id) => {
            if !crate::domain::users::user_in_org(conn, org, id)? {
                return Err(AppError::NotFound);
            }
            Ok(vec![id])
        }
        Scope::Team(team) => {
            if !in_org(conn, Owned::Team, org, team)? {
                return Err(AppError::NotFound);
            }
            Ok(db_run!(conn, |c| users::table
                .filter(users::organisation_id.eq(org))
                .filter(users::team_id.eq(Some(team)))
                .filter(users::active.eq(true))
                .filter(users::role.eq_any(crate::domain::users::Role::DEVELOPERS))
                .order(users::id.asc())
                .select(users::id)
                .load(c))?)
        }
        Scope::Organisation => Ok(db_run!(conn, |c| users::table
            .filter(users::organisation_id.eq(org))
            .filter(users::active.eq(true))
            .filter(users::role.eq_any(crate::domain::users::Role::DEVELOPERS))
            .order(users::id.asc())
            .select(users::id)
            .load(c))?),
    }
}

type ContactRow = (i64, i64, i64, NaiveDateTime, Channel, Purpose, Option<i64>);

pub fn load(
    conn: &mut DbConn,
    actor: &Actor,
    scope: Scope,
    period: Period,
    tz: chrono_tz::Tz,
) -> Result<Data, AppError> {
    let org = actor.org_id;
    let people = specialists(conn, actor, scope)?;
    let (start, end) = (
        local_midnight_utc(period.from, tz),
        local_midnight_utc(period.to + Duration::days(1), tz),
    );
    let rows: Vec<ContactRow> = db_run!(conn, |c| outreach::table
        .filter(outreach::organisation_id.eq(org))
        .filter(outreach::specialist_id.eq_any(&people))
        .filter(outreach::occurred_at.ge(start))
        .filter(outreach::occurred_at.lt(end))
        .select((
            outreach::id,
            outreach::specialist_id,
            outreach::employer_id,
            outreach::occurred_at,
            outreach::channel,
            outreach::purpose,
            outreach::planned_contact_id,
        ))
        .load(c))?;
    let contacts: Vec<Contact> = rows
        .into_iter()
        .map(
            |(id, specialist_id, employer_id, at, channel, purpose, plan)| Contact {
                id,
                specialist_id,
                employer_id,
                at,
                channel,
                purpose,
                planned: plan.is_some(),
            },
        )
        .collect();
    let met: Vec<i64> = contacts
        .iter()
        .filter(|c| c.face_to_face())
        .map(|c| c.employer_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let so_far: Vec<i64> = db_run!(conn, |c| outreach::table
        .filter(outreach::organisation_id.eq(org))
        .filter(outreach::employer_id.eq_any(&met))
        .filter(outreach::channel.eq_any(FACE_TO_FACE))
        .filter(outreach::occurred_at.lt(end))
        .select(outreach::employer_id)
        .load(c))?;
    let mut meetings_so_far = HashMap::new();
    for e in so_far {
        *meetings_so_far.entry(e).or_insert(0) += 1;
    }
    let presented: Vec<i64> = contacts
        .iter()
        .filter(|c| c.purpose == Purpose::PresentJobSeeker)
        .map(|c| c.employer_id)
        .collect();
    let learning: Vec<(i64, NaiveDateTime)> = db_run!(conn, |c| outreach::table
        .filter(outreach::organisation_id.eq(org))
        .filter(outreach::employer_id.eq_any(&presented))
        .filter(outreach::purpose.eq(Purpose::LearnNeeds))
        .group_by(outreach::employer_id)
        .select((
            outreach::employer_id,
            diesel::dsl::min(outreach::occurred_at)
        ))
        .load::<(i64, Option<NaiveDateTime>)>(c))?
    .into_iter()
    .filter_map(|(e, t)| t.map(|t| (e, t)))
    .collect();
    let ids: Vec<i64> = contacts.iter().map(|c| c.id).collect();
    let on_behalf: Vec<(i64, i64)> = db_run!(conn, |c| outreach_clients::table
        .filter(outreach_clients::organisation_id.eq(org))
        .filter(outreach_clients::outreach_id.eq_any(&ids))
        .select((outreach_clients::outreach_id, outreach_clients::client_id))
        .load(c))?;
    let behalf_clients: Vec<i64> = on_behalf.iter().map(|x| x.1).collect();
    let profile_rows: Vec<(i64, i32, String)> = db_run!(conn, |c| client_profiles::table
        .filter(client_profiles::organisation_id.eq(org))
        .filter(client_profiles::client_id.eq_any(&behalf_clients))
        .order((
            client_profiles::client_id.asc(),
            client_profiles::version.desc()
        ))
        .select((
            client_profiles::client_id,
            client_profiles::version,
            client_profiles::data,
        ))
        .load(c))?;
    let mut profiles = HashMap::new();
    for (client, _, data) in profile_rows {
        if profiles.contains_key(&client) {
            continue; // an older version
        }
        let p: Profile = serde_json::from_str(&data).map_err(AppError::internal)?;
        profiles.insert(client, p);
    }
    let behalf_employers: Vec<i64> = contacts
        .iter()
        .filter(|c| on_behalf.iter().any(|b| b.0 == c.id))
        .map(|c| c.employer_id)
        .collect();
    let employer_industry: HashMap<i64, Option<Industry>> = db_run!(conn, |c| employers::table
        .filter(employers::organisation_id.eq(org))
        .filter(employers::id.eq_any(&behalf_employers))
        .select((employers::id, employers::industry))
        .load::<(i64, Option<Industry>)>(c))?
    .into_iter()
    .collect();
    let lead_rows: Vec<(i64, Option<i64>, Option<String>)> = db_run!(conn, |c| leads::table
        .filter(leads::organisation_id.eq(org))
        .filter(leads::employer_id.eq_any(&behalf_employers))
        .select((leads::employer_id, leads::outreach_id, leads::isco_code))
        .load(c))?;
    let mut leads_from_contact: HashMap<i64, Vec<String>> = HashMap::new();
    let mut leads_at_employer: HashMap<i64, Vec<String>> = HashMap::new();
    for (e, o, isco) in lead_rows {
        if let Some(isco) = isco {
            if let Some(o) = o {
                leads_from_contact.entry(o).or_default().push(isco.clone());
            }
            leads_at_employer.entry(e).or_default().push(isco);
        }
    }
    // Job seekers of the scope: intakes in the period and the caseload now.
    let client_rows: Vec<(i64, i64, NaiveDate, ClientStatus, Option<NaiveDate>)> =
        db_run!(conn, |c| clients::table
            .filter(clients::organisation_id.eq(org))
            .filter(clients::specialist_id.eq_any(&people))
            .select((
                clients::id,
                clients::specialist_id,
                clients::intake_date,
                clients::status,
                clients::own_first_employer_contact_on,
            ))
            .load(c))?;
    let mut active = HashMap::new();
    let mut searching = HashMap::new();
    for (_, s, _, status, _) in &client_rows {
        if ClientStatus::ACTIVE.contains(status) {
            *active.entry(*s).or_insert(0) += 1;
        }
        if ClientStatus::SEARCHING.contains(status) {
            *searching.entry(*s).or_insert(0) += 1;
        }
    }
    let entered: Vec<(i64, NaiveDate, Option<NaiveDate>)> = client_rows
        .iter()
        .filter(|c| c.2 >= period.from && c.2 <= period.to)
        .map(|c| (c.0, c.2, c.4))
        .collect();
    let entered_ids: Vec<i64> = entered.iter().map(|e| e.0).collect();
    let firsts: Vec<(i64, Option<NaiveDateTime>)> = db_run!(conn, |c| outreach_clients::table
        .inner_join(outreach::table)
        .filter(outreach_clients::organisation_id.eq(org))
        .filter(outreach_clients::client_id.eq_any(&entered_ids))
        .filter(outreach::channel.eq_any(FACE_TO_FACE))
        .group_by(outreach_clients::client_id)
        .select((
            outreach_clients::client_id,
            diesel::dsl::min(outreach::occurred_at)
        ))
        .load(c))?;
    let intakes = entered
        .into_iter()
        .map(|(client_id, intake, own)| {
            let by_us = firsts
                .iter()
                .find(|f| f.0 == client_id)
                .and_then(|f| f.1)
                .map(|t| utc_to_local(t, tz).date());
            let first_contact = match (by_us, own) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            Intake {
                client_id,
                intake,
                first_contact,
            }
        })
        .collect();
    let ids_in_scope: Vec<i64> = client_rows.iter().map(|c| c.0).collect();
    type PlacementRow = (i64, i64, i64, Option<String>, String, bool, NaiveDate);
    let prow: Vec<PlacementRow> = db_run!(conn, |c| placements::table
        .filter(placements::organisation_id.eq(org))
        .filter(placements::client_id.eq_any(&ids_in_scope))
        .filter(placements::starts_on.le(period.to))
        .filter(
            placements::ends_on
                .is_null()
                .or(placements::ends_on.ge(period.from))
        )
        .select((
            placements::id,
            placements::client_id,
            placements::employer_id,
            placements::isco_code,
            placements::job_title,
            placements::competitive,
            placements::starts_on,
        ))
        .load(c))?;
    let pids: Vec<i64> = prow.iter().map(|p| p.0).collect();
    let support: Vec<(i64, SupportContact)> = db_run!(conn, |c| support_contacts::table
        .filter(support_contacts::organisation_id.eq(org))
        .filter(support_contacts::placement_id.eq_any(&pids))
        .order(support_contacts::occurred_on.asc())
        .select((support_contacts::placement_id, SupportContact::as_select()))
        .load(c))?;
    let placements = prow
        .into_iter()
        .map(
            |(id, client_id, employer_id, isco, title, competitive, starts_on)| PlacementFact {
                id,
                client_id,
                employer_id,
                job_type: isco.unwrap_or_else(|| title.trim().to_lowercase()),
                competitive,
                starts_on,
                support: support
                    .iter()
                    .filter(|s| s.0 == id)
                    .map(|s| s.1.clone())
                    .collect(),
            },
        )
        .collect();
    Ok(Data {
        specialists: people,
        contacts,
        meetings_so_far,
        first_learning: learning.into_iter().collect(),
        on_behalf,
        profiles,
        employer_industry,
        leads_from_contact,
        leads_at_employer,
        intakes,
        active,
        searching,
        placements,
    })
}
