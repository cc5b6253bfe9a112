//! Recurring contact days in calendars: one master VEVENT with RRULE, EXDATE for the
//! cancelled occurrences and an override (RECURRENCE-ID) for each changed one. Local
//! times with TZID need a VTIMEZONE, written here from the time-zone database for the
//! years the series covers, so RRULE expands at 09:00 local on both sides of a clock
//! change.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use diesel::prelude::*;
use icalendar::{CalendarDateTime, Component, Event, EventLike, EventStatus, Property};

use crate::db::schema::{contact_day_series as series, contact_days as days};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::contact_days::ContactDayRow;
use crate::error::AppError;
use crate::i18n::{self, Lang};

#[derive(Debug, Clone, serde::Serialize, Queryable, Selectable, schemars::JsonSchema)]
#[diesel(table_name = series)]
pub struct SeriesRow {
    pub id: i64,
    pub rrule: String,
    pub first_day: NaiveDate,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub theme: Option<String>,
    pub sequence: i32,
    pub updated_at: NaiveDateTime,
}

/// The series and all its occurrences, oldest first.
pub fn load(
    conn: &mut DbConn,
    org: i64,
    id: i64,
) -> Result<(SeriesRow, Vec<ContactDayRow>), AppError> {
    let s: SeriesRow = db_run!(conn, |c| series::table
        .filter(series::id.eq(id))
        .filter(series::organisation_id.eq(org))
        .select(SeriesRow::as_select())
        .first(c)
        .optional())?
    .ok_or(AppError::NotFound)?;
    let occ: Vec<ContactDayRow> = db_run!(conn, |c| days::table
        .filter(days::organisation_id.eq(org))
        .filter(days::series_id.eq(Some(id)))
        .order((days::recurrence_id.asc(), days::id.asc()))
        .select(ContactDayRow::as_select())
        .load(c))?;
    Ok((s, occ))
}

pub fn uid(series_id: i64) -> String {
    format!("contact-day-series-{series_id}@placefirst")
}

/// "20261201T090000": how RECURRENCE-ID and EXDATE name an occurrence.
pub fn recurrence_id(day: NaiveDate, starts_at: &str) -> String {
    let t = NaiveTime::parse_from_str(starts_at, "%H:%M").unwrap_or(NaiveTime::MIN);
    day.and_time(t).format("%Y%m%dT%H%M%S").to_string()
}

fn local(day: NaiveDate, hhmm: &str, tz: chrono_tz::Tz) -> CalendarDateTime {
    let t = NaiveTime::parse_from_str(hhmm, "%H:%M").unwrap_or(NaiveTime::MIN);
    CalendarDateTime::WithTimezone {
        date_time: day.and_time(t),
        tzid: tz.name().to_string(),
    }
}

fn title(theme: &Option<String>, lang: Lang) -> String {
    match theme {
        Some(t) => format!("{}: {t}", i18n::t(lang, "days.title_one")),
        None => i18n::t(lang, "days.title_one"),
    }
}

fn stamp(t: NaiveDateTime) -> String {
    Utc.from_utc_datetime(&t)
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// Marks a single occurrence's event as that occurrence of its series.
pub fn as_occurrence(e: &mut Event, d: &ContactDayRow, tz: chrono_tz::Tz) {
    if let (Some(sid), Some(rid)) = (d.series_id, d.recurrence_id.as_deref()) {
        e.uid(&uid(sid));
        e.append_property(
            Property::new("RECURRENCE-ID", rid)
                .add_parameter("TZID", tz.name())
                .done(),
        );
    }
}

/// The master event and the overrides of changed occurrences.
pub fn events(s: &SeriesRow, occ: &[ContactDayRow], tz: chrono_tz::Tz, lang: Lang) -> Vec<Event> {
    let mut master = Event::new();
    master
        .uid(&uid(s.id))
        .summary(&title(&s.theme, lang))
        .location(&s.place)
        .starts(local(s.first_day, &s.starts_at, tz))
        .ends(local(s.first_day, &s.ends_at, tz))
        .add_property("RRULE", &s.rrule)
        .add_property("SEQUENCE", s.sequence.max(0).to_string())
        .add_property("DTSTAMP", stamp(s.updated_at))
        .status(EventStatus::Confirmed);
    let mut out = Vec::new();
    for d in occ {
        let Some(rid) = d.recurrence_id.as_deref() else {
            continue;
        };
        if d.status == crate::domain::contact_days::DayStatus::Cancelled {
            master.append_multi_property(
                Property::new("EXDATE", rid)
                    .add_parameter("TZID", tz.name())
                    .done(),
            );
        } else if d.sequence > 0 {
            let mut e = Event::new();
            e.summary(&title(&d.theme, lang))
                .location(&d.place)
                .starts(local(d.day, &d.starts_at, tz))
                .ends(local(d.day, &d.ends_at, tz))
                .add_property("SEQUENCE", d.sequence.to_string())
                .add_property("DTSTAMP", stamp(d.updated_at))
                .status(EventStatus::Confirmed);
            as_occurrence(&mut e, d, tz);
            out.push(e.done());
        }
    }
    out.insert(0, master.done());
    out
}

fn offset_text(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.abs();
    format!("{sign}{:02}{:02}", a / 3600, (a % 3600) / 60)
}

fn offset_at(tz: chrono_tz::Tz, utc: NaiveDateTime) -> (i32, String) {
    let t = tz.from_utc_datetime(&utc);
    (
        t.offset().fix().local_minus_utc(),
        t.format("%Z").to_string(),
    )
}

/// A VTIMEZONE for `tz` with every transition in the given years (one STANDARD or
/// DAYLIGHT block each, so no yearly rule has to be guessed). Lines end in CRLF.
pub fn vtimezone(tz: chrono_tz::Tz, from_year: i32, to_year: i32) -> String {
    let mut out = format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n", tz.name());
    let start = NaiveDate::from_ymd_opt(from_year, 1, 1)
        .unwrap_or_default()
        .and_time(NaiveTime::MIN);
    let end = NaiveDate::from_ymd_opt(to_year + 1, 1, 1)
        .unwrap_or_default()
        .and_time(NaiveTime::MIN);
    let (mut prev, mut prev_name) = offset_at(tz, start);
    let mut blocks = 0;
    let mut t = start;
    while t < end {
        let next = t + Duration::days(1);
        let (off, name) = offset_at(tz, next);
        if off != prev {
            // The transition is within this day: find its hour, then its minute.
            let mut at = t;
            while offset_at(tz, at + Duration::hours(1)).0 == prev {
                at += Duration::hours(1);
            }
            while offset_at(tz, at).0 == prev {
                at += Duration::minutes(1);
            }
            let kind = if off > prev { "DAYLIGHT" } else { "STANDARD" };
            let local_start = at + Duration::seconds(prev as i64);
            out.push_str(&format!(
                "BEGIN:{kind}\r\nDTSTART:{}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\nTZNAME:{name}\r\nEND:{kind}\r\n",
                local_start.format("%Y%m%dT%H%M%S"),
                offset_text(prev),
                offset_text(off),
            ));
            blocks += 1;
            prev = off;
            prev_name = name;
        }
        t = next;
    }
    if blocks == 0 {
        out.push_str(&format!(
            "BEGIN:STANDARD\r\nDTSTART:{}\r\nTZOFFSETFROM:{o}\r\nTZOFFSETTO:{o}\r\nTZNAME:{prev_name}\r\nEND:STANDARD\r\n",
            start.format("%Y%m%dT%H%M%S"),
            o = offset_text(prev),
        ));
    }
    out.push_str("END:VTIMEZONE\r\n");
    out
}

/// Puts the VTIMEZONE before the first component of a written calendar.
pub fn with_vtimezone(ics: String, tz: chrono_tz::Tz, years: (i32, i32)) -> String {
    match ics.find("BEGIN:VEVENT") {
        Some(i) => format!(
            "{}{}{}",
            &ics[..i],
            vtimezone(tz, years.0, years.1),
            &ics[i..]
        ),
        None => ics,
    }
}

/// The years a set of occurrences spans (for the VTIMEZONE).
pub fn years(first: NaiveDate, occ: &[ContactDayRow]) -> (i32, i32) {
    let last = occ.iter().map(|d| d.day).max().unwrap_or(first).max(first);
    (first.year().min(last.year()), last.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helsinki_transitions_in_2027() {
        let v = vtimezone(chrono_tz::Europe::Helsinki, 2027, 2027);
        assert!(v.contains("BEGIN:DAYLIGHT\r\nDTSTART:20270328T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300\r\nTZNAME:EEST"), "{v}");
        assert!(v.contains("BEGIN:STANDARD\r\nDTSTART:20271031T040000\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\nTZNAME:EET"), "{v}");
        let utc = vtimezone(chrono_tz::UTC, 2027, 2027);
        assert!(
            utc.contains("TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000"),
            "{utc}"
        );
    }
}
