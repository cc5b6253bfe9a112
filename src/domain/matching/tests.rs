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
        text: ["barista kahvilaan", "varastotyöntekijä"][rng.next(2)].into(),
        requirements: "kassa".into(),
        hours_min: lmin,
        hours_max: lmax,
        days: mask(&l_days, &DAYS),
        shifts: mask(&l_shifts, &SHIFTS),
        place: (rng.next(5) > 0).then(|| PLACES[rng.next(PLACES.len())].to_string()),
        industry: (rng.next(4) > 0).then(|| industries[rng.next(4)].parse().unwrap()),
        wage: None,
        starts_on: None,
        history: history(rng),
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

/// Any history: none, a visit or a few, many, a contact who can hire, past hires.
fn history(rng: &mut Lcg) -> History {
    let visits = [0, 0, 1, 2, 3, 7][rng.next(6)];
    History {
        visits,
        last_visit: (visits > 0).then(|| NaiveDate::from_ymd_opt(2026, 11, 12).unwrap()),
        hiring_contact: rng.next(3) == 0,
        hires: [0, 0, 0, 1, 2][rng.next(5)],
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
    history: History,
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
        wage: None,
        starts_on: None,
        history,
    }
}

fn visited(n: i64) -> History {
    History {
        visits: n,
        last_visit: NaiveDate::from_ymd_opt(2026, 11, 12),
        ..Default::default()
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
        lead(1, "5132", "837", (20, 25), &["day"], visited(3)), // barista in Tampere
        lead(2, "9412", "837", (20, 20), &["day"], visited(9)), // kitchen porter in Tampere
        lead(3, "5132", "091", (20, 20), &["day"], visited(3)), // barista in Helsinki: too far
        lead(4, "5132", "211", (20, 20), &["evening"], visited(3)), // evenings: not accepted
        lead(5, "5132", "837", (37, 40), &["day"], visited(3)), // full-time: more than wished
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

fn codes(m: &Match, kind: Kind) -> Vec<&'static str> {
    m.reasons
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| r.code)
        .collect()
}

fn arg<'a>(m: &'a Match, code: &str, name: &str) -> &'a str {
    m.reasons
        .iter()
        .find(|r| r.code == code)
        .and_then(|r| r.args.iter().find(|(k, _)| *k == name))
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

#[test]
fn the_relationship_comes_from_history_not_from_praise() {
    let s = Seeker {
        client_id: 1,
        occupations: vec!["5132".into()],
        ..Default::default()
    };
    let w = Weights::default();
    let with =
        |h: History| evaluate(&s, &lead(1, "5132", "837", (20, 20), &["day"], h), &w).unwrap();
    let relationship = |m: &Match| -> Vec<&'static str> {
        codes(m, Kind::Fits)
            .into_iter()
            .filter(|c| c.starts_with("relationship"))
            .collect()
    };
    // Nothing done, or one visit: no claim, nothing given.
    let none = with(History::default());
    assert!(relationship(&none).is_empty());
    assert_eq!(codes(&none, Kind::Missing), vec!["relationship_none"]);
    let once = with(visited(1));
    assert!(
        relationship(&once).is_empty(),
        "one visit is no relationship"
    );
    assert!(codes(&once, Kind::Missing).contains(&"relationship_few"));
    assert_eq!(once.score, none.score);
    // Three visits: the count and the last date.
    let thrice = with(visited(3));
    assert_eq!(relationship(&thrice), vec!["relationship_visits"]);
    assert_eq!(arg(&thrice, "relationship_visits", "n"), "3");
    assert_eq!(arg(&thrice, "relationship_visits", "last"), "2026-11-12");
    assert!(thrice.score > once.score);
    // A past hire, even without visits; a contact person who can hire.
    let hired = with(History {
        hires: 1,
        ..Default::default()
    });
    assert_eq!(relationship(&hired), vec!["relationship_hired"]);
    let known = with(History {
        hiring_contact: true,
        ..Default::default()
    });
    assert_eq!(relationship(&known), vec!["relationship_contact"]);
    // All three give the whole relationship weight.
    let all = with(History {
        hires: 2,
        hiring_contact: true,
        ..visited(4)
    });
    assert_eq!(all.score - none.score, w.relationship);
}

#[test]
fn the_cut_off_hides_weak_and_other_occupation_matches() {
    let mut rng = Lcg(11);
    let w = Weights::default();
    let (mut shown, mut hidden) = (0, 0);
    for _ in 0..20_000 {
        let p = pair(&mut rng);
        let Some(m) = evaluate(&p.seeker, &p.lead, &w) else {
            continue;
        };
        let other = codes(&m, Kind::Missing).contains(&"occupation_other");
        assert_eq!(listed(&m, 40.0), m.score >= 40.0 && !other, "{m:?}");
        assert!(
            listed(&m, 0.0),
            "0 lists every pair the hard rules let through"
        );
        if listed(&m, 40.0) {
            shown += 1
        } else {
            hidden += 1
        }
        // Judging without the history never hides what the history would list.
        let blind = LeadFacts {
            history: History::default(),
            ..p.lead.clone()
        };
        let first = evaluate(&p.seeker, &blind, &w).unwrap();
        for min in [20.0, 40.0, 60.0, 80.0] {
            if listed(&m, min) {
                assert!(could_list(&first, min, &w), "{min}: {m:?}");
            }
        }
    }
    assert!(shown > 1_000 && hidden > 300, "{shown} / {hidden}");
}

#[test]
fn hours_reasons_name_both_sides_and_say_how_they_differ() {
    let s = Seeker {
        client_id: 1,
        occupations: vec!["5132".into()],
        hours_min: Some(10),
        hours_max: Some(25),
        ..Default::default()
    };
    let w = Weights::default();
    let hours = |a, b| {
        let m = evaluate(
            &s,
            &lead(1, "5132", "837", (a, b), &[], History::default()),
            &w,
        )
        .unwrap();
        m.reasons
            .into_iter()
            .find(|r| r.code.starts_with("hours"))
            .unwrap()
    };
    let over = hours(20, 30);
    assert_eq!((over.kind, over.code), (Kind::Relaxed, "hours_over"));
    assert!(over.args.contains(&("over", "5".into())));
    assert!(over.share > 0.0 && over.share < w.hours);
    let fits = hours(15, 20);
    assert_eq!(
        (fits.kind, fits.code, fits.share),
        (Kind::Fits, "hours", w.hours)
    );
    assert_eq!(hours(5, 20).code, "hours_under");
    assert_eq!(hours(5, 30).code, "hours_wider");
    let fi = text::reasons(
        &Match {
            lead_id: 1,
            client_id: 1,
            score: over.share,
            reasons: vec![over],
        },
        crate::i18n::Lang::Fi,
    );
    assert_eq!(
        fi[0].text,
        "Työaika 20–30 h/vk sopii toiveeseen 10–25 h/vk vain osittain: työtä voi olla jopa 5 h/vk toivottua enemmän."
    );
}

#[test]
fn reasons_read_as_their_readers_write() {
    use crate::i18n::Lang;
    // Tampere to Pirkkala is under 10 km: one decimal, a comma in Finnish and Swedish.
    let s = Seeker {
        client_id: 1,
        occupations: vec!["5132".into()],
        home: Some("837".into()),
        earliest_start: NaiveDate::from_ymd_opt(2026, 12, 1),
        ..Default::default()
    };
    let l = LeadFacts {
        wage: Some(12.5),
        ..lead(1, "5132", "604", (20, 20), &[], visited(3))
    };
    let m = evaluate(&s, &l, &Weights::default()).unwrap();
    let text = |lang: Lang, code: &str| -> String {
        text::reasons(&m, lang)
            .into_iter()
            .find(|r| r.code == code)
            .map(|r| r.text)
            .unwrap_or_else(|| panic!("{code} in {m:?}"))
    };
    let km: f64 = arg(&m, "distance", "km").parse().unwrap();
    assert!(km < 10.0 && km.fract() != 0.0, "{km}");
    assert!(text(Lang::Fi, "distance").contains(&format!("{km}").replace('.', ",")));
    assert!(text(Lang::Sv, "distance").contains(&format!("{km}").replace('.', ",")));
    assert!(text(Lang::En, "distance").contains(&format!("{km}")));
    assert_eq!(
        text(Lang::Fi, "start_unknown_job"),
        "Työn alkamispäivää ei tiedetä; hän voi aloittaa 1.12.2026 alkaen."
    );
    assert_eq!(
        text(Lang::En, "wage_unknown_wish"),
        "Their wage wish is not recorded."
    );
    assert_eq!(
        text(Lang::Fi, "relationship_visits"),
        "Olemme käyneet työnantajan luona 3 kertaa, viimeksi 12.11.2026."
    );
    assert_eq!(
        text(Lang::Sv, "relationship_visits"),
        "Vi har besökt arbetsgivaren 3 gånger, senast 12.11.2026."
    );
}
