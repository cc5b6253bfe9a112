//! The weekly team meeting agenda: its sections on a hand-built week, the page, the
//! e-mail the day before the meeting (once), and organisation isolation.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::{json, Value};

use crate::helpers::{utc, Api, TestApp};
use crate::on_both_databases;

on_both_databases!(the_team_meeting_agenda);

async fn created(r: crate::helpers::Resp) -> i64 {
    assert!(r.status.is_success(), "{}", r.text);
    r.json["id"].as_i64().unwrap()
}

async fn seeker(api: &Api, name: &str, intake: &str) -> i64 {
    created(
        api.post(
            "/api/v1/clients",
            json!({"consent_to_contact_employers": true, "display_name": name, "intake_date": intake, "status": "job_search"}),
        )
        .await,
    )
    .await
}

fn names(v: &Value, key: &str, field: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x[field].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn the_team_meeting_agenda(app: TestApp) {
    // Thursday 26 Nov: the week before the meeting on Tuesday 1 Dec (2026-W49).
    app.clock.set(utc("2026-11-26 08:00"));
    let s1 = app.user("Org A", "s1@a.fi", Role::Specialist);
    let s2 = app.user("Org A", "s2@a.fi", Role::Specialist);
    let stranger = app.user("Org B", "b@b.fi", Role::TeamLead);
    let team = s1.get("/api/v1/me").await.json["team_id"].as_i64().unwrap();
    let cafe = created(
        s2.post(
            "/api/v1/employers",
            json!({"name": "Kahvila Oy", "municipality_code": "837", "industry": "I"}),
        )
        .await,
    )
    .await;
    let shop = created(
        s1.post("/api/v1/employers", json!({"name": "Kauppa Oy"}))
            .await,
    )
    .await;
    let w1 = seeker(&s1, "Odottava", "2026-10-01").await;
    s1.put(&format!("/api/v1/clients/{w1}/profile"), json!({"occupations": ["5132"], "hours_min": 15, "hours_max": 25, "home_municipality_code": "837", "max_commute_km": 20})).await;
    let w2 = seeker(&s1, "Tavattu", "2026-10-15").await;
    seeker(&s2, "Uusi", "2026-11-20").await;
    let r = s1.post("/api/v1/outreach", json!({"employer_id": shop, "occurred_at": "2026-11-20T10:00", "on_behalf_of": "clients", "client_ids": [w2], "next_step": "Soita haastattelusta", "next_step_due": "2026-12-02"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    s1.post("/api/v1/outreach", json!({"employer_id": shop, "occurred_at": "2026-11-21T10:00", "next_step": "Joulukortti", "next_step_due": "2026-12-20", "acknowledge_collisions": true})).await;
    let lead = s2.post("/api/v1/leads", json!({"employer_id": cafe, "title": "Barista", "isco_code": "5132", "hours_min": 20, "hours_max": 20})).await;
    assert_eq!(lead.status, StatusCode::CREATED, "{}", lead.text);
    // A contact day on Thursday with one call logged.
    let day = created(s1.post("/api/v1/contact-days", json!({"date": "2026-11-26", "starts_at": "09:00", "ends_at": "15:00", "place": "Toimisto", "participant_ids": [s1.user_id], "target_employer_ids": [cafe]})).await).await;
    let r = s1.post("/api/v1/outreach", json!({"employer_id": cafe, "occurred_at": "2026-11-26T09:30", "channel": "phone", "contact_day_id": day, "acknowledge_collisions": true})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    app.clock.set(utc("2026-11-30 08:00"));
    let a = s1
        .get(&format!("/api/v1/teams/{team}/agenda?week=2026-W49"))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(a.json["meeting_on"], "2026-12-01");
    assert_eq!(a.json["since"], "2026-11-24");
    assert_eq!(names(&a.json, "new_leads", "title"), vec!["Barista"]);
    assert_eq!(
        a.json["new_leads"][0]["matches"][0][0], "Odottava",
        "{}",
        a.text
    );
    assert_eq!(
        names(&a.json, "waiting", "name"),
        vec!["Odottava"],
        "w2 had a contact, w3 is new"
    );
    assert_eq!(a.json["waiting"][0]["searching_days"], 61);
    assert_eq!(
        names(&a.json, "follow_ups", "title"),
        vec!["Soita haastattelusta"],
        "due this week only"
    );
    assert_eq!(a.json["last_contact_day"]["contacts"], 1);
    assert_eq!(a.json["fidelity"].as_array().unwrap().len(), 9);
    let bad = s1
        .get(&format!("/api/v1/teams/{team}/agenda?week=2026-W99"))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        stranger
            .get(&format!("/api/v1/teams/{team}/agenda"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The printable page.
    let mut b = app.browser();
    b.login("s1@a.fi", crate::helpers::PASSWORD).await;
    let page = b
        .get(&format!("/agenda?team_id={team}&week=2026-W49"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(
        page.text.contains("Barista")
            && page.text.contains("Odottava")
            && page.text.contains("Soita haastattelusta")
    );
    // E-mailed to the team the day before the meeting at the send hour, once.
    app.clock.set(utc("2026-11-30 05:30"));
    let worker = app.state.mail_worker();
    worker.run_once().unwrap();
    worker.run_once().unwrap();
    let lead_user = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let ob = lead_user.get("/api/v1/outbox").await;
    let mut to: Vec<String> = ob.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "team_agenda")
        .map(|m| m["recipient"].as_str().unwrap().to_string())
        .collect();
    to.sort();
    assert_eq!(to, vec!["s1@a.fi", "s2@a.fi"], "{}", ob.text);
    let sent = ob.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "team_agenda" && m["status"] == "sent")
        .count();
    assert_eq!(sent, 2, "rendered and sent through the file transport");
}
