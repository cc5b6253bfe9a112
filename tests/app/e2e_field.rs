//! Field walks in headless Chromium (e2e/field.mjs) at phone width: a specialist's
//! Monday, a contact day worked by two people at once, a do-not-contact employer, the
//! Finnish occupation search, a profile with two municipalities and its matches, the
//! same pages in Swedish, and the layout at 360 px. Axe, overflow and screenshots on
//! every page; the screenshots go to target/screenshots/field/.

use actix_web::http::StatusCode;
use placefirst::domain::clock::Clock;
use placefirst::domain::users::Role;
use serde_json::{json, Value};

use crate::helpers::{utc, Api, TestApp, PASSWORD};

const ORG: &str = "Pirkanmaan hyvinvointialue – IPS (demo)";
const SPEC: &str = "e2e-field@example.fi";
const SPEC2: &str = "e2e-field2@example.fi";
const HOST: &str = "e2e-field-host@example.fi";
const TODAY: &str = "2026-12-02";
const DNC_REASON: &str = "Pyysi, ettei soiteta";
const LEAD_NOKIA: &str = "Siivooja, Nokia";

async fn employer(api: &Api, body: Value) -> i64 {
    let r = api.post("/api/v1/employers", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json["id"].as_i64().unwrap()
}

#[actix_web::test]
async fn browser_walks_the_field_days_at_phone_width() {
    let root = env!("CARGO_MANIFEST_DIR");
    let Some(chromium) = crate::e2e::browser_ready() else {
        return;
    };
    let app = TestApp::sqlite().await;
    // Wednesday 2 December 2026, 10:30 in Helsinki: the contact day (09–15) is on.
    app.clock.set(utc("2026-12-02 08:30"));
    {
        let mut conn = app.state.pool.get().unwrap();
        placefirst::demo::load_if_empty(&mut conn, app.clock.now()).unwrap();
    }
    let spec = app.user(ORG, SPEC, Role::Specialist);
    let spec2 = app.user(ORG, SPEC2, Role::Specialist);
    let host = app.user(ORG, HOST, Role::TeamLead);

    // (a) Two employers of the specialist's, to plan visits to.
    let e1 = employer(
        &spec,
        json!({"name": "Siivous Kiilto Oy", "municipality_code": "837", "owner_id": spec.user_id}),
    )
    .await;
    let e2 = employer(
        &spec,
        json!({"name": "Kahvila Aamu Oy", "municipality_code": "837", "owner_id": spec.user_id}),
    )
    .await;
    // (c) One that asked not to be contacted.
    let dnc = employer(
        &host,
        json!({"name": "Hiljainen Halli Oy", "municipality_code": "837", "stage": "do_not_contact", "do_not_contact_reason": DNC_REASON}),
    )
    .await;
    // (b) Today's contact day: four employers, each with someone to phone, on two lists.
    let mut targets = Vec::new();
    for (i, person) in ["Anna Laine", "Timo Aalto", "Sari Koskinen", "Jari Rantanen"]
        .iter()
        .enumerate()
    {
        let id = employer(
            &host,
            json!({"name": format!("Soittolista {} Oy", i + 1), "municipality_code": "837"}),
        )
        .await;
        let c = host
            .post(
                &format!("/api/v1/employers/{id}/contacts"),
                json!({"name": person, "title": "Esihenkilö", "phone": format!("+358 40 100 200{i}"), "preferred_channel": "phone", "can_hire": true}),
            )
            .await;
        assert_eq!(c.status, StatusCode::CREATED, "{}", c.text);
        targets.push(id);
    }
    let day = host
        .post(
            "/api/v1/contact-days",
            json!({"date": TODAY, "starts_at": "09:00", "ends_at": "15:00", "place": "Toimisto, neuvotteluhuone 2", "theme": "Soittopäivä", "participant_ids": [spec.user_id, spec2.user_id], "target_employer_ids": targets}),
        )
        .await;
    assert_eq!(day.status, StatusCode::CREATED, "{}", day.text);
    let day = day.json["id"].as_i64().unwrap();
    let lists = host
        .post(&format!("/api/v1/contact-days/{day}/call-lists"), json!({}))
        .await;
    assert_eq!(lists.status, StatusCode::OK, "{}", lists.text);
    for who in [spec.user_id, spec2.user_id] {
        assert!(
            lists.json["targets"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["assignee_id"] == who),
            "both participants have a list: {}",
            lists.text
        );
    }
    // (e) A job seeker of the specialist's, and a cleaning job in Nokia. The profile's
    // hours are set here so the form keeps them and the Nokia job fits them.
    let client = spec
        .post(
            "/api/v1/clients",
            json!({"display_name": "E2E Työnhakija", "intake_date": "2026-10-01", "status": "job_search", "consent_to_contact_employers": true}),
        )
        .await;
    assert_eq!(client.status, StatusCode::CREATED, "{}", client.text);
    let client = client.json["id"].as_i64().unwrap();
    let p = spec
        .put(
            &format!("/api/v1/clients/{client}/profile"),
            json!({"hours_min": 10, "hours_max": 25, "job_wishes": "Siivous, aamuvuorot"}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    let nokia = employer(
        &spec,
        json!({"name": "Nokian Puhdas Oy", "municipality_code": "536"}),
    )
    .await;
    let lead = spec
        .post(
            "/api/v1/leads",
            json!({"employer_id": nokia, "title": LEAD_NOKIA, "isco_code": "9112", "hours_min": 10, "hours_max": 25, "municipality_code": "536", "status": "open"}),
        )
        .await;
    assert_eq!(lead.status, StatusCode::CREATED, "{}", lead.text);

    let fixture = json!({
        "today": TODAY,
        "E1": e1,
        "E2": e2,
        "DNC": dnc,
        "DNC_REASON": DNC_REASON,
        "DAY": day,
        "CLIENT": client,
        "LEAD_NOKIA": LEAD_NOKIA,
        "email2": SPEC2,
    })
    .to_string();
    let stdout = crate::e2e::run_script(
        "field.mjs",
        &chromium,
        vec![
            ("BASE_URL", app.base.clone()),
            ("E2E_EMAIL", SPEC.into()),
            ("E2E_EMAIL2", SPEC2.into()),
            ("E2E_PASSWORD", PASSWORD.into()),
            ("E2E_FIXTURE", fixture),
            ("SCREENSHOT_DIR", format!("{root}/target/screenshots/field")),
        ],
    )
    .await;
    assert!(stdout.contains("e2e: done"), "{stdout}");

    // What the browser did is in the database.
    // (a) The 08:00 visit was logged from its plan, at the planned time (06:00 UTC).
    let logged = spec
        .get(&format!("/api/v1/outreach?employer_id={e1}"))
        .await;
    let items = logged.json["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", logged.text);
    assert_eq!(items[0]["channel"], "in_person");
    assert!(items[0]["planned_contact_id"].is_i64(), "{}", logged.text);
    assert!(
        items[0]["occurred_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-12-02T06:00"),
        "{}",
        logged.text
    );
    let none = spec
        .get(&format!("/api/v1/outreach?employer_id={e2}"))
        .await;
    assert_eq!(
        none.json["items"].as_array().unwrap().len(),
        0,
        "{}",
        none.text
    );
    // (b) One call with a lead and a meeting, one without an answer.
    let d = host.get(&format!("/api/v1/contact-days/{day}")).await;
    assert_eq!(d.json["total"]["attempted"], 2, "{}", d.text);
    assert_eq!(d.json["total"]["reached"], 1, "{}", d.text);
    assert_eq!(d.json["total"]["meetings_booked"], 1, "{}", d.text);
    assert_eq!(d.json["total"]["leads_found"], 1, "{}", d.text);
    assert_eq!(d.json["tally"][spec.user_id.to_string()]["leads_found"], 1);
    assert_eq!(d.json["tally"][spec2.user_id.to_string()]["attempted"], 1);
    assert_eq!(d.json["tally"][spec2.user_id.to_string()]["reached"], 0);
    let found = spec.get("/api/v1/leads?q=tiskaaja").await;
    assert_eq!(
        found.json["items"].as_array().unwrap().len(),
        1,
        "{}",
        found.text
    );
    // (c) Nothing logged with the employer that asked not to be contacted.
    let refused = host
        .get(&format!("/api/v1/outreach?employer_id={dnc}"))
        .await;
    assert_eq!(
        refused.json["items"].as_array().unwrap().len(),
        0,
        "{}",
        refused.text
    );
    // (d) The typed word was saved as its occupation.
    let typed = spec.get("/api/v1/leads?q=e2e%20siivooja").await;
    let typed = typed.json["items"].as_array().unwrap().clone();
    assert_eq!(typed.len(), 1, "{typed:?}");
    assert_eq!(typed[0]["isco_code"], "9112", "{typed:?}");
    assert_eq!(typed[0]["employer_id"], e1);
    // (e) The profile: the word as its code, the two municipalities, home and reach.
    let prof = spec.get(&format!("/api/v1/clients/{client}/profile")).await;
    assert_eq!(prof.json["occupations"], json!(["9112"]), "{}", prof.text);
    let mut areas: Vec<String> = prof.json["work_municipality_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    areas.sort();
    assert_eq!(
        areas,
        vec!["536", "980"],
        "Nokia and Ylöjärvi: {}",
        prof.text
    );
    assert_eq!(prof.json["home_municipality_code"], "837");
    assert_eq!(prof.json["max_commute_km"], 5);
    assert_eq!(prof.json["hours_min"], 10, "the form kept the hours");
    // (f) The language was switched back to Finnish.
    let mut conn = app.state.pool.get().unwrap();
    let user = placefirst::domain::users::find_by_email(&mut conn, SPEC)
        .unwrap()
        .unwrap();
    let actor = placefirst::domain::users::load_actor(&mut conn, user.id)
        .unwrap()
        .unwrap();
    assert_eq!(actor.locale, Some(placefirst::i18n::Lang::Fi));
}
