//! Property tests over many generated pairs (a seeded generator, so failures repeat)
//! and a small hand-checked data set.

use super::*;
use crate::demo::Lcg;
use crate::domain::leads::{Shift, Weekday};
use std::sync::LazyLock;

static DAYS: LazyLock<Vec<&'static str>> = LazyLock::new(Weekday::names);
static SHIFTS: LazyLock<Vec<&'static str>> = LazyLock::new(Shift::names);

const PLACES: [&str; 6] = ["837", "211", "604", "536", "091", "564"];

fn pick<'a>(rng: &mut Lcg, from: &[&'a str], n: usize) -> Vec<&'a str> {
    from.iter().copied().filter(|_| rng.next(n) == 0).collect()
}

fn opt_hours(rng: &mut Lcg) -> (Option<i32>, Option<i32>) {
    match rng.next(4) {
        0 => (None, None),
        1 => (Some(5 + rng.next(30) as i32), None),
        _ => {
            let a = 5 + rng.next(30) as i32;
            (Some(a), Some(a + rng.next(15) as i32))
        }
    }
}

struct Pair {
    seeker: Seeker,
    lead: LeadFacts,
    s_days: Vec<&'static str>,
    s_shifts: Vec<&'static str>,
    l_days: Vec<&'static str>,
    l_shifts: Vec<&'static str>,
}

fn pair(rng: &mut Lcg) -> Pair {
    // Often everything, sometimes a few: both outcomes stay common.
    let s_days = if rng.next(2) == 0 {
        DAYS.to_vec()
    } else {
        pick(rng, &DAYS, 2)
    };
    let s_shifts = if rng.next(2) == 0 {
        SHIFTS.to_vec()
    } else {
        pick(rng, &SHIFTS, 2)
    };
    let l_days = pick(rng, &DAYS, 5);
    let l_shifts = pick(rng, &SHIFTS, 6);
    let (hmin, hmax) = opt_hours(rng);
    let (lmin, lmax) = opt_hours(rng);
    let industries = ["C", "G", "I", "Q"];
    let seeker = Seeker {
        client_id: 1,
        areas: Vec::new(),
        occupations: vec!["5132".into()],
        wish_words: wish_words("kahvila barista"),
        industries_wanted: pick(rng, &industries, 2)
            .iter()
            .map(|s| s.parse().unwrap())
            .collect(),
        industries_avoided: pick(rng, &industries, 10)
            .iter()
            .map(|s| s.parse().unwrap())
            .collect(),
        avoid_employers: if rng.next(5) == 0 { vec![7] } else { vec![] },
        hours_min: hmin,
        hours_max: hmax,
        days: mask(&s_days, &DAYS),
        shifts: mask(&s_shifts, &SHIFTS),
        home: (rng.next(4) > 0).then(|| PLACES[rng.next(PLACES.len())].to_string()),
        max_commute_km: (rng.next(2) > 0).then(|| [5.0, 20.0, 60.0, 200.0][rng.next(4)]),
        earliest_start: None,
        wage_wish: None,
        skills: vec!["kassa".into()],
    };
    let lead = LeadFacts {
        lead_id: 1,
        employer_id: [7, 8, 9][rng.next(3)],
        status: [
            "open",
            "open",
            "candidates_proposed",
            "interviewing",
            "expired",
        ][rng.next(5)]
        .parse()
        .unwrap(),
        isco: Some(["5132", "5131", "5120", "9412"][rng.next(4)].into()),
        text: "barista kahvilaan".into(),
        requirements: "kassa".into(),
        hours_min: lmin,
        hours_max: lmax,
        days: mask(&l_days, &DAYS),
        shifts: mask(&l_shifts, &SHIFTS),
        place: (rng.next(5) > 0).then(|| PLACES[rng.next(PLACES.len())].to_string()),
        industry: (rng.next(4) > 0).then(|| industries[rng.next(4)].parse().unwrap()),
        stage: ["active", "introduced", "not_contacted"][rng.next(3)]
            .parse()
            .unwrap(),
        wage: None,
        starts_on: None,
    };
    Pair {
        seeker,
        lead,
        s_days,
        s_shifts,
        l_days,
        l_shifts,
    }
}

/// The hard rules written again the plain way: sets, and every hour counted.
fn oracle_excludes(p: &Pair) -> bool {
    let (s, l) = (&p.seeker, &p.lead);
    let hours = |lo: Option<i32>, hi: Option<i32>| -> Option<Vec<i32>> {
        let (a, b) = (lo.or(hi)?, hi.or(lo)?);
        Some((a..=b).collect())
    };
    let hours_clash = match (
        hours(l.hours_min, l.hours_max),
        hours(s.hours_min, s.hours_max),
    ) {
        (Some(x), Some(y)) => !x.iter().any(|h| y.contains(h)),
        _ => false,
    };
    let shifts_clash = !p.s_shifts.is_empty() && p.l_shifts.iter().any(|x| !p.s_shifts.contains(x));
    let days_clash = !p.s_days.is_empty() && p.l_days.iter().any(|x| !p.s_days.contains(x));
    let too_far = match (s.max_commute_km, &s.home, &l.place) {
        (Some(max), Some(h), Some(pl)) => distance_km(h, pl).unwrap() > max,
        _ => false,
    };
    !(l.status.as_str() == "open" || l.status.as_str() == "candidates_proposed")
        || s.avoid_employers.contains(&l.employer_id)
        || l.industry
            .as_ref()
            .is_some_and(|i| s.industries_avoided.contains(i))
        || hours_clash
        || shifts_clash
        || days_clash
        || too_far
}

#[test]
fn hard_rules_exclude_what_they_should_and_nothing_more() {
    let mut rng = Lcg(2026);
    let (mut excluded, mut included) = (0, 0);
    for _ in 0..20_000 {
        let p = pair(&mut rng);
        let result = evaluate(&p.seeker, &p.lead, &Weights::default());
        assert_eq!(
            result.is_none(),
            oracle_excludes(&p),
            "{:?}\n{:?}",
            p.seeker,
            p.lead
        );
        if result.is_none() {
            excluded += 1
        } else {
            included += 1
        }
    }
    // Both outcomes were exercised many times.
    assert!(
        excluded > 1_000 && included > 1_000,
        "{excluded} / {included}"
    );
}

#[test]
fn reasons_add_up_to_the_score() {
    let mut rng = Lcg(7);
    let w = Weights::default();
    let total = w.occupation
        + w.industry
        + w.distance
        + w.hours
        + w.wage
        + w.start
        + w.skills
        + w.relationship;
    for _ in 0..20_000 {
        let p = pair(&mut rng);
        if let Some(m) = evaluate(&p.seeker, &p.lead, &w) {
            let sum: f64 = m.reasons.iter().map(|r| r.share).sum();
            assert!((sum - m.score).abs() < 0.051, "{sum} vs {}", m.score);
            assert!(m.score >= 0.0 && m.score <= total + 0.001);
            assert!(m
                .reasons
                .iter()
                .filter(|r| r.kind == Kind::Missing)
                .all(|r| r.share == 0.0));
        }
    }
}

fn lead(
    id: i64,
    isco: &str,
    place: &str,
    hours: (i32, i32),
    shifts: &[&str],
    stage: &str,
) -> LeadFacts {
    LeadFacts {
        lead_id: id,
        employer_id: id * 10,
        status: "open".parse().unwrap(),
        isco: Some(isco.into()),
        text: String::new(),
        requirements: String::new(),
        hours_min: Some(hours.0),
        hours_max: Some(hours.1),
        days: 0,
        shifts: mask(shifts, &SHIFTS),
        place: Some(place.into()),
        industry: Some("I".parse().unwrap()),
        stage: stage.parse().unwrap(),
        wage: None,
        starts_on: None,
    }
}

#[test]
fn a_change_of_preference_changes_the_ranking() {
    // A barista wish in Tampere, part-time, days only.
    let mut s = Seeker {
        client_id: 1,
        occupations: vec!["5132".into()],
        hours_min: Some(15),
        hours_max: Some(25),
        shifts: mask(&["day"], &SHIFTS),
        home: Some("837".into()),
        max_commute_km: Some(20.0),
        ..Default::default()
    };
    let leads = [
        lead(1, "5132", "837", (20, 25), &["day"], "active"), // barista in Tampere
        lead(2, "9412", "837", (20, 20), &["day"], "hiring_partner"), // kitchen porter in Tampere
        lead(3, "5132", "091", (20, 20), &["day"], "active"), // barista in Helsinki: too far
        lead(4, "5132", "211", (20, 20), &["evening"], "active"), // evenings: not accepted
        lead(5, "5132", "837", (37, 40), &["day"], "active"), // full-time: more than wished
    ];
    let ranked = |s: &Seeker| -> Vec<i64> {
        rank(
            leads
                .iter()
                .filter_map(|l| evaluate(s, l, &Weights::default()))
                .collect(),
        )
        .iter()
        .map(|m| m.lead_id)
        .collect()
    };
    assert_eq!(ranked(&s), vec![1, 2]);
    // Evenings become fine: the evening barista job in Kangasala (17 km) joins, below Tampere.
    s.shifts = mask(&["day", "evening"], &SHIFTS);
    assert_eq!(ranked(&s), vec![1, 4, 2]);
    // Kitchen work wished instead: the kitchen job leads.
    s.occupations = vec!["9412".into()];
    assert_eq!(ranked(&s)[0], 2);
    // Full time is fine after all: lead 5 appears.
    s.hours_max = Some(40);
    assert!(ranked(&s).contains(&5));
}

#[test]
fn numbers_distances_and_words() {
    assert_eq!(wage_number("12,50 €/h"), Some(12.5));
    assert_eq!(wage_number("2 300 €/kk"), Some(2300.0));
    assert_eq!(wage_number("TES"), None);
    assert_eq!(distance_km("837", "837"), Some(0.0));
    let tre_hki = distance_km("837", "091").unwrap();
    assert!((140.0..=165.0).contains(&tre_hki), "{tre_hki}");
    assert_eq!(
        wish_words("Haluan kahvilaan, en yötöihin"),
        vec!["haluan", "kahvilaan", "yötöihin"]
    );
}
