//! Loading what the engine needs from the database, for one organisation: leads found
//! by anyone in the team are matched to every job seeker of the team.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use std::collections::HashMap;

use chrono_tz::Tz;

use crate::db::schema::{
    client_profiles, clients, contacts, employers, leads, outreach, placements,
};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::clients::profile::Profile;
use crate::domain::clients::ClientStatus;
use crate::domain::closed_set::Choice;
use crate::domain::leads::{split, LeadStatus, Shift, Weekday};
use crate::domain::matching::{mask, wage_number, wish_words, History, LeadFacts, Seeker};
use crate::domain::outreach::{CallResult, Channel};
use crate::domain::reference::Industry;
use crate::domain::week::utc_to_local;
use crate::error::AppError;

fn known<T: Copy>(list: &[Choice<T>]) -> Vec<T> {
    list.iter().filter_map(Choice::known).collect()
}

pub fn seeker(client_id: i64, p: &Profile) -> Seeker {
    Seeker {
        client_id,
        occupations: p.occupations.clone(),
        wish_words: wish_words(&p.job_wishes),
        industries_wanted: known(&p.industries_wanted),
        industries_avoided: known(&p.industries_avoided),
        avoid_employers: p.avoid_employer_ids.clone(),
        hours_min: p.hours_min,
        hours_max: p.hours_max,
        days: mask(&known(&p.days), Weekday::ALL),
        shifts: mask(&known(&p.shifts), Shift::ALL),
        home: p.home_municipality_code.clone(),
        areas: p.work_municipality_codes.clone(),
        max_commute_km: p.max_commute_km.map(f64::from),
        earliest_start: p.earliest_start,
        wage_wish: p.wage_wish.as_deref().and_then(wage_number),
        skills: p.skills.iter().map(|s| s.to_lowercase()).collect(),
    }
}

type LeadRow = (
    (
        i64,
        i64,
        LeadStatus,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
    ),
    (
        Option<i32>,
        Option<i32>,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<NaiveDate>,
    ),
    (Option<String>, Option<Industry>),
);

fn facts(r: LeadRow) -> LeadFacts {
    let (
        (lead_id, employer_id, status, isco, title, description, requirements),
        (hmin, hmax, days, shifts, place, wage, starts_on),
        (emp_place, industry),
    ) = r;
    LeadFacts {
        lead_id,
        employer_id,
        status,
        isco,
        text: format!("{} {}", title, description.unwrap_or_default()).to_lowercase(),
        requirements: requirements.unwrap_or_default().to_lowercase(),
        hours_min: hmin,
        hours_max: hmax,
        days: mask(&split::<Weekday>(&days), Weekday::ALL),
        shifts: mask(&split::<Shift>(&shifts), Shift::ALL),
        place: place.or(emp_place),
        industry,
        wage: wage.as_deref().and_then(wage_number),
        starts_on,
        history: History::default(),
    }
}

/// The organisation's leads that can take candidates (or one lead, when `only` is set).
pub fn open_leads(
    conn: &mut DbConn,
    org: i64,
    only: Option<i64>,
) -> Result<Vec<LeadFacts>, AppError> {
    let rows: Vec<LeadRow> = db_run!(conn, |c| {
        let mut q = leads::table
            .inner_join(employers::table)
            .filter(leads::organisation_id.eq(org))
            .into_boxed::<Db>();
        q = match only {
            Some(id) => q.filter(leads::id.eq(id)),
            None => q.filter(leads::status.eq_any(LeadStatus::OPEN)),
        };
        q.select((
            (
                leads::id,
                leads::employer_id,
                leads::status,
                leads::isco_code,
                leads::title,
                leads::description,
                leads::requirements,
            ),
            (
                leads::hours_min,
                leads::hours_max,
                leads::schedule_days,
                leads::schedule_shifts,
                leads::municipality_code,
                leads::wage,
                leads::starts_on,
            ),
            (employers::municipality_code, employers::industry),
        ))
        .load(c)
    })?;
    Ok(rows.into_iter().map(facts).collect())
}

/// Whose profiles `seekers` loads.
#[derive(Debug, Clone, Copy)]
pub enum Who<'a> {
    /// Every job seeker of the organisation who is looking for work.
    Searching,
    /// One job seeker, whatever their status.
    One(i64),
    /// These job seekers, whatever their status.
    These(&'a [i64]),
}

/// The newest profile of each job seeker `who` names.
pub fn seekers(conn: &mut DbConn, org: i64, who: Who) -> Result<Vec<Seeker>, AppError> {
    let rows: Vec<(i64, i32, String)> = db_run!(conn, |c| {
        let mut q = client_profiles::table
            .inner_join(clients::table)
            .filter(client_profiles::organisation_id.eq(org))
            .filter(clients::organisation_id.eq(org))
            .into_boxed::<Db>();
        q = match who {
            Who::One(id) => q.filter(clients::id.eq(id)),
            Who::These(ids) => q.filter(clients::id.eq_any(ids)),
            Who::Searching => q.filter(clients::status.eq_any(ClientStatus::SEARCHING)),
        };
        q.order((
            client_profiles::client_id.asc(),
            client_profiles::version.desc(),
        ))
        .select((
            client_profiles::client_id,
            client_profiles::version,
            client_profiles::data,
        ))
        .load(c)
    })?;
    let mut out: Vec<Seeker> = Vec::new();
    let mut last = None;
    for (client_id, _, data) in rows {
        if last == Some(client_id) {
            continue; // an older version
        }
        last = Some(client_id);
        let p: Profile = serde_json::from_str(&data).map_err(AppError::internal)?;
        out.push(seeker(client_id, &p));
    }
    Ok(out)
}

/// Employer ids per query: well under every database's limit on bound parameters.
const CHUNK: usize = 500;

/// What the organisation has done with each of these employers (those with nothing done
/// are left out): in-person visits that met someone and the latest, contact persons who
/// can hire, job starts. Three grouped queries per 500 employers, on the employer indexes.
pub fn histories(
    conn: &mut DbConn,
    org: i64,
    employer_ids: &[i64],
    tz: Tz,
) -> Result<HashMap<i64, History>, AppError> {
    let mut out: HashMap<i64, History> = HashMap::new();
    for ids in employer_ids.chunks(CHUNK) {
        let visits: Vec<(i64, i64, Option<NaiveDateTime>)> = db_run!(conn, |c| outreach::table
            .filter(outreach::organisation_id.eq(org))
            .filter(outreach::employer_id.eq_any(ids))
            .filter(outreach::channel.eq(Channel::InPerson))
            .filter(
                outreach::result
                    .is_null()
                    .or(outreach::result.ne(CallResult::NoAnswer))
            )
            .group_by(outreach::employer_id)
            .select((
                outreach::employer_id,
                diesel::dsl::count_star(),
                diesel::dsl::max(outreach::occurred_at)
            ))
            .load(c))?;
        for (e, n, last) in visits {
            let h = out.entry(e).or_default();
            h.visits = n;
            h.last_visit = last.map(|t| utc_to_local(t, tz).date());
        }
        let hiring: Vec<i64> = db_run!(conn, |c| contacts::table
            .filter(contacts::organisation_id.eq(org))
            .filter(contacts::employer_id.eq_any(ids))
            .filter(contacts::can_hire.eq(true))
            .select(contacts::employer_id)
            .distinct()
            .load(c))?;
        for e in hiring {
            out.entry(e).or_default().hiring_contact = true;
        }
        let hires: Vec<(i64, i64)> = db_run!(conn, |c| placements::table
            .filter(placements::organisation_id.eq(org))
            .filter(placements::employer_id.eq_any(ids))
            .group_by(placements::employer_id)
            .select((placements::employer_id, diesel::dsl::count_star()))
            .load(c))?;
        for (e, n) in hires {
            out.entry(e).or_default().hires = n;
        }
    }
    Ok(out)
}
