//! The audit trail (every kind of change recorded, readable by admins only, unalterable),
//! deleted contact-log entries kept for team leads, and job seekers' rights: a copy of
//! their data, erasure that leaves no trace of them, and retention.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use diesel::sql_types::Text;
use placefirst::db::DbConn;
use placefirst::domain::users::Role;
use serde_json::{json, Value};

use crate::helpers::{utc, Api, TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(
    the_trail_records_each_kind_of_change,
    nothing_can_alter_the_trail,
    deleted_log_entries_stay_visible_to_team_leads,
    a_copy_of_everything_about_a_job_seeker,
    erasure_leaves_no_trace_and_keeps_the_figures,
    retention_anonymises_closed_job_seekers,
    the_pages_show_the_trail_deleted_entries_and_erasure,
);

fn id(r: &crate::helpers::Resp) -> i64 {
    assert!(r.status.is_success(), "{} {}", r.status, r.text);
    r.json["id"].as_i64().unwrap()
}

/// The trail about one record, oldest first, as (action, changes).
async fn trail(admin: &Api, entity: &str, entity_id: i64) -> Vec<(String, Value)> {
    let r = admin
        .get(&format!(
            "/api/v1/audit?entity={entity}&entity_id={entity_id}"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let mut v: Vec<(String, Value)> = r.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["changes"].clone(),
            )
        })
        .collect();
    v.reverse();
    v
}

fn actions(t: &[(String, Value)]) -> Vec<&str> {
    t.iter().map(|(a, _)| a.as_str()).collect()
}

/// The change of one field in an event's changes.
fn change<'a>(changes: &'a Value, field: &str) -> &'a Value {
    changes
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == field)
        .unwrap_or_else(|| panic!("no change of {field} in {changes}"))
}

async fn the_trail_records_each_kind_of_change(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let admin = app.user("Org A", "admin@a.fi", Role::Admin);
    let s = app.user("Org A", "s@a.fi", Role::Specialist);
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);

    // Employer: created, changed, archived, restored.
    let e = id(&s
        .post(
            "/api/v1/employers",
            json!({"name": "Kahvila Aroma Oy", "municipality_code": "837"}),
        )
        .await);
    s.patch(
        &format!("/api/v1/employers/{e}"),
        json!({"name": "Kahvila Aroma Ab", "tags": ["kahvila"]}),
    )
    .await;
    s.delete(&format!("/api/v1/employers/{e}")).await;
    let restored = s
        .post(&format!("/api/v1/employers/{e}/restore"), json!({}))
        .await;
    assert!(restored.status.is_success(), "{}", restored.text);
    let t = trail(&admin, "employer", e).await;
    assert_eq!(actions(&t), ["create", "update", "archive", "restore"]);
    assert_eq!(change(&t[0].1, "name")["new"], "Kahvila Aroma Oy");
    let name = change(&t[1].1, "name");
    assert_eq!(
        (&name["old"], &name["new"]),
        (&json!("Kahvila Aroma Oy"), &json!("Kahvila Aroma Ab"))
    );
    assert_eq!(change(&t[1].1, "tags")["new"], json!(["kahvila"]));
    assert_eq!(
        t[1].1.as_array().unwrap().len(),
        2,
        "only what changed: {}",
        t[1].1
    );

    // Contact person: created, changed, deleted (with what it held).
    let c = id(&s
        .post(
            &format!("/api/v1/employers/{e}/contacts"),
            json!({"name": "Pirjo Virtanen", "phone": "040 123 4567"}),
        )
        .await);
    s.patch(
        &format!("/api/v1/contacts/{c}"),
        json!({"title": "Esihenkilö"}),
    )
    .await;
    s.delete(&format!("/api/v1/contacts/{c}")).await;
    let t = trail(&admin, "contact", c).await;
    assert_eq!(actions(&t), ["create", "update", "delete"]);
    assert_eq!(change(&t[1].1, "title")["new"], "Esihenkilö");
    assert_eq!(change(&t[2].1, "name")["old"], "Pirjo Virtanen");

    // Contact log: the free text only as "changed".
    let o = id(&s.post("/api/v1/outreach", json!({"employer_id": e, "occurred_at": "2026-11-24T09:00", "channel": "in_person", "learned": "Tarvitsevat aamuvuoroon"})).await);
    s.patch(
        &format!("/api/v1/outreach/{o}"),
        json!({"learned": "Tarvitsevat iltavuoroon", "channel": "phone"}),
    )
    .await;
    let t = trail(&admin, "outreach", o).await;
    assert_eq!(actions(&t), ["create", "update"]);
    let learned = change(&t[1].1, "learned");
    assert_eq!(
        (
            learned["private"].as_bool(),
            &learned["old"],
            &learned["new"]
        ),
        (Some(true), &Value::Null, &Value::Null)
    );
    assert_eq!(change(&t[1].1, "channel")["new"], "phone");

    // Lead, job seeker (opened, changed; the name never written), profile, placement.
    let l = id(&s
        .post(
            "/api/v1/leads",
            json!({"employer_id": e, "title": "Barista"}),
        )
        .await);
    s.patch(
        &format!("/api/v1/leads/{l}"),
        json!({"status": "interviewing"}),
    )
    .await;
    assert_eq!(
        actions(&trail(&admin, "lead", l).await),
        ["create", "update"]
    );
    let cl = id(&s.post("/api/v1/clients", json!({"display_name": "Tuulikki Äijälä", "intake_date": "2026-10-01", "status": "job_search", "consent_to_contact_employers": true})).await);
    s.get(&format!("/api/v1/clients/{cl}")).await;
    s.patch(
        &format!("/api/v1/clients/{cl}"),
        json!({"display_name": "T. Äijälä", "wants_work": true}),
    )
    .await;
    s.put(
        &format!("/api/v1/clients/{cl}/profile"),
        json!({"occupations": ["5132"], "job_wishes": "Haluaa leipomoon"}),
    )
    .await;
    let p = id(&s.post("/api/v1/placements", json!({"client_id": cl, "employer_id": e, "job_title": "Barista", "starts_on": "2026-11-23", "employment_type": "permanent"})).await);
    s.patch(
        &format!("/api/v1/placements/{p}"),
        json!({"hours_per_week": 20}),
    )
    .await;
    let t = trail(&admin, "client", cl).await;
    assert_eq!(actions(&t), ["create", "view", "update", "update"], "{t:?}");
    let dn = change(&t[2].1, "display_name");
    assert_eq!(
        (dn["private"].as_bool(), &dn["new"]),
        (Some(true), &Value::Null)
    );
    assert_eq!(change(&t[2].1, "wants_work")["new"], true);
    assert_eq!(
        change(&t[3].1, "status")["new"],
        "working",
        "the placement set the status"
    );
    assert_eq!(actions(&trail(&admin, "profile", cl).await), ["create"]);
    assert_eq!(
        actions(&trail(&admin, "placement", p).await),
        ["create", "update"]
    );
    let whole = admin.get("/api/v1/audit?limit=200").await;
    assert!(
        !whole.text.contains("Äijälä") && !whole.text.contains("leipomoon"),
        "{}",
        whole.text
    );

    // Partner, import, export, user.
    let pa = id(&lead
        .post(
            "/api/v1/partners",
            json!({"name": "Tampereen Yrittäjät", "kind": "entrepreneur_association"}),
        )
        .await);
    lead.patch(
        &format!("/api/v1/partners/{pa}"),
        json!({"notes": "Jäsenilta joka kuukausi"}),
    )
    .await;
    assert_eq!(
        actions(&trail(&admin, "partner", pa).await),
        ["create", "update"]
    );
    // Changes made on the way: members, support, the stage a contact moved on, the
    // lead a job filled, a proposal.
    lead.post(
        &format!("/api/v1/partners/{pa}/members"),
        json!({"employer_id": e}),
    )
    .await;
    lead.delete(&format!("/api/v1/partners/{pa}/members/{e}"))
        .await;
    let t = trail(&admin, "partner", pa).await;
    assert_eq!(change(&t[2].1, "member_added")["new"], e);
    assert_eq!(change(&t[3].1, "member_removed")["new"], e);
    s.post(&format!("/api/v1/placements/{p}/support"), json!({"occurred_on": "2026-11-24", "with_whom": "worker", "channel": "in_person", "note": "Hyvin menee"})).await;
    let t = trail(&admin, "placement", p).await;
    assert_eq!(
        change(&t.last().unwrap().1, "support_contact")["new"]["with_whom"],
        "worker"
    );
    assert_eq!(change(&t.last().unwrap().1, "note")["private"], true);
    let stage = trail(&admin, "employer", e).await;
    assert!(
        stage.iter().any(|(a, ch)| a == "update"
            && ch
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["field"] == "stage" && c["old"] == "not_contacted")),
        "{stage:?}"
    );
    let l2 = id(&s
        .post("/api/v1/leads", json!({"employer_id": e, "title": "Kokki"}))
        .await);
    let cl2 = id(&s.post("/api/v1/clients", json!({"display_name": "K. K.", "intake_date": "2026-10-01", "status": "job_search", "consent_to_contact_employers": true})).await);
    let r = s
        .post(
            "/api/v1/proposals",
            json!({"lead_id": l2, "client_id": cl2, "reason": "Sopii hyvin"}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    s.post("/api/v1/placements", json!({"client_id": cl2, "employer_id": e, "lead_id": l2, "job_title": "Kokki", "starts_on": "2026-11-24", "employment_type": "permanent"})).await;
    let t = trail(&admin, "lead", l2).await;
    assert_eq!(
        change(&t.last().unwrap().1, "status")["new"],
        "filled_by_us"
    );
    let t = trail(&admin, "client", cl2).await;
    assert!(
        t.iter().any(|(a, ch)| a == "create"
            && ch
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["field"] == "proposed_for_lead" && c["new"] == l2)),
        "{t:?}"
    );
    assert!(!admin
        .get("/api/v1/audit?limit=200")
        .await
        .text
        .contains("Sopii hyvin"));
    let imp = s
        .post_bytes(
            "/api/v1/imports/employers",
            "text/csv",
            "Nimi;Kunta\r\nLeipomo Oy;Tampere\r\n".as_bytes().to_vec(),
        )
        .await;
    assert_eq!(imp.status, StatusCode::OK, "{}", imp.text);
    s.get("/api/v1/exports/employers?stage=not_contacted").await;
    let imports = admin.get("/api/v1/audit?action=import").await;
    let ev = &imports.json["items"][0];
    assert_eq!(
        (ev["entity"].as_str(), ev["user_id"].as_i64()),
        (Some("employer"), Some(s.user_id))
    );
    assert_eq!(change(&ev["changes"], "imported")["new"], 1);
    let exports = admin
        .get("/api/v1/audit?action=export&entity=employer")
        .await;
    assert_eq!(
        change(&exports.json["items"][0]["changes"], "filters")["new"],
        "stage=not_contacted"
    );
    let users = admin
        .get(&format!(
            "/api/v1/audit?entity=user&entity_id={}",
            s.user_id
        ))
        .await;
    assert_eq!(
        change(&users.json["items"][0]["changes"], "role")["new"],
        "specialist"
    );

    // Filters: by person, and bad filters named.
    let by_lead = admin
        .get(&format!("/api/v1/audit?user_id={}", lead.user_id))
        .await;
    assert!(by_lead.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["user_id"] == lead.user_id));
    // The partner created and changed, a member added and removed.
    assert_eq!(by_lead.json["items"].as_array().unwrap().len(), 4);
    let bad = admin
        .get("/api/v1/audit?entity=diagnosis&action=peek&from=32.13.2026")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["entity", "action", "from"] {
        assert!(bad.json["errors"][f].is_array(), "{f}: {}", bad.text);
    }
    // Paging: two at a time reaches the same events.
    let first = admin.get("/api/v1/audit?limit=2").await;
    let next = first.json["next"].as_str().unwrap();
    let second = admin
        .get(&format!("/api/v1/audit?limit=2&cursor={next}"))
        .await;
    assert!(second.json["items"][0]["id"].as_i64() < first.json["items"][1]["id"].as_i64());

    // Only admins read it; another organisation's admin sees nothing of this one's.
    for who in [&s, &lead] {
        assert_eq!(who.get("/api/v1/audit").await.status, StatusCode::FORBIDDEN);
    }
    let other = app.user("Org B", "admin@b.fi", Role::Admin);
    let theirs = other
        .get(&format!("/api/v1/audit?entity=employer&entity_id={e}"))
        .await;
    assert_eq!(theirs.json["items"], json!([]));
    let all_b = other.get("/api/v1/audit").await;
    assert!(
        all_b.json["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["entity"] == "user"),
        "{}",
        all_b.text
    );
}

async fn nothing_can_alter_the_trail(app: TestApp) {
    let admin = app.user("Org A", "admin@a.fi", Role::Admin);
    admin
        .post("/api/v1/employers", json!({"name": "Kauppa Oy"}))
        .await;
    let before = admin.get("/api/v1/audit").await;
    let first = before.json["items"][0]["id"].as_i64().unwrap();
    // No method but GET (and HEAD) on the trail's paths.
    let doc = admin.get("/api/v1/openapi.json").await;
    for (path, ops) in doc.json["paths"].as_object().unwrap() {
        if path.contains("audit") {
            let methods: Vec<&String> = ops.as_object().unwrap().keys().collect();
            assert_eq!(methods, ["get"], "{path}");
        }
    }
    for m in ["POST", "PUT", "PATCH", "DELETE"] {
        for path in [
            "/api/v1/audit".to_string(),
            format!("/api/v1/audit/{first}"),
        ] {
            let r = admin
                .send_json_text(
                    awc::http::Method::from_bytes(m.as_bytes()).unwrap(),
                    &path,
                    "{}",
                )
                .await;
            assert!(
                matches!(
                    r.status,
                    StatusCode::METHOD_NOT_ALLOWED | StatusCode::NOT_FOUND
                ),
                "{m} {path}: {}",
                r.status
            );
        }
    }
    // Not even the database lets a row change or go.
    let mut conn = app.state.pool.get().unwrap();
    let upd = sql(&mut conn, "UPDATE audit_events SET action = 'view'");
    let del = sql(&mut conn, "DELETE FROM audit_events");
    assert!(upd.unwrap_err().contains("append-only"));
    assert!(del.unwrap_err().contains("append-only"));
    let after = admin.get("/api/v1/audit").await;
    assert_eq!(after.json["items"], before.json["items"]);
}

fn sql(conn: &mut DbConn, q: &str) -> Result<usize, String> {
    let r = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(q).execute(&mut **c),
        DbConn::Postgres(c) => diesel::sql_query(q).execute(&mut **c),
    };
    r.map_err(|e| e.to_string())
}

async fn deleted_log_entries_stay_visible_to_team_leads(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let s = app.user("Org A", "s@a.fi", Role::Specialist);
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let e = id(&s
        .post("/api/v1/employers", json!({"name": "Kahvila Aroma Oy"}))
        .await);
    let o = id(&s.post("/api/v1/outreach", json!({"employer_id": e, "occurred_at": "2026-11-24T09:00", "channel": "in_person", "outcome": "Kiinnostuivat"})).await);
    assert_eq!(
        s.delete(&format!("/api/v1/outreach/{o}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        s.get(&format!("/api/v1/outreach/{o}")).await.status,
        StatusCode::NOT_FOUND
    );
    let gone = lead.get("/api/v1/outreach/deleted").await;
    assert_eq!(gone.status, StatusCode::OK, "{}", gone.text);
    let d = &gone.json[0];
    assert_eq!(d["outreach_id"], o);
    assert_eq!(d["employer_name"], "Kahvila Aroma Oy");
    assert_eq!(d["deleted_by"], s.user_id);
    assert_eq!(d["entry"]["outcome"], "Kiinnostuivat");
    assert_eq!(d["entry"]["channel"], "in_person");
    assert_eq!(
        lead.get(&format!("/api/v1/outreach/deleted?employer_id={e}"))
            .await
            .json
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        s.get("/api/v1/outreach/deleted").await.status,
        StatusCode::FORBIDDEN
    );
    let other = app.user("Org B", "lead@b.fi", Role::TeamLead);
    assert_eq!(other.get("/api/v1/outreach/deleted").await.json, json!([]));
}

async fn a_copy_of_everything_about_a_job_seeker(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let s = app.user("Org A", "s@a.fi", Role::Specialist);
    let e = id(&s
        .post("/api/v1/employers", json!({"name": "Kahvila Aroma Oy"}))
        .await);
    let cl = id(&s.post("/api/v1/clients", json!({"display_name": "Tuulikki Äijälä", "intake_date": "2026-10-01", "status": "job_search", "consent_to_contact_employers": true, "disclosure_notes": "Kertoo itse"})).await);
    s.put(
        &format!("/api/v1/clients/{cl}/profile"),
        json!({"occupations": ["5132"], "job_wishes": "kahvila"}),
    )
    .await;
    s.put(
        &format!("/api/v1/clients/{cl}/profile"),
        json!({"occupations": ["5132"], "job_wishes": "kahvila tai leipomo"}),
    )
    .await;
    s.post("/api/v1/outreach", json!({"employer_id": e, "occurred_at": "2026-11-20T09:00", "channel": "in_person", "client_ids": [cl]})).await;
    s.post("/api/v1/placements", json!({"client_id": cl, "employer_id": e, "job_title": "Barista", "starts_on": "2026-11-23", "employment_type": "permanent"})).await;
    let r = s.get(&format!("/api/v1/clients/{cl}/export")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let x = &r.json;
    assert_eq!(x["client"]["display_name"], "Tuulikki Äijälä");
    assert_eq!(x["client"]["disclosure_notes"], "Kertoo itse");
    let versions: Vec<&Value> = x["profile_versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| &v["profile"]["job_wishes"])
        .collect();
    assert_eq!(versions, [&json!("kahvila tai leipomo"), &json!("kahvila")]);
    assert_eq!(
        x["contacts_on_behalf"][0]["employer_name"],
        "Kahvila Aroma Oy"
    );
    assert_eq!(x["placements"][0][0]["job_title"], "Barista");
    let mut access: Vec<(String, String)> = x["record_access"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["entity"].as_str().unwrap().to_string(),
                a["action"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    access.sort();
    let want: Vec<(String, String)> = [
        ("client", "create"),
        ("client", "update"),
        ("placement", "create"),
        ("profile", "create"),
        ("profile", "update"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(
        access, want,
        "the record, the profile and the job: created, changed"
    );
    // The copy is recorded; another organisation cannot take one.
    let other = app.user("Org B", "admin@b.fi", Role::Admin);
    assert_eq!(
        other
            .get(&format!("/api/v1/clients/{cl}/export"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let again = s.get(&format!("/api/v1/clients/{cl}/export")).await;
    let last = again.json["record_access"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (last["action"].as_str(), last["user_id"].as_i64()),
        (Some("export"), Some(s.user_id))
    );
}

/// Every number in the fidelity answer, by its path: what erasure must not change.
fn numbers(v: &Value, path: String, out: &mut Vec<(String, f64)>) {
    match v {
        Value::Number(n) => out.push((path, n.as_f64().unwrap())),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| numbers(x, format!("{path}/{i}"), out)),
        Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| numbers(x, format!("{path}/{k}"), out)),
        _ => {}
    }
}

#[derive(QueryableByName)]
struct Hit {
    #[diesel(sql_type = Text)]
    t: String,
    #[diesel(sql_type = Text)]
    c: String,
}

#[derive(QueryableByName)]
struct Cell {
    #[diesel(sql_type = Text)]
    v: String,
}

/// Every text cell of the whole database (every table, every column) holding `needle`.
fn find_anywhere(conn: &mut DbConn, needle: &str) -> Vec<String> {
    let columns: Vec<Hit> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        )
        .load(&mut **c),
        DbConn::Postgres(c) => diesel::sql_query(
            "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
             WHERE table_schema = 'public'",
        )
        .load(&mut **c),
    }
    .unwrap();
    let mut found = Vec::new();
    for col in columns {
        let q = format!(
            "SELECT CAST(\"{c}\" AS TEXT) AS v FROM \"{t}\" WHERE CAST(\"{c}\" AS TEXT) LIKE '%{needle}%'",
            c = col.c,
            t = col.t
        );
        let cells: Vec<Cell> = match conn {
            DbConn::Sqlite(c) => diesel::sql_query(q).load(&mut **c),
            DbConn::Postgres(c) => diesel::sql_query(q).load(&mut **c),
        }
        .unwrap();
        found.extend(
            cells
                .into_iter()
                .map(|x| format!("{}.{}: {}", col.t, col.c, x.v)),
        );
    }
    found
}

async fn erasure_leaves_no_trace_and_keeps_the_figures(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let admin = app.user("Org A", "admin@a.fi", Role::Admin);
    let s = app.user("Org A", "s@a.fi", Role::Specialist);
    let e = id(&s
        .post(
            "/api/v1/employers",
            json!({"name": "Kahvila Aroma Oy", "industry": "I"}),
        )
        .await);
    let cl = id(&s.post("/api/v1/clients", json!({"display_name": "Tuulikki Äijälä", "intake_date": "2026-11-02", "status": "job_search", "consent_to_contact_employers": true, "disclosure": "general", "disclosure_notes": "Paniikkioireet, kertoo itse"})).await);
    s.put(&format!("/api/v1/clients/{cl}/profile"), json!({"occupations": ["5132"], "industries_wanted": ["I"], "hours_min": 15, "hours_max": 25, "job_wishes": "Haaveilee omasta kahvilasta", "support_needs": "Rauhallinen taukotila", "strengths": "Tarkka kassalla"})).await;
    for (day, text) in [
        ("2026-11-04T09:00", "Esittelin Tuulikki Äijälän"),
        ("2026-11-11T09:00", "ÄIJÄLÄ kävi itse"),
    ] {
        id(&s.post("/api/v1/outreach", json!({"employer_id": e, "occurred_at": day, "channel": "in_person", "client_ids": [cl], "client_present": true, "outcome": text, "next_step": "Soita Äijälän puolesta", "next_step_due": "2026-11-30"})).await);
    }
    let lead = id(&s.post("/api/v1/leads", json!({"employer_id": e, "title": "Barista", "description": "Sopisi Tuulikki Äijälälle"})).await);
    let r = s
        .post(
            "/api/v1/proposals",
            json!({"lead_id": lead, "client_id": cl, "reason": "Tuulikki pitää kahviloista"}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    // A colleague of the same first name, in an entry about nobody: left as it is.
    let other = id(&s.post("/api/v1/outreach", json!({"employer_id": e, "occurred_at": "2026-11-13T09:00", "channel": "phone", "learned": "Kollega Tuulikki Mäkelä mukana"})).await);
    // The name changes once; the earlier one must go too.
    let r = s
        .patch(
            &format!("/api/v1/clients/{cl}"),
            json!({"display_name": "Tuuli Äijälä-Koski"}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    let p = id(&s.post("/api/v1/placements", json!({"client_id": cl, "employer_id": e, "job_title": "Barista", "starts_on": "2026-11-16", "employment_type": "permanent", "wage": "12,50 €/h"})).await);
    s.post(&format!("/api/v1/placements/{p}/support"), json!({"occurred_on": "2026-11-17", "with_whom": "worker", "channel": "in_person", "note": "Jännitti ensimmäistä päivää"})).await;
    s.patch(
        &format!("/api/v1/placements/{p}"),
        json!({"ends_on": "2026-11-27", "end_reason": "Sairausloma"}),
    )
    .await;
    let gone = id(&s.post("/api/v1/outreach", json!({"employer_id": e, "occurred_at": "2026-11-12T09:00", "channel": "phone", "client_ids": [cl], "learned": "Tuulikki Äijälä jäi pois"})).await);
    s.delete(&format!("/api/v1/outreach/{gone}")).await;
    let figures = || async {
        let r = admin
            .get("/api/v1/fidelity?from=2026-11-02&to=2026-11-29")
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let mut out = Vec::new();
        numbers(&r.json, String::new(), &mut out);
        out
    };
    let before = figures().await;
    assert!(before.len() > 10);
    {
        let mut conn = app.state.pool.get().unwrap();
        assert!(
            !find_anywhere(&mut conn, "Äijälä").is_empty(),
            "the test can fail"
        );
    }

    // Only an admin erases.
    assert_eq!(
        s.post(&format!("/api/v1/clients/{cl}/erase"), json!({}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = admin
        .post(&format!("/api/v1/clients/{cl}/erase"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["display_name"], format!("#{cl}"));
    assert!(r.json["erased_at"].is_string());

    let mut conn = app.state.pool.get().unwrap();
    for needle in [
        "Äijälä",
        "ÄIJÄLÄ",
        "äijälä",
        "Koski",
        "Tuuli ",
        "Paniikki",
        "Haaveilee",
        "taukotila",
        "kassalla",
        "Jännitti",
        "Sairausloma",
        "12,50",
        "pitää kahviloista",
    ] {
        let left = find_anywhere(&mut conn, needle);
        assert!(left.is_empty(), "{needle} is still stored: {left:?}");
    }
    let first_name = find_anywhere(&mut conn, "Tuulikki");
    assert_eq!(
        first_name,
        ["outreach.learned: Kollega Tuulikki Mäkelä mukana"],
        "only the unrelated entry keeps it"
    );
    drop(conn);
    assert_eq!(
        s.get(&format!("/api/v1/outreach/{other}")).await.json["learned"],
        "Kollega Tuulikki Mäkelä mukana"
    );
    for (what, r) in [
        ("profile", s.put(&format!("/api/v1/clients/{cl}/profile"), json!({"goals": "uudet tavoitteet"})).await),
        ("placement", s.post("/api/v1/placements", json!({"client_id": cl, "employer_id": e, "job_title": "Kokki", "starts_on": "2026-11-30", "employment_type": "permanent"})).await),
        ("placement change", s.patch(&format!("/api/v1/placements/{p}"), json!({"end_reason": "uusi syy"})).await),
        ("support", s.post(&format!("/api/v1/placements/{p}/support"), json!({"occurred_on": "2026-11-20", "with_whom": "worker", "channel": "in_person", "note": "uusi"})).await),
    ] {
        assert_eq!(r.status, StatusCode::CONFLICT, "nothing new for an erased person: {what}: {}", r.text);
    }
    let r = s.post("/api/v1/outreach", json!({"employer_id": e, "occurred_at": "2026-11-24T09:00", "channel": "phone", "client_ids": [cl]})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(
        figures().await,
        before,
        "the anonymous figures stay the same"
    );
    // The structured choices stay (matching and the figures read them).
    let prof = s.get(&format!("/api/v1/clients/{cl}/profile")).await;
    assert_eq!(prof.json["occupations"], json!(["5132"]));
    assert_eq!(prof.json["job_wishes"], "");
    // An erased record is not filled in again; erasing twice changes nothing.
    let again = s
        .patch(
            &format!("/api/v1/clients/{cl}"),
            json!({"display_name": "Tuulikki"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    admin
        .post(&format!("/api/v1/clients/{cl}/erase"), json!({}))
        .await;
    let t = trail(&admin, "client", cl).await;
    assert_eq!(t.iter().filter(|(a, _)| a == "erase").count(), 1);
    let (_, erased) = t.iter().find(|(a, _)| a == "erase").unwrap();
    let replaced = &change(erased, "name_replaced_in")["new"];
    assert_eq!(
        (
            replaced["contact_log"].as_i64(),
            replaced["follow_ups"].as_i64(),
            replaced["leads"].as_i64(),
            replaced["deleted_contact_log"].as_i64()
        ),
        (Some(4), Some(2), Some(1), Some(1)),
        "cells: {erased}"
    );
    let other = app.user("Org B", "admin@b.fi", Role::Admin);
    assert_eq!(
        other
            .post(&format!("/api/v1/clients/{cl}/erase"), json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn retention_anonymises_closed_job_seekers(app: TestApp) {
    app.clock.set(utc("2024-06-03 10:00"));
    let admin = app.user("Org A", "admin@a.fi", Role::Admin);
    let s = app.user("Org A", "s@a.fi", Role::Specialist);
    let closed = id(&s.post("/api/v1/clients", json!({"display_name": "Kalle Suljettu", "intake_date": "2024-01-02", "status": "closed"})).await);
    let active = id(&s.post("/api/v1/clients", json!({"display_name": "Liisa Aktiivinen", "intake_date": "2024-01-02", "status": "job_search"})).await);
    // 23 months on: nothing yet (24 by default).
    app.clock.set(utc("2026-05-03 10:00"));
    let pass = app.state.mail_worker().run_once().unwrap();
    assert_eq!(pass.anonymised, 0);
    app.clock.set(utc("2026-06-04 10:00"));
    let pass = app.state.mail_worker().run_once().unwrap();
    assert_eq!(pass.anonymised, 1);
    assert_eq!(
        s.get(&format!("/api/v1/clients/{closed}")).await.json["display_name"],
        format!("#{closed}")
    );
    assert_eq!(
        s.get(&format!("/api/v1/clients/{active}")).await.json["display_name"],
        "Liisa Aktiivinen"
    );
    let t = admin
        .get(&format!(
            "/api/v1/audit?entity=client&entity_id={closed}&action=anonymise"
        ))
        .await;
    let ev = &t.json["items"][0];
    assert_eq!(
        (ev["action"].as_str(), &ev["user_id"]),
        (Some("anonymise"), &Value::Null)
    );
    assert_eq!(
        app.state.mail_worker().run_once().unwrap().anonymised,
        0,
        "done once"
    );
}

async fn the_pages_show_the_trail_deleted_entries_and_erasure(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let _admin = app.user("Org A", "admin@a.fi", Role::Admin);
    let s = app.user("Org A", "s@a.fi", Role::Specialist);
    let _lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let e = id(&s
        .post("/api/v1/employers", json!({"name": "Kahvila Aroma Oy"}))
        .await);
    s.patch(
        &format!("/api/v1/employers/{e}"),
        json!({"name": "Kahvila Aroma Ab"}),
    )
    .await;
    let o = id(&s.post("/api/v1/outreach", json!({"employer_id": e, "occurred_at": "2026-11-24T09:00", "channel": "in_person", "outcome": "Lupasivat soittaa"})).await);
    s.delete(&format!("/api/v1/outreach/{o}")).await;
    let cl = id(&s.post("/api/v1/clients", json!({"display_name": "Tuulikki Äijälä", "intake_date": "2026-10-01", "status": "job_search"})).await);
    s.put(
        &format!("/api/v1/clients/{cl}/profile"),
        json!({"occupations": ["5132"], "strengths": "Tarkka kassalla"}),
    )
    .await;

    // The admin reads the trail in Finnish; a bad date is named on the form.
    let mut admin = app.browser();
    admin.login("admin@a.fi", PASSWORD).await;
    let page = admin.get("/audit?entity=employer").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("Tapahtumaloki"), "{}", page.text);
    assert!(
        page.text.contains("Kahvila Aroma Oy → Kahvila Aroma Ab"),
        "{}",
        page.text
    );
    assert!(page.text.contains("Muutos") && page.text.contains("Lisäys"));
    // Coded values read as their labels, not as codes.
    assert!(
        page.text.contains("Yhteyttä ei vielä otettu"),
        "{}",
        page.text
    );
    assert!(!page.text.contains("not_contacted"), "{}", page.text);
    let bad = admin.get("/audit?from=31.02.2026").await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.text.contains("aria-invalid=\"true\""), "{}", bad.text);
    let clients = admin
        .get(&format!("/audit?entity=client&entity_id={cl}"))
        .await;
    assert!(clients.text.contains("muutettu") || clients.text.contains("Lisäys"));
    assert!(
        !clients.text.contains("Äijälä"),
        "the trail never shows the name"
    );

    // The copy of their data, printable; opening it is recorded.
    let copy = admin.get(&format!("/clients/{cl}/export")).await;
    assert_eq!(copy.status, StatusCode::OK, "{}", copy.text);
    assert!(copy.text.contains("Tuulikki Äijälä") && copy.text.contains("Tarkka kassalla"));
    assert!(copy.text.contains("Kuka on avannut tai muuttanut tietoja"));

    // A specialist may not read the trail nor erase; a team lead sees deleted entries.
    let mut sp = app.browser();
    sp.login("s@a.fi", PASSWORD).await;
    assert_eq!(sp.get("/audit").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        sp.get(&format!("/clients/{cl}/erase")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        sp.post(&format!("/clients/{cl}/erase"), &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        sp.get("/outreach/deleted").await.status,
        StatusCode::FORBIDDEN
    );
    let mut tl = app.browser();
    tl.login("lead@a.fi", PASSWORD).await;
    let gone = tl.get("/outreach/deleted").await;
    assert_eq!(gone.status, StatusCode::OK);
    assert!(
        gone.text.contains("Lupasivat soittaa") && gone.text.contains("Kahvila Aroma Ab"),
        "{}",
        gone.text
    );

    // Erasure: a page that says what happens, then the job seeker's page says it did.
    let form = admin.get(&format!("/clients/{cl}/erase")).await;
    assert!(form.text.contains("Poistoa ei voi perua."), "{}", form.text);
    let done = admin.post(&format!("/clients/{cl}/erase"), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let shown = admin.get(&format!("/clients/{cl}")).await;
    assert!(
        shown.text.contains("Henkilötiedot poistettu"),
        "{}",
        shown.text
    );
    assert!(!shown.text.contains("Äijälä") && !shown.text.contains("Tarkka kassalla"));
}
