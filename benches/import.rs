//! Load benchmark for the import engine (issue 14): a 100,000-row employer file as Excel
//! saves it ("CSV (semicolon delimited)": Windows-1252, CRLF, a Finnish header row) into
//! an organisation that already holds 10,000 employers, a tenth of the file's rows
//! matching them. Times the preview (dry run) and the import itself, the very function
//! behind `POST /api/v1/imports/employers`, on SQLite and, when reachable, PostgreSQL.
//! Run: `cargo bench --bench import`. Figures from this machine are in
//! docs/performance.md.

mod common;

use std::collections::BTreeMap;
use std::time::Instant;

use placefirst::db::{migrate, DatabaseUrl, DbPool};
use placefirst::domain::imports::{self, Kind, Mode, Options};
use placefirst::domain::users::{create_user, load_actor, Actor, NewUser, Role};

const ROWS: usize = 100_000;
const EXISTING: usize = 10_000;
const RUNS: usize = 3;

const PLACES: [&str; 8] = [
    "Tampere",
    "Helsinki",
    "Oulu",
    "Turku",
    "Jyväskylä",
    "Kuopio",
    "Pori",
    "Vaasa",
];
const KINDS: [&str; 8] = [
    "Kahvila",
    "Rakennus",
    "Kuljetus",
    "Siivous",
    "Kauppa",
    "Hoiva",
    "Konepaja",
    "Värjäämö",
];

fn name(i: usize) -> String {
    format!(
        "{} {} {:06} Oy",
        ["Äijälä", "Kuusi", "Järvi", "Kallio"][i % 4],
        KINDS[i % 8],
        i
    )
}

/// A valid business ID for `n` (seven digits and the check digit).
fn business_id(n: usize) -> String {
    let digits = format!("{:07}", 1_000_000 + n);
    let weights = [7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = digits
        .bytes()
        .zip(weights)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = match sum % 11 {
        0 => 0,
        1 => return business_id(n + 2_000_000),
        r => 11 - r,
    };
    format!("{digits}-{check}")
}

/// The file: rows from `EXISTING / 2` on, so the first tenth matches the register.
fn file() -> Vec<u8> {
    let mut text = String::from("Y-tunnus;Nimi;Kunta;Katuosoite;Postinumero;Kotisivu\r\n");
    for i in EXISTING - ROWS / 10..EXISTING - ROWS / 10 + ROWS {
        text.push_str(&format!(
            "{};{};{};\"Hämeenkatu {}\";{:05};https://example{}.fi\r\n",
            business_id(i),
            name(i),
            PLACES[i % 8],
            i % 200 + 1,
            33100 + i % 900,
            i
        ));
    }
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!lossy);
    bytes.into_owned()
}

fn seed(pool: &DbPool, org: &str) -> Actor {
    let mut conn = pool.get().unwrap();
    let id = placefirst::db::transaction(&mut conn, |c| {
        create_user(
            c,
            &NewUser {
                org_name: org,
                team_name: None,
                email: &format!("bench@{org}.fi"),
                display_name: "Bench",
                role: Role::Admin,
                password: "bench-password",
            },
            chrono::Utc::now().naive_utc(),
        )
    })
    .unwrap();
    let actor = load_actor(&mut conn, id).unwrap().unwrap();
    // The register the file is judged against, through the same engine.
    let mut text = String::from("Y-tunnus;Nimi;Kunta\r\n");
    for i in 0..EXISTING {
        text.push_str(&format!(
            "{};{};{}\r\n",
            business_id(i),
            name(i),
            PLACES[i % 8]
        ));
    }
    let opts = Options {
        mode: Mode::AllOrNothing,
        dry_run: false,
        columns: BTreeMap::new(),
    };
    let now = chrono::Utc::now().naive_utc();
    imports::run(
        &mut conn,
        &actor,
        Kind::Employers,
        None,
        text.as_bytes(),
        &opts,
        now,
    )
    .unwrap();
    actor
}

fn run(url: DatabaseUrl) {
    let label = match &url {
        DatabaseUrl::Sqlite(_) => "SQLite",
        DatabaseUrl::Postgres(_) => "PostgreSQL",
    };
    let pool = DbPool::open(&url, 2, 30).unwrap();
    migrate::run_pending(&mut pool.get().unwrap()).unwrap();
    let bytes = file();
    println!(
        "\n{label}: {ROWS} rows ({} KiB, Windows-1252, CRLF), {EXISTING} employers already in the register",
        bytes.len() / 1024
    );
    let now = chrono::Utc::now().naive_utc();
    for dry_run in [true, false] {
        let mut times = Vec::new();
        for r in 0..RUNS {
            // Each import into an organisation of its own, holding the same register.
            let actor = seed(&pool, &format!("org{}{r}", u8::from(dry_run)));
            let mut conn = pool.get().unwrap();
            let opts = Options {
                mode: Mode::ValidRows,
                dry_run,
                columns: BTreeMap::new(),
            };
            let t = Instant::now();
            let done =
                imports::run(&mut conn, &actor, Kind::Employers, None, &bytes, &opts, now).unwrap();
            times.push(t.elapsed().as_secs_f64());
            let c = &done.report.counts;
            assert_eq!(c.rows, ROWS);
            assert_eq!(c.existing, ROWS / 10, "{c:?}");
            assert_eq!(c.new, ROWS - ROWS / 10, "{c:?}");
            assert_eq!(c.imported, if dry_run { 0 } else { c.new });
        }
        times.sort_by(f64::total_cmp);
        println!(
            "  {:<28} median {:.2} s, worst {:.2} s ({RUNS} runs)",
            if dry_run {
                "preview (dry run)"
            } else {
                "import (valid rows, written)"
            },
            times[RUNS / 2],
            times[RUNS - 1]
        );
    }
}

fn main() {
    common::on_both_databases("import", run);
}
