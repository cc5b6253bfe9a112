//! The weekly vocational team meeting agenda for a team and week: new leads since the
//! last meeting and the job seekers they match, job seekers searching for over 30 days
//! without an employer contact, employers needing a follow-up, the last contact day's
//! results, and the fidelity figures of the last four weeks against their targets.

use chrono::{Duration, NaiveDate, NaiveDateTime, Weekday};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{
    clients, contact_days as days, employers, follow_ups, leads, outreach, outreach_clients,
};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::matching::{find, MatchSettings};
use crate::domain::users::Actor;
use crate::domain::week::{local_midnight_utc, Week};
use crate::domain::Rules;
use crate::error::AppError;

use super::thresholds::Thresholds;
use super::{Item, Period, Scope};

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct NewLead {
    pub lead_id: i64,
    pub title: String,
    pub employer: String,
    /// (job seeker, score), best first, at most three.
    pub matches: Vec<(String, f64)>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Waiting {
    pub client_id: i64,
    pub name: String,
    pub specialist_id: i64,
    pub searching_days: i64,
    pub last_contact: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FollowUpDue {
    pub employer_id: i64,
    pub employer: String,
    pub title: String,
    pub due_on: NaiveDate,
    pub assignee_id: i64,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DayResult {
    pub contact_day_id: i64,
    pub day: NaiveDate,
    pub contacts: i64,
    pub meetings_booked: i64,
    pub leads_found: i64,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Agenda {
    pub team_id: i64,
    pub week: String,
    pub meeting_on: NaiveDate,
    pub since: NaiveDate,
    pub new_leads: Vec<NewLead>,
    pub waiting: Vec<Waiting>,
    pub follow_ups: Vec<FollowUpDue>,
    pub last_contact_day: Option<DayResult>,
    pub fidelity: Vec<Item>,
}

/// The meeting day of `week`.
pub fn meeting_day(week: Week, weekday: Weekday) -> NaiveDate {
    week.monday() + Duration::days(weekday.num_days_from_monday() as i64)
}

/// What the agenda needs besides the team and week.
pub struct AgendaCtx<'a> {
    pub rules: &'a Rules,
    pub thresholds: &'a Thresholds,
    pub matching: &'a MatchSettings,
    pub weekday: Weekday,
    pub now: NaiveDateTime,
}

pub fn agenda(
    conn: &mut DbConn,
    actor: &Actor,
    team: i64,
    week: Week,
    a: &AgendaCtx,
) -> Result<Agenda, AppError> {
    let people = super::load::specialists(conn, actor, Scope::Team(team))?;
    let org = actor.org_id;
    let tz = a.rules.tz;
    let meeting_on = meeting_day(week, a.weekday);
    let since = meeting_on - Duration::days(7);
    // New leads found by the team since the last meeting.
    let fresh: Vec<(i64, String, String)> = db_run!(conn, |c| leads::table
        .inner_join(employers::table)
        .filter(leads::organisation_id.eq(org))
        .filter(leads::found_by.eq_any(people.iter().map(|p| Some(*p)).collect::<Vec<_>>()))
        .filter(leads::created_at.ge(local_midnight_utc(since, tz)))
        .filter(leads::created_at.lt(local_midnight_utc(meeting_on, tz)))
        .filter(leads::status.eq_any(crate::domain::leads::LeadStatus::OPEN))
        .order(leads::created_at.asc())
        .select((leads::id, leads::title, employers::name))
        .load(c))?;
    let mut new_leads = Vec::new();
    for (lead_id, title, employer) in fresh {
        let ms = find::for_lead(conn, actor, lead_id, a.matching)?;
        let top: Vec<_> = ms.into_iter().take(3).collect();
        let views = find::views(conn, actor, &top, a.rules.default_lang)?;
        new_leads.push(NewLead {
            lead_id,
            title,
            employer,
            matches: views
                .into_iter()
                .map(|v| (v.client_name, v.score.round()))
                .collect(),
        });
    }
    // Job seekers searching for over 30 days with no employer contact in the last 30.
    let today = meeting_on;
    let searching: Vec<(i64, String, i64, NaiveDate)> = db_run!(conn, |c| clients::table
        .filter(clients::organisation_id.eq(org))
        .filter(clients::specialist_id.eq_any(&people))
        .filter(clients::status.eq_any(crate::domain::clients::ClientStatus::SEARCHING))
        .filter(clients::intake_date.le(today - Duration::days(30)))
        .order(clients::intake_date.asc())
        .select((
            clients::id,
            clients::display_name,
            clients::specialist_id,
            clients::intake_date,
        ))
        .load(c))?;
    let ids: Vec<i64> = searching.iter().map(|s| s.0).collect();
    let last: Vec<(i64, Option<NaiveDateTime>)> = db_run!(conn, |c| outreach_clients::table
        .inner_join(outreach::table)
        .filter(outreach_clients::organisation_id.eq(org))
        .filter(outreach_clients::client_id.eq_any(&ids))
        .group_by(outreach_clients::client_id)
        .select((
            outreach_clients::client_id,
            diesel::dsl::max(outreach::occurred_at)
        ))
        .load(c))?;
    let cutoff = local_midnight_utc(today - Duration::days(30), tz);
    let waiting = searching
        .into_iter()
        .filter_map(|(client_id, name, specialist_id, intake)| {
            let l = last.iter().find(|x| x.0 == client_id).and_then(|x| x.1);
            (l.is_none_or(|t| t < cutoff)).then(|| Waiting {
                client_id,
                name,
                specialist_id,
                searching_days: (today - intake).num_days(),
                last_contact: l.map(|t| crate::domain::week::utc_to_local(t, tz).date()),
            })
        })
        .collect();
    // Open follow-ups of the team due by the end of the meeting's week.
    let due: Vec<(i64, String, String, NaiveDate, i64)> = db_run!(conn, |c| follow_ups::table
        .inner_join(employers::table)
        .filter(follow_ups::organisation_id.eq(org))
        .filter(follow_ups::assignee_id.eq_any(&people))
        .filter(follow_ups::status.eq(crate::domain::follow_ups::FollowUpStatus::Open))
        .filter(follow_ups::due_on.le(week.monday() + Duration::days(6)))
        .order(follow_ups::due_on.asc())
        .limit(50)
        .select((
            employers::id,
            employers::name,
            follow_ups::title,
            follow_ups::due_on,
            follow_ups::assignee_id,
        ))
        .load(c))?;
    // The last contact day held before the meeting.
    let last_day: Option<(i64, NaiveDate)> = db_run!(conn, |c| days::table
        .filter(days::organisation_id.eq(org))
        .filter(days::status.eq(crate::domain::contact_days::DayStatus::Planned))
        .filter(days::day.lt(meeting_on))
        .order(days::day.desc())
        .select((days::id, days::day))
        .first(c)
        .optional())?;
    let last_contact_day = match last_day {
        None => None,
        Some((id, day)) => {
            let d = crate::domain::contact_days::get(conn, actor, id)?;
            Some(DayResult {
                contact_day_id: id,
                day,
                contacts: d.total.contacts,
                meetings_booked: d.total.meetings_booked,
                leads_found: d.total.leads_found,
            })
        }
    };
    let period = Period::default_for(meeting_on);
    let fidelity = super::report(conn, actor, Scope::Team(team), period, a.thresholds, tz)?.items;
    Ok(Agenda {
        team_id: team,
        week: week.label(),
        meeting_on,
        since,
        new_leads,
        waiting,
        follow_ups: due
            .into_iter()
            .map(
                |(employer_id, employer, title, due_on, assignee_id)| FollowUpDue {
                    employer_id,
                    employer,
                    title,
                    due_on,
                    assignee_id,
                },
            )
            .collect(),
        last_contact_day,
        fidelity,
    })
}
