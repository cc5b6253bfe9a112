//! The fidelity figures, computed from loaded data without I/O.

use std::collections::{BTreeMap, HashSet};

use serde_json::json;

use super::load::Data;
use super::thresholds::{score, Direction, Thresholds};
use super::{Item, Period};

fn share(n: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| n as f64 / of as f64)
}

fn item(
    key: &'static str,
    value: Option<f64>,
    bounds: &[f64; 4],
    dir: Direction,
    detail: serde_json::Value,
) -> Item {
    Item {
        key,
        value: value.map(|v| (v * 1000.0).round() / 1000.0),
        score: value.map(|v| score(v, bounds, dir)),
        threshold_note: String::new(),
        bounds: *bounds,
        at_least: dir == Direction::AtLeast,
        detail,
    }
}

pub fn all(d: &Data, p: Period, t: &Thresholds) -> Vec<Item> {
    vec![
        contacts_per_week(d, p, t),
        contact_quality(d, t),
        individualized(d, t),
        rapid_job_search(d, t),
        diversity(d, t, true),
        diversity(d, t, false),
        competitive(d, t),
        caseload(d, t),
        follow_along(d, p, t),
    ]
}

/// Face-to-face employer contacts per specialist per week, repeated visits counted; the
/// value is the mean over the scope's specialists. A specialist with fewer than
/// `small_caseload_below` job seekers searching is scored against
/// `small_caseload_per_job_seeker` per searching job seeker instead.
fn contacts_per_week(d: &Data, p: Period, t: &Thresholds) -> Item {
    let weeks = p.weeks();
    let mut per = Vec::new();
    for s in &d.specialists {
        let n = d
            .contacts
            .iter()
            .filter(|c| c.specialist_id == *s && c.face_to_face())
            .count();
        let searching = d.searching.get(s).copied().unwrap_or(0);
        let per_week = n as f64 / weeks;
        let bounds = if (searching as i64) < t.small_caseload_below && searching > 0 {
            let target = t.small_caseload_per_job_seeker * searching as f64;
            let k = target / t.employer_contacts_per_week[0];
            t.employer_contacts_per_week.map(|b| b * k)
        } else {
            t.employer_contacts_per_week
        };
        per.push(json!({
            "user_id": s, "contacts": n, "per_week": (per_week * 100.0).round() / 100.0,
            "searching": searching, "target": bounds[0],
            "score": score(per_week, &bounds, Direction::AtLeast),
        }));
    }
    let total: usize = d.contacts.iter().filter(|c| c.face_to_face()).count();
    let value =
        (!d.specialists.is_empty()).then(|| total as f64 / weeks / d.specialists.len() as f64);
    let mut it = item(
        "employer_contacts_per_week",
        value,
        &t.employer_contacts_per_week,
        Direction::AtLeast,
        json!({"face_to_face": total, "weeks": (weeks * 100.0).round() / 100.0, "specialists": per}),
    );
    // One specialist: the small-caseload rule decides the score.
    if d.specialists.len() == 1 {
        it.score = per[0]["score"].as_u64().map(|s| s as u8);
    }
    it
}

/// The mean of three shares: employers met face to face in the period that have been met
/// more than once so far; face-to-face visits that were planned; "present a job seeker"
/// contacts that came after a learning visit with that employer.
fn contact_quality(d: &Data, t: &Thresholds) -> Item {
    let met: HashSet<i64> = d
        .contacts
        .iter()
        .filter(|c| c.face_to_face())
        .map(|c| c.employer_id)
        .collect();
    let repeated = met
        .iter()
        .filter(|e| d.meetings_so_far.get(e).copied().unwrap_or(0) > 1)
        .count();
    let visits: Vec<_> = d
        .contacts
        .iter()
        .filter(|c| c.channel == crate::domain::outreach::Channel::InPerson)
        .collect();
    let planned = visits.iter().filter(|c| c.planned).count();
    let presents: Vec<_> = d
        .contacts
        .iter()
        .filter(|c| c.purpose == crate::domain::outreach::Purpose::PresentJobSeeker)
        .collect();
    let after_learning = presents
        .iter()
        .filter(|c| {
            d.first_learning
                .get(&c.employer_id)
                .is_some_and(|t| *t < c.at)
        })
        .count();
    let parts = [
        share(repeated, met.len()),
        share(planned, visits.len()),
        share(after_learning, presents.len()),
    ];
    let known: Vec<f64> = parts.iter().flatten().copied().collect();
    let value = (!known.is_empty()).then(|| known.iter().sum::<f64>() / known.len() as f64);
    item(
        "employer_contact_quality",
        value,
        &t.employer_contact_quality,
        Direction::AtLeast,
        json!({
            "employers_met": met.len(), "met_more_than_once": repeated, "met_more_than_once_share": parts[0],
            "visits": visits.len(), "planned": planned, "planned_share": parts[1],
            "presentations": presents.len(), "after_learning_visit": after_learning, "after_learning_share": parts[2],
        }),
    )
}

/// Client-specific contacts whose employer or lead fits that job seeker's stated
/// preferences: a wanted occupation (a lead from the contact, or at the employer) or a
/// wanted industry, and not an avoided industry or employer. Job seekers who stated no
/// occupation or industry cannot be judged and are counted apart.
fn individualized(d: &Data, t: &Thresholds) -> Item {
    let (mut fits, mut judged, mut unknown) = (0, 0, 0);
    for (contact_id, client_id) in &d.on_behalf {
        let Some(c) = d.contacts.iter().find(|c| c.id == *contact_id) else {
            continue;
        };
        let Some(p) = d
            .profiles
            .get(client_id)
            .filter(|p| !p.occupations.is_empty() || !p.industries_wanted.is_empty())
        else {
            unknown += 1;
            continue;
        };
        judged += 1;
        let industry = d
            .employer_industry
            .get(&c.employer_id)
            .copied()
            .flatten()
            .map(crate::domain::closed_set::Choice::Known);
        let avoided = p.avoid_employer_ids.contains(&c.employer_id)
            || industry
                .as_ref()
                .is_some_and(|i| p.industries_avoided.contains(i));
        let occupations: Vec<&String> = d
            .leads_from_contact
            .get(&c.id)
            .into_iter()
            .flatten()
            .chain(
                d.leads_at_employer
                    .get(&c.employer_id)
                    .into_iter()
                    .flatten(),
            )
            .collect();
        let wanted_work = occupations.iter().any(|o| p.occupations.contains(o));
        let wanted_industry = industry
            .as_ref()
            .is_some_and(|i| p.industries_wanted.contains(i));
        if !avoided && (wanted_work || wanted_industry) {
            fits += 1;
        }
    }
    item(
        "individualized_job_search",
        share(fits, judged),
        &t.individualized_job_search,
        Direction::AtLeast,
        json!({"client_specific_contacts": judged + unknown, "judged": judged, "fits_preferences": fits, "no_stated_preferences": unknown}),
    )
}

/// Days from intake to the first face-to-face employer contact, for job seekers who
/// entered in the period; the mean over those who had one, with the distribution and the
/// number still waiting.
fn rapid_job_search(d: &Data, t: &Thresholds) -> Item {
    let days: Vec<i64> = d
        .intakes
        .iter()
        .filter_map(|i| i.first_contact.map(|f| (f - i.intake).num_days().max(0)))
        .collect();
    let waiting = d.intakes.len() - days.len();
    let b = t.rapid_job_search_days;
    let mut buckets: BTreeMap<&str, usize> = BTreeMap::new();
    for x in &days {
        let x = *x as f64;
        let k = if x <= b[0] {
            "a_within_first_bound"
        } else if x <= b[1] {
            "b_within_second_bound"
        } else if x <= b[2] {
            "c_within_third_bound"
        } else if x <= b[3] {
            "d_within_fourth_bound"
        } else {
            "e_beyond"
        };
        *buckets.entry(k).or_default() += 1;
    }
    let mean = (!days.is_empty()).then(|| days.iter().sum::<i64>() as f64 / days.len() as f64);
    item(
        "rapid_job_search_days",
        mean,
        &t.rapid_job_search_days,
        Direction::AtMost,
        json!({"entered": d.intakes.len(), "with_contact": days.len(), "without_contact": waiting, "days": days, "distribution": buckets, "bounds": b}),
    )
}

/// Among placements running in the period: the share of different job types (or
/// employers), i.e. distinct ones over all.
fn diversity(d: &Data, t: &Thresholds, types: bool) -> Item {
    let n = d.placements.len();
    let distinct = if types {
        d.placements
            .iter()
            .map(|p| p.job_type.clone())
            .collect::<HashSet<_>>()
            .len()
    } else {
        d.placements
            .iter()
            .map(|p| p.employer_id.to_string())
            .collect::<HashSet<_>>()
            .len()
    };
    let (key, bounds) = if types {
        ("diversity_job_types", &t.diversity_job_types)
    } else {
        ("diversity_employers", &t.diversity_employers)
    };
    item(
        key,
        share(distinct, n),
        bounds,
        Direction::AtLeast,
        json!({"placements": n, "distinct": distinct}),
    )
}

fn competitive(d: &Data, t: &Thresholds) -> Item {
    let n = d.placements.len();
    let c = d.placements.iter().filter(|p| p.competitive).count();
    item(
        "competitive_jobs",
        share(c, n),
        &t.competitive_jobs,
        Direction::AtLeast,
        json!({"placements": n, "competitive": c}),
    )
}

/// Active job seekers and workers per specialist, now.
fn caseload(d: &Data, t: &Thresholds) -> Item {
    let total: usize = d
        .specialists
        .iter()
        .map(|s| d.active.get(s).copied().unwrap_or(0))
        .sum();
    let per: Vec<_> = d
        .specialists
        .iter()
        .map(|s| json!({"user_id": s, "active": d.active.get(s).copied().unwrap_or(0)}))
        .collect();
    item(
        "caseload",
        (!d.specialists.is_empty()).then(|| total as f64 / d.specialists.len() as f64),
        &t.caseload,
        Direction::AtMost,
        json!({"active": total, "specialists": per}),
    )
}

/// New workers (placements that started in the period) seen in person within three days
/// of the start and in every week of their first month that has passed by the period end.
fn follow_along(d: &Data, p: Period, t: &Thresholds) -> Item {
    let new: Vec<_> = d
        .placements
        .iter()
        .filter(|x| x.starts_on >= p.from && x.starts_on <= p.to)
        .collect();
    let mut ok = 0;
    for x in &new {
        let s = crate::domain::placements::summarise(x.starts_on, x.support.clone());
        let weeks_due = (((p.to - x.starts_on).num_days() + 1) / 7).clamp(0, 4) as usize;
        if s.seen_around_start && s.first_month_weeks_with_contact >= weeks_due {
            ok += 1;
        }
    }
    item(
        "follow_along",
        share(ok, new.len()),
        &t.follow_along,
        Direction::AtLeast,
        json!({"new_workers": new.len(), "supported_as_planned": ok}),
    )
}
