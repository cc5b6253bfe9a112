//! What a day produced, for the after-day summary.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use super::{get, DayStatus, Tally};
use crate::db::schema::{contact_days as days, employers, leads, outreach};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::outreach::CallResult;
use crate::domain::users::Actor;
use crate::error::AppError;
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Earlier {
    pub contact_day_id: i64,
    pub day: NaiveDate,
    pub contacts: i64,
}

/// What a day produced, for the after-day summary.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Summary {
    pub total: Tally,
    /// (lead id, title, employer name)
    pub leads: Vec<(i64, String, String)>,
    /// (follow-up title, due date, employer name)
    pub follow_ups: Vec<(String, NaiveDate, String)>,
    /// Employers on the lists with no contact logged on the day.
    pub not_attempted: Vec<(i64, String)>,
    /// Employers called on the day who never answered: to try again.
    pub no_answer: Vec<(i64, String)>,
    /// The organisation's five earlier days that took place, newest first.
    pub earlier: Vec<Earlier>,
}

pub fn summary(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<Summary, AppError> {
    use crate::db::schema::follow_ups;
    let day = get(conn, actor, id)?;
    let org = actor.org_id;
    let logged: Vec<(i64, i64, Option<CallResult>)> = db_run!(conn, |c| outreach::table
        .filter(outreach::organisation_id.eq(org))
        .filter(outreach::contact_day_id.eq(Some(id)))
        .select((outreach::id, outreach::employer_id, outreach::result))
        .load(c))?;
    let ids: Vec<i64> = logged.iter().map(|l| l.0).collect();
    let found: Vec<(i64, String, String)> = db_run!(conn, |c| leads::table
        .inner_join(employers::table)
        .filter(leads::organisation_id.eq(org))
        .filter(leads::outreach_id.eq_any(&ids))
        .select((leads::id, leads::title, employers::name))
        .load(c))?;
    let tasks: Vec<(String, NaiveDate, String)> = db_run!(conn, |c| follow_ups::table
        .inner_join(employers::table)
        .filter(follow_ups::organisation_id.eq(org))
        .filter(follow_ups::outreach_id.eq_any(&ids))
        .order(follow_ups::due_on.asc())
        .select((follow_ups::title, follow_ups::due_on, employers::name))
        .load(c))?;
    let attempted: Vec<i64> = logged.iter().map(|l| l.1).collect();
    let reached: Vec<i64> = logged
        .iter()
        .filter(|l| l.2 != Some(CallResult::NoAnswer))
        .map(|l| l.1)
        .collect();
    let not_attempted = day
        .targets
        .iter()
        .filter(|t| t.assignee_id.is_some() && t.excluded_reason.is_none())
        .filter(|t| !attempted.contains(&t.employer_id))
        .map(|t| (t.employer_id, t.name.clone()))
        .collect();
    let no_answer = day
        .targets
        .iter()
        .filter(|t| attempted.contains(&t.employer_id) && !reached.contains(&t.employer_id))
        .map(|t| (t.employer_id, t.name.clone()))
        .collect();
    let earlier_days: Vec<(i64, NaiveDate)> = db_run!(conn, |c| days::table
        .filter(days::organisation_id.eq(org))
        .filter(days::status.eq(DayStatus::Planned))
        .filter(days::day.lt(day.row.day))
        .order(days::day.desc())
        .limit(5)
        .select((days::id, days::day))
        .load(c))?;
    let mut earlier = Vec::new();
    for (eid, d) in earlier_days {
        let n: i64 = db_run!(conn, |c| outreach::table
            .filter(outreach::organisation_id.eq(org))
            .filter(outreach::contact_day_id.eq(Some(eid)))
            .count()
            .get_result(c))?;
        earlier.push(Earlier {
            contact_day_id: eid,
            day: d,
            contacts: n,
        });
    }
    Ok(Summary {
        total: day.total,
        leads: found,
        follow_ups: tasks,
        not_attempted,
        no_answer,
        earlier,
    })
}
