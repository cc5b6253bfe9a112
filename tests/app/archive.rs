//! Issue 14: the organisation archive. An admin downloads everything as one zip; the
//! import reads it into an empty database, and the same data comes back: the same rows
//! in every table and the same answers from the API.

use std::collections::BTreeMap;
use std::io::Read;

use actix_web::http::StatusCode;
use placefirst::db::transaction;
use placefirst::domain::auth::create_token;
use placefirst::domain::clock::Clock;
use placefirst::domain::users::{find_by_email, load_actor, Role};
use serde_json::{json, Value};

use crate::helpers::{Api, TestApp};
use crate::on_both_databases;

const ADMIN: &str = "admin@demo.placefirst.fi";

fn id(r: &crate::helpers::Resp) -> i64 {
    assert!(r.status.is_success(), "{} {}", r.status, r.text);
    r.json["id"].as_i64().expect("id")
}

/// An API client for an existing user of the app's database.
fn as_user(app: &TestApp, email: &str) -> Api {
    let mut conn = app.state.pool.get().unwrap();
    let user = find_by_email(&mut conn, email).unwrap().expect("user");
    let actor = load_actor(&mut conn, user.id).unwrap().unwrap();
    let (_, token) = create_token(&mut conn, &actor, "test", app.clock.now()).unwrap();
    let mut api = Api::with_token(&app.base, &token);
    api.user_id = user.id;
    api.org_id = actor.org_id;
    api
}

/// The archive's files: name → text.
fn files(zip: &[u8]) -> BTreeMap<String, String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        out.insert(f.name().to_string(), s);
    }
    out
}

fn cli(url: &str, args: &[&str], stdin: &str) -> (bool, String, String) {
    crate::process::cli_at(url, args, stdin)
}

/// An empty database of the same kind as `app`'s (migrated, no organisation).
async fn empty_like(app: &TestApp) -> TestApp {
    if app.backend == "sqlite" {
        TestApp::sqlite().await
    } else {
        TestApp::postgres()
            .await
            .expect("PostgreSQL, as for the first app")
    }
}

on_both_databases!(the_organisation_archive_reads_back_into_an_empty_database_unchanged);

async fn the_organisation_archive_reads_back_into_an_empty_database_unchanged(app: TestApp) {
    {
        let mut conn = app.state.pool.get().unwrap();
        let now = app.clock.now();
        transaction(&mut conn, |c| placefirst::demo::load_if_empty(c, now))
            .unwrap()
            .expect("demo loaded");
    }
    let admin = as_user(&app, ADMIN);
    let lead = as_user(&app, "sanna.lehtonen@demo.placefirst.fi");
    // Another organisation's records must stay out of the archive.
    let other = app.user("Toinen Kunta", "x@toinen.fi", Role::Admin);
    id(&other
        .post("/api/v1/employers", json!({"name": "Salainen Sauna Oy"}))
        .await);
    // Rows in the tables the demo leaves empty: a merge, a deleted log entry, an erasure.
    let a = id(&lead
        .post(
            "/api/v1/employers",
            json!({"name": "Kahvila Pöllö Oy", "municipality_code": "179"}),
        )
        .await);
    let b = id(&lead
        .post("/api/v1/employers", json!({"name": "KAHVILA PÖLLÖ OY", "municipality_code": "179", "acknowledge_duplicates": true}))
        .await);
    let r = admin
        .post(
            &format!("/api/v1/employers/{a}/merge"),
            json!({"duplicate_id": b}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    let o = id(&lead.post("/api/v1/outreach", json!({"employer_id": a, "occurred_at": "2026-11-24T09:00", "channel": "in_person", "outcome": "Kiinnostuivat; \"aamuvuoro\"\nkaksi riviä"})).await);
    assert_eq!(
        lead.delete(&format!("/api/v1/outreach/{o}")).await.status,
        StatusCode::NO_CONTENT
    );
    id(&lead.post("/api/v1/contact-days", json!({"date": "2026-11-27", "starts_at": "09:00", "ends_at": "13:00", "place": "Työllisyyspalvelut, Kauppakatu 1", "participant_ids": [lead.user_id, admin.user_id], "target_employer_ids": [a]})).await);
    let kept = id(&lead.post("/api/v1/clients", json!({"display_name": "Aino Mäkelä", "intake_date": "2026-10-05", "status": "job_search", "consent_to_contact_employers": true, "disclosure": "general"})).await);
    let r = lead.put(&format!("/api/v1/clients/{kept}/profile"), json!({"occupations": ["5132"], "industries_wanted": ["I"], "hours_min": 15, "hours_max": 25, "job_wishes": "Aamuvuorot kahvilassa"})).await;
    assert!(r.status.is_success(), "{}", r.text);
    let job = id(&lead
        .post(
            "/api/v1/leads",
            json!({"employer_id": a, "title": "Barista"}),
        )
        .await);
    let r = lead
        .post(
            "/api/v1/proposals",
            json!({"lead_id": job, "client_id": kept, "reason": "Pitää kahviloista"}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    let p = id(&lead.post("/api/v1/placements", json!({"client_id": kept, "employer_id": a, "lead_id": job, "job_title": "Barista", "starts_on": "2026-11-16", "employment_type": "permanent", "wage": "12,50 €/h"})).await);
    let r = lead.post(&format!("/api/v1/placements/{p}/support"), json!({"occurred_on": "2026-11-17", "with_whom": "worker", "channel": "in_person", "note": "Ensimmäinen viikko sujui"})).await;
    assert!(r.status.is_success(), "{}", r.text);
    let cl = id(&lead.post("/api/v1/clients", json!({"display_name": "Tuulikki Äijälä", "intake_date": "2026-11-02", "status": "job_search", "consent_to_contact_employers": true})).await);
    let r = admin
        .post(&format!("/api/v1/clients/{cl}/erase"), json!({}))
        .await;
    assert!(r.status.is_success(), "{}", r.text);

    // Admins only.
    assert_eq!(
        lead.get("/api/v1/exports/organisation").await.status,
        StatusCode::FORBIDDEN
    );
    let r = admin.get("/api/v1/exports/organisation").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.content_type, "application/zip");
    assert!(r.headers["content-disposition"].contains(".zip"));
    let first = files(&r.bytes);
    let manifest: Value = serde_json::from_str(&first["manifest.json"]).unwrap();
    assert_eq!(manifest["format"], "placefirst-organisation");
    assert_eq!(manifest["organisation_id"], json!(admin.org_id));
    let rows = |t: &str| {
        manifest["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == t)
            .unwrap_or_else(|| panic!("{t} in the manifest"))["rows"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(rows("organisations"), 1);
    assert_eq!(rows("users"), 7, "the demo's seven users");
    assert!(rows("employers") >= 200, "{}", rows("employers"));
    assert!(rows("outreach") > 500);
    for t in [
        "employer_merges",
        "deleted_outreach",
        "partners",
        "contact_days",
        "placements",
        "support_contacts",
        "lead_proposals",
        "client_profiles",
        "audit_events",
    ] {
        assert!(rows(t) > 0, "{t} has rows to carry");
    }
    // What stays behind, and what never leaves the organisation.
    let all: String = first.values().cloned().collect();
    assert!(
        !all.contains("Salainen Sauna"),
        "another organisation's data"
    );
    assert!(!all.contains("$argon2"), "password hashes stay behind");
    assert!(!first
        .keys()
        .any(|k| k.contains("sessions") || k.contains("api_tokens")));
    assert!(!first["data/users.jsonl"].contains("password_hash"));
    let columns_of = |t: &str| -> Vec<String> {
        manifest["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == t)
            .unwrap()["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    assert!(!columns_of("users").contains(&"password_hash".to_string()));
    assert!(
        !columns_of("review_packs").contains(&"secret".to_string()),
        "a review pack's secret link stays behind"
    );
    // The spreadsheet copy: Excel's semicolon CSV, one line per row plus the header.
    let csv = &first["csv/employers.csv"];
    assert!(
        csv.starts_with("\u{feff}id;organisation_id;"),
        "{}",
        &csv[..80]
    );
    assert!(csv.contains("Kahvila Pöllö Oy"));
    // The export itself is in the trail, inside the archive it made.
    let trail = &first["data/audit_events.jsonl"];
    assert!(
        trail
            .lines()
            .last()
            .unwrap()
            .contains("\"action\":\"export\""),
        "{}",
        trail.lines().last().unwrap()
    );

    // Into an empty database, through the command line.
    let empty = empty_like(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("org.zip");
    std::fs::write(&zip_path, &r.bytes).unwrap();
    let zip_arg = zip_path.display().to_string();
    let (ok, out, err) = cli(&empty.url, &["import-organisation", &zip_arg], "");
    assert!(ok, "{out}\n{err}");
    assert!(
        out.contains(&format!("Imported organisation {}", admin.org_id)),
        "{out}"
    );
    // Once only.
    let (ok, _, err) = cli(&empty.url, &["import-organisation", &zip_arg], "");
    assert!(!ok && err.contains("already holds 1 organisation"), "{err}");
    // The same rows: the new database's archive (written by the command line this time)
    // equals the first, table by table, but for the trail's two new events (the import,
    // and this second export).
    let again = dir.path().join("again.zip");
    let (ok, out, err) = cli(
        &empty.url,
        &[
            "export-organisation",
            "--admin",
            ADMIN,
            &again.display().to_string(),
        ],
        "",
    );
    assert!(ok, "{out}\n{err}");
    let second = files(&std::fs::read(&again).unwrap());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (name, text) in &first {
        if name == "manifest.json"
            || name.ends_with("audit_events.jsonl")
            || name.ends_with("audit_events.csv")
        {
            continue;
        }
        assert!(text == &second[name], "{name} differs after the round trip");
    }
    let trail2 = &second["data/audit_events.jsonl"];
    let (old, new): (Vec<&str>, Vec<&str>) = (trail.lines().collect(), trail2.lines().collect());
    assert_eq!(new.len(), old.len() + 2, "the import, the export");
    assert_eq!(&new[..old.len()], &old[..]);
    assert!(
        new[old.len()].contains("\"action\":\"import\""),
        "{}",
        new[old.len()]
    );

    // Passwords are set anew; the old one opens nothing.
    let (ok, _, err) = cli(
        &empty.url,
        &["user", "password", "--email", ADMIN],
        "uusi-salasana-2026\n",
    );
    assert!(ok, "{err}");
    let mut browser = empty.browser();
    let r = browser.login(ADMIN, placefirst::demo::PASSWORD).await;
    assert_ne!(
        r.location.as_deref(),
        Some("/"),
        "the demo password no longer opens it"
    );
    let mut browser = empty.browser();
    let r = browser.login(ADMIN, "uusi-salasana-2026").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);

    // And the same answers: records, lists and the fidelity figures.
    let admin2 = as_user(&empty, ADMIN);
    for path in [
        format!("/api/v1/employers/{a}"),
        "/api/v1/employers?limit=50".to_string(),
        "/api/v1/leads".to_string(),
        "/api/v1/clients".to_string(),
        "/api/v1/partners".to_string(),
        "/api/v1/contact-days".to_string(),
        "/api/v1/outreach/deleted".to_string(),
        "/api/v1/fidelity?from=2026-01-01&to=2026-12-31".to_string(),
    ] {
        let (x, y) = (admin.get(&path).await, admin2.get(&path).await);
        assert_eq!(x.status, StatusCode::OK, "{path}: {}", x.text);
        assert_eq!(
            x.json, y.json,
            "{path} answers differently after the round trip"
        );
    }
    // New records are numbered after the imported ones.
    let fresh = id(&admin2
        .post("/api/v1/employers", json!({"name": "Uusi Yritys Oy"}))
        .await);
    assert!(fresh > b, "{fresh} after {b}");
}

on_both_databases!(a_damaged_archive_is_refused_and_changes_nothing);

async fn a_damaged_archive_is_refused_and_changes_nothing(app: TestApp) {
    let admin = app.user("Org A", "admin@a.fi", Role::Admin);
    id(&admin
        .post(
            "/api/v1/employers",
            json!({"name": "Kukkakauppa Kärkkäinen"}),
        )
        .await);
    let r = admin.get("/api/v1/exports/organisation").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let good = files(&r.bytes);
    // The page way: the audit trail links the download, which a signed-in admin's
    // browser gets as a zip. A record's page links its own trail.
    let mut browser = app.browser();
    browser.login("admin@a.fi", crate::helpers::PASSWORD).await;
    let e = admin.get("/api/v1/employers").await.json["items"][0]["id"].clone();
    let page = browser.get(&format!("/employers/{e}")).await;
    assert!(
        page.text.contains(&format!(
            "href=\"/audit?entity=employer&amp;entity_id={e}\""
        )),
        "{}",
        page.text
    );
    let page = browser.get("/audit").await;
    assert!(
        page.text.contains("href=\"/api/v1/exports/organisation\""),
        "{}",
        page.text
    );
    let r = browser.get("/api/v1/exports/organisation").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        files(&r.bytes)["data/employers.jsonl"],
        good["data/employers.jsonl"]
    );

    let empty = empty_like(&app).await;
    let dir = tempfile::tempdir().unwrap();
    // Each damage or edit, and what the refusal says.
    let cut = |files: &mut BTreeMap<String, String>| {
        let emp = files.get_mut("data/employers.jsonl").unwrap();
        *emp = emp.lines().skip(1).map(|l| format!("{l}\n")).collect();
    };
    let mut cases: Vec<(BTreeMap<String, String>, &str)> = Vec::new();
    let mut f = good.clone();
    cut(&mut f);
    cases.push((f, "checksum differs"));
    cases.push((tampered(&good, |_, f| cut(f)), "the archive is incomplete"));
    // A password hash slipped in: never written.
    cases.push((
        tampered(&good, |m, f| {
            let users = m["tables"]
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .find(|t| t["name"] == "users")
                .unwrap();
            users["columns"]
                .as_array_mut()
                .unwrap()
                .push(json!("password_hash"));
            let u = f.get_mut("data/users.jsonl").unwrap();
            *u = u.replace(
                "}\n",
                ",\"password_hash\":\"$argon2id$v=19$m=19456,t=2,p=1$x$y\"}\n",
            );
        }),
        "never carries the column \"password_hash\"",
    ));
    // A value of the wrong kind, a row of another organisation.
    cases.push((
        tampered(&good, |_, f| {
            let e = f.get_mut("data/employers.jsonl").unwrap();
            let mut row: Value = serde_json::from_str(e.lines().next().unwrap()).unwrap();
            row["created_at"] = json!("not a date");
            *e = format!("{row}\n");
        }),
        "created_at is \"not a date\", not a time",
    ));
    cases.push((
        tampered(&good, |_, f| {
            let e = f.get_mut("data/employers.jsonl").unwrap();
            let mut row: Value = serde_json::from_str(e.lines().next().unwrap()).unwrap();
            row["organisation_id"] = json!(999);
            *e = format!("{row}\n");
        }),
        "belongs to organisation 999",
    ));
    cases.push((
        tampered(&good, |_, f| {
            let e = f.get_mut("data/employers.jsonl").unwrap();
            let mut row: Value = serde_json::from_str(e.lines().next().unwrap()).unwrap();
            row["name"] = json!("A\u{0}B");
            *e = format!("{row}\n");
        }),
        "name holds the control character U+0000",
    ));
    cases.push((
        tampered(&good, |_, f| {
            f.get_mut("data/employers.jsonl")
                .unwrap()
                .push_str("\n\n\n");
        }),
        "a blank line",
    ));
    cases.push((BTreeMap::new(), "not a zip archive"));
    for (i, (files, why)) in cases.into_iter().enumerate() {
        let path = dir.path().join(format!("bad{i}.zip"));
        if files.is_empty() {
            std::fs::write(&path, b"Y-tunnus;Nimi\r\n").unwrap();
        } else {
            write_zip(&path, &files);
        }
        let (ok, out, err) = cli(
            &empty.url,
            &["import-organisation", &path.display().to_string()],
            "",
        );
        assert!(!ok, "{why}: {out}");
        assert!(err.contains(why), "{why}: {err}");
    }
    // Nothing went in: the good archive still imports whole.
    let path = dir.path().join("good.zip");
    write_zip(&path, &good);
    let (ok, out, err) = cli(
        &empty.url,
        &["import-organisation", &path.display().to_string()],
        "",
    );
    assert!(ok, "{out}\n{err}");
    let admin2 = as_user(&empty, "admin@a.fi");
    let r = admin2.get("/api/v1/employers").await;
    assert_eq!(
        r.json["items"][0]["name"], "Kukkakauppa Kärkkäinen",
        "{}",
        r.text
    );
}

/// The archive edited by hand: the checksums dropped (as an older archive has none),
/// then `edit` applied to the manifest and the files.
fn tampered(
    good: &BTreeMap<String, String>,
    edit: impl FnOnce(&mut Value, &mut BTreeMap<String, String>),
) -> BTreeMap<String, String> {
    let mut files = good.clone();
    let mut m: Value = serde_json::from_str(&files["manifest.json"]).unwrap();
    for t in m["tables"].as_array_mut().unwrap() {
        t.as_object_mut().unwrap().remove("sha256");
    }
    edit(&mut m, &mut files);
    files.insert("manifest.json".into(), m.to_string());
    files
}

fn write_zip(path: &std::path::Path, files: &BTreeMap<String, String>) {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, text) in files {
        z.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap();
}

/// Every table of the schema is either in the archive or left out for a stated reason,
/// so a table added later cannot be forgotten silently.
#[actix_web::test]
async fn the_archive_names_every_table() {
    let app = TestApp::sqlite().await;
    let mut conn = app.state.pool.get().unwrap();
    let tables = placefirst::domain::archive::columns::tables(&mut conn).unwrap();
    let known: Vec<&str> = placefirst::domain::archive::TABLES
        .iter()
        .map(|s| s.name)
        .chain(
            placefirst::domain::archive::LEFT_OUT
                .iter()
                .map(|(t, _)| *t),
        )
        .collect();
    let missing: Vec<&String> = tables
        .iter()
        .filter(|t| !known.contains(&t.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "tables neither archived nor left out: {missing:?}"
    );
    assert!(tables.len() > 30, "{tables:?}");
}

on_both_databases!(a_deleted_records_id_is_never_handed_out_again);

/// The audit trail and bookmarks name records by id: a new job seeker must not take a
/// deleted one's (SQLite reused the highest id until its tables were declared
/// AUTOINCREMENT).
async fn a_deleted_records_id_is_never_handed_out_again(app: TestApp) {
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let e = id(&lead
        .post("/api/v1/employers", json!({"name": "Kahvila Aroma Oy"}))
        .await);
    let o = id(&lead
        .post(
            "/api/v1/outreach",
            json!({"employer_id": e, "occurred_at": "2026-11-24T09:00", "channel": "phone"}),
        )
        .await);
    assert_eq!(
        lead.delete(&format!("/api/v1/outreach/{o}")).await.status,
        StatusCode::NO_CONTENT
    );
    let o2 = id(&lead
        .post(
            "/api/v1/outreach",
            json!({"employer_id": e, "occurred_at": "2026-11-25T09:00", "channel": "phone"}),
        )
        .await);
    assert!(o2 > o, "contact {o2} after deleted {o}");
    // The deleted entry's address answers 404, not the new entry.
    assert_eq!(
        lead.get(&format!("/api/v1/outreach/{o}")).await.status,
        StatusCode::NOT_FOUND
    );
}

/// The archive is the way from the embedded database to PostgreSQL when a county
/// outgrows SQLite: the same answers on the other side.
#[actix_web::test]
async fn a_sqlite_organisation_moves_to_postgresql() {
    let Some(pg) = TestApp::postgres().await else {
        return;
    };
    let app = TestApp::sqlite().await;
    {
        let mut conn = app.state.pool.get().unwrap();
        let now = app.clock.now();
        transaction(&mut conn, |c| placefirst::demo::load_if_empty(c, now))
            .unwrap()
            .expect("demo loaded");
    }
    let admin = as_user(&app, ADMIN);
    let r = admin.get("/api/v1/exports/organisation").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("org.zip");
    std::fs::write(&path, &r.bytes).unwrap();
    let (ok, out, err) = cli(
        &pg.url,
        &["import-organisation", &path.display().to_string()],
        "",
    );
    assert!(ok, "{out}\n{err}");
    let there = as_user(&pg, ADMIN);
    let e = admin.get("/api/v1/employers?limit=1").await.json["items"][0]["id"].clone();
    for path in [
        format!("/api/v1/employers/{e}"),
        format!("/api/v1/employers/{e}/timeline"),
        "/api/v1/employers?limit=100".to_string(),
        "/api/v1/leads".to_string(),
        "/api/v1/clients".to_string(),
        "/api/v1/partners".to_string(),
        "/api/v1/outreach?limit=100".to_string(),
        "/api/v1/fidelity?from=2026-01-01&to=2026-12-31".to_string(),
    ] {
        let (x, y) = (admin.get(&path).await, there.get(&path).await);
        assert_eq!(x.status, StatusCode::OK, "{path}: {}", x.text);
        assert_eq!(x.json, y.json, "{path} answers differently on PostgreSQL");
    }
}
