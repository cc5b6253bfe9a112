//! Criterion benchmarks of the matching engine alone (no database): one pair, one job
//! seeker against a county's open leads, and a county's weekly digest (every searching
//! job seeker against every open lead). Run: `cargo bench --bench matching`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use placefirst::domain::leads::{LeadStatus, Shift, Weekday};
use placefirst::domain::matching::{
    evaluate, mask, rank, wish_words, History, LeadFacts, Seeker, Weights,
};
use placefirst::domain::reference::Industry;

const PLACES: [&str; 8] = ["837", "211", "536", "604", "418", "980", "908", "020"];
const SEEKER_SHIFTS: [&[&str]; 3] = [
    &["day"],
    &["day", "evening"],
    &["day", "evening", "weekend"],
];
const LEAD_SHIFTS: [&[&str]; 3] = [&["day"], &["day", "evening"], &["evening", "weekend"]];
const ISCO: [&str; 8] = [
    "5132", "9412", "9333", "5223", "9112", "5153", "5322", "5120",
];

/// A small deterministic generator, so every run sees the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn seekers(n: usize, rng: &mut Lcg) -> Vec<Seeker> {
    (0..n)
        .map(|i| {
            let lo = [8, 10, 15, 20, 25][rng.next(5)];
            Seeker {
                client_id: i as i64,
                occupations: vec![ISCO[rng.next(8)].into(), ISCO[rng.next(8)].into()],
                wish_words: wish_words("kahvila tai varasto, mieluiten päivisin"),
                hours_min: Some(lo),
                hours_max: Some(lo + 15),
                shifts: mask(SEEKER_SHIFTS[rng.next(3)], &Shift::names()),
                home: Some(PLACES[rng.next(8)].into()),
                max_commute_km: Some([10.0, 20.0, 30.0, 60.0][rng.next(4)]),
                skills: vec!["kassa".into(), "asiakaspalvelu".into()],
                ..Default::default()
            }
        })
        .collect()
}

fn leads(n: usize, rng: &mut Lcg) -> Vec<LeadFacts> {
    (0..n)
        .map(|i| {
            let lo = [8, 10, 15, 20, 30][rng.next(5)];
            LeadFacts {
                lead_id: i as i64,
                employer_id: rng.next(5000) as i64,
                status: LeadStatus::Open,
                isco: Some(ISCO[rng.next(8)].into()),
                text: "barista kahvilaan, asiakaspalvelu".into(),
                requirements: "kassa".into(),
                hours_min: Some(lo),
                hours_max: Some(lo + 10),
                days: mask(&Weekday::ALL[..5], Weekday::ALL),
                shifts: mask(LEAD_SHIFTS[rng.next(3)], &Shift::names()),
                place: Some(PLACES[rng.next(8)].into()),
                industry: Some(Industry::I),
                wage: None,
                starts_on: None,
                history: History {
                    visits: [0, 1, 3, 6][rng.next(4)] as i64,
                    hires: rng.next(3) as i64 / 2,
                    ..Default::default()
                },
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut rng = Lcg(1);
    let w = Weights::default();
    // A county of the national scale: 6,000 job seekers and 50,000 open leads in 21 counties.
    let county_seekers = seekers(286, &mut rng);
    let county_leads = leads(2_381, &mut rng);
    let one = &county_seekers[0];
    c.bench_function("evaluate one pair", |b| {
        b.iter(|| evaluate(black_box(one), black_box(&county_leads[1]), &w))
    });
    c.bench_function(
        "one job seeker against a county's 2,381 open leads, ranked",
        |b| {
            b.iter(|| {
                rank(
                    county_leads
                        .iter()
                        .filter_map(|l| evaluate(one, l, &w))
                        .collect(),
                )
            })
        },
    );
    let all_leads = leads(50_000, &mut rng);
    c.bench_function("one job seeker against 50,000 open leads, ranked", |b| {
        b.iter(|| {
            rank(
                all_leads
                    .iter()
                    .filter_map(|l| evaluate(one, l, &w))
                    .collect(),
            )
        })
    });
    let mut group = c.benchmark_group("digest");
    group.sample_size(10);
    group.bench_function("a county: 286 job seekers x 2,381 open leads", |b| {
        b.iter(|| {
            county_seekers
                .iter()
                .map(|s| {
                    county_leads
                        .iter()
                        .filter_map(|l| evaluate(s, l, &w))
                        .count()
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
