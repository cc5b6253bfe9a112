//! IPS fidelity figures on a small hand-built data set; expected values worked out below.
//!
//! Period: Monday 2 Nov to Sunday 29 Nov 2026 (four weeks). Specialists s1 and s2 (the
//! admin who enters the data is not one). Employers E1 (retail, G), E2 (hospitality, I),
//! E3 (manufacturing, C).
//!
//! Contacts in the period (all 10:00 local):
//!  #1 4.11  s1 E1 in person, learn needs, planned
//!  #2 6.11  s1 E1 in person, present a job seeker, for c1
//!  #3 12.11 s1 E2 phone, for c1
//!  #4 18.11 s1 E2 in person, learn needs
//!  #5 11.11 s2 E3 in person, present a job seeker, for c4
//!  #6 20.11 s2 E2 at an event, for c4
//! and before it: 20.10 s2 E3 in person.
//!
//! Job seekers: c1 (s1, intake 3.11, wants occupation 5223 and industry G), c2 (s1, intake
//! 5.11, never had a contact), c4 (s2, intake 10.11, wants industry I); workers c3 (s2,
//! E1, 5223, competitive, since 15.10), c5 (s2, E1, 9112, not competitive, from 16.11),
//! c6 (s1, E2, 5223, competitive, from 9.11).

use actix_web::http::StatusCode;
use placefirst::app::Application;
use placefirst::domain::users::Role;
use serde_json::{json, Value};

use crate::helpers::{utc, Api, TestApp};
use crate::on_both_databases;

on_both_databases!(
    fidelity_figures_on_a_hand_built_data_set,
    outcomes_on_a_hand_built_list
);

async fn id_of(r: crate::helpers::Resp) -> i64 {
    assert!(r.status.is_success(), "{}", r.text);
    r.json["id"].as_i64().unwrap()
}

async fn client(who: &Api, name: &str, intake: &str) -> crate::helpers::Resp {
    who.post(
        "/api/v1/clients",
        json!({"consent_to_contact_employers": true, "display_name": format!("Salainen {name}"), "intake_date": intake, "status": "job_search"}),
    )
    .await
}

async fn place(
    who: &Api,
    c: i64,
    e: i64,
    isco: &str,
    comp: bool,
    start: &str,
) -> crate::helpers::Resp {
    who.post(
        "/api/v1/placements",
        json!({"client_id": c, "employer_id": e, "job_title": "Työ", "isco_code": isco, "competitive": comp, "starts_on": start, "hours_per_week": 20}),
    )
    .await
}

async fn contact(api: &Api, body: Value) -> i64 {
    let mut body = body;
    body["acknowledge_collisions"] = json!(true);
    id_of(api.post("/api/v1/outreach", body).await).await
}

fn items(v: &Value) -> std::collections::HashMap<String, Value> {
    v["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .map(|i| (i["key"].as_str().unwrap().to_string(), i.clone()))
        .collect()
}

async fn fidelity_figures_on_a_hand_built_data_set(app: TestApp) {
    app.clock.set(utc("2026-11-30 08:00"));
    let admin = app.user("Org A", "admin@a.fi", Role::Admin);
    let s1 = app.user("Org A", "s1@a.fi", Role::Specialist);
    let s2 = app.user("Org A", "s2@a.fi", Role::Specialist);
    let stranger = app.user("Org B", "b@b.fi", Role::TeamLead);
    let e1 = id_of(
        admin
            .post(
                "/api/v1/employers",
                json!({"name": "E1 Kauppa", "industry": "G"}),
            )
            .await,
    )
    .await;
    let e2 = id_of(
        admin
            .post(
                "/api/v1/employers",
                json!({"name": "E2 Kahvila", "industry": "I"}),
            )
            .await,
    )
    .await;
    let e3 = id_of(
        admin
            .post(
                "/api/v1/employers",
                json!({"name": "E3 Tehdas", "industry": "C"}),
            )
            .await,
    )
    .await;
    let c1 = id_of(client(&s1, "c1", "2026-11-03").await).await;
    let _c2 = id_of(client(&s1, "c2", "2026-11-05").await).await;
    let c3 = id_of(client(&s2, "c3", "2026-10-01").await).await;
    let c4 = id_of(client(&s2, "c4", "2026-11-10").await).await;
    let c5 = id_of(client(&s2, "c5", "2026-09-01").await).await;
    let c6 = id_of(client(&s1, "c6", "2026-09-15").await).await;
    s1.put(
        &format!("/api/v1/clients/{c1}/profile"),
        json!({"occupations": ["5223"], "industries_wanted": ["G"]}),
    )
    .await;
    s2.put(
        &format!("/api/v1/clients/{c4}/profile"),
        json!({"industries_wanted": ["I"]}),
    )
    .await;
    // A plan for #1, made the week before.
    app.clock.set(utc("2026-10-28 08:00"));
    let plan = id_of(s1.post("/api/v1/plan/items", json!({"employer_id": e1, "planned_on": "2026-11-04", "planned_time": "10:00", "acknowledge_collisions": true})).await).await;
    contact(
        &s2,
        json!({"employer_id": e3, "occurred_at": "2026-10-20T10:00", "channel": "in_person"}),
    )
    .await;
    app.clock.set(utc("2026-11-30 08:00"));
    contact(&s1, json!({"employer_id": e1, "occurred_at": "2026-11-04T10:00", "channel": "in_person", "purpose": "learn_needs", "planned_contact_id": plan})).await;
    contact(&s1, json!({"employer_id": e1, "occurred_at": "2026-11-06T10:00", "channel": "in_person", "purpose": "present_job_seeker", "on_behalf_of": "clients", "client_ids": [c1]})).await;
    contact(&s1, json!({"employer_id": e2, "occurred_at": "2026-11-12T10:00", "channel": "phone", "purpose": "follow_up", "on_behalf_of": "clients", "client_ids": [c1]})).await;
    contact(&s1, json!({"employer_id": e2, "occurred_at": "2026-11-18T10:00", "channel": "in_person", "purpose": "learn_needs"})).await;
    contact(&s2, json!({"employer_id": e3, "occurred_at": "2026-11-11T10:00", "channel": "in_person", "purpose": "present_job_seeker", "on_behalf_of": "clients", "client_ids": [c4]})).await;
    contact(&s2, json!({"employer_id": e2, "occurred_at": "2026-11-20T10:00", "channel": "event", "purpose": "introduce", "on_behalf_of": "clients", "client_ids": [c4]})).await;
    // Workers: two at E1 (c3, c5), one at E2 (c6).
    id_of(place(&s2, c3, e1, "5223", true, "2026-10-15").await).await;
    let p5 = id_of(place(&s2, c5, e1, "9112", false, "2026-11-16").await).await;
    let p6 = id_of(place(&s1, c6, e2, "5223", true, "2026-11-09").await).await;
    for (p, day, who) in [
        (p6, "2026-11-10", &s1),
        (p6, "2026-11-17", &s1),
        (p6, "2026-11-24", &s1),
        (p5, "2026-11-20", &s2),
    ] {
        let r = who
            .post(
                &format!("/api/v1/placements/{p}/support"),
                json!({"occurred_on": day, "with_whom": "worker", "channel": "in_person"}),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text);
    }

    let r = admin
        .get("/api/v1/fidelity?from=2026-11-02&to=2026-11-29")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let it = items(&r.json);
    let vs = |k: &str| (it[k]["value"].as_f64(), it[k]["score"].as_u64());
    // 5 face-to-face contacts / 4 weeks / 2 specialists.
    assert_eq!(vs("employer_contacts_per_week"), (Some(0.625), Some(1)));
    // (3/3 employers met more than once + 1/4 visits planned + 1/2 presentations after a
    // learning visit) / 3.
    assert_eq!(vs("employer_contact_quality"), (Some(0.583), Some(3)));
    let q = &it["employer_contact_quality"]["detail"];
    assert_eq!(
        (
            q["met_more_than_once"].as_u64(),
            q["planned"].as_u64(),
            q["after_learning_visit"].as_u64()
        ),
        (Some(3), Some(1), Some(1))
    );
    // #2 (c1, retail) and #6 (c4, hospitality) fit; #3 and #5 do not.
    assert_eq!(vs("individualized_job_search"), (Some(0.5), Some(3)));
    // c1: 3 days, c4: 1 day; c2 never had a contact.
    assert_eq!(vs("rapid_job_search_days"), (Some(2.0), Some(5)));
    assert_eq!(it["rapid_job_search_days"]["detail"]["without_contact"], 1);
    // Three jobs: types {5223, 9112}, employers {E1, E2}; two competitive.
    assert_eq!(vs("diversity_job_types"), (Some(0.667), Some(3)));
    assert_eq!(vs("diversity_employers"), (Some(0.667), Some(3)));
    assert_eq!(vs("competitive_jobs"), (Some(0.667), Some(2)));
    // s1: c1, c2, c6; s2: c3, c4, c5.
    assert_eq!(vs("caseload"), (Some(3.0), Some(5)));
    // c6 seen on day 1 and weekly; c5 first seen on day 4.
    assert_eq!(vs("follow_along"), (Some(0.5), Some(3)));
    // The notes come in the caller's language (Finnish by default here).
    assert_eq!(
        it["employer_contacts_per_week"]["threshold_note"],
        "5 pistettä vähintään 6, 4 vähintään 5, 3 vähintään 3, 2 vähintään 2, muuten 1"
    );
    assert!(it["caseload"]["threshold_note"]
        .as_str()
        .unwrap()
        .contains("enintään 20"));

    // One specialist, one week: s2 met one employer (20.11) with one job seeker searching,
    // so the target is 2 per week, and 1 scores 3 (it would score 1 against 6).
    let r = admin
        .get(&format!(
            "/api/v1/fidelity?from=2026-11-16&to=2026-11-22&specialist_id={}",
            s2.user_id
        ))
        .await;
    assert_eq!(
        items(&r.json)["employer_contacts_per_week"]["value"].as_f64(),
        Some(1.0)
    );
    assert_eq!(
        items(&r.json)["employer_contacts_per_week"]["score"].as_u64(),
        Some(3)
    );
    // The team (everyone here is in "Tiimi") gives the same as the organisation.
    let team = s1.get("/api/v1/me").await.json["team_id"]
        .as_i64()
        .expect("team id");
    let t = admin
        .get(&format!(
            "/api/v1/fidelity?from=2026-11-02&to=2026-11-29&team_id={team}"
        ))
        .await;
    assert_eq!(items(&t.json)["caseload"]["value"].as_f64(), Some(3.0));
    // Bad input.
    let bad = admin
        .get(&format!(
            "/api/v1/fidelity?from=2026-12-01&to=2026-11-01&team_id={team}&specialist_id=1"
        ))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(bad.json["errors"]["team_id"].is_array());
    // Another organisation sees none of it, even by guessing ids.
    assert_eq!(
        stranger
            .get(&format!("/api/v1/fidelity?specialist_id={}", s1.user_id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger
            .get(&format!("/api/v1/fidelity?team_id={team}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let theirs = stranger
        .get("/api/v1/fidelity?from=2026-11-02&to=2026-11-29")
        .await;
    assert_eq!(
        items(&theirs.json)["employer_contacts_per_week"]["detail"]["face_to_face"],
        0
    );
    assert!(items(&theirs.json)["competitive_jobs"]["value"].is_null());

    // The page: every figure with its score, charts that are well-formed SVG, and exports
    // that name no job seeker.
    let mut b = app.browser();
    b.login("admin@a.fi", crate::helpers::PASSWORD).await;
    let page = b
        .get("/fidelity?from=2026-11-02&to=2026-11-29&scope=org")
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("id=\"item-follow_along\""));
    assert!(
        page.text
            .contains("<span class=\"fscore fscore-5\">5</span>"),
        "rapid job search scores 5"
    );
    let svgs: Vec<&str> = page
        .text
        .split("<svg")
        .skip(1)
        .map(|s| s.split("</svg>").next().unwrap())
        .collect();
    assert_eq!(svgs.len(), 4, "three fidelity charts and job starts");
    assert_eq!(
        page.text.matches("fidelity-table chart-table").count(),
        3,
        "a table of the numbers beside each fidelity chart"
    );
    for s in &svgs {
        assert!(
            s.contains("<title") && s.contains("<desc"),
            "accessible title and description"
        );
        crate::fidelity_xml::well_formed(&format!("<svg{s}</svg>"));
    }
    let csv = b
        .get("/fidelity.csv?from=2026-11-02&to=2026-11-29&scope=org")
        .await;
    assert!(csv.content_type.starts_with("text/csv"));
    assert!(
        csv.text.contains("\"caseload\",") && csv.text.contains(",3,5,"),
        "{}",
        csv.text
    );
    let log = b
        .get("/fidelity/contact-log.csv?from=2026-11-02&to=2026-11-29&scope=org")
        .await;
    assert_eq!(
        log.text.lines().count(),
        7,
        "a header and six contacts: {}",
        log.text
    );
    assert!(log.text.contains(&format!("J-{c1}")), "{}", log.text);
    for t in [&csv.text, &log.text] {
        assert!(!t.contains("Salainen"), "no job seeker names in exports");
    }
    let mine = b
        .get(&format!(
            "/fidelity/contact-log.csv?from=2026-11-02&to=2026-11-29&scope=user:{}",
            s2.user_id
        ))
        .await;
    assert_eq!(mine.text.lines().count(), 3, "{}", mine.text);

    // A review pack: made by the team lead or admin, read without an account, no names.
    assert_eq!(
        s1.post(
            "/api/v1/review-packs",
            json!({"from": "2026-11-02", "to": "2026-11-29"})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let bad = admin
        .post(
            "/api/v1/review-packs",
            json!({"from": "2026-11-02", "to": "2026-11-29", "days_valid": 365}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        stranger
            .post("/api/v1/review-packs", json!({"team_id": team}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let pack = admin
        .post(
            "/api/v1/review-packs",
            json!({"from": "2026-11-02", "to": "2026-11-29", "days_valid": 7}),
        )
        .await;
    assert_eq!(pack.status, StatusCode::CREATED, "{}", pack.text);
    let url = pack.json["url"].as_str().unwrap().to_string();
    let path = &url[url.find("/review/").unwrap()..];
    let anonymous = app.browser();
    let mut anonymous = anonymous;
    let rp = anonymous.get(path).await;
    assert_eq!(rp.status, StatusCode::OK, "{}", rp.text);
    assert!(rp.text.contains("id=\"item-caseload\"") && rp.text.contains("E1 Kauppa"));
    assert!(
        rp.text.contains(&format!("J-{c1}")),
        "pseudonymous ids in the log"
    );
    assert!(
        !rp.text.contains("Salainen"),
        "no job seeker names in the review pack"
    );
    assert_eq!(rp.text.matches("<svg").count(), 4);
    // The lead sees the link on the fidelity page; revoked or expired, it stops working.
    let page = b
        .get("/fidelity?from=2026-11-02&to=2026-11-29&scope=org")
        .await;
    assert!(page.text.contains(path), "the link is listed");
    let id = pack.json["pack"]["id"].as_i64().unwrap();
    assert_eq!(
        stranger
            .delete(&format!("/api/v1/review-packs/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    app.clock.set(utc("2026-12-08 08:00"));
    assert_eq!(
        anonymous.get(path).await.status,
        StatusCode::NOT_FOUND,
        "expired"
    );
    app.clock.set(utc("2026-11-30 08:00"));
    assert_eq!(anonymous.get(path).await.status, StatusCode::OK);
    assert_eq!(
        admin
            .delete(&format!("/api/v1/review-packs/{id}"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        anonymous.get(path).await.status,
        StatusCode::NOT_FOUND,
        "revoked"
    );

    // The scores follow the configuration: a caseload of 3 scores 3 when 2 is the top.
    let settings = TestApp::settings_with_mail(
        &app.url,
        "[fidelity]\ncaseload = [2.0, 2.5, 3.0, 4.0]\n[mail]\ntransport = \"file\"\nfile_dir = \"target/test-mail\"\npoll_seconds = 0\n",
    );
    let (pool, _) = placefirst::app::open_database(&settings).unwrap();
    let other = Application::build_with(settings, pool, app.clock.clone()).unwrap();
    let base = format!("http://127.0.0.1:{}", other.port);
    actix_web::rt::spawn(other.into_server());
    let strict = Api::with_token(&base, admin.token.as_deref().unwrap());
    let r = strict
        .get("/api/v1/fidelity?from=2026-11-02&to=2026-11-29")
        .await;
    assert_eq!(
        items(&r.json)["caseload"]["score"].as_u64(),
        Some(3),
        "{}",
        r.text
    );
}

/// Period 1.9.–30.11.2026. o1 (intake 10.1.) works from 1.3., 20 h; o2 (1.2.) worked
/// 1.10.–20.10., 35 h; o3 (1.3.) is searching; o4 (1.11.) exploring; o5 (1.6.2025) closed;
/// o6 (1.5.) works from 10.11., hours not recorded.
async fn outcomes_on_a_hand_built_list(app: TestApp) {
    app.clock.set(utc("2026-11-30 08:00"));
    let s1 = app.user("Org A", "s1@a.fi", Role::Specialist);
    let e = id_of(
        s1.post("/api/v1/employers", json!({"name": "Työpaikka Oy"}))
            .await,
    )
    .await;
    let new = |name: &'static str, intake: &'static str, status: &'static str| {
        s1.post(
            "/api/v1/clients",
            json!({"consent_to_contact_employers": true, "display_name": name, "intake_date": intake, "status": status}),
        )
    };
    let o1 = id_of(new("o1", "2026-01-10", "job_search").await).await;
    let o2 = id_of(new("o2", "2026-02-01", "job_search").await).await;
    id_of(new("o3", "2026-03-01", "job_search").await).await;
    id_of(new("o4", "2026-11-01", "exploring").await).await;
    id_of(new("o5", "2025-06-01", "closed").await).await;
    let o6 = id_of(new("o6", "2026-05-01", "job_search").await).await;
    for body in [
        json!({"client_id": o1, "employer_id": e, "job_title": "Myyjä", "starts_on": "2026-03-01", "hours_per_week": 20}),
        json!({"client_id": o2, "employer_id": e, "job_title": "Kokki", "starts_on": "2026-10-01", "ends_on": "2026-10-20", "end_reason": "other", "hours_per_week": 35}),
        json!({"client_id": o6, "employer_id": e, "job_title": "Siivooja", "starts_on": "2026-11-10"}),
    ] {
        let r = s1.post("/api/v1/placements", body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let r = s1
        .get("/api/v1/outcomes?from=2026-09-01&to=2026-11-30")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let o = &r.json;
    assert_eq!(
        o["months"],
        json!([
            {"month": "2026-09", "job_starts": 0, "working_at_end": 1},
            {"month": "2026-10", "job_starts": 1, "working_at_end": 1},
            {"month": "2026-11", "job_starts": 1, "working_at_end": 2},
        ])
    );
    // Intake at least 6 months before 30.11.: o1, o2, o3, o5, o6; only o1 found a job in time.
    assert_eq!(
        o["job_within_6_months"],
        json!({"people": 5, "got_a_job": 1, "share": 0.2})
    );
    assert_eq!(
        o["job_within_12_months"],
        json!({"people": 1, "got_a_job": 0, "share": 0.0})
    );
    assert_eq!(
        (
            o["jobs_started_90_days_ago"].as_u64(),
            o["jobs_lasting_90_days"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(o["hours"], json!({"20_29": 1, "unknown": 1}));
    assert_eq!(
        o["statuses"],
        json!({"closed": 1, "exploring": 1, "job_search": 2, "working": 2})
    );
}
