//! Job leads: fields, occupation search, and expiry on a fixed clock.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::json;

use crate::helpers::{utc, TestApp};
use crate::on_both_databases;

on_both_databases!(
    leads_are_kept_and_expire_by_themselves,
    occupations_by_finnish_and_swedish_job_titles
);

/// Job titles as Finnish and Swedish job ads write them name the occupation wherever one
/// is asked for: the lead's occupation, the leads list's filter, the search.
async fn occupations_by_finnish_and_swedish_job_titles(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let e = api
        .post("/api/v1/employers", json!({"name": "Siivous Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let r = api
        .post(
            "/api/v1/leads",
            json!({"employer_id": e, "title": "Aamusiivooja", "isco_code": "siivooja"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["isco_code"], "9112");
    let r = api
        .post(
            "/api/v1/leads",
            json!({"employer_id": e, "title": "Kock", "isco_code": "kock"}),
        )
        .await;
    assert_eq!(r.json["isco_code"], "5120", "{}", r.text);
    let bad = api
        .post(
            "/api/v1/leads",
            json!({"employer_id": e, "title": "X", "isco_code": "lohikäärmeenkesyttäjä"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("lohikäärmeenkesyttäjä"), "{}", bad.text);
    // The search answers in the caller's language.
    let s = api.get("/api/v1/occupations?q=siivooja&lang=sv").await;
    assert_eq!(s.json["items"][0]["isco_code"], "9112");
    assert!(
        s.json["items"][0]["isco_title"]
            .as_str()
            .unwrap()
            .starts_with("Städare"),
        "{}",
        s.text
    );
    // The leads list filters by the same words.
    let mut b = app.browser();
    b.login("a@a.fi", crate::helpers::PASSWORD).await;
    let list = b.get("/leads?occupation=siivooja").await;
    assert!(
        list.text.contains("Aamusiivooja") && !list.text.contains(">Kock<"),
        "{}",
        list.text
    );
    let list = b
        .get("/leads?occupation=lohik%C3%A4%C3%A4rmeenkesytt%C3%A4j%C3%A4")
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.text.contains("id=\"occupation-error\""),
        "{}",
        list.text
    );
    assert!(
        list.text.contains("ei ole tuntemamme ammatti"),
        "{}",
        list.text
    );
}

async fn leads_are_kept_and_expire_by_themselves(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let e = api
        .post("/api/v1/employers", json!({"name": "Kahvila Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let hits = api.get("/api/v1/occupations?q=barista").await;
    assert_eq!(hits.json["items"][0]["isco_code"], "5132");
    let r = api
        .post(
            "/api/v1/leads",
            json!({"employer_id": e, "title": "Barista, osa-aikainen", "isco_code": "5132", "hours_min": 15, "hours_max": 25,
                   "schedule": {"days": ["sat", "mon"], "shifts": ["day", "weekend"]}, "municipality_code": "837",
                   "wage": "TES", "apply_by": "2026-11-30", "source": "employer_contact"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json["id"].as_i64().unwrap();
    assert_eq!(r.json["status"], "open");
    assert_eq!(r.json["schedule"]["days"], json!(["mon", "sat"]));
    assert_eq!(r.json["found_by"], api.user_id);
    assert_eq!(r.json["employer_name"], "Kahvila Oy");
    let interviewing = api.post("/api/v1/leads", json!({"employer_id": e, "title": "Kokki", "apply_by": "2026-11-25", "status": "interviewing"})).await.json["id"].as_i64().unwrap();
    // Bad input: every field named, nothing stored.
    let bad = api
        .post("/api/v1/leads", json!({"employer_id": e, "title": "", "isco_code": "9999", "hours_min": 30, "hours_max": 20, "schedule": {"days": ["funday"]}, "apply_by": "31.02.2026", "status": "maybe"}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in [
        "title",
        "isco_code",
        "hours_max",
        "schedule.days",
        "apply_by",
        "status",
    ] {
        assert!(bad.json["errors"][f].is_array(), "{f}: {}", bad.text);
    }
    assert_eq!(
        api.get("/api/v1/leads").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // The day after apply_by the open lead has expired by itself; the interview goes on.
    app.clock.set(utc("2026-12-01 06:00"));
    assert_eq!(
        api.get(&format!("/api/v1/leads/{id}")).await.json["status"],
        "expired"
    );
    assert_eq!(
        api.get(&format!("/api/v1/leads/{interviewing}")).await.json["status"],
        "interviewing"
    );
    let found = api.get("/api/v1/leads?q=BARISTA").await;
    assert_eq!(
        found.json["items"].as_array().unwrap().len(),
        1,
        "search ignores case on both databases"
    );
    let active = api.get("/api/v1/leads?status=active").await;
    assert_eq!(active.json["items"].as_array().unwrap().len(), 1);
    let p = api
        .patch(
            &format!("/api/v1/leads/{id}"),
            json!({"status": "filled_by_us"}),
        )
        .await;
    assert_eq!(p.json["status"], "filled_by_us");
    assert_eq!(
        api.get(&format!("/api/v1/leads/{id}")).await.json["status"],
        "filled_by_us",
        "a filled lead does not expire"
    );
}
