//! The matching engine: pure functions, no I/O, driven by settings.
//!
//! Hard rules first, so a match never breaks a stated preference (hours, shifts, days,
//! commute, avoided employers and industries, lead still open). Then a score out of the
//! weights' sum, and every part of the score is a reason: what fits, what is missing,
//! what was relaxed because something was not known. The reasons' shares add up to the
//! score.

pub mod cache;
pub mod find;
pub mod load;

use crate::domain::employers::Stage;
use crate::domain::leads::LeadStatus;
use crate::domain::reference::Industry;
use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::reference::MUNICIPALITIES;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub occupation: f64,
    pub industry: f64,
    pub distance: f64,
    pub hours: f64,
    pub wage: f64,
    pub start: f64,
    pub skills: f64,
    pub relationship: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            occupation: 35.0,
            industry: 10.0,
            distance: 10.0,
            hours: 10.0,
            wage: 5.0,
            start: 5.0,
            skills: 10.0,
            relationship: 15.0,
        }
    }
}

/// Bit masks: mon..sun as bits 0..6; day, evening, night, weekend as bits 0..3.
pub fn mask<T: PartialEq>(values: &[T], all: &[T]) -> u8 {
    values
        .iter()
        .filter_map(|v| all.iter().position(|a| a == v))
        .fold(0, |m, i| m | (1 << i))
}

/// What matching needs of a job seeker, prepared once.
#[derive(Debug, Clone, Default)]
pub struct Seeker {
    pub client_id: i64,
    pub occupations: Vec<String>,
    pub wish_words: Vec<String>,
    pub industries_wanted: Vec<Industry>,
    pub industries_avoided: Vec<Industry>,
    pub avoid_employers: Vec<i64>,
    pub hours_min: Option<i32>,
    pub hours_max: Option<i32>,
    pub days: u8,
    pub shifts: u8,
    pub home: Option<String>,
    /// Municipalities the person named as acceptable, whatever their distance.
    pub areas: Vec<String>,
    pub max_commute_km: Option<f64>,
    pub earliest_start: Option<NaiveDate>,
    pub wage_wish: Option<f64>,
    pub skills: Vec<String>,
}

/// What matching needs of a lead and its employer, prepared once.
#[derive(Debug, Clone, Default)]
pub struct LeadFacts {
    pub lead_id: i64,
    pub employer_id: i64,
    pub status: LeadStatus,
    pub isco: Option<String>,
    /// Title and description, lowercase.
    pub text: String,
    /// Requirements, lowercase.
    pub requirements: String,
    pub hours_min: Option<i32>,
    pub hours_max: Option<i32>,
    pub days: u8,
    pub shifts: u8,
    /// The lead's municipality, or else the employer's.
    pub place: Option<String>,
    pub industry: Option<Industry>,
    pub stage: Stage,
    pub wage: Option<f64>,
    pub starts_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Fits,
    Missing,
    Relaxed,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub kind: Kind,
    /// Translation key suffix: `match.<code>`.
    pub code: &'static str,
    /// Points of the score this reason gives.
    pub share: f64,
    pub args: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    pub lead_id: i64,
    pub client_id: i64,
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// Kilometres between municipal centres; 0 within one municipality.
pub fn distance_km(a: &str, b: &str) -> Option<f64> {
    if a == b {
        return Some(0.0);
    }
    let (p, q) = (MUNICIPALITIES.get(a)?, MUNICIPALITIES.get(b)?);
    let (la1, lo1, la2, lo2) = (
        p.lat.to_radians(),
        p.lon.to_radians(),
        q.lat.to_radians(),
        q.lon.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    Some(6371.0 * 2.0 * h.sqrt().asin())
}

/// The first number in a wage text: "12,50 €/h" → 12.5, "2 300 €/kk" → 2300.
pub fn wage_number(s: &str) -> Option<f64> {
    let cleaned: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace(',', ".");
    let start = cleaned.find(|c: char| c.is_ascii_digit())?;
    let num: String = cleaned[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    num.trim_end_matches('.').parse().ok()
}

/// Words of the person's own job wishes that are worth looking for (four letters or more).
pub fn wish_words(wishes: &str) -> Vec<String> {
    wishes
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 4)
        .collect()
}

fn range(lo: Option<i32>, hi: Option<i32>) -> Option<(i32, i32)> {
    match (lo, hi) {
        (Some(a), Some(b)) => Some((a, b)),
        (Some(a), None) => Some((a, a)),
        (None, Some(b)) => Some((b, b)),
        (None, None) => None,
    }
}

/// Which hard rule a pair breaks, if any (the tests check the engine against this).
pub fn broken_rule(s: &Seeker, l: &LeadFacts) -> Option<&'static str> {
    if !LeadStatus::OPEN.contains(&l.status) {
        return Some("closed");
    }
    if s.avoid_employers.contains(&l.employer_id) {
        return Some("avoided_employer");
    }
    if l.industry
        .as_ref()
        .is_some_and(|i| s.industries_avoided.contains(i))
    {
        return Some("avoided_industry");
    }
    if let (Some((a, b)), Some((c, d))) = (
        range(l.hours_min, l.hours_max),
        range(s.hours_min, s.hours_max),
    ) {
        if b < c || d < a {
            return Some("hours");
        }
    }
    if s.shifts != 0 && l.shifts & !s.shifts != 0 {
        return Some("shifts");
    }
    if s.days != 0 && l.days & !s.days != 0 {
        return Some("days");
    }
    if let (Some(max), Some(home), Some(place)) = (s.max_commute_km, &s.home, &l.place) {
        if !s.areas.contains(place) && distance_km(home, place).is_some_and(|d| d > max) {
            return Some("commute");
        }
    }
    None
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn reason(kind: Kind, code: &'static str, share: f64) -> Reason {
    Reason {
        kind,
        code,
        share: round1(share),
        args: Vec::new(),
    }
}

/// The match of one job seeker and one lead, or None when a hard rule excludes it.
pub fn evaluate(s: &Seeker, l: &LeadFacts, w: &Weights) -> Option<Match> {
    if broken_rule(s, l).is_some() {
        return None;
    }
    let mut r: Vec<Reason> = Vec::with_capacity(8);
    // Occupation: same unit group, minor group, sub-major group, or the person's own words.
    let occ = l.isco.as_ref().and_then(|code| {
        s.occupations
            .iter()
            .map(|o| {
                if o == code {
                    (1.0_f64, "occupation_unit")
                } else if o.get(..3) == code.get(..3) {
                    (0.7, "occupation_minor")
                } else if o.get(..2) == code.get(..2) {
                    (0.4, "occupation_submajor")
                } else {
                    (0.0, "")
                }
            })
            .filter(|(f, _)| *f > 0.0)
            .max_by(|a, b| a.0.total_cmp(&b.0))
    });
    let word = s.wish_words.iter().find(|w| l.text.contains(w.as_str()));
    match (occ, word) {
        (Some((f, code)), _) if f >= 0.5 || word.is_none() => {
            r.push(reason(Kind::Fits, code, w.occupation * f))
        }
        (_, Some(word)) => {
            let mut x = reason(Kind::Fits, "occupation_words", w.occupation * 0.5);
            x.args.push(("word", word.clone()));
            r.push(x);
        }
        _ if s.occupations.is_empty() && s.wish_words.is_empty() => {
            r.push(reason(Kind::Relaxed, "occupation_open", 0.0))
        }
        _ => r.push(reason(Kind::Missing, "occupation_other", 0.0)),
    }
    // Industry wish.
    match (&l.industry, s.industries_wanted.is_empty()) {
        (_, true) => r.push(reason(Kind::Relaxed, "industry_open", w.industry * 0.5)),
        (Some(i), false) if s.industries_wanted.contains(i) => {
            r.push(reason(Kind::Fits, "industry_wanted", w.industry))
        }
        (Some(_), false) => r.push(reason(Kind::Missing, "industry_other", 0.0)),
        (None, false) => r.push(reason(Kind::Relaxed, "industry_unknown", w.industry * 0.5)),
    }
    // A municipality the person named fits outright; else the distance between centres.
    match (&s.home, &l.place) {
        (_, Some(p)) if s.areas.contains(p) => {
            let mut x = reason(Kind::Fits, "area_named", w.distance);
            x.args.push(("place", p.clone()));
            r.push(x);
        }
        (Some(h), Some(p)) => match distance_km(h, p) {
            Some(d) => {
                let reach = s.max_commute_km.unwrap_or(50.0).max(1.0);
                let mut x = reason(
                    if d <= reach {
                        Kind::Fits
                    } else {
                        Kind::Missing
                    },
                    "distance",
                    w.distance * (1.0 - d / reach).max(0.0),
                );
                x.args.push(("km", format!("{}", d.round())));
                r.push(x);
            }
            None => r.push(reason(Kind::Relaxed, "distance_unknown", 0.0)),
        },
        _ => r.push(reason(Kind::Relaxed, "distance_unknown", 0.0)),
    }
    // Hours: how much of the job's hours the person's range covers.
    match (
        range(l.hours_min, l.hours_max),
        range(s.hours_min, s.hours_max),
    ) {
        (Some((a, b)), Some((c, d))) => {
            let overlap = (b.min(d) - a.max(c)).max(0) as f64 + 1.0;
            let share = w.hours * (overlap / ((b - a) as f64 + 1.0)).min(1.0);
            let mut x = reason(Kind::Fits, "hours", share);
            x.args.push((
                "hours",
                if a == b {
                    format!("{a}")
                } else {
                    format!("{a}–{b}")
                },
            ));
            r.push(x);
        }
        _ => r.push(reason(Kind::Relaxed, "hours_unknown", w.hours * 0.5)),
    }
    // Wage: compared only when both are numbers of the same kind (hourly or monthly).
    match (l.wage, s.wage_wish) {
        (Some(a), Some(b)) if (a < 100.0) == (b < 100.0) => r.push(if a >= b {
            reason(Kind::Fits, "wage", w.wage)
        } else {
            reason(Kind::Missing, "wage_low", 0.0)
        }),
        _ => r.push(reason(Kind::Relaxed, "wage_unknown", w.wage * 0.5)),
    }
    // Start date.
    match (l.starts_on, s.earliest_start) {
        (Some(a), Some(b)) if a < b => r.push(reason(Kind::Missing, "start_early", 0.0)),
        (Some(_), Some(_)) => r.push(reason(Kind::Fits, "start", w.start)),
        _ => r.push(reason(Kind::Relaxed, "start_unknown", w.start * 0.5)),
    }
    // Skills named in the requirements or description.
    if s.skills.is_empty() {
        r.push(reason(Kind::Relaxed, "skills_unknown", 0.0));
    } else if l.requirements.is_empty() && l.text.is_empty() {
        r.push(reason(Kind::Relaxed, "skills_open", w.skills * 0.5));
    } else {
        let found: Vec<&String> = s
            .skills
            .iter()
            .filter(|k| l.requirements.contains(k.as_str()) || l.text.contains(k.as_str()))
            .collect();
        let mut x = if found.is_empty() {
            reason(Kind::Missing, "skills_none", 0.0)
        } else {
            reason(
                Kind::Fits,
                "skills",
                w.skills * found.len() as f64 / s.skills.len() as f64,
            )
        };
        x.args.push((
            "skills",
            found
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ));
        r.push(x);
    }
    // The employer relationship: a partner who hires is a better bet.
    let rel = match l.stage {
        Stage::HiringPartner => 1.0,
        Stage::Active => 0.8,
        Stage::LearningNeeds => 0.5,
        Stage::Introduced => 0.3,
        _ => 0.0,
    };
    r.push(if rel > 0.0 {
        reason(Kind::Fits, "relationship", w.relationship * rel)
    } else {
        reason(Kind::Missing, "relationship_none", 0.0)
    });
    let score = round1(r.iter().map(|x| x.share).sum());
    Some(Match {
        lead_id: l.lead_id,
        client_id: s.client_id,
        score,
        reasons: r,
    })
}

/// Best first; ties by lead and client id so pages are stable.
pub fn rank(mut matches: Vec<Match>) -> Vec<Match> {
    matches.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.lead_id.cmp(&b.lead_id))
            .then(a.client_id.cmp(&b.client_id))
    });
    matches
}

#[cfg(test)]
mod tests;
