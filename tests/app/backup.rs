//! `placefirst backup` and `restore` on the embedded database, through the real binary,
//! with the server running and taking writes.

use std::collections::BTreeSet;
use std::path::Path;

use diesel::prelude::*;
use diesel::sql_types::Text;
use serde_json::json;

use crate::helpers::Api;
use crate::process::{cli_result, postgres_db, sqlite_db, user_with_token, Db, Server};

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// SQLite's own verdict on a file, read without our code.
fn integrity(path: &Path) -> Vec<String> {
    let mut c = SqliteConnection::establish(&path.display().to_string()).unwrap();
    diesel::sql_query("SELECT integrity_check AS line FROM pragma_integrity_check")
        .load::<Line>(&mut c)
        .unwrap()
        .into_iter()
        .map(|l| l.line)
        .collect()
}

async fn names(api: &Api) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut next: Option<String> = None;
    loop {
        let url = match &next {
            Some(c) => format!("/api/v1/employers?limit=100&cursor={c}"),
            None => "/api/v1/employers?limit=100".to_string(),
        };
        let r = api.get(&url).await;
        for e in r.json["items"].as_array().unwrap() {
            out.insert(e["name"].as_str().unwrap().to_string());
        }
        match r.json["next"].as_str() {
            Some(c) => next = Some(c.to_string()),
            None => return out,
        }
    }
}

fn run(db: &Db, args: &[&str]) -> (bool, String, String) {
    cli_result(db, args, "")
}

#[actix_web::test]
async fn a_backup_under_write_load_restores_every_acknowledged_write() {
    let db = sqlite_db();
    let token = user_with_token(&db, "lead@bb.fi", "team_lead");
    let server = Server::start(&db, "warn").await;
    let api = Api::with_token(&server.base, &token);
    let dir = db._dir.path().to_path_buf();
    let file = dir.join("copy.db");

    // Writers keep going while the backup is taken.
    let writer = {
        let api = Api::with_token(&server.base, &token);
        actix_web::rt::spawn(async move {
            let mut acknowledged = Vec::new();
            for i in 0..150 {
                let name = format!("Kuormitus {i:03} Oy");
                let r = api.post("/api/v1/employers", json!({ "name": name })).await;
                if r.status == 201 {
                    acknowledged.push(name);
                }
            }
            acknowledged
        })
    };
    actix_web::rt::time::sleep(std::time::Duration::from_millis(300)).await;
    let before: BTreeSet<String> = names(&api).await;
    assert!(!before.is_empty(), "writes had started");
    let (db_url, path) = (db.url.clone(), file.clone());
    let (ok, out, err) = actix_web::rt::task::spawn_blocking(move || {
        let out = std::process::Command::new(crate::process::BIN)
            .env("DATABASE_URL", db_url)
            .args(["backup", &path.display().to_string()])
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    })
    .await
    .unwrap();
    assert!(ok, "{err}");
    assert!(out.contains("integrity check ok"), "{out}");
    let acknowledged = writer.await.unwrap();
    assert_eq!(acknowledged.len(), 150, "every write was acknowledged");
    assert_eq!(integrity(&file), ["ok"]);

    // The copy holds every write acknowledged before it began, and is whole.
    let (ok, out, err) = run(&db, &["restore", &file.display().to_string()]);
    assert!(ok, "{err}");
    assert!(out.contains("integrity check ok"), "{out}");
    let restored = names(&api).await;
    assert!(
        before.is_subset(&restored),
        "lost: {:?}",
        before.difference(&restored)
    );
    // ... and nothing the copy did not hold: later writes are gone with the restore.
    let all: BTreeSet<String> = acknowledged.into_iter().collect();
    assert!(restored.is_subset(&all));
    // The running server reads and writes the restored data.
    let r = api
        .post(
            "/api/v1/employers",
            json!({"name": "Palautuksen jälkeen Oy"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    drop(server);
    assert_eq!(
        integrity(Path::new(db.url.trim_start_matches("sqlite://"))),
        ["ok"]
    );
}

#[actix_web::test]
async fn a_bad_backup_is_refused_and_changes_nothing() {
    let db = sqlite_db();
    let token = user_with_token(&db, "lead@bb.fi", "team_lead");
    let server = Server::start(&db, "warn").await;
    let api = Api::with_token(&server.base, &token);
    api.post("/api/v1/employers", json!({"name": "Pysyvä Oy"}))
        .await;
    let dir = db._dir.path();

    // A file that is no database, a damaged copy, an existing target, a missing file.
    let junk = dir.join("junk.db");
    std::fs::write(&junk, b"not a database at all, just text").unwrap();
    let (ok, _, err) = run(&db, &["restore", &junk.display().to_string()]);
    assert!(!ok);
    assert!(err.contains("not a readable SQLite database"), "{err}");

    let good = dir.join("good.db");
    let (ok, _, err) = run(&db, &["backup", &good.display().to_string()]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&db, &["backup", &good.display().to_string()]);
    assert!(!ok);
    assert!(err.contains("already exists"), "{err}");
    let mut bytes = std::fs::read(&good).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 4096] {
        *b = 0x5a;
    }
    let damaged = dir.join("damaged.db");
    std::fs::write(&damaged, bytes).unwrap();
    let (ok, _, err) = run(&db, &["restore", &damaged.display().to_string()]);
    assert!(!ok, "a damaged copy was restored");
    assert!(err.contains("damaged") || err.contains("not a"), "{err}");
    // The live database is no backup of itself (a plain copy would drop its newest writes).
    let live = db.url.trim_start_matches("sqlite://").to_string();
    let (ok, _, err) = run(&db, &["restore", &live]);
    assert!(!ok, "restored the database from itself");
    assert!(err.contains("the database itself"), "{err}");
    let (ok, _, err) = run(
        &db,
        &[
            "backup",
            &dir.join("no/such/dir/x.db").display().to_string(),
        ],
    );
    assert!(!ok);
    assert!(err.contains("folder does not exist"), "{err}");
    let (ok, _, err) = run(
        &db,
        &["restore", &dir.join("nothing.db").display().to_string()],
    );
    assert!(!ok);
    assert!(err.contains("no such file"), "{err}");

    assert_eq!(names(&api).await, BTreeSet::from(["Pysyvä Oy".to_string()]));
}

#[actix_web::test]
async fn postgresql_is_pointed_to_its_own_tools() {
    let Some(db) = postgres_db() else { return };
    let (ok, _, err) = run(&db, &["backup", "/tmp/never-written.db"]);
    assert!(!ok);
    assert!(err.contains("pg_dump"), "{err}");
    assert!(!Path::new("/tmp/never-written.db").exists());
}
