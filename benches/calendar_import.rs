//! Importing an .ics of 1,500 events (budget: under a second), on SQLite and, when
//! reachable, PostgreSQL: the first import (all created) and a re-import (all unchanged).
//! Run: `cargo bench --bench calendar_import`.

mod common;

use std::time::Instant;

use placefirst::db::{migrate, transaction, DatabaseUrl, DbPool};
use placefirst::domain::calendar_import::{import, read};
use placefirst::domain::users::{create_user, load_actor, NewUser, Role};

fn file() -> String {
    let mut s = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bench//EN\r\n");
    for i in 0..1500 {
        s.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:bench-{i}@example.fi\r\nDTSTART;TZID=Europe/Helsinki:2027{:02}{:02}T{:02}0000\r\nDTEND;TZID=Europe/Helsinki:2027{:02}{:02}T{:02}3000\r\nSUMMARY:Yrittäjätapahtuma {i} – jäsenilta\r\nDESCRIPTION:Ohjelma\\, tarjoilu ja verkostoitumista.\\nTervetuloa!\r\nLOCATION:Kokoustila {i}\r\nATTENDEE;CN=Anna Laine:mailto:anna@example.fi\r\nEND:VEVENT\r\n",
            1 + i % 12, 1 + i % 28, 8 + i % 10, 1 + i % 12, 1 + i % 28, 8 + i % 10
        ));
    }
    s.push_str("END:VCALENDAR\r\n");
    s
}

fn run(url: DatabaseUrl) {
    let pool = DbPool::open(&url, 2, 30).unwrap();
    let mut conn = pool.get().unwrap();
    migrate::run_pending(&mut conn).unwrap();
    let id = transaction(&mut conn, |c| {
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
    let actor = load_actor(&mut conn, id).unwrap().unwrap();
    let text = file();
    let now = placefirst::domain::clock::Clock::now(&placefirst::domain::clock::SystemClock);
    for label in [
        "first import (1,500 created)",
        "re-import (1,500 unchanged)",
    ] {
        let t = Instant::now();
        let file = read(&text, chrono_tz::Europe::Helsinki).unwrap();
        let counts = import(&mut conn, &actor, file, None, now).unwrap();
        println!(
            "| {} | {label} | {:.0} ms | {counts:?} |",
            url.backend_name(),
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
}

fn main() {
    println!("| database | run | time | counts |\n|---|---|---|---|");
    common::on_both_databases("calendar_import", run);
}
