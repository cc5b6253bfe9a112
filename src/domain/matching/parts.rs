//! The parts of a score, one function each: what fits, what is missing, what was relaxed.
//! Every reason names both sides where it compares them, and says which side is unknown
//! when one is. Arguments travel as plain values (ISO dates, numbers with a decimal point,
//! codes); `text` writes them the way the reader's language does.

use super::{distance_km, range, reason, History, Kind, LeadFacts, Reason, Seeker, Weights};

/// The in-person visits after which we know an employer (fewer make no relationship claim).
pub const KNOWN_AFTER_VISITS: i64 = 3;

/// Parts of the relationship weight each fact of the history gives (they add up to 1).
const HIRED: f64 = 0.4;
const VISITED: f64 = 0.4;
const HIRING_CONTACT: f64 = 0.2;

/// Same unit group, minor group, sub-major group, or the person's own words.
pub fn occupation(s: &Seeker, l: &LeadFacts, w: &Weights) -> Reason {
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
            reason(Kind::Fits, code, w.occupation * f)
        }
        (_, Some(word)) => {
            reason(Kind::Fits, "occupation_words", w.occupation * 0.5).arg("word", word.clone())
        }
        _ if s.occupations.is_empty() && s.wish_words.is_empty() => {
            reason(Kind::Relaxed, "occupation_open", 0.0)
        }
        _ => reason(Kind::Missing, "occupation_other", 0.0),
    }
}

pub fn industry(s: &Seeker, l: &LeadFacts, w: &Weights) -> Reason {
    match (&l.industry, s.industries_wanted.is_empty()) {
        (_, true) => reason(Kind::Relaxed, "industry_open", w.industry * 0.5),
        (Some(i), false) if s.industries_wanted.contains(i) => {
            reason(Kind::Fits, "industry_wanted", w.industry).arg("industry", i.as_str())
        }
        (Some(i), false) => {
            reason(Kind::Missing, "industry_other", 0.0).arg("industry", i.as_str())
        }
        (None, false) => reason(Kind::Relaxed, "industry_unknown", w.industry * 0.5),
    }
}

/// Kilometres as an argument: one decimal under 10 km, whole kilometres beyond.
fn km(d: f64) -> String {
    if d < 10.0 {
        format!("{}", (d * 10.0).round() / 10.0)
    } else {
        format!("{}", d.round())
    }
}

/// A municipality the person named fits outright; else the distance between centres.
pub fn distance(s: &Seeker, l: &LeadFacts, w: &Weights) -> Reason {
    match (&s.home, &l.place) {
        (_, Some(p)) if s.areas.contains(p) => {
            reason(Kind::Fits, "area_named", w.distance).arg("place", p.clone())
        }
        (Some(h), Some(p)) if h == p => {
            reason(Kind::Fits, "distance_home", w.distance).arg("place", p.clone())
        }
        (Some(h), Some(p)) => match distance_km(h, p) {
            Some(d) => {
                let reach = s.max_commute_km.unwrap_or(50.0).max(1.0);
                let share = w.distance * (1.0 - d / reach).max(0.0);
                match s.max_commute_km {
                    // A farther place is excluded by the hard rule.
                    Some(max) => reason(Kind::Fits, "distance_within", share)
                        .arg("km", km(d))
                        .arg("max", km(max)),
                    None if d <= reach => reason(Kind::Fits, "distance", share).arg("km", km(d)),
                    None => reason(Kind::Missing, "distance_far", 0.0).arg("km", km(d)),
                }
            }
            None => reason(Kind::Relaxed, "distance_unknown_place", 0.0),
        },
        (None, Some(_)) => reason(Kind::Relaxed, "distance_unknown_home", 0.0),
        (Some(_), None) => reason(Kind::Relaxed, "distance_unknown_place", 0.0),
        (None, None) => reason(Kind::Relaxed, "distance_unknown", 0.0),
    }
}

fn span(a: i32, b: i32) -> String {
    if a == b {
        format!("{a}")
    } else {
        format!("{a}–{b}")
    }
}

/// How much of the job's hours the person's range covers, and how the job's range differs
/// from the wish when it is not inside it (the hard rule already excludes no overlap).
pub fn hours(s: &Seeker, l: &LeadFacts, w: &Weights) -> Reason {
    match (
        range(l.hours_min, l.hours_max),
        range(s.hours_min, s.hours_max),
    ) {
        (Some((a, b)), Some((c, d))) => {
            let overlap = (b.min(d) - a.max(c)).max(0) as f64 + 1.0;
            let share = w.hours * (overlap / ((b - a) as f64 + 1.0)).min(1.0);
            let (under, over) = ((c - a).max(0), (b - d).max(0));
            let (kind, code) = match (under > 0, over > 0) {
                (false, false) => (Kind::Fits, "hours"),
                (false, true) => (Kind::Relaxed, "hours_over"),
                (true, false) => (Kind::Relaxed, "hours_under"),
                (true, true) => (Kind::Relaxed, "hours_wider"),
            };
            reason(kind, code, share)
                .arg("job", span(a, b))
                .arg("wish", span(c, d))
                .arg("over", over.to_string())
                .arg("under", under.to_string())
        }
        (None, Some((c, d))) => {
            reason(Kind::Relaxed, "hours_unknown_job", w.hours * 0.5).arg("wish", span(c, d))
        }
        (Some((a, b)), None) => {
            reason(Kind::Relaxed, "hours_unknown_wish", w.hours * 0.5).arg("job", span(a, b))
        }
        (None, None) => reason(Kind::Relaxed, "hours_unknown", w.hours * 0.5),
    }
}

/// Compared only when both are numbers of the same kind (hourly or monthly).
pub fn wage(s: &Seeker, l: &LeadFacts, w: &Weights) -> Reason {
    let per = |x: f64| if x < 100.0 { "hour" } else { "month" };
    match (l.wage, s.wage_wish) {
        (Some(a), Some(b)) if per(a) == per(b) => if a >= b {
            reason(Kind::Fits, "wage", w.wage)
        } else {
            reason(Kind::Missing, "wage_low", 0.0)
        }
        .arg("job", a.to_string())
        .arg("wish", b.to_string())
        .arg("per", per(a)),
        (Some(_), Some(_)) => reason(Kind::Relaxed, "wage_kinds", w.wage * 0.5),
        (None, Some(_)) => reason(Kind::Relaxed, "wage_unknown_job", w.wage * 0.5),
        (Some(_), None) => reason(Kind::Relaxed, "wage_unknown_wish", w.wage * 0.5),
        (None, None) => reason(Kind::Relaxed, "wage_unknown", w.wage * 0.5),
    }
}

pub fn start(s: &Seeker, l: &LeadFacts, w: &Weights) -> Reason {
    match (l.starts_on, s.earliest_start) {
        (Some(a), Some(b)) => if a < b {
            reason(Kind::Missing, "start_early", 0.0)
        } else {
            reason(Kind::Fits, "start", w.start)
        }
        .arg("starts", a.to_string())
        .arg("earliest", b.to_string()),
        (None, Some(b)) => {
            reason(Kind::Relaxed, "start_unknown_job", w.start * 0.5).arg("earliest", b.to_string())
        }
        (Some(a), None) => reason(Kind::Relaxed, "start_unknown_seeker", w.start * 0.5)
            .arg("starts", a.to_string()),
        (None, None) => reason(Kind::Relaxed, "start_unknown", w.start * 0.5),
    }
}

/// Skills named in the requirements or the description.
pub fn skills(s: &Seeker, l: &LeadFacts, w: &Weights) -> Reason {
    if s.skills.is_empty() {
        return reason(Kind::Relaxed, "skills_unknown", 0.0);
    }
    if l.requirements.is_empty() && l.text.is_empty() {
        return reason(Kind::Relaxed, "skills_open", w.skills * 0.5);
    }
    let found: Vec<&str> = s
        .skills
        .iter()
        .filter(|k| l.requirements.contains(k.as_str()) || l.text.contains(k.as_str()))
        .map(String::as_str)
        .collect();
    if found.is_empty() {
        reason(Kind::Missing, "skills_none", 0.0)
    } else {
        reason(
            Kind::Fits,
            "skills",
            w.skills * found.len() as f64 / s.skills.len() as f64,
        )
        .arg("skills", found.join(", "))
    }
}

/// The employer relationship, from what was done with the employer, never from its stage
/// label: a past hire, repeated in-person visits, a contact person who can hire. Each
/// present fact is a reason of its own; without any, a reason that claims nothing.
pub fn relationship(h: &History, w: &Weights) -> Vec<Reason> {
    let mut out = Vec::new();
    if h.hires > 0 {
        out.push(
            reason(Kind::Fits, "relationship_hired", w.relationship * HIRED)
                .arg("n", h.hires.to_string()),
        );
    }
    let last = h.last_visit.map(|d| d.to_string()).unwrap_or_default();
    if h.visits >= KNOWN_AFTER_VISITS {
        out.push(
            reason(Kind::Fits, "relationship_visits", w.relationship * VISITED)
                .arg("n", h.visits.to_string())
                .arg("last", last.clone()),
        );
    }
    if h.hiring_contact {
        out.push(reason(
            Kind::Fits,
            "relationship_contact",
            w.relationship * HIRING_CONTACT,
        ));
    }
    if out.is_empty() {
        out.push(match h.visits {
            0 => reason(Kind::Missing, "relationship_none", 0.0),
            n => reason(Kind::Missing, "relationship_few", 0.0)
                .arg("n", n.to_string())
                .arg("last", last),
        });
    }
    out
}
