//! Load benchmark for the employer list at 100,000 employers: the queries behind the
//! list page and `GET /api/v1/employers` (first page, a deep cursor page, filters,
//! search), on SQLite and, when reachable, PostgreSQL. Run: `cargo bench`.
//! Figures from this machine are in docs/performance.md.

mod common;

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use placefirst::db::schema::employers;
use placefirst::db::{migrate, DatabaseUrl, DbConn, DbPool};
use placefirst::domain::employers::list::{list, ListParams};
use placefirst::domain::users::{create_user, load_actor, NewUser, Role};

const EMPLOYERS: usize = 100_000;
const RUNS: usize = 30;

fn seed(conn: &mut DbConn) -> placefirst::domain::users::Actor {
    let id = placefirst::db::transaction(conn, |c| {
        create_user(
            c,
            &NewUser {
                org_name: "Bench",
                team_name: None,
                email: "bench@example.fi",
                display_name: "Bench",
                role: Role::Admin,
                password: "bench-password",
            },
            placefirst::domain::clock::Clock::now(&placefirst::domain::clock::SystemClock),
        )
    })
    .unwrap();
    // A second organisation's rows make the scoping filter do real work.
    let other = placefirst::db::transaction(conn, |c| {
        create_user(
            c,
            &NewUser {
                org_name: "Other",
                team_name: None,
                email: "other@example.fi",
                display_name: "Other",
                role: Role::Admin,
                password: "bench-password",
            },
            placefirst::domain::clock::Clock::now(&placefirst::domain::clock::SystemClock),
        )
    })
    .unwrap();
    let actor = load_actor(conn, id).unwrap().unwrap();
    let other_org = load_actor(conn, other).unwrap().unwrap().org_id;
    let municipalities = ["837", "091", "564", "853", "179", "211", "536", "604"];
    let kinds = [
        "kahvila", "rakennus", "kuljetus", "siivous", "kauppa", "hoiva", "konepaja", "varasto",
    ];
    let stages = [
        "not_contacted",
        "introduced",
        "learning_needs",
        "active",
        "hiring_partner",
    ];
    let base = chrono::Utc::now().naive_utc();
    let total = EMPLOYERS + EMPLOYERS / 10;
    for chunk in (0..total).collect::<Vec<_>>().chunks(1000) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|&i| {
                let name = format!(
                    "{} {} {:06} Oy",
                    ["Aurinko", "Kuusi", "Järvi", "Kallio", "Virta", "Tähti"][i % 6],
                    kinds[i % 8],
                    i
                );
                let ts = base - chrono::Duration::seconds(i as i64);
                (
                    employers::organisation_id.eq(if i < EMPLOYERS {
                        actor.org_id
                    } else {
                        other_org
                    }),
                    employers::name_lower.eq(name.to_lowercase()),
                    employers::name.eq(name),
                    employers::municipality_code.eq(municipalities[i % 8]),
                    employers::industry.eq(["C", "G", "I", "F", "H", "Q"][i % 6]),
                    employers::stage.eq(stages[i % 5]),
                    employers::tags.eq(format!(",{},", kinds[i % 8])),
                    employers::created_at.eq(ts),
                    employers::updated_at.eq(ts),
                )
            })
            .collect();
        placefirst::db_run!(conn, |c| diesel::insert_into(employers::table)
            .values(&rows)
            .execute(c))
        .unwrap();
    }
    placefirst::db_run!(conn, |c| c.batch_execute("ANALYZE")).unwrap();
    actor
}

fn time(
    conn: &mut DbConn,
    actor: &placefirst::domain::users::Actor,
    label: &str,
    params: ListParams,
) -> String {
    let q = params.parse(25).unwrap();
    let mut samples: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            let page = list(conn, actor, &q).unwrap();
            assert!(!page.items.is_empty(), "{label} found nothing");
            t.elapsed()
        })
        .collect();
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "| {label} | {:.2} | {:.2} |",
        ms(samples[RUNS / 2]),
        ms(samples[RUNS * 95 / 100])
    )
}

fn run(url: DatabaseUrl) {
    let pool = DbPool::open(&url, 2, 30).unwrap();
    let mut conn = pool.get().unwrap();
    migrate::run_pending(&mut conn).unwrap();
    let t = Instant::now();
    let actor = seed(&mut conn);
    println!(
        "\n{} : seeded {} employers (+10% in another organisation) in {:.1} s",
        url.backend_name(),
        EMPLOYERS,
        t.elapsed().as_secs_f64()
    );
    // A cursor half-way through the list, as page 2000 would have.
    let mid = {
        let mut p = ListParams {
            limit: Some("200".into()),
            ..Default::default()
        }
        .parse(25)
        .unwrap();
        let mut next = None;
        for _ in 0..250 {
            p.cursor = next
                .as_deref()
                .and_then(placefirst::domain::employers::list::Cursor::decode);
            next = list(&mut conn, &actor, &p).unwrap().next;
        }
        next.unwrap()
    };
    println!("| query (25 rows, with total count) | median ms | p95 ms |\n|---|---|---|");
    let p = |f: fn(&mut ListParams)| {
        let mut x = ListParams::default();
        f(&mut x);
        x
    };
    for (label, params) in [
        ("first page, by name", ListParams::default()),
        (
            "page at row 50,000 (cursor), by name",
            ListParams {
                cursor: Some(mid.clone()),
                ..Default::default()
            },
        ),
        (
            "recently updated first",
            p(|x| x.sort = Some("updated".into())),
        ),
        (
            "filter: municipality",
            p(|x| x.municipality = Some("837".into())),
        ),
        (
            "filter: municipality + stage + industry",
            p(|x| {
                x.municipality = Some("837".into());
                x.stage = Some("introduced".into());
                x.industry = Some("C".into())
            }),
        ),
        ("filter: tag", p(|x| x.tag = Some("kahvila".into()))),
        (
            "search: name contains, common",
            p(|x| x.q = Some("kahvila 05".into())),
        ),
        (
            "search: name contains, one match",
            p(|x| x.q = Some("099999".into())),
        ),
    ] {
        println!("{}", time(&mut conn, &actor, label, params));
    }
}

fn main() {
    common::on_both_databases("employer_list", run);
}
