//! ISO weeks (Monday to Sunday) in the configured time zone, usually Europe/Helsinki.

use chrono::{
    Datelike, Duration, IsoWeek, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Weekday,
};
use chrono_tz::Tz;
use serde::Serialize;

use crate::error::Msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Week {
    pub year: i32,
    pub week: u32,
}

impl Week {
    /// "2026-W48" (also "2026-w48" and "2026W48").
    pub fn parse(s: &str) -> Result<Self, Msg> {
        let s = s.trim().to_ascii_uppercase();
        let (y, w) = s.split_once('W').ok_or(Msg::new("error.week"))?;
        let year: i32 = y
            .trim_end_matches('-')
            .parse()
            .map_err(|_| Msg::new("error.week"))?;
        let week: u32 = w.parse().map_err(|_| Msg::new("error.week"))?;
        if !(1900..=2200).contains(&year) {
            return Err(Msg::new("error.week"));
        }
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).ok_or(Msg::new("error.week"))?;
        Ok(Self { year, week })
    }

    pub fn of(date: NaiveDate) -> Self {
        let w: IsoWeek = date.iso_week();
        Self {
            year: w.year(),
            week: w.week(),
        }
    }

    pub fn monday(self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon).unwrap_or_default()
    }

    pub fn days(self) -> [NaiveDate; 7] {
        let m = self.monday();
        std::array::from_fn(|i| m + Duration::days(i as i64))
    }

    pub fn next(self) -> Self {
        Self::of(self.monday() + Duration::days(7))
    }

    pub fn prev(self) -> Self {
        Self::of(self.monday() - Duration::days(7))
    }

    /// The week as UTC instants: [Monday 00:00 local, next Monday 00:00 local).
    pub fn utc_range(self, tz: Tz) -> (NaiveDateTime, NaiveDateTime) {
        (
            local_midnight_utc(self.monday(), tz),
            local_midnight_utc(self.next().monday(), tz),
        )
    }

    pub fn label(self) -> String {
        format!("{}-W{:02}", self.year, self.week)
    }
}

/// Midnight at the start of `date` in `tz`, as UTC.
pub fn local_midnight_utc(date: NaiveDate, tz: Tz) -> NaiveDateTime {
    local_to_utc(date.and_time(NaiveTime::MIN), tz)
}

/// A wall-clock time in `tz` as UTC; in the spring gap the later hour is taken,
/// in the autumn overlap the earlier one.
pub fn local_to_utc(local: NaiveDateTime, tz: Tz) -> NaiveDateTime {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.naive_utc(),
        LocalResult::Ambiguous(a, _) => a.naive_utc(),
        LocalResult::None => local_to_utc(local + Duration::hours(1), tz),
    }
}

pub fn utc_to_local(utc: NaiveDateTime, tz: Tz) -> NaiveDateTime {
    tz.from_utc_datetime(&utc).naive_local()
}

/// The translation key of a weekday's name, Monday = 1 (ISO), as the plan numbers them.
pub const fn weekday_key(n: u32) -> &'static str {
    match n {
        1 => "weekday.1",
        2 => "weekday.2",
        3 => "weekday.3",
        4 => "weekday.4",
        5 => "weekday.5",
        6 => "weekday.6",
        _ => "weekday.7",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Helsinki;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn parses_and_rejects() {
        let w = Week::parse("2026-W48").unwrap();
        assert_eq!(w.monday(), NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!(w.label(), "2026-W48");
        assert_eq!(Week::parse("2026w48").unwrap(), w);
        for bad in ["2026-W54", "2026-48", "W48", "x-W1", "2026-W0"] {
            assert!(Week::parse(bad).is_err(), "{bad}");
        }
        // 2026 starts on a Thursday, so it has a week 53; 2025 does not.
        assert!(Week::parse("2026-W53").is_ok());
        assert!(Week::parse("2025-W53").is_err());
    }

    #[test]
    fn sunday_late_and_monday_early_helsinki() {
        let w48 = Week::parse("2026-W48").unwrap();
        let (start, end) = w48.utc_range(Helsinki);
        // Winter: Helsinki is UTC+2.
        assert_eq!(start, at("2026-11-22 22:00"));
        assert_eq!(end, at("2026-11-29 22:00"));
        let sunday_2330 = local_to_utc(at("2026-11-29 23:30"), Helsinki);
        let monday_0030 = local_to_utc(at("2026-11-30 00:30"), Helsinki);
        assert!(
            sunday_2330 >= start && sunday_2330 < end,
            "Sunday 23:30 is still week 48"
        );
        assert!(monday_0030 >= end, "Monday 00:30 is week 49");
    }

    #[test]
    fn weeks_with_the_clock_change_are_one_hour_shorter_or_longer() {
        // Summer time starts on Sunday 29 March 2026 (week 13), ends on 25 October (week 43).
        let (s, e) = Week::parse("2026-W13").unwrap().utc_range(Helsinki);
        assert_eq!(e - s, Duration::hours(7 * 24 - 1));
        assert_eq!(s, at("2026-03-22 22:00"));
        assert_eq!(e, at("2026-03-29 21:00"));
        let (s, e) = Week::parse("2026-W43").unwrap().utc_range(Helsinki);
        assert_eq!(e - s, Duration::hours(7 * 24 + 1));
        assert_eq!(s, at("2026-10-18 21:00"));
        assert_eq!(e, at("2026-10-25 22:00"));
        // A local time in the spring gap moves forward, not away.
        assert_eq!(
            local_to_utc(at("2026-03-29 03:30"), Helsinki),
            at("2026-03-29 01:30")
        );
    }
}
