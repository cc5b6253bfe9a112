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
    /// To the microsecond: what PostgreSQL keeps, so a time reads back the same from
    /// either database (and moves between them unchanged).
    fn now(&self) -> NaiveDateTime {
        use chrono::{DurationRound, TimeDelta};
        let t = chrono::Utc::now().naive_utc();
        t.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(t)
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    #[test]
    fn the_system_clock_reads_whole_microseconds() {
        for _ in 0..5 {
            assert_eq!(SystemClock.now().nanosecond() % 1_000, 0);
        }
    }
}
