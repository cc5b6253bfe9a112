//! The clock behind "now" and "today", so weekly plans, overdue follow-ups and lead
//! expiry can be tested on fixed dates.

use std::sync::Mutex;

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

pub trait Clock: Send + Sync {
    /// The current time in UTC.
    fn now(&self) -> NaiveDateTime;

    /// Today's date in the given time zone.
    fn today(&self, tz: Tz) -> NaiveDate {
        tz.from_utc_datetime(&self.now()).date_naive()
    }
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> NaiveDateTime {
        chrono::Utc::now().naive_utc()
    }
}

/// A clock for tests: runs with the real time until it is set, then says what it is told.
pub struct FixedClock(Mutex<Option<NaiveDateTime>>);

impl FixedClock {
    pub fn new(at: NaiveDateTime) -> Self {
        Self(Mutex::new(Some(at)))
    }

    /// Real time, until `set`.
    pub fn running() -> Self {
        Self(Mutex::new(None))
    }

    pub fn set(&self, at: NaiveDateTime) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(at);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> NaiveDateTime {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .unwrap_or_else(|| SystemClock.now())
    }
}
