//! Loading what the engine needs from the database, for one organisation: leads found
//! by anyone in the team are matched to every job seeker of the team.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::schema::{client_profiles, clients, employers, leads};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::clients::profile::Profile;
use crate::domain::clients::ClientStatus;
use crate::domain::closed_set::Choice;
use crate::domain::employers::Stage;
use crate::domain::leads::{split, LeadStatus, Shift, Weekday};
use crate::domain::matching::{mask, wage_number, wish_words, LeadFacts, Seeker};
use crate::domain::reference::Industry;
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
    (Option<String>, Option<Industry>, Stage),
);

fn facts(r: LeadRow) -> LeadFacts {
    let (
        (lead_id, employer_id, status, isco, title, description, requirements),
        (hmin, hmax, days, shifts, place, wage, starts_on),
        (emp_place, industry, stage),
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
        stage,
        wage: wage.as_deref().and_then(wage_number),
        starts_on,
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
            (
                employers::municipality_code,
                employers::industry,
                employers::stage,
            ),
        ))
        .load(c)
    })?;
    Ok(rows.into_iter().map(facts).collect())
}

/// The newest profile of each searching job seeker of the organisation (or one).
pub fn seekers(conn: &mut DbConn, org: i64, only: Option<i64>) -> Result<Vec<Seeker>, AppError> {
    let rows: Vec<(i64, i32, String)> = db_run!(conn, |c| {
        let mut q = client_profiles::table
            .inner_join(clients::table)
            .filter(client_profiles::organisation_id.eq(org))
            .filter(clients::organisation_id.eq(org))
            .into_boxed::<Db>();
        q = match only {
            Some(id) => q.filter(clients::id.eq(id)),
            None => q.filter(clients::status.eq_any(ClientStatus::SEARCHING)),
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
