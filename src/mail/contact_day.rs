//! Telling people about a contact day: invitations, updates (moved), cancellations and
//! reminders, each with the day's .ics (METHOD:REQUEST or CANCEL) in their language.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::contact_day_participants as part;
use crate::db::DbConn;
use crate::db_run;
use crate::domain::calendar::{contact_day_message, IcsMethod};
use crate::domain::contact_days::ContactDayRow;
use crate::domain::notices::{Notice, Notifier};
use crate::domain::Rules;
use crate::error::AppError;
use crate::i18n::{self, Lang};
use crate::mail::outbox::{enqueue, payload_of, recipients, Kind, NewMail};

/// The participants' user ids.
pub fn participant_ids(conn: &mut DbConn, org: i64, day_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(db_run!(conn, |c| part::table
        .filter(part::organisation_id.eq(org))
        .filter(part::contact_day_id.eq(day_id))
        .order(part::user_id.asc())
        .select(part::user_id)
        .load(c))?)
}

/// What the templates show of a day, in one language.
#[derive(Debug, Clone, Serialize)]
pub struct DayFacts {
    pub day_id: i64,
    pub date: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub theme: Option<String>,
    pub link: String,
}

pub fn day_facts(d: &ContactDayRow, lang: Lang) -> DayFacts {
    DayFacts {
        day_id: d.id,
        date: i18n::format_date(lang, d.day),
        starts_at: i18n::format_clock(lang, &d.starts_at),
        ends_at: i18n::format_clock(lang, &d.ends_at),
        place: d.place.clone(),
        theme: d.theme.clone(),
        link: format!("/contact-days/{}", d.id),
    }
}

/// An invitation, update or cancellation: the day, its host, what it was before a
/// change and, for a series, every date.
#[derive(Serialize)]
struct DayMessage {
    #[serde(flatten)]
    day: DayFacts,
    host: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    was: Option<DayFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dates: Option<String>,
}

/// The outbox as the domain's notifier: notices become messages in the same transaction.
pub struct Outbox;

impl Notifier for Outbox {
    fn day_notice(
        &self,
        conn: &mut DbConn,
        rules: &Rules,
        notice: Notice<'_>,
        now: NaiveDateTime,
    ) -> Result<usize, AppError> {
        tell(conn, rules, notice, now)
    }
}

/// Enqueues the notice; answers how many messages were stored.
pub fn tell(
    conn: &mut DbConn,
    rules: &Rules,
    n: Notice,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let Notice {
        day,
        kind,
        to,
        was,
        dedupe_prefix,
        whole_series,
    } = n;
    if to.is_empty() {
        return Ok(0);
    }
    let org = day.organisation_id;
    let host = recipients(conn, org, &[day.host_id], rules.default_lang)?
        .pop()
        .map(|h| (h.name, h.email))
        .unwrap_or_default();
    let people = participant_ids(conn, org, day.id)?;
    let attendees: Vec<(String, String)> = recipients(conn, org, &people, rules.default_lang)?
        .into_iter()
        .map(|r| (r.name, r.email))
        .collect();
    let method = if kind == Kind::DayCancellation {
        IcsMethod::Cancel
    } else {
        IcsMethod::Request
    };
    let series = match (whole_series, day.series_id) {
        (true, Some(sid)) => Some(crate::domain::calendar_series::load(conn, org, sid)?),
        _ => None,
    };
    let host = (host.0, host.1);
    let mut stored = 0;
    for r in recipients(conn, org, to, rules.default_lang)? {
        let payload = payload_of(&DayMessage {
            day: day_facts(day, r.lang),
            host: host.0.clone(),
            was: was.map(|w| day_facts(w, r.lang)),
            dates: series.as_ref().map(|(_, occ)| {
                occ.iter()
                    .map(|o| i18n::format_date(r.lang, o.day))
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
        });
        let ics = contact_day_message(
            day,
            series.as_ref(),
            rules.tz,
            r.lang,
            method,
            (&host, &attendees),
        );
        let key = dedupe_prefix.as_ref().map(|p| format!("{p}:{}", r.user_id));
        if enqueue(
            conn,
            NewMail {
                org_id: org,
                kind,
                to: r,
                payload,
                ics: Some((ics, method)),
                dedupe_key: key,
            },
            now,
        )? {
            stored += 1;
        }
    }
    Ok(stored)
}
