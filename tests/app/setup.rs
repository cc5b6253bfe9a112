//! Migrations, configuration, database URLs and the demo data.

use std::collections::BTreeSet;
use std::process::Command;

use actix_web::http::StatusCode;

use placefirst::domain::clock::Clock;

use crate::helpers::TestApp;
use crate::on_both_databases;

fn names(dir: &str) -> BTreeSet<String> {
    std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect()
}

#[test]
fn migration_folders_are_paired() {
    let sqlite = names("sqlite");
    let postgres = names("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "migrations/sqlite and migrations/postgres must carry the same names"
    );
    for dialect in ["sqlite", "postgres"] {
        for m in &sqlite {
            for f in ["up.sql", "down.sql"] {
                let p = format!(
                    "{}/migrations/{dialect}/{m}/{f}",
                    env!("CARGO_MANIFEST_DIR")
                );
                assert!(std::path::Path::new(&p).exists(), "{p} is missing");
            }
        }
    }
}

fn placefirst(envs: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_placefirst"));
    cmd.current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn a_bad_setting_is_reported_by_name() {
    let out = placefirst(&[("PLACEFIRST_SERVER__PORT", "eighty")], &["migrate"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("server.port"), "{err}");
    let out = placefirst(&[("PLACEFIRST_LOG__FORMAT", "xml")], &["migrate"]);
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("`log.format`: expected \"text\" or \"json\""));
    let out = placefirst(&[("DATABASE_URL", "mysql://localhost/x")], &["migrate"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("database.url") && err.contains("unsupported"),
        "{err}"
    );
}

#[test]
fn unreachable_and_malformed_databases_are_told_apart() {
    let out = placefirst(
        &[("DATABASE_URL", "postgres://postgres@127.0.0.1:1/nothing")],
        &["migrate"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("cannot reach the database server"), "{err}");
    let out = placefirst(
        &[("DATABASE_URL", "postgres://postgres@127.0.0.1:port/nothing")],
        &["migrate"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("malformed database URL"), "{err}");
    let out = placefirst(
        &[("DATABASE_URL", "sqlite:///no/such/folder/x.db")],
        &["migrate"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot open the SQLite database"), "{err}");
}

#[test]
fn migrate_reports_what_it_applied() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/m.db", dir.path().display());
    let out = placefirst(&[("DATABASE_URL", &url)], &["migrate"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Applied migration 20261124000001"), "{text}");
    let out = placefirst(&[("DATABASE_URL", &url)], &["migrate"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("No pending migrations"));
}

on_both_databases!(demo_data_is_a_living_register);

async fn demo_data_is_a_living_register(app: TestApp) {
    let mut conn = app.state.pool.get().unwrap();
    let summary = placefirst::demo::load_if_empty(&mut conn, app.clock.now())
        .unwrap()
        .expect("loaded into an empty database");
    assert_eq!(summary.employers, 200);
    assert!(summary.contacts > 100);
    assert!(
        placefirst::demo::load_if_empty(&mut conn, app.clock.now())
            .unwrap()
            .is_none(),
        "only once"
    );
    drop(conn);
    let mut b = app.browser();
    let r = b
        .login(placefirst::demo::USERS[1].0, placefirst::demo::PASSWORD)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = b.get("/employers").await;
    assert!(
        page.text.contains("200 työnantajaa"),
        "{}",
        &page.text[..page.text.len().min(3000)]
    );
    assert_eq!(page.text.matches("class=\"employer-row\"").count(), 25);
    assert!(page.text.contains("rel=\"next\""));
}

#[actix_web::test]
async fn serves_logs_json_with_request_ids_and_stops_gracefully_on_sigterm() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_placefirst"))
        .current_dir(dir.path())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/s.db", dir.path().display()),
        )
        .env("PLACEFIRST_SERVER__PORT", "0")
        .env("PLACEFIRST_LOG__FORMAT", "json")
        .env_remove("RUST_LOG")
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let banner = lines.next().unwrap().unwrap();
    let port: u16 = banner
        .split("127.0.0.1:")
        .nth(1)
        .unwrap()
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let client = awc::Client::default();
    let mut res = client
        .get(format!("http://127.0.0.1:{port}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let request_id = res
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(res.body().await.unwrap(), "ok");
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            started.elapsed().as_secs() < 15,
            "still running 15 s after SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(status.success(), "exit after SIGTERM: {status}");
    let mut logs = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut logs).unwrap();
    let line = logs
        .lines()
        .find(|l| l.contains("\"path\":\"/healthz\""))
        .unwrap_or_else(|| panic!("no request log line: {logs}"));
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(v["span"]["request_id"], request_id.as_str(), "{line}");
    assert_eq!(v["status"], 200);
}

on_both_databases!(scaled_data_generator_fills_every_table);

async fn scaled_data_generator_fills_every_table(app: TestApp) {
    use placefirst::demo::scale::{generate, Scale};
    let mut conn = app.state.pool.get().unwrap();
    let g = generate(&mut conn, Scale::Small, app.clock.now()).unwrap();
    assert_eq!(g.organisations, 1);
    assert_eq!(g.employers, 200);
    assert_eq!(g.contacts, 400);
    assert_eq!(g.outreach, 2_000);
    assert_eq!(g.leads, 60);
    assert!(g.planned > 0 && g.follow_ups > 0);
    drop(conn);
    // A generated specialist can log in and sees a living week.
    let mut b = app.browser();
    let r = b
        .login(
            "specialist.0.1.small@demo.placefirst.fi",
            placefirst::demo::scale::PASSWORD,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let week = b.get("/plan").await;
    assert_eq!(week.status, StatusCode::OK);
    assert!(
        week.text.contains("class=\"plan-item status-planned\""),
        "this week's plans are shown"
    );
}

#[test]
fn demo_rejects_an_unknown_scale() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/d.db", dir.path().display());
    let out = placefirst(&[("DATABASE_URL", &url)], &["demo", "--scale", "galactic"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown scale"));
}

/// Clients are mental-health service users: nothing in the schema or the job seeker's
/// API may hold a diagnosis, medication or treatment.
#[test]
fn no_diagnosis_like_field_exists() {
    let forbidden = [
        "diagnos",
        "medicat",
        "medicine",
        "treatment",
        "icd",
        "symptom",
        "illness",
        "lääk",
        "hoito",
        "oire",
        "sairau",
    ];
    let mut texts =
        vec![
            std::fs::read_to_string(format!("{}/src/db/schema.rs", env!("CARGO_MANIFEST_DIR")))
                .unwrap(),
        ];
    for dialect in ["sqlite", "postgres"] {
        for m in names(dialect) {
            let up = std::fs::read_to_string(format!(
                "{}/migrations/{dialect}/{m}/up.sql",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            // Comments may explain what is not stored; the statements may not store it.
            texts.push(
                up.lines()
                    .filter(|l| !l.trim_start().starts_with("--"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
    }
    let profile =
        serde_json::to_value(placefirst::domain::clients::profile::Profile::default()).unwrap();
    texts.push(
        profile
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(" "),
    );
    let input = serde_json::to_value(placefirst::domain::clients::ClientInput::default()).unwrap();
    texts.push(
        input
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(" "),
    );
    for text in texts {
        let lower = text.to_lowercase();
        for word in forbidden {
            assert!(
                !lower.contains(word),
                "\"{word}\" appears in the schema or the job seeker API:\n{text}"
            );
        }
    }
}

on_both_databases!(nested_transactions_are_savepoints);

/// `db::transaction` is diesel's: a nested one is a savepoint, undone alone when it fails,
/// and an error in the outer one undoes everything.
async fn nested_transactions_are_savepoints(app: TestApp) {
    use diesel::connection::SimpleConnection;
    use placefirst::db::{transaction, DbConn};
    use placefirst::error::AppError;
    let mut conn = app.state.pool.get().unwrap();
    let exec = |c: &mut DbConn, sql: &str| -> Result<(), AppError> {
        placefirst::db_run!(c, |x| x.batch_execute(sql)).map_err(AppError::from)
    };
    let count = |c: &mut DbConn| -> i64 {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        placefirst::db_run!(c, |x| diesel::sql_query("SELECT COUNT(*) AS n FROM probe")
            .get_result::<N>(x))
        .unwrap()
        .n
    };
    exec(&mut conn, "CREATE TABLE probe (v INTEGER NOT NULL)").unwrap();
    transaction(&mut conn, |tx| {
        exec(tx, "INSERT INTO probe (v) VALUES (1)")?;
        let inner = tx.savepoint(|tx| {
            exec(tx, "INSERT INTO probe (v) VALUES (2)")?;
            Err::<(), _>(AppError::Conflict(Default::default()))
        });
        assert!(inner.is_err());
        tx.savepoint(|tx| exec(tx, "INSERT INTO probe (v) VALUES (3)"))
    })
    .unwrap();
    assert_eq!(count(&mut conn), 2, "the failed savepoint alone was undone");
    let outer = transaction(&mut conn, |tx| {
        exec(tx, "INSERT INTO probe (v) VALUES (4)")?;
        tx.savepoint(|tx| exec(tx, "INSERT INTO probe (v) VALUES (5)"))?;
        Err::<(), _>(AppError::NotFound)
    });
    assert!(outer.is_err());
    assert_eq!(
        count(&mut conn),
        2,
        "an outer failure undoes its savepoints too"
    );
}
