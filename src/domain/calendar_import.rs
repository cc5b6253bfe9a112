//! Calendar import: partners' event calendars (.ics) read with the `ical` crate's parser.
//! Real-world files work: folded lines, Windows time zone names (Outlook), non-ASCII text,
//! all-day events, recurring events with exceptions, attendees. Re-import updates by UID
//! instead of duplicating. A file that cannot be read is refused whole, with the line and
//! the reason, and nothing is imported.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::events;
use crate::db::{DbConn, Tx};
use crate::db_run;
use crate::domain::users::Actor;
use crate::domain::week::local_to_utc;
use crate::error::{AppError, FieldErrors, Msg};

/// One event as read from the file, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub uid: String,
    pub recurrence_key: String,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub all_day: bool,
    pub rrule: Option<String>,
    pub exdates: String,
    pub attendees: String,
    pub status: String,
    pub sequence: i32,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
}

/// Windows time zone names that Outlook and Exchange write, as IANA zones.
fn windows_zone(name: &str) -> Option<Tz> {
    let known: [(&str, Tz); 12] = [
        ("FLE Standard Time", chrono_tz::Europe::Helsinki),
        ("E. Europe Standard Time", chrono_tz::Europe::Chisinau),
        ("GTB Standard Time", chrono_tz::Europe::Bucharest),
        ("W. Europe Standard Time", chrono_tz::Europe::Berlin),
        ("Romance Standard Time", chrono_tz::Europe::Paris),
        ("Central Europe Standard Time", chrono_tz::Europe::Budapest),
        ("Central European Standard Time", chrono_tz::Europe::Warsaw),
        ("GMT Standard Time", chrono_tz::Europe::London),
        ("Russian Standard Time", chrono_tz::Europe::Moscow),
        ("Eastern Standard Time", chrono_tz::America::New_York),
        ("Pacific Standard Time", chrono_tz::America::Los_Angeles),
        ("UTC", chrono_tz::UTC),
    ];
    known
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, tz)| *tz)
        .or_else(|| {
            // Outlook's display names, e.g. "(UTC+02:00) Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius".
            name.contains("Helsinki")
                .then_some(chrono_tz::Europe::Helsinki)
        })
}

fn zone(tzid: &str) -> Option<Tz> {
    let t = tzid.trim_matches('"');
    t.parse::<Tz>().ok().or_else(|| windows_zone(t))
}

/// TEXT values come escaped (RFC 5545 3.3.11).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

type Params = Option<Vec<(String, Vec<String>)>>;

fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .as_ref()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.first())
        .map(String::as_str)
}

enum When {
    At(NaiveDateTime),
    Day(NaiveDate),
}

/// A DTSTART/DTEND/RECURRENCE-ID value: a date, a UTC time, a time in a named zone, or a
/// floating time (taken in the organisation's zone).
fn when(value: &str, params: &Params, local: Tz) -> Result<When, Msg> {
    let v = value.trim();
    if param(params, "VALUE") == Some("DATE")
        || (v.len() == 8 && v.chars().all(|c| c.is_ascii_digit()))
    {
        return NaiveDate::parse_from_str(v, "%Y%m%d")
            .map(When::Day)
            .map_err(|_| Msg::new("error.ics.bad_date").arg("value", v));
    }
    if let Some(utc) = v.strip_suffix('Z') {
        return NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")
            .map(When::At)
            .map_err(|_| Msg::new("error.ics.bad_time").arg("value", v));
    }
    let naive = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S")
        .map_err(|_| Msg::new("error.ics.bad_time").arg("value", v))?;
    let tz = match param(params, "TZID") {
        Some(id) => zone(id).ok_or_else(|| Msg::new("error.ics.unknown_zone").arg("zone", id))?,
        None => local,
    };
    Ok(When::At(local_to_utc(naive, tz)))
}

/// A problem with one event, named by its UID.
fn in_event(why: Msg, uid: &str) -> Msg {
    Msg::new("error.ics.in_event")
        .arg("uid", uid.trim())
        .arg_msg("why", why)
}

/// Reads the whole file; the first problem refuses it with its line and reason.
/// The most lines a calendar file may have.
const MAX_LINES: usize = 100_000;
/// Calendar programs write UIDs of a few dozen characters; RFC 7986 suggests a UUID.
const MAX_UID_CHARS: usize = 255;
/// Attendees kept per event: the list is shown to people, not used as a mailing list.
const MAX_ATTENDEES: usize = 200;

pub fn parse(text: &str, local: Tz) -> Result<(Vec<Parsed>, usize), Msg> {
    if !text.trim_start().starts_with("BEGIN:VCALENDAR") {
        return Err(Msg::new("error.ics.not_calendar"));
    }
    // A partner's calendar for years is some tens of thousands of lines; a file far
    // beyond that (200,000 attendees on one event) is refused before it is parsed.
    if text.lines().nth(MAX_LINES).is_some() {
        return Err(Msg::new("error.ics.too_many_lines").arg("max", MAX_LINES));
    }
    // The text rule every input passes (files fetched from subscriptions included).
    if let Some(why) = crate::domain::validate::file_problem(text) {
        return Err(why);
    }
    let mut out = Vec::new();
    let mut skipped = 0;
    for cal in ical::IcalParser::new(text.as_bytes()) {
        // The library's words are English and technical: the reader gets the line.
        let cal = cal.map_err(|e| {
            let msg = e.to_string();
            let line = msg
                .to_lowercase()
                .split("line ")
                .nth(1)
                .and_then(|rest| {
                    rest.split(|c: char| !c.is_ascii_digit())
                        .next()?
                        .parse::<usize>()
                        .ok()
                })
                .unwrap_or_else(|| text.lines().count());
            Msg::new("error.ics.syntax").arg("line", line)
        })?;
        for ev in cal.events {
            let props: HashMap<String, (Params, String)> = ev
                .properties
                .iter()
                .filter_map(|p| {
                    p.value
                        .clone()
                        .map(|v| (p.name.to_uppercase(), (p.params.clone(), v)))
                })
                .collect();
            let Some((_, uid)) = props.get("UID") else {
                skipped += 1;
                continue;
            };
            if uid.chars().count() > MAX_UID_CHARS {
                return Err(Msg::new("error.ics.uid_too_long").arg("max", MAX_UID_CHARS));
            }
            let Some((sp, start)) = props.get("DTSTART") else {
                skipped += 1;
                continue;
            };
            let start = when(start, sp, local).map_err(|why| in_event(why, uid))?;
            let end = match props.get("DTEND") {
                Some((ep, e)) => Some(when(e, ep, local).map_err(|why| in_event(why, uid))?),
                None => None,
            };
            let recurrence_key = match props.get("RECURRENCE-ID") {
                Some((rp, r)) => match when(r, rp, local).map_err(|why| in_event(why, uid))? {
                    When::At(t) => t.format("%Y%m%dT%H%M%SZ").to_string(),
                    When::Day(d) => d.format("%Y%m%d").to_string(),
                },
                None => String::new(),
            };
            let attendees: Vec<String> = ev
                .properties
                .iter()
                .filter(|p| p.name.eq_ignore_ascii_case("ATTENDEE"))
                .take(MAX_ATTENDEES)
                .filter_map(|p| {
                    param(&p.params, "CN")
                        .map(|c| c.trim_matches('"').to_string())
                        .or_else(|| p.value.clone())
                })
                .collect();
            let exdates: Vec<String> = ev
                .properties
                .iter()
                .filter(|p| p.name.eq_ignore_ascii_case("EXDATE"))
                .filter_map(|p| p.value.clone())
                .collect();
            let text_of = |name: &str| {
                props
                    .get(name)
                    .map(|(_, v)| unescape(v))
                    .filter(|v| !v.trim().is_empty())
            };
            let (starts_at, start_date, all_day) = match start {
                When::At(t) => (Some(t), None, false),
                When::Day(d) => (None, Some(d), true),
            };
            let (ends_at, end_date) = match end {
                Some(When::At(t)) => (Some(t), None),
                Some(When::Day(d)) => (None, Some(d)),
                None => (None, None),
            };
            out.push(Parsed {
                uid: uid.trim().to_string(),
                recurrence_key,
                summary: text_of("SUMMARY").unwrap_or_else(|| "–".into()),
                description: text_of("DESCRIPTION"),
                location: text_of("LOCATION"),
                starts_at,
                ends_at,
                start_date,
                end_date,
                all_day,
                rrule: props.get("RRULE").map(|(_, v)| v.clone()),
                exdates: exdates.join(","),
                attendees: attendees.join(", "),
                status: props
                    .get("STATUS")
                    .map(|(_, v)| v.to_lowercase())
                    .unwrap_or_else(|| "confirmed".into()),
                sequence: props
                    .get("SEQUENCE")
                    .and_then(|(_, v)| v.trim().parse().ok())
                    .unwrap_or(0),
            });
        }
    }
    Ok((out, skipped))
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, schemars::JsonSchema)]
#[schemars(rename = "ImportedEvent")]
#[diesel(table_name = events)]
pub struct EventRow {
    pub id: i64,
    pub partner_id: Option<i64>,
    pub uid: String,
    pub recurrence_key: String,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub all_day: bool,
    pub rrule: Option<String>,
    pub exdates: String,
    pub attendees: String,
    pub status: String,
    pub sequence: i32,
}

/// A calendar file as read, ready to store.
pub struct ParsedFile {
    events: Vec<Parsed>,
    skipped: usize,
}

/// Reads a file, one file at a time in this process, so concurrent uploads cannot
/// multiply the memory a parse takes. Call it before taking a database connection: a
/// connection held while waiting here would be one colleagues cannot have.
pub fn read(text: &str, local: Tz) -> Result<ParsedFile, AppError> {
    let _one = PARSING.lock().unwrap_or_else(|p| p.into_inner());
    let (events, skipped) =
        parse(text, local).map_err(|m| AppError::Validation(FieldErrors::single("body", m)))?;
    Ok(ParsedFile { events, skipped })
}

/// One parse at a time in this process.
static PARSING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Stores what was read: new UIDs are created, changed ones updated, the same ones
/// skipped. A failure stores nothing.
pub fn import(
    conn: &mut DbConn,
    actor: &Actor,
    file: ParsedFile,
    partner_id: Option<i64>,
    now: NaiveDateTime,
) -> Result<Counts, AppError> {
    actor.require_write()?;
    crate::db::transaction(conn, |tx| {
        store(tx, actor, (file.events, file.skipped), partner_id, now)
    })
}

fn store(
    conn: &mut Tx<'_>,
    actor: &Actor,
    (parsed, skipped): (Vec<Parsed>, usize),
    partner_id: Option<i64>,
    now: NaiveDateTime,
) -> Result<Counts, AppError> {
    if let Some(p) = partner_id {
        if !crate::db::scope::in_org(conn, crate::db::scope::Owned::Partner, actor.org_id, p)? {
            return Err(AppError::Validation(FieldErrors::single(
                "partner_id",
                Msg::new("error.unknown_partner"),
            )));
        }
    }
    let org = actor.org_id;
    let existing: Vec<EventRow> = db_run!(conn, |c| events::table
        .filter(events::organisation_id.eq(org))
        .select(EventRow::as_select())
        .load(c))?;
    let by_key: HashMap<(String, String), &EventRow> = existing
        .iter()
        .map(|e| ((e.uid.clone(), e.recurrence_key.clone()), e))
        .collect();
    let mut counts = Counts {
        skipped,
        ..Default::default()
    };
    let mut fresh = Vec::new();
    for p in parsed {
        match by_key.get(&(p.uid.clone(), p.recurrence_key.clone())) {
            None => fresh.push(p),
            Some(old) if same(old, &p) => counts.skipped += 1,
            Some(old) => {
                let id = old.id;
                db_run!(conn, |c| diesel::update(
                    events::table
                        .filter(events::id.eq(id))
                        .filter(events::organisation_id.eq(org))
                )
                .set((
                    events::summary.eq(&p.summary),
                    events::description.eq(&p.description),
                    events::location.eq(&p.location),
                    events::starts_at.eq(p.starts_at),
                    events::ends_at.eq(p.ends_at),
                    events::start_date.eq(p.start_date),
                    events::end_date.eq(p.end_date),
                    events::all_day.eq(p.all_day),
                    events::rrule.eq(&p.rrule),
                    events::exdates.eq(&p.exdates),
                    events::attendees.eq(&p.attendees),
                    events::status.eq(&p.status),
                    events::sequence.eq(p.sequence),
                    events::updated_at.eq(now),
                ))
                .execute(c))?;
                counts.updated += 1;
            }
        }
    }
    // A file may name one UID twice; the last one wins, as calendar apps do.
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (i, p) in fresh.iter().enumerate() {
        seen.insert((p.uid.clone(), p.recurrence_key.clone()), i);
    }
    let rows: Vec<_> = fresh
        .iter()
        .enumerate()
        .filter(|(i, p)| seen.get(&(p.uid.clone(), p.recurrence_key.clone())) == Some(i))
        .map(|(_, p)| {
            (
                (
                    events::organisation_id.eq(org),
                    events::partner_id.eq(partner_id),
                    events::uid.eq(p.uid.clone()),
                    events::recurrence_key.eq(p.recurrence_key.clone()),
                    events::summary.eq(p.summary.clone()),
                    events::description.eq(p.description.clone()),
                    events::location.eq(p.location.clone()),
                    events::starts_at.eq(p.starts_at),
                    events::ends_at.eq(p.ends_at),
                    events::start_date.eq(p.start_date),
                ),
                (
                    events::end_date.eq(p.end_date),
                    events::all_day.eq(p.all_day),
                    events::rrule.eq(p.rrule.clone()),
                    events::exdates.eq(p.exdates.clone()),
                    events::attendees.eq(p.attendees.clone()),
                    events::status.eq(p.status.clone()),
                    events::sequence.eq(p.sequence),
                    events::created_at.eq(now),
                    events::updated_at.eq(now),
                ),
            )
        })
        .collect();
    counts.skipped += fresh.len() - rows.len();
    for chunk in rows.chunks(500) {
        db_run!(conn, |c| diesel::insert_into(events::table)
            .values(chunk)
            .execute(c))?;
    }
    counts.created += rows.len();
    Ok(counts)
}

fn same(old: &EventRow, p: &Parsed) -> bool {
    old.summary == p.summary
        && old.description == p.description
        && old.location == p.location
        && old.starts_at == p.starts_at
        && old.ends_at == p.ends_at
        && old.start_date == p.start_date
        && old.end_date == p.end_date
        && old.rrule == p.rrule
        && old.exdates == p.exdates
        && old.attendees == p.attendees
        && old.status == p.status
        && old.sequence == p.sequence
}

/// Events that start in [from, to] (local dates), recurring ones from their first start.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
    tz: Tz,
) -> Result<Vec<EventRow>, AppError> {
    let (a, b) = (
        crate::domain::week::local_midnight_utc(from, tz),
        crate::domain::week::local_midnight_utc(to.succ_opt().unwrap_or(to), tz),
    );
    Ok(db_run!(conn, |c| events::table
        .filter(events::organisation_id.eq(actor.org_id))
        .filter(
            events::starts_at
                .ge(a)
                .and(events::starts_at.lt(b))
                .or(events::start_date.ge(from).and(events::start_date.le(to)))
                .or(events::rrule
                    .is_not_null()
                    .and(events::starts_at.lt(b).or(events::start_date.le(to)))),
        )
        .order((
            events::starts_at.asc(),
            events::start_date.asc(),
            events::id.asc()
        ))
        .limit(2000)
        .select(EventRow::as_select())
        .load(c))?)
}
