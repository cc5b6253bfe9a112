//! Employment outcomes for a scope: job starts per month, people working at each month
//! end, job within 6 and 12 months of intake, jobs lasting 90 days, hours worked (part
//! time is a success too), and the status of everyone on the list, including those not
//! searching yet.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, Months, NaiveDate};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{clients, placements};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::users::Actor;
use crate::error::AppError;

use super::{Period, Scope};

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Month {
    pub month: String,
    pub job_starts: usize,
    /// Distinct people in a job on the month's last day (or the period's end).
    pub working_at_end: usize,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Cohort {
    /// Job seekers whose intake is at least this long before the period's end.
    pub people: usize,
    pub got_a_job: usize,
    pub share: Option<f64>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Outcomes {
    pub period: Period,
    pub months: Vec<Month>,
    pub job_within_6_months: Cohort,
    pub job_within_12_months: Cohort,
    /// Jobs that started at least 90 days before the period's end: how many lasted 90 days.
    pub jobs_started_90_days_ago: usize,
    pub jobs_lasting_90_days: usize,
    pub jobs_lasting_90_days_share: Option<f64>,
    /// Hours a week of the jobs running at the period's end, by `HoursBand` name.
    pub hours: BTreeMap<&'static str, usize>,
    /// Everyone on the list by status (exploring, job_search, working, follow_along,
    /// paused, closed).
    pub statuses: BTreeMap<String, usize>,
}

crate::closed_set! {
    /// Hours a week of a job, in bands.
    pub enum HoursBand ("outcomes.hours") {
        Under10 = "under_10",
        From10To19 = "10_19",
        From20To29 = "20_29",
        From30To34 = "30_34",
        From35 = "35_plus",
        Unknown = "unknown",
    }
}

fn hours_bucket(h: Option<i32>) -> HoursBand {
    match h {
        None => HoursBand::Unknown,
        Some(h) if h < 10 => HoursBand::Under10,
        Some(h) if h < 20 => HoursBand::From10To19,
        Some(h) if h < 30 => HoursBand::From20To29,
        Some(h) if h < 35 => HoursBand::From30To34,
        Some(_) => HoursBand::From35,
    }
}

type Job = (i64, NaiveDate, Option<NaiveDate>, Option<i32>);

pub fn outcomes(
    conn: &mut DbConn,
    actor: &Actor,
    scope: Scope,
    period: Period,
) -> Result<Outcomes, AppError> {
    let people = super::load::specialists(conn, actor, scope)?;
    let org = actor.org_id;
    let list: Vec<(i64, NaiveDate, String)> = db_run!(conn, |c| clients::table
        .filter(clients::organisation_id.eq(org))
        .filter(clients::specialist_id.eq_any(&people))
        .select((clients::id, clients::intake_date, clients::status))
        .load(c))?;
    let ids: Vec<i64> = list.iter().map(|c| c.0).collect();
    let jobs: Vec<Job> = db_run!(conn, |c| placements::table
        .filter(placements::organisation_id.eq(org))
        .filter(placements::client_id.eq_any(&ids))
        .select((
            placements::client_id,
            placements::starts_on,
            placements::ends_on,
            placements::hours_per_week,
        ))
        .load(c))?;
    let running = |d: NaiveDate, j: &Job| j.1 <= d && j.2.is_none_or(|e| e >= d);
    // Months of the period, each ending on its last day or the period's end.
    let mut months = Vec::new();
    let mut first =
        NaiveDate::from_ymd_opt(period.from.year(), period.from.month(), 1).unwrap_or(period.from);
    while first <= period.to {
        let next = first + Months::new(1);
        let end = (next - Duration::days(1)).min(period.to);
        let start = first.max(period.from);
        let starts = jobs.iter().filter(|j| j.1 >= start && j.1 <= end).count();
        let working: std::collections::BTreeSet<i64> = jobs
            .iter()
            .filter(|j| running(end, j))
            .map(|j| j.0)
            .collect();
        months.push(Month {
            month: first.format("%Y-%m").to_string(),
            job_starts: starts,
            working_at_end: working.len(),
        });
        first = next;
    }
    let cohort = |m: u32| {
        let mature: Vec<&(i64, NaiveDate, String)> = list
            .iter()
            .filter(|c| c.1 + Months::new(m) <= period.to)
            .collect();
        let got = mature
            .iter()
            .filter(|c| {
                jobs.iter()
                    .any(|j| j.0 == c.0 && j.1 >= c.1 && j.1 <= c.1 + Months::new(m))
            })
            .count();
        Cohort {
            people: mature.len(),
            got_a_job: got,
            share: (!mature.is_empty()).then(|| got as f64 / mature.len() as f64),
        }
    };
    let old: Vec<&Job> = jobs
        .iter()
        .filter(|j| j.1 + Duration::days(90) <= period.to)
        .collect();
    let lasted = old
        .iter()
        .filter(|j| j.2.is_none_or(|e| (e - j.1).num_days() >= 90))
        .count();
    let mut hours = BTreeMap::new();
    for j in jobs.iter().filter(|j| running(period.to, j)) {
        *hours.entry(hours_bucket(j.3).as_str()).or_insert(0) += 1;
    }
    let mut statuses = BTreeMap::new();
    for (_, _, s) in &list {
        *statuses.entry(s.clone()).or_insert(0) += 1;
    }
    Ok(Outcomes {
        period,
        months,
        job_within_6_months: cohort(6),
        job_within_12_months: cohort(12),
        jobs_started_90_days_ago: old.len(),
        jobs_lasting_90_days: lasted,
        jobs_lasting_90_days_share: (!old.is_empty()).then(|| lasted as f64 / old.len() as f64),
        hours,
        statuses,
    })
}
