//! Employer contact days: a team contacts employers together on one day. The day builds
//! each participant's call list, and contacts logged from the lists count on a live tally.
//! Planning a day is `create`; changing it `changes`; the lists `call_lists`; what it
//! produced `summary`.

mod call_lists;
mod changes;
mod create;
mod sheet;
mod summary;

pub use call_lists::{assign, build_call_lists};
pub use changes::{cancel, invite, join, leave, update, ContactDayPatch};
pub use create::{create, ContactDayInput};
pub use sheet::{call_sheet, done_on_day, CallRow, DoneOnDay};
pub use summary::{summary, Earlier, Summary};

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{
    contact_day_participants as part, contact_day_targets as tgt, contact_days as days, employers,
    leads, outreach, users,
};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::employers::Stage;
use crate::domain::outreach::CallResult;
use crate::domain::users::{Actor, Role};
use crate::error::{AppError, FieldErrors, Msg};

crate::closed_set! {
    pub enum DayStatus ("days.status") {
        Planned = "planned",
        Cancelled = "cancelled",
    }
}

crate::closed_set! {
    /// Why an employer was left off the call lists.
    pub enum Excluded ("days.reason") {
        DoNotContact = "do_not_contact",
        ContactedRecently = "contacted_recently",
        PlannedByColleague = "planned_by_colleague",
    }
}

#[derive(Debug, Clone, Serialize, Queryable, Selectable, schemars::JsonSchema)]
#[diesel(table_name = days)]
pub struct ContactDayRow {
    pub id: i64,
    #[serde(skip)]
    pub organisation_id: i64,
    pub host_id: i64,
    pub day: NaiveDate,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub theme: Option<String>,
    pub status: DayStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Raised on every change, for the calendars' SEQUENCE.
    pub sequence: i32,
    /// The series this day is an occurrence of, and which occurrence (local start).
    pub series_id: Option<i64>,
    pub recurrence_id: Option<String>,
    /// Counts saves; an edit names the version it started from (`domain::versioning`).
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Person {
    pub user_id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Target {
    pub employer_id: i64,
    pub name: String,
    pub stage: Stage,
    pub assignee_id: Option<i64>,
    pub excluded_reason: Option<Excluded>,
}

/// What a day (or one participant's list) came to. Each number has one meaning:
/// `attempted` employers had a contact logged on the day, `reached` of them answered
/// (anything but "no answer"), `meetings_booked` contacts ended with a meeting agreed,
/// `leads_found` leads were recorded from the day's contacts, and `not_attempted`
/// employers on the lists have no contact logged yet.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Tally {
    pub contacts: i64,
    pub attempted: i64,
    pub reached: i64,
    pub meetings_booked: i64,
    pub leads_found: i64,
    pub not_attempted: i64,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ContactDay {
    #[serde(flatten)]
    pub row: ContactDayRow,
    pub participants: Vec<Person>,
    pub targets: Vec<Target>,
    /// Per participant (user id) and in total.
    pub tally: BTreeMap<i64, Tally>,
    pub total: Tally,
}

fn time(e: &mut FieldErrors, field: &str, v: Option<String>, default: &str) -> NaiveTime {
    let v = v
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| default.to_string());
    NaiveTime::parse_from_str(v.trim(), "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(v.trim(), "%H.%M"))
        .unwrap_or_else(|_| {
            e.add(field, Msg::new("error.time"));
            NaiveTime::MIN
        })
}

/// Everyone who should hear of a change: the participants and the host, but not the
/// person who made it.
fn everyone_but(day: &ContactDay, actor: &Actor) -> Vec<i64> {
    let mut to: Vec<i64> = day.participants.iter().map(|p| p.user_id).collect();
    to.push(day.row.host_id);
    to.sort_unstable();
    to.dedup();
    to.retain(|u| *u != actor.user_id);
    to
}

fn row(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<ContactDayRow, AppError> {
    db_run!(conn, |c| days::table
        .filter(days::id.eq(id))
        .filter(days::organisation_id.eq(actor.org_id))
        .select(ContactDayRow::as_select())
        .first(c)
        .optional())?
    .ok_or(AppError::NotFound)
}

/// employer id, name, stage, caller, reason left out
type TargetRow = (i64, String, Stage, Option<i64>, Option<Excluded>);

/// A contact logged on the day: id, who, employer, result.
type Logged = (i64, i64, i64, Option<CallResult>);

/// The tally of one participant (`who`), or of everyone.
fn count(
    logged: &[Logged],
    lead_from: &[Option<i64>],
    targets: &[TargetRow],
    who: Option<i64>,
) -> Tally {
    let mine: Vec<&Logged> = logged
        .iter()
        .filter(|l| who.is_none_or(|w| l.1 == w))
        .collect();
    let mut attempted: Vec<i64> = mine.iter().map(|l| l.2).collect();
    attempted.sort_unstable();
    attempted.dedup();
    let mut reached: Vec<i64> = mine
        .iter()
        .filter(|l| l.3 != Some(CallResult::NoAnswer))
        .map(|l| l.2)
        .collect();
    reached.sort_unstable();
    reached.dedup();
    let anyone: Vec<i64> = logged.iter().map(|l| l.2).collect();
    Tally {
        contacts: mine.len() as i64,
        attempted: attempted.len() as i64,
        reached: reached.len() as i64,
        meetings_booked: mine
            .iter()
            .filter(|l| l.3 == Some(CallResult::MeetingBooked))
            .count() as i64,
        leads_found: lead_from
            .iter()
            .filter(|o| mine.iter().any(|l| Some(l.0) == **o))
            .count() as i64,
        not_attempted: targets
            .iter()
            .filter(|t| t.4.is_none() && t.3.is_some() && who.is_none_or(|w| t.3 == Some(w)))
            .filter(|t| !anyone.contains(&t.0))
            .count() as i64,
    }
}

/// The day with its people, lists and tally.
pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<ContactDay, AppError> {
    let r = row(conn, actor, id)?;
    let org = actor.org_id;
    let participants: Vec<(i64, String)> = db_run!(conn, |c| part::table
        .inner_join(users::table.on(users::id.eq(part::user_id)))
        .filter(part::organisation_id.eq(org))
        .filter(part::contact_day_id.eq(id))
        .order(users::display_name.asc())
        .select((users::id, users::display_name))
        .load(c))?;
    let targets: Vec<TargetRow> = db_run!(conn, |c| tgt::table
        .inner_join(employers::table)
        .filter(tgt::organisation_id.eq(org))
        .filter(tgt::contact_day_id.eq(id))
        .order(employers::name_lower.asc())
        .select((
            employers::id,
            employers::name,
            employers::stage,
            tgt::assignee_id,
            tgt::excluded_reason
        ))
        .load(c))?;
    let logged: Vec<Logged> = db_run!(conn, |c| outreach::table
        .filter(outreach::organisation_id.eq(org))
        .filter(outreach::contact_day_id.eq(Some(id)))
        .select((
            outreach::id,
            outreach::specialist_id,
            outreach::employer_id,
            outreach::result
        ))
        .load(c))?;
    let ids: Vec<i64> = logged.iter().map(|l| l.0).collect();
    let lead_from: Vec<Option<i64>> = db_run!(conn, |c| leads::table
        .filter(leads::organisation_id.eq(org))
        .filter(leads::outreach_id.eq_any(&ids))
        .select(leads::outreach_id)
        .load(c))?;
    let mut tally: BTreeMap<i64, Tally> = participants
        .iter()
        .map(|(u, _)| (*u, count(&logged, &lead_from, &targets, Some(*u))))
        .collect();
    // Someone who logged a contact on the day and has since left still counts.
    for (_, who, _, _) in &logged {
        if !tally.contains_key(who) {
            tally.insert(*who, count(&logged, &lead_from, &targets, Some(*who)));
        }
    }
    let total = count(&logged, &lead_from, &targets, None);
    Ok(ContactDay {
        row: r,
        participants: participants
            .into_iter()
            .map(|(user_id, name)| Person { user_id, name })
            .collect(),
        targets: targets
            .into_iter()
            .map(
                |(employer_id, name, stage, assignee_id, excluded_reason)| Target {
                    employer_id,
                    name,
                    stage,
                    assignee_id,
                    excluded_reason,
                },
            )
            .collect(),
        tally,
        total,
    })
}

/// The range a list of contact days covers: `from` and `to` as given (2026-11-24 or
/// 24.11.2026), by default from 90 days back to a year ahead. Bad dates are named in `e`.
pub fn range(
    e: &mut crate::error::FieldErrors,
    from: Option<String>,
    to: Option<String>,
    today: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    use crate::domain::validate::day_param;
    (
        day_param(e, "from", from).unwrap_or(today - chrono::Duration::days(90)),
        day_param(e, "to", to).unwrap_or(today + chrono::Duration::days(365)),
    )
}

/// The organisation's contact days around a date range.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ContactDayRow>, AppError> {
    Ok(db_run!(conn, |c| days::table
        .filter(days::organisation_id.eq(actor.org_id))
        .filter(days::day.ge(from))
        .filter(days::day.le(to))
        .order((days::day.asc(), days::id.asc()))
        .select(ContactDayRow::as_select())
        .load(c))?)
}

/// True when the day is the organisation's and still planned (contacts may name it).
pub fn is_open(conn: &mut DbConn, org: i64, id: i64) -> Result<bool, AppError> {
    let n: i64 = db_run!(conn, |c| days::table
        .filter(days::id.eq(id))
        .filter(days::organisation_id.eq(org))
        .filter(days::status.eq(DayStatus::Planned))
        .count()
        .get_result(c))?;
    Ok(n > 0)
}

/// True when the user hosts the day or is one of its participants.
pub fn takes_part(conn: &mut DbConn, org: i64, day: i64, user_id: i64) -> Result<bool, AppError> {
    let host: i64 = db_run!(conn, |c| days::table
        .filter(days::id.eq(day))
        .filter(days::organisation_id.eq(org))
        .filter(days::host_id.eq(user_id))
        .count()
        .get_result(c))?;
    let part: i64 = db_run!(conn, |c| part::table
        .filter(part::contact_day_id.eq(day))
        .filter(part::organisation_id.eq(org))
        .filter(part::user_id.eq(user_id))
        .count()
        .get_result(c))?;
    Ok(host + part > 0)
}

/// The days a user hosts or takes part in, within [from, to] (cancelled ones too, so
/// calendars can drop them).
pub fn days_of(
    conn: &mut DbConn,
    org: i64,
    user_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ContactDayRow>, AppError> {
    let mine: Vec<i64> = db_run!(conn, |c| part::table
        .filter(part::organisation_id.eq(org))
        .filter(part::user_id.eq(user_id))
        .select(part::contact_day_id)
        .load(c))?;
    Ok(db_run!(conn, |c| days::table
        .filter(days::organisation_id.eq(org))
        .filter(days::id.eq_any(&mine).or(days::host_id.eq(user_id)))
        .filter(days::day.ge(from))
        .filter(days::day.le(to))
        .order((days::day.asc(), days::id.asc()))
        .select(ContactDayRow::as_select())
        .load(c))?)
}

/// The bare day, for its .ics.
pub fn row_of(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<ContactDayRow, AppError> {
    row(conn, actor, id)
}

/// Cancelling, rebuilding and reassigning belong to the host, a team lead or an admin.
fn require_manager(actor: &Actor, day: &ContactDayRow) -> Result<(), AppError> {
    actor.require_write()?;
    if day.host_id != actor.user_id && !matches!(actor.role, Role::TeamLead | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}
