//! Recurring contact days: the part of RFC 5545 RRULE a team needs ("every Tuesday",
//! "every other week", "the first Tuesday of every month", "the last Friday"), always
//! bounded by COUNT or UNTIL. A `Recurrence` holds only rules we can expand and export.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// At most this many days in one series (a year of weekly days).
pub const MAX_OCCURRENCES: usize = 53;

crate::closed_set! {
    /// How a page offers to repeat a day (the API takes any RRULE).
    pub enum RepeatKind ("days.repeat_kind") {
        Once = "none",
        Weekly = "weekly",
        Biweekly = "biweekly",
        Monthly = "monthly",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freq {
    /// On these weekdays every `interval` weeks.
    Weekly(Vec<Weekday>),
    /// On the nth (1..=4, or -1 for the last) weekday every `interval` months.
    Monthly { nth: i8, weekday: Weekday },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    Count(u32),
    Until(NaiveDate),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    pub freq: Freq,
    pub interval: u32,
    pub end: End,
}

const DAYS: [(&str, Weekday); 7] = [
    ("MO", Weekday::Mon),
    ("TU", Weekday::Tue),
    ("WE", Weekday::Wed),
    ("TH", Weekday::Thu),
    ("FR", Weekday::Fri),
    ("SA", Weekday::Sat),
    ("SU", Weekday::Sun),
];

fn day_code(w: Weekday) -> &'static str {
    DAYS.iter().find(|d| d.1 == w).map(|d| d.0).unwrap_or("MO")
}

fn weekday(code: &str) -> Option<Weekday> {
    DAYS.iter().find(|d| d.0 == code).map(|d| d.1)
}

/// The nth (or last, nth = -1) `w` of the month of `d`.
fn nth_weekday(year: i32, month: u32, nth: i8, w: Weekday) -> Option<NaiveDate> {
    if nth > 0 {
        NaiveDate::from_weekday_of_month_opt(year, month, w, nth as u8)
    } else {
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        }?;
        let mut d = next - Duration::days(1);
        while d.weekday() != w {
            d -= Duration::days(1);
        }
        Some(d)
    }
}

impl Recurrence {
    /// The rules the page offers, anchored on the first date: "weekly", "biweekly" or
    /// "monthly" (the same weekday of the month: the 1st to 4th, or the last), `count`
    /// times.
    pub fn simple(kind: RepeatKind, first: NaiveDate, count: u32) -> Option<Self> {
        let end = End::Count(count.clamp(1, MAX_OCCURRENCES as u32));
        let weekly = |interval| Self {
            freq: Freq::Weekly(vec![first.weekday()]),
            interval,
            end: end.clone(),
        };
        match kind {
            RepeatKind::Weekly => Some(weekly(1)),
            RepeatKind::Biweekly => Some(weekly(2)),
            RepeatKind::Monthly => {
                let nth = ((first.day() - 1) / 7 + 1) as i8;
                Some(Self {
                    freq: Freq::Monthly {
                        nth: if nth > 4 { -1 } else { nth },
                        weekday: first.weekday(),
                    },
                    interval: 1,
                    end,
                })
            }
            RepeatKind::Once => None,
        }
    }

    /// Parses `FREQ=WEEKLY;BYDAY=TU,TH;INTERVAL=2;COUNT=10` or
    /// `FREQ=MONTHLY;BYDAY=1TU;UNTIL=20271231`. The error names what is wrong.
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let (mut freq, mut byday, mut interval, mut end) = (None, None, 1u32, None);
        for part in s.trim().trim_start_matches("RRULE:").split(';') {
            let (k, v) = part.split_once('=').ok_or("rrule.syntax")?;
            match k.trim().to_ascii_uppercase().as_str() {
                "FREQ" => freq = Some(v.trim().to_ascii_uppercase()),
                "BYDAY" => byday = Some(v.trim().to_ascii_uppercase()),
                "INTERVAL" => {
                    interval = v.trim().parse().map_err(|_| "rrule.interval")?;
                    if !(1..=12).contains(&interval) {
                        return Err("rrule.interval");
                    }
                }
                "COUNT" => {
                    let n: u32 = v.trim().parse().map_err(|_| "rrule.count")?;
                    if !(1..=MAX_OCCURRENCES as u32).contains(&n) {
                        return Err("rrule.count");
                    }
                    end = Some(End::Count(n));
                }
                "UNTIL" => {
                    let date = v.trim().get(..8).ok_or("rrule.until")?;
                    let d = NaiveDate::parse_from_str(date, "%Y%m%d").map_err(|_| "rrule.until")?;
                    end = Some(End::Until(d));
                }
                "WKST" => {}
                _ => return Err("rrule.unsupported"),
            }
        }
        let end = end.ok_or("rrule.unbounded")?;
        let freq = match freq.as_deref() {
            Some("WEEKLY") => {
                let days: Option<Vec<Weekday>> = byday
                    .as_deref()
                    .unwrap_or_default()
                    .split(',')
                    .filter(|x| !x.is_empty())
                    .map(weekday)
                    .collect();
                let mut days = days.ok_or("rrule.byday")?;
                days.sort_by_key(|d| d.num_days_from_monday());
                days.dedup();
                Freq::Weekly(days)
            }
            Some("MONTHLY") => {
                let b = byday.ok_or("rrule.byday")?;
                let (n, w) = b.split_at(b.len().saturating_sub(2));
                let nth: i8 = n
                    .trim_start_matches('+')
                    .parse()
                    .map_err(|_| "rrule.byday")?;
                if !(nth == -1 || (1..=4).contains(&nth)) {
                    return Err("rrule.byday");
                }
                Freq::Monthly {
                    nth,
                    weekday: weekday(w).ok_or("rrule.byday")?,
                }
            }
            _ => return Err("rrule.freq"),
        };
        Ok(Self {
            freq,
            interval,
            end,
        })
    }

    /// The rule as RFC 5545 writes it.
    pub fn to_rrule(&self) -> String {
        let freq = match &self.freq {
            Freq::Weekly(days) if days.is_empty() => "FREQ=WEEKLY".to_string(),
            Freq::Weekly(days) => format!(
                "FREQ=WEEKLY;BYDAY={}",
                days.iter()
                    .map(|d| day_code(*d))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Freq::Monthly { nth, weekday } => {
                format!("FREQ=MONTHLY;BYDAY={nth}{}", day_code(*weekday))
            }
        };
        let interval = if self.interval > 1 {
            format!(";INTERVAL={}", self.interval)
        } else {
            String::new()
        };
        let end = match self.end {
            End::Count(n) => format!(";COUNT={n}"),
            End::Until(d) => format!(";UNTIL={}", d.format("%Y%m%d")),
        };
        format!("{freq}{interval}{end}")
    }

    /// The dates, from `start` on, as RFC 5545 expands the rule with DTSTART = `start`
    /// (`start` itself counts as the first when it matches the rule, as DTSTART must).
    pub fn dates(&self, start: NaiveDate) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let until = match self.end {
            End::Until(d) => d,
            End::Count(_) => start + Duration::days(366 * 5),
        };
        let limit = match self.end {
            End::Count(n) => n as usize,
            End::Until(_) => MAX_OCCURRENCES,
        };
        let push = |d: NaiveDate, out: &mut Vec<NaiveDate>| -> bool {
            if d > until || out.len() >= limit {
                return false;
            }
            if d >= start {
                out.push(d);
            }
            true
        };
        match &self.freq {
            Freq::Weekly(days) => {
                let days = if days.is_empty() {
                    vec![start.weekday()]
                } else {
                    days.clone()
                };
                let monday = start - Duration::days(start.weekday().num_days_from_monday() as i64);
                let mut week = 0i64;
                'weeks: loop {
                    let base = monday + Duration::weeks(week * self.interval as i64);
                    for d in &days {
                        if !push(
                            base + Duration::days(d.num_days_from_monday() as i64),
                            &mut out,
                        ) {
                            break 'weeks;
                        }
                    }
                    week += 1;
                }
            }
            Freq::Monthly { nth, weekday } => {
                let (mut y, mut m) = (start.year(), start.month());
                loop {
                    if let Some(d) = nth_weekday(y, m, *nth, *weekday) {
                        if !push(d, &mut out) {
                            break;
                        }
                    }
                    m += self.interval;
                    while m > 12 {
                        m -= 12;
                        y += 1;
                    }
                    if y > start.year() + 6 {
                        break;
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn first_tuesday_of_every_month() {
        let r = Recurrence::parse("FREQ=MONTHLY;BYDAY=1TU;COUNT=4").unwrap();
        assert_eq!(
            r.dates(d("2026-12-01")),
            vec![
                d("2026-12-01"),
                d("2027-01-05"),
                d("2027-02-02"),
                d("2027-03-02")
            ]
        );
        assert_eq!(r.to_rrule(), "FREQ=MONTHLY;BYDAY=1TU;COUNT=4");
    }

    #[test]
    fn last_friday_until_a_date() {
        let r = Recurrence::parse("RRULE:FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20270331T215959Z").unwrap();
        assert_eq!(
            r.dates(d("2027-01-01")),
            vec![d("2027-01-29"), d("2027-02-26"), d("2027-03-26")]
        );
    }

    #[test]
    fn every_other_week_on_two_days() {
        let r = Recurrence::parse("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH,TU;COUNT=5").unwrap();
        assert_eq!(
            r.dates(d("2026-12-02")),
            vec![
                d("2026-12-03"),
                d("2026-12-15"),
                d("2026-12-17"),
                d("2026-12-29"),
                d("2026-12-31")
            ]
        );
        assert_eq!(r.to_rrule(), "FREQ=WEEKLY;BYDAY=TU,TH;INTERVAL=2;COUNT=5");
    }

    #[test]
    fn unbounded_or_unknown_rules_are_refused() {
        assert_eq!(Recurrence::parse("FREQ=WEEKLY"), Err("rrule.unbounded"));
        assert_eq!(Recurrence::parse("FREQ=DAILY;COUNT=3"), Err("rrule.freq"));
        assert_eq!(
            Recurrence::parse("FREQ=MONTHLY;BYDAY=5TU;COUNT=3"),
            Err("rrule.byday")
        );
        assert_eq!(
            Recurrence::parse("FREQ=WEEKLY;COUNT=500"),
            Err("rrule.count")
        );
        assert_eq!(
            Recurrence::parse("FREQ=WEEKLY;BYHOUR=3;COUNT=2"),
            Err("rrule.unsupported")
        );
        assert_eq!(Recurrence::parse("nonsense"), Err("rrule.syntax"));
    }
}
