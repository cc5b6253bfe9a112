//! Calendar export (RFC 5545): a private subscription feed per user with their contact
//! days, planned visits and calls and follow-up due dates, and one .ics per contact day
//! and per planned contact.
//!
//! Timed events are written in UTC (correct for single events, and read the same by
//! Outlook, Google and Apple); untimed ones as all-day dates. UIDs are stable, SEQUENCE
//! grows with every change (seconds since the item was created, so each save raises it),
//! cancelled plans say STATUS:CANCELLED. The `icalendar` crate escapes text and folds lines.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use diesel::prelude::*;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

use crate::db::schema::{calendar_feeds, employers, follow_ups, planned_contacts};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::auth::random_hex;
use crate::domain::calendar_series::SeriesRow;
use crate::domain::plan::{PlanItem, PlannedRow};
use crate::domain::users::{load_actor, Actor};
use crate::error::AppError;
use crate::i18n::{self, Lang};

/// The caller's feed secret, made on first use.
pub fn feed_secret(
    conn: &mut DbConn,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<String, AppError> {
    let existing: Option<String> = db_run!(conn, |c| calendar_feeds::table
        .filter(calendar_feeds::organisation_id.eq(actor.org_id))
        .filter(calendar_feeds::user_id.eq(actor.user_id))
        .filter(calendar_feeds::revoked_at.is_null())
        .select(calendar_feeds::secret)
        .first(c)
        .optional())?;
    match existing {
        Some(s) => Ok(s),
        None => {
            // Two first calls at once: the unique index keeps one live secret, and the
            // loser of the race answers the winner's.
            db_run!(conn, |c| diesel::insert_into(calendar_feeds::table)
                .values((
                    calendar_feeds::organisation_id.eq(actor.org_id),
                    calendar_feeds::user_id.eq(actor.user_id),
                    calendar_feeds::secret.eq(random_hex(24)),
                    calendar_feeds::created_at.eq(now),
                ))
                .on_conflict_do_nothing()
                .execute(c))?;
            Ok(db_run!(conn, |c| calendar_feeds::table
                .filter(calendar_feeds::organisation_id.eq(actor.org_id))
                .filter(calendar_feeds::user_id.eq(actor.user_id))
                .filter(calendar_feeds::revoked_at.is_null())
                .select(calendar_feeds::secret)
                .first(c))?)
        }
    }
}

/// Revokes the old secret and issues a new one.
pub fn rotate_secret(
    conn: &mut DbConn,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<String, AppError> {
    db_run!(conn, |c| diesel::update(
        calendar_feeds::table
            .filter(calendar_feeds::organisation_id.eq(actor.org_id))
            .filter(calendar_feeds::user_id.eq(actor.user_id))
            .filter(calendar_feeds::revoked_at.is_null())
    )
    .set(calendar_feeds::revoked_at.eq(Some(now)))
    .execute(c))?;
    new_secret(conn, actor, now)
}

fn new_secret(conn: &mut DbConn, actor: &Actor, now: NaiveDateTime) -> Result<String, AppError> {
    let secret = random_hex(24);
    db_run!(conn, |c| diesel::insert_into(calendar_feeds::table)
        .values((
            calendar_feeds::organisation_id.eq(actor.org_id),
            calendar_feeds::user_id.eq(actor.user_id),
            calendar_feeds::secret.eq(&secret),
            calendar_feeds::created_at.eq(now),
        ))
        .execute(c))?;
    Ok(secret)
}

/// The user a live secret belongs to; a revoked or unknown secret is NotFound.
pub fn feed_owner(conn: &mut DbConn, secret: &str) -> Result<Actor, AppError> {
    let user: Option<i64> = db_run!(conn, |c| calendar_feeds::table
        .filter(calendar_feeds::secret.eq(secret))
        .filter(calendar_feeds::revoked_at.is_null())
        .select(calendar_feeds::user_id)
        .first(c)
        .optional())?;
    load_actor(conn, user.ok_or(AppError::NotFound)?)?.ok_or(AppError::NotFound)
}

fn seq(row: &PlannedRow) -> u32 {
    (row.updated_at - row.created_at)
        .num_seconds()
        .clamp(0, u32::MAX as i64) as u32
}

/// A planned contact as a VEVENT: at its time for an hour, or all day when untimed.
pub fn plan_event(item: &PlanItem, tz: chrono_tz::Tz, lang: Lang) -> Event {
    let row = &item.row;
    let mut e = Event::new();
    e.uid(&format!("plan-{}@placefirst", row.id))
        .summary(&format!(
            "{}: {}",
            i18n::t(lang, row.purpose.label_key()),
            item.employer_name
        ))
        .description(&format!(
            "{}{}",
            i18n::t(lang, row.channel.label_key()),
            row.note
                .as_deref()
                .map(|n| format!("\n{n}"))
                .unwrap_or_default()
        ))
        .add_property("SEQUENCE", seq(row).to_string())
        .add_property(
            "DTSTAMP",
            Utc.from_utc_datetime(&row.updated_at)
                .format("%Y%m%dT%H%M%SZ")
                .to_string(),
        );
    match row
        .planned_time
        .as_deref()
        .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
    {
        Some(t) => {
            let start = crate::domain::week::local_to_utc(row.planned_on.and_time(t), tz);
            e.starts(Utc.from_utc_datetime(&start))
                .ends(Utc.from_utc_datetime(&(start + Duration::hours(1))));
        }
        None => {
            e.all_day(row.planned_on);
        }
    }
    if row.status == crate::domain::plan::PlanStatus::Cancelled {
        e.status(EventStatus::Cancelled);
    } else {
        e.status(EventStatus::Confirmed);
    }
    e.done()
}

fn follow_up_event(
    id: i64,
    title: &str,
    employer: &str,
    due: NaiveDate,
    updated: NaiveDateTime,
    created: NaiveDateTime,
    lang: Lang,
) -> Event {
    Event::new()
        .uid(&format!("follow-up-{id}@placefirst"))
        .summary(&format!(
            "{}: {title} ({employer})",
            i18n::t(lang, "timeline.follow_up")
        ))
        .all_day(due)
        .add_property(
            "SEQUENCE",
            (updated - created)
                .num_seconds()
                .clamp(0, u32::MAX as i64)
                .to_string(),
        )
        .add_property(
            "DTSTAMP",
            Utc.from_utc_datetime(&updated)
                .format("%Y%m%dT%H%M%SZ")
                .to_string(),
        )
        .done()
}

/// A contact day as a VEVENT, in UTC from its local start and end.
pub fn contact_day_event(
    d: &crate::domain::contact_days::ContactDayRow,
    tz: chrono_tz::Tz,
    lang: Lang,
) -> Event {
    let at = |t: &str| {
        let time = NaiveTime::parse_from_str(t, "%H:%M").unwrap_or(NaiveTime::MIN);
        Utc.from_utc_datetime(&crate::domain::week::local_to_utc(d.day.and_time(time), tz))
    };
    let title = match &d.theme {
        Some(theme) => format!("{}: {theme}", i18n::t(lang, "days.title_one")),
        None => i18n::t(lang, "days.title_one"),
    };
    let mut e = Event::new();
    e.uid(&format!("contact-day-{}@placefirst", d.id))
        .summary(&title)
        .location(&d.place)
        .starts(at(&d.starts_at))
        .ends(at(&d.ends_at))
        .add_property("SEQUENCE", d.sequence.max(0).to_string())
        .add_property(
            "DTSTAMP",
            Utc.from_utc_datetime(&d.updated_at)
                .format("%Y%m%dT%H%M%SZ")
                .to_string(),
        )
        .status(
            if d.status == crate::domain::contact_days::DayStatus::Cancelled {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            },
        );
    crate::domain::calendar_series::as_occurrence(&mut e, d, tz);
    e.done()
}

/// One contact day as its own .ics file.
pub fn contact_day_ics(
    d: &crate::domain::contact_days::ContactDayRow,
    tz: chrono_tz::Tz,
    lang: Lang,
) -> String {
    let mut cal = calendar("Placefirst");
    cal.push(contact_day_event(d, tz, lang));
    cal.done().to_string()
}

crate::closed_set! {
    /// The iTIP method (RFC 5546) of an invitation's calendar part.
    pub enum IcsMethod ("mail.method") {
        Request = "REQUEST",
        Cancel = "CANCEL",
    }
}

/// A contact day as an iTIP message (RFC 5546) for e-mail: METHOD REQUEST for an
/// invitation or an update, CANCEL for a cancellation, with the host as ORGANIZER and
/// the participants as ATTENDEEs ((name, address) pairs). With `series`, the whole
/// recurring series (master and exceptions) instead of the one day.
pub fn contact_day_message(
    d: &crate::domain::contact_days::ContactDayRow,
    series: Option<&(SeriesRow, Vec<crate::domain::contact_days::ContactDayRow>)>,
    tz: chrono_tz::Tz,
    lang: Lang,
    method: IcsMethod,
    people: (&(String, String), &[(String, String)]),
) -> String {
    let (organizer, attendees) = people;
    let mut events = match series {
        Some((s, occ)) => crate::domain::calendar_series::events(s, occ, tz, lang),
        None => vec![contact_day_event(d, tz, lang)],
    };
    for e in &mut events {
        e.append_property(
            Property::new("ORGANIZER", format!("mailto:{}", organizer.1))
                .add_parameter("CN", &organizer.0)
                .done(),
        );
        for (name, email) in attendees {
            e.append_multi_property(
                Property::new("ATTENDEE", format!("mailto:{email}"))
                    .add_parameter("CN", name)
                    .add_parameter("ROLE", "REQ-PARTICIPANT")
                    .add_parameter("PARTSTAT", "NEEDS-ACTION")
                    .add_parameter("RSVP", "FALSE")
                    .done(),
            );
        }
        if method == IcsMethod::Cancel {
            e.status(EventStatus::Cancelled);
        }
    }
    let mut cal = calendar("Placefirst");
    cal.append_property(Property::new("METHOD", method.as_str()));
    for e in events {
        cal.push(e);
    }
    finish(cal, d, series, tz)
}

/// Writes the calendar, with a VTIMEZONE when series times are local (TZID).
fn finish(
    mut cal: Calendar,
    d: &crate::domain::contact_days::ContactDayRow,
    series: Option<&(SeriesRow, Vec<crate::domain::contact_days::ContactDayRow>)>,
    tz: chrono_tz::Tz,
) -> String {
    let text = cal.done().to_string();
    match (series, d.series_id) {
        (Some((s, occ)), _) => crate::domain::calendar_series::with_vtimezone(
            text,
            tz,
            crate::domain::calendar_series::years(s.first_day, occ),
        ),
        (None, Some(_)) => crate::domain::calendar_series::with_vtimezone(
            text,
            tz,
            (d.day.year() - 1, d.day.year()),
        ),
        (None, None) => text,
    }
}

/// The .ics a contact day downloads as: the day, or for an occurrence its whole series.
pub fn day_ics(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    tz: chrono_tz::Tz,
    lang: Lang,
) -> Result<String, AppError> {
    let d = crate::domain::contact_days::row_of(conn, actor, id)?;
    match d.series_id {
        Some(sid) => {
            let s = crate::domain::calendar_series::load(conn, actor.org_id, sid)?;
            let mut cal = calendar("Placefirst");
            for e in crate::domain::calendar_series::events(&s.0, &s.1, tz, lang) {
                cal.push(e);
            }
            Ok(finish(cal, &d, Some(&s), tz))
        }
        None => Ok(contact_day_ics(&d, tz, lang)),
    }
}

fn calendar(name: &str) -> Calendar {
    let mut cal = Calendar::new();
    cal.name(name);
    cal
}

/// One planned contact as its own .ics file.
pub fn item_ics(item: &PlanItem, tz: chrono_tz::Tz, lang: Lang) -> String {
    let mut cal = calendar("Placefirst");
    cal.push(plan_event(item, tz, lang));
    cal.done().to_string()
}

/// The user's feed: planned contacts from 60 days back to a year ahead (cancelled ones
/// included, so calendars drop them), and open follow-ups.
pub fn feed_ics(
    conn: &mut DbConn,
    actor: &Actor,
    today: NaiveDate,
    tz: chrono_tz::Tz,
    lang: Lang,
) -> Result<String, AppError> {
    let (from, to) = (today - Duration::days(60), today + Duration::days(366));
    let plans: Vec<(PlannedRow, String)> = db_run!(conn, |c| planned_contacts::table
        .inner_join(employers::table)
        .filter(planned_contacts::organisation_id.eq(actor.org_id))
        .filter(planned_contacts::specialist_id.eq(actor.user_id))
        .filter(planned_contacts::planned_on.ge(from))
        .filter(planned_contacts::planned_on.le(to))
        .order((
            planned_contacts::planned_on.asc(),
            planned_contacts::id.asc()
        ))
        .select((PlannedRow::as_select(), employers::name))
        .load(c))?;
    let tasks: Vec<(i64, String, String, NaiveDate, NaiveDateTime, NaiveDateTime)> =
        db_run!(conn, |c| follow_ups::table
            .inner_join(employers::table)
            .filter(follow_ups::organisation_id.eq(actor.org_id))
            .filter(follow_ups::assignee_id.eq(actor.user_id))
            .filter(follow_ups::status.eq(crate::domain::follow_ups::FollowUpStatus::Open))
            .filter(follow_ups::due_on.le(to))
            .select((
                follow_ups::id,
                follow_ups::title,
                employers::name,
                follow_ups::due_on,
                follow_ups::updated_at,
                follow_ups::created_at
            ))
            .load(c))?;
    let days = crate::domain::contact_days::days_of(conn, actor.org_id, actor.user_id, from, to)?;
    let mut cal = calendar(&format!("Placefirst – {}", actor.display_name));
    let mut series_ids: Vec<i64> = Vec::new();
    for d in &days {
        match d.series_id {
            // A recurring day goes in once, as its series with the exceptions.
            Some(sid) => {
                if !series_ids.contains(&sid) {
                    series_ids.push(sid);
                }
            }
            None => {
                cal.push(contact_day_event(d, tz, lang));
            }
        }
    }
    let mut span: Option<(i32, i32)> = None;
    for sid in series_ids {
        let (s, occ) = crate::domain::calendar_series::load(conn, actor.org_id, sid)?;
        let y = crate::domain::calendar_series::years(s.first_day, &occ);
        span = Some(span.map_or(y, |(a, b)| (a.min(y.0), b.max(y.1))));
        for e in crate::domain::calendar_series::events(&s, &occ, tz, lang) {
            cal.push(e);
        }
    }
    for (row, employer_name) in plans {
        cal.push(plan_event(&PlanItem { row, employer_name }, tz, lang));
    }
    for (id, title, employer, due, updated, created) in tasks {
        cal.push(follow_up_event(
            id, &title, &employer, due, updated, created, lang,
        ));
    }
    let text = cal.done().to_string();
    Ok(match span {
        Some(years) => crate::domain::calendar_series::with_vtimezone(text, tz, years),
        None => text,
    })
}
