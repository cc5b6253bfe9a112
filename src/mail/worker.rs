//! The outbox worker: enqueues what is due by the clock (reminders, summaries, digests),
//! fetches due partner calendars, then sends pending messages. A message is claimed (pending → sending) before it is
//! sent and marked sent right after, so two workers never send one message; a failure
//! schedules a retry with exponential backoff until `max_attempts`.
//!
//! A process killed between the SMTP hand-over and "sent" leaves the row in `sending`;
//! after `STALE_MINUTES` it is sent again with the same Message-ID, which mail clients
//! and calendars treat as the same message.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde_json::Value;

use crate::db::schema::outbox;
use crate::db::{DbConn, DbPool};
use crate::db_run;
use crate::domain::calendar::IcsMethod;
use crate::domain::clock::Clock;
use crate::domain::Rules;
use crate::error::AppError;
use crate::mail::outbox::OutboxRow;
use crate::mail::outbox::OutboxStatus;
use crate::mail::templates::MailTemplates;
use crate::mail::{MailSettings, Mailer, Outgoing};

const STALE_MINUTES: i64 = 15;
const BATCH: i64 = 50;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub enqueued: usize,
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    /// Partner calendars fetched from their URLs.
    pub calendars: usize,
    /// Closed job seekers anonymised by the retention rule.
    pub anonymised: usize,
}

/// Everything the worker needs, cloned into its thread.
#[derive(Clone)]
pub struct Worker {
    pub pool: DbPool,
    pub mailer: Arc<Mailer>,
    pub templates: Arc<MailTemplates>,
    pub settings: MailSettings,
    pub rules: Rules,
    pub matching: crate::domain::matching::MatchSettings,
    pub lead_cache: Arc<crate::domain::matching::cache::LeadCache>,
    pub fidelity: crate::domain::fidelity::thresholds::Thresholds,
    pub meeting_weekday: chrono::Weekday,
    /// Fetch calendar subscriptions from internal addresses too (tests, closed networks).
    pub allow_internal_calendars: bool,
    /// Months after which a closed job seeker is anonymised (0: never).
    pub retention_months: u32,
    pub clock: Arc<dyn Clock>,
}

/// Seconds to wait before attempt `attempts + 1`: 30 s, 1 min, 2 min, ... at most 6 h.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 20) - 1;
    Duration::seconds((30i64 << exp).min(6 * 3600))
}

impl Worker {
    /// One pass: schedule, then send what is due.
    pub fn run_once(&self) -> Result<Pass, AppError> {
        let now = self.clock.now();
        let mut pass = Pass::default();
        {
            let mut conn = self.pool.get()?;
            pass.enqueued = crate::db::transaction(&mut conn, |c| {
                crate::mail::digest::schedule(
                    c,
                    &self.rules,
                    &self.settings,
                    &crate::mail::digest::MatchCtx {
                        settings: &self.matching,
                        cache: &self.lead_cache,
                    },
                    now,
                )
            })?;
            pass.enqueued += crate::db::transaction(&mut conn, |c| {
                crate::mail::agenda_mail::schedule(
                    c,
                    &crate::domain::fidelity::agenda::AgendaCtx {
                        rules: &self.rules,
                        thresholds: &self.fidelity,
                        matching: &self.matching,
                        weekday: self.meeting_weekday,
                        now,
                    },
                    self.settings.send_hour,
                )
            })?;
            let stale = now - Duration::minutes(STALE_MINUTES);
            db_run!(&mut conn, |c| diesel::update(
                outbox::table
                    .filter(outbox::status.eq(OutboxStatus::Sending))
                    .filter(outbox::next_attempt_at.lt(stale))
            )
            .set(outbox::status.eq(OutboxStatus::Pending))
            .execute(c))?;
        }
        pass.anonymised = crate::domain::clients::gdpr::retention(
            &mut self.pool.get()?,
            self.retention_months,
            now,
        )?;
        pass.calendars = crate::domain::calendar_subscriptions::fetch_due(
            &self.pool,
            self.rules.tz,
            now,
            &if self.allow_internal_calendars {
                crate::net::Reach::Anywhere
            } else {
                crate::net::Reach::Public { also: Vec::new() }
            },
        )?;
        let mut conn = self.pool.get()?;
        let due: Vec<OutboxRow> = db_run!(&mut conn, |c| outbox::table
            .filter(outbox::status.eq(OutboxStatus::Pending))
            .filter(outbox::next_attempt_at.le(now))
            .order(outbox::id.asc())
            .limit(BATCH)
            .select(OutboxRow::as_select())
            .load(c))?;
        for row in due {
            if !claim(&mut conn, row.id, now)? {
                continue;
            }
            match self.deliver(&row) {
                Ok(()) => {
                    db_run!(&mut conn, |c| diesel::update(
                        outbox::table.filter(outbox::id.eq(row.id))
                    )
                    .set((
                        outbox::status.eq(OutboxStatus::Sent),
                        outbox::attempts.eq(row.attempts + 1),
                        outbox::sent_at.eq(Some(now)),
                        outbox::last_error.eq(None::<String>),
                    ))
                    .execute(c))?;
                    pass.sent += 1;
                }
                Err(why) => {
                    let attempts = row.attempts + 1;
                    let gave_up = attempts >= self.settings.max_attempts;
                    tracing::warn!(outbox_id = row.id, attempts, %why, "e-mail not sent");
                    db_run!(&mut conn, |c| diesel::update(
                        outbox::table.filter(outbox::id.eq(row.id))
                    )
                    .set((
                        outbox::status.eq(if gave_up {
                            OutboxStatus::Failed
                        } else {
                            OutboxStatus::Pending
                        }),
                        outbox::attempts.eq(attempts),
                        outbox::next_attempt_at.eq(now + backoff(attempts)),
                        outbox::last_error.eq(Some(why.chars().take(500).collect::<String>())),
                    ))
                    .execute(c))?;
                    if gave_up {
                        pass.failed += 1;
                    } else {
                        pass.retried += 1;
                    }
                }
            }
        }
        Ok(pass)
    }

    fn deliver(&self, row: &OutboxRow) -> Result<(), String> {
        let kind = row.kind;
        let mut data: Value = serde_json::from_str(&row.payload).map_err(|e| e.to_string())?;
        if let Value::Object(o) = &mut data {
            o.insert(
                "base_url".into(),
                Value::from(self.settings.base_url.clone()),
            );
        }
        let (subject, text, html) = self.templates.render(kind, &data)?;
        self.mailer.send(&Outgoing {
            to: row.recipient.clone(),
            message_id: row.message_id.clone(),
            subject,
            text,
            html,
            ics: row.ics.clone().map(|i| {
                (
                    i,
                    row.ics_method
                        .map_or("PUBLISH", IcsMethod::as_str)
                        .to_string(),
                )
            }),
        })
    }

    /// Runs passes every `poll_seconds` on its own thread until `stop` is set.
    pub fn spawn(self, stop: Arc<AtomicBool>) {
        let every = StdDuration::from_secs(self.settings.poll_seconds.max(1));
        std::thread::Builder::new()
            .name("outbox".into())
            .spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Err(e) = self.run_once() {
                        tracing::warn!(error = %e, "outbox pass failed");
                    }
                    // Sleep in short steps so a stop is noticed quickly.
                    let mut slept = StdDuration::ZERO;
                    while slept < every && !stop.load(Ordering::Relaxed) {
                        std::thread::sleep(StdDuration::from_millis(100));
                        slept += StdDuration::from_millis(100);
                    }
                }
            })
            .expect("outbox thread starts");
    }
}

/// pending → sending; false when another worker took it first.
fn claim(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<bool, AppError> {
    let n = db_run!(conn, |c| diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::status.eq(OutboxStatus::Pending))
    )
    .set((
        outbox::status.eq(OutboxStatus::Sending),
        outbox::next_attempt_at.eq(now)
    ))
    .execute(c))?;
    Ok(n == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(5), Duration::seconds(480));
        assert_eq!(backoff(30), Duration::hours(6));
    }
}
