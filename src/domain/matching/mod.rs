//! The matching engine: pure functions, no I/O, driven by settings.
//!
//! Hard rules first, so a match never breaks a stated preference (hours, shifts, days,
//! commute, avoided employers and industries, lead still open). Then a score out of the
//! weights' sum, and every part of the score is a reason: what fits, what is missing,
//! what was relaxed because something was not known or fits only in part. The reasons'
//! shares add up to the score. A cut-off (`listed`) decides what is shown.

pub mod cache;
pub mod find;
pub mod fresh;
pub mod load;
pub mod parts;
pub mod text;

use crate::domain::leads::LeadStatus;
use crate::domain::reference::Industry;
use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::reference::MUNICIPALITIES;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
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
    pub wage: Option<f64>,
    pub starts_on: Option<NaiveDate>,
    /// What the organisation has done with the employer; loaded only for pairs that could
    /// reach the cut-off (`find`), empty otherwise.
    pub history: History,
}

/// What the organisation has done with an employer: the relationship reasons read only
/// this, never the employer's stage label.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// In-person visits logged with the employer (a visit that found no one, result "no
    /// answer", is not counted).
    pub visits: i64,
    /// The local date of the latest of them.
    pub last_visit: Option<NaiveDate>,
    /// A contact person recorded as one who can hire.
    pub hiring_contact: bool,
    /// Job starts of the organisation's job seekers with the employer.
    pub hires: i64,
}

/// The `[matching]` settings, checked, with the time zone dates are read in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchSettings {
    pub weights: Weights,
    /// Matches below this score are not listed (see `listed`); the score is out of the
    /// weights' sum, 100 with the default weights.
    pub min_score: f64,
    pub tz: chrono_tz::Tz,
}

impl Default for MatchSettings {
    fn default() -> Self {
        Self {
            weights: Weights::default(),
            min_score: 40.0,
            tz: chrono_tz::Europe::Helsinki,
        }
    }
}

impl Weights {
    /// The most points a match can have: the top of the score's scale.
    pub fn total(&self) -> f64 {
        self.occupation
            + self.industry
            + self.distance
            + self.hours
            + self.wage
            + self.start
            + self.skills
            + self.relationship
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "ReasonKind")]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Fits,
    Missing,
    Relaxed,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Reason {
    pub kind: Kind,
    /// Translation key suffix: `match.<code>`.
    pub code: &'static str,
    /// Points of the score this reason gives.
    pub share: f64,
    pub args: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
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

pub(crate) fn range(lo: Option<i32>, hi: Option<i32>) -> Option<(i32, i32)> {
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

impl Reason {
    fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }
}

/// The match of one job seeker and one lead, or None when a hard rule excludes it.
pub fn evaluate(s: &Seeker, l: &LeadFacts, w: &Weights) -> Option<Match> {
    if broken_rule(s, l).is_some() {
        return None;
    }
    let mut r: Vec<Reason> = Vec::with_capacity(10);
    r.push(parts::occupation(s, l, w));
    r.push(parts::industry(s, l, w));
    r.push(parts::distance(s, l, w));
    r.push(parts::hours(s, l, w));
    r.push(parts::wage(s, l, w));
    r.push(parts::start(s, l, w));
    r.push(parts::skills(s, l, w));
    r.extend(parts::relationship(&l.history, w));
    let score = round1(r.iter().map(|x| x.share).sum());
    Some(Match {
        lead_id: l.lead_id,
        client_id: s.client_id,
        score,
        reasons: r,
    })
}

/// A job in an occupation the person has not named, when they named occupations or wrote
/// job wishes.
fn other_occupation(m: &Match) -> bool {
    m.reasons.iter().any(|r| r.code == "occupation_other")
}

/// Whether a match is listed at the cut-off `min_score` (pages, API lists, digest): its
/// score reaches the cut-off, and the job is not in an occupation other than those the
/// person named. Such a job is below every cut-off above 0, however many points its other
/// reasons (place, hours, relationship) add up to: the person's own choice of work leads.
/// A cut-off of 0 lists every pair no hard rule excludes.
pub fn listed(m: &Match, min_score: f64) -> bool {
    min_score <= 0.0 || (m.score >= min_score && !other_occupation(m))
}

/// Whether a match evaluated without the employer's history could be listed once it is
/// known: the history only adds relationship reasons, worth at most the relationship
/// weight (and a little rounding).
pub fn could_list(m: &Match, min_score: f64, w: &Weights) -> bool {
    min_score <= 0.0 || (m.score + w.relationship + 0.5 >= min_score && !other_occupation(m))
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
