//! The call sheet: what a caller needs beside each employer on the lists (whom to ask
//! for, the number, what was said last time) and whether it was done on the day.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::row;
use crate::db::schema::{contact_day_targets as tgt, contacts, outreach};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::outreach::CallResult;
use crate::domain::users::Actor;
use crate::error::AppError;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CallRow {
    pub employer_id: i64,
    /// The person to ask for: one who can hire first, then one with a number.
    pub contact_name: Option<String>,
    pub contact_title: Option<String>,
    pub phone: Option<String>,
    /// The last contact before the day: when, and its note (outcome, else what was learned).
    pub last_at: Option<NaiveDateTime>,
    pub last_note: Option<String>,
    /// Logged on the day: by whom and what it came to (the latest, if several).
    pub done_by: Option<i64>,
    pub result: Option<CallResult>,
    pub done: bool,
}

/// Contact name, title, phone, can hire
type ContactRow = (i64, String, Option<String>, Option<String>, bool);
/// Employer, when, outcome, learned
type LogRow = (i64, NaiveDateTime, Option<String>, Option<String>);

/// An employer contacted on the day: who did it and what it came to (the latest, if
/// several).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DoneOnDay {
    pub employer_id: i64,
    pub by: i64,
    pub result: Option<CallResult>,
}

/// The employers contacted on the day. Only the day's own entries are read: the page's
/// live poll asks for this every few seconds.
pub fn done_on_day(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<Vec<DoneOnDay>, AppError> {
    row(conn, actor, id)?;
    let rows: Vec<(i64, i64, Option<CallResult>)> = db_run!(conn, |c| outreach::table
        .filter(outreach::organisation_id.eq(actor.org_id))
        .filter(outreach::contact_day_id.eq(Some(id)))
        .order((outreach::occurred_at.desc(), outreach::id.desc()))
        .select((
            outreach::employer_id,
            outreach::specialist_id,
            outreach::result
        ))
        .load(c))?;
    let mut done: Vec<DoneOnDay> = Vec::new();
    for (employer_id, by, result) in rows {
        if !done.iter().any(|d| d.employer_id == employer_id) {
            done.push(DoneOnDay {
                employer_id,
                by,
                result,
            });
        }
    }
    Ok(done)
}

pub fn call_sheet(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<Vec<CallRow>, AppError> {
    row(conn, actor, id)?;
    let org = actor.org_id;
    let ids: Vec<i64> = db_run!(conn, |c| tgt::table
        .filter(tgt::organisation_id.eq(org))
        .filter(tgt::contact_day_id.eq(id))
        .select(tgt::employer_id)
        .load(c))?;
    let people: Vec<ContactRow> = db_run!(conn, |c| contacts::table
        .filter(contacts::organisation_id.eq(org))
        .filter(contacts::employer_id.eq_any(&ids))
        .order(contacts::id.asc())
        .select((
            contacts::employer_id,
            contacts::name,
            contacts::title,
            contacts::phone,
            contacts::can_hire
        ))
        .load(c))?;
    let done = done_on_day(conn, actor, id)?;
    let log: Vec<LogRow> = db_run!(conn, |c| outreach::table
        .filter(outreach::organisation_id.eq(org))
        .filter(outreach::employer_id.eq_any(&ids))
        // Contacts on other days (or none): the last note before this day.
        .filter(
            outreach::contact_day_id
                .ne(id)
                .or(outreach::contact_day_id.is_null())
        )
        .order((outreach::occurred_at.desc(), outreach::id.desc()))
        .select((
            outreach::employer_id,
            outreach::occurred_at,
            outreach::outcome,
            outreach::learned,
        ))
        .load(c))?;
    Ok(ids
        .into_iter()
        .map(|employer_id| {
            let person = people
                .iter()
                .filter(|p| p.0 == employer_id)
                .max_by_key(|p| (p.4, p.3.is_some(), std::cmp::Reverse(p.1.clone())));
            let today = done.iter().find(|d| d.employer_id == employer_id);
            let before = log.iter().find(|l| l.0 == employer_id);
            CallRow {
                employer_id,
                contact_name: person.map(|p| p.1.clone()),
                contact_title: person.and_then(|p| p.2.clone()),
                phone: person.and_then(|p| p.3.clone()),
                last_at: before.map(|l| l.1),
                last_note: before.and_then(|l| l.2.clone().or_else(|| l.3.clone())),
                done_by: today.map(|d| d.by),
                result: today.and_then(|d| d.result),
                done: today.is_some(),
            }
        })
        .collect())
}
