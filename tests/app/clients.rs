//! Job seekers, vocational profiles, matching both ways, proposals, placements,
//! follow-along support and rapid job search.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::{json, Value};

use crate::helpers::{utc, Api, TestApp};
use crate::on_both_databases;

on_both_databases!(
    clients_profiles_and_history,
    matching_both_ways_for_the_whole_team,
    proposals_move_the_lead_and_a_placement_closes_the_loop,
    rapid_job_search_on_fixed_dates,
    clients_are_isolated_between_organisations,
    no_employer_hears_of_a_job_seeker_without_their_consent,
);

async fn client(api: &Api, name: &str) -> i64 {
    let r = api.post("/api/v1/clients", json!({"display_name": name, "intake_date": "2026-10-01", "status": "job_search", "consent_to_contact_employers": true})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json["id"].as_i64().unwrap()
}

async fn lead_status(api: &Api, lead: i64) -> String {
    api.get(&format!("/api/v1/leads/{lead}")).await.json["status"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn clients_profiles_and_history(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let id = client(&api, "M. K.").await;
    let c = api.get(&format!("/api/v1/clients/{id}")).await;
    assert_eq!(c.json["display_name"], "M. K.");
    assert_eq!(c.json["specialist_id"], api.user_id);
    assert_eq!(c.json["disclosure"], "none");
    let bad = api.post("/api/v1/clients", json!({"display_name": "", "status": "sleeping", "intake_date": "2027-01-01", "disclosure": "some"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["display_name", "status", "intake_date", "disclosure"] {
        assert!(bad.json["errors"][f].is_array(), "{f}: {}", bad.text);
    }
    let bad = api
        .post(
            "/api/v1/clients",
            json!({"display_name": "X", "diagnosis": "F20"}),
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no such field is accepted"
    );
    assert_eq!(
        api.get("/api/v1/clients").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Profile versions.
    let v1 = api.put(&format!("/api/v1/clients/{id}/profile"), json!({"occupations": ["5132"], "job_wishes": "kahvila", "hours_min": 15, "hours_max": 25, "days": ["mon", "tue"], "shifts": ["day"], "home_municipality_code": "837", "max_commute_km": 20, "strengths": "Täsmällinen"})).await;
    assert_eq!(v1.status, StatusCode::OK, "{}", v1.text);
    assert_eq!(v1.json["version"], 1);
    let v2 = api.put(&format!("/api/v1/clients/{id}/profile"), json!({"occupations": ["5132", "9412"], "job_wishes": "kahvila tai keittiö", "hours_min": 15, "hours_max": 30, "shifts": ["day", "evening"], "home_municipality_code": "837", "max_commute_km": 20})).await;
    assert_eq!(v2.json["version"], 2);
    let same = api.put(&format!("/api/v1/clients/{id}/profile"), json!({"occupations": ["5132", "9412"], "job_wishes": "kahvila tai keittiö", "hours_min": 15, "hours_max": 30, "shifts": ["day", "evening"], "home_municipality_code": "837", "max_commute_km": 20})).await;
    assert_eq!(
        same.json["version"], 2,
        "an unchanged profile is no new version"
    );
    let bad = api
        .put(
            &format!("/api/v1/clients/{id}/profile"),
            json!({"occupations": ["99"], "hours_min": 40, "hours_max": 10, "days": ["someday"]}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["occupations", "hours_max", "days"] {
        assert!(bad.json["errors"][f].is_array(), "{f}: {}", bad.text);
    }
    let current = api.get(&format!("/api/v1/clients/{id}/profile")).await;
    assert_eq!(current.json["version"], 2);
    assert_eq!(current.json["hours_max"], 30);
    let history = api
        .get(&format!("/api/v1/clients/{id}/profile/history"))
        .await;
    let versions = history.json["items"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1]["version"], 1);
    assert_eq!(
        versions[1]["profile"]["hours_max"], 25,
        "the older version is kept"
    );
    assert_eq!(versions[1]["profile"]["strengths"], "Täsmällinen");
    // Caseload.
    let load = api.get("/api/v1/caseload").await;
    assert_eq!(load.json["items"][0]["active"], 1);
    assert_eq!(load.json["items"][0]["over_limit"], false);
}

fn shares_add_up(m: &Value) {
    let sum: f64 = m["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["share"].as_f64().unwrap())
        .sum();
    assert!((sum - m["score"].as_f64().unwrap()).abs() < 0.051, "{m}");
    assert!(m["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| !r["text"].as_str().unwrap().is_empty()));
}

async fn matching_both_ways_for_the_whole_team(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let mut me = app.user("Org A", "a@a.fi", Role::Specialist);
    let colleague = app.user("Org A", "b@a.fi", Role::Specialist);
    let stranger = app.user("Org B", "x@b.fi", Role::Specialist);
    me.lang = Some("en");
    let seeker = client(&me, "J. S.").await;
    me.put(&format!("/api/v1/clients/{seeker}/profile"), json!({"occupations": ["5132"], "hours_min": 15, "hours_max": 25, "shifts": ["day"], "home_municipality_code": "837", "max_commute_km": 20})).await;
    let cafe = colleague.post("/api/v1/employers", json!({"name": "Kahvila", "municipality_code": "837", "industry": "I", "stage": "hiring_partner"})).await.json["id"].as_i64().unwrap();
    let far = colleague
        .post(
            "/api/v1/employers",
            json!({"name": "Helsingin kahvila", "municipality_code": "091"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    // Found by a colleague: shared with the whole team.
    let good = colleague.post("/api/v1/leads", json!({"employer_id": cafe, "title": "Barista", "isco_code": "5132", "hours_min": 20, "hours_max": 20, "schedule": {"shifts": ["day"]}})).await.json["id"].as_i64().unwrap();
    let kitchen = colleague.post("/api/v1/leads", json!({"employer_id": cafe, "title": "Keittiö", "isco_code": "9412", "hours_min": 20, "hours_max": 20})).await.json["id"].as_i64().unwrap();
    let evening = colleague.post("/api/v1/leads", json!({"employer_id": cafe, "title": "Iltabarista", "isco_code": "5132", "schedule": {"shifts": ["evening"]}})).await.json["id"].as_i64().unwrap();
    let distant = colleague
        .post(
            "/api/v1/leads",
            json!({"employer_id": far, "title": "Barista", "isco_code": "5132"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let other_org_emp = stranger
        .post(
            "/api/v1/employers",
            json!({"name": "B:n kahvila", "municipality_code": "837"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    stranger
        .post(
            "/api/v1/leads",
            json!({"employer_id": other_org_emp, "title": "Barista", "isco_code": "5132"}),
        )
        .await;
    let r = me.get(&format!("/api/v1/clients/{seeker}/matches")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let items = r.json["items"].as_array().unwrap();
    let ids: Vec<i64> = items
        .iter()
        .map(|m| m["lead_id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ids,
        vec![good],
        "kitchen work is not an occupation they named: below the cut-off"
    );
    let r = me
        .get(&format!("/api/v1/clients/{seeker}/matches?min_score=0"))
        .await;
    let items = r.json["items"].as_array().unwrap();
    let ids: Vec<i64> = items
        .iter()
        .map(|m| m["lead_id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ids,
        vec![good, kitchen],
        "no cut-off: evening and distant work still excluded, other organisations unseen"
    );
    assert!(!ids.contains(&evening) && !ids.contains(&distant));
    for bad in ["abc", "-1", "101"] {
        let r = me
            .get(&format!("/api/v1/clients/{seeker}/matches?min_score={bad}"))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(r.json["errors"]["min_score"].is_array(), "{}", r.text);
    }
    for m in items {
        shares_add_up(m);
    }
    assert!(items[0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["kind"] == "fits"
            && x["code"] == "occupation_unit"
            && x["text"].as_str().unwrap().contains("occupation")));
    // Paging.
    let p1 = me
        .get(&format!(
            "/api/v1/clients/{seeker}/matches?limit=1&min_score=0"
        ))
        .await;
    assert_eq!(p1.json["items"].as_array().unwrap().len(), 1);
    let p2 = me
        .get(&format!(
            "/api/v1/clients/{seeker}/matches?limit=1&min_score=0&cursor={}",
            p1.json["next"].as_str().unwrap()
        ))
        .await;
    assert_eq!(p2.json["items"][0]["lead_id"], kitchen);
    assert!(p2.json["next"].is_null());
    // The other way round, and a change of preference changes the ranking.
    let r = colleague
        .get(&format!("/api/v1/leads/{evening}/matches"))
        .await;
    assert_eq!(r.json["items"].as_array().unwrap().len(), 0);
    me.put(&format!("/api/v1/clients/{seeker}/profile"), json!({"occupations": ["9412"], "hours_min": 15, "hours_max": 25, "shifts": ["day", "evening"], "home_municipality_code": "837", "max_commute_km": 20})).await;
    let r = colleague
        .get(&format!("/api/v1/leads/{evening}/matches?min_score=0"))
        .await;
    assert_eq!(r.json["items"][0]["client_id"], seeker);
    assert_eq!(
        r.json["items"][0]["specialist_name"], "a@a.fi",
        "whose job seeker it is"
    );
    let ids = |r: crate::helpers::Resp| -> Vec<i64> {
        r.json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["lead_id"].as_i64().unwrap())
            .collect()
    };
    let listed = ids(me.get(&format!("/api/v1/clients/{seeker}/matches")).await);
    assert_eq!(listed[0], kitchen, "kitchen work wished now");
    assert!(!listed.contains(&good), "barista work is no longer wished");
    let all = ids(me
        .get(&format!("/api/v1/clients/{seeker}/matches?min_score=0"))
        .await);
    assert!(all.contains(&evening) && all.contains(&good));
    // Matches follow the leads at once (the in-memory copy notices changes).
    let newer = colleague.post("/api/v1/leads", json!({"employer_id": cafe, "title": "Keittiöapulainen", "isco_code": "9412", "hours_min": 20, "hours_max": 20})).await.json["id"].as_i64().unwrap();
    let lead_ids = |r: crate::helpers::Resp| -> Vec<i64> {
        r.json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["lead_id"].as_i64().unwrap())
            .collect()
    };
    assert!(lead_ids(me.get(&format!("/api/v1/clients/{seeker}/matches")).await).contains(&newer));
    colleague
        .patch(
            &format!("/api/v1/leads/{newer}"),
            json!({"status": "withdrawn"}),
        )
        .await;
    assert!(
        !lead_ids(me.get(&format!("/api/v1/clients/{seeker}/matches")).await).contains(&newer),
        "a withdrawn lead is no match"
    );
    assert_eq!(
        stranger
            .get(&format!("/api/v1/clients/{seeker}/matches"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger
            .get(&format!("/api/v1/leads/{good}/matches"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn proposals_move_the_lead_and_a_placement_closes_the_loop(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let seeker = client(&api, "A. B.").await;
    let other = client(&api, "C. D.").await;
    let e = api
        .post("/api/v1/employers", json!({"name": "Varasto Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let lead = api
        .post(
            "/api/v1/leads",
            json!({"employer_id": e, "title": "Varastotyöntekijä", "isco_code": "9333"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let p = api
        .post(
            "/api/v1/proposals",
            json!({"lead_id": lead, "client_id": seeker}),
        )
        .await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text);
    let pid = p.json["id"].as_i64().unwrap();
    assert_eq!(lead_status(&api, lead).await, "candidates_proposed");
    assert_eq!(
        api.post(
            "/api/v1/proposals",
            json!({"lead_id": lead, "client_id": seeker})
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    let q = api
        .post(
            "/api/v1/proposals",
            json!({"lead_id": lead, "client_id": other}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    api.patch(
        &format!("/api/v1/proposals/{q}"),
        json!({"status": "not_interested", "reason": "Liian kaukana"}),
    )
    .await;
    assert_eq!(lead_status(&api, lead).await, "candidates_proposed");
    let r = api
        .patch(
            &format!("/api/v1/proposals/{pid}"),
            json!({"status": "interview"}),
        )
        .await;
    assert_eq!(r.json["status"], "interview");
    assert_eq!(lead_status(&api, lead).await, "interviewing");
    assert_eq!(
        api.patch(
            &format!("/api/v1/proposals/{pid}"),
            json!({"status": "maybe"})
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    api.patch(
        &format!("/api/v1/proposals/{pid}"),
        json!({"status": "hired"}),
    )
    .await;
    assert_eq!(lead_status(&api, lead).await, "filled_by_us");
    assert_eq!(
        api.get(&format!("/api/v1/clients/{seeker}/proposals"))
            .await
            .json["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The placement.
    let bad = api.post("/api/v1/placements", json!({"client_id": seeker, "employer_id": e, "job_title": "", "starts_on": "2026-12-01", "ends_on": "2026-11-01", "employment_type": "gig"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["job_title", "ends_on", "employment_type"] {
        assert!(bad.json["errors"][f].is_array(), "{f}: {}", bad.text);
    }
    let pl = api
        .post("/api/v1/placements", json!({"client_id": seeker, "employer_id": e, "lead_id": lead, "job_title": "Varastotyöntekijä", "isco_code": "9333", "hours_per_week": 20, "starts_on": "2026-12-01", "employment_type": "permanent", "competitive": true, "disclosure": "general"}))
        .await;
    assert_eq!(pl.status, StatusCode::CREATED, "{}", pl.text);
    assert_eq!(pl.json["profile_update_requested"], true);
    let plid = pl.json["id"].as_i64().unwrap();
    assert_eq!(
        api.get(&format!("/api/v1/clients/{seeker}")).await.json["status"],
        "working"
    );
    // Follow-along: the employer only with consent; weekly in the first month.
    api.patch(
        &format!("/api/v1/clients/{seeker}"),
        json!({"consent_to_contact_employers": false}),
    )
    .await;
    let r = api
        .post(
            &format!("/api/v1/placements/{plid}/support"),
            json!({"occurred_on": "2026-12-02", "with_whom": "employer"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    api.patch(
        &format!("/api/v1/clients/{seeker}"),
        json!({"consent_to_contact_employers": true}),
    )
    .await;
    assert_eq!(
        api.post(
            &format!("/api/v1/placements/{plid}/support"),
            json!({"occurred_on": "2026-12-02", "with_whom": "employer", "channel": "phone"})
        )
        .await
        .status,
        StatusCode::CREATED
    );
    for day in ["2026-11-28", "2026-12-03", "2026-12-10", "2026-12-24"] {
        let r = api
            .post(
                &format!("/api/v1/placements/{plid}/support"),
                json!({"occurred_on": day, "with_whom": "worker", "channel": "in_person"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let s = api.get(&format!("/api/v1/placements/{plid}/support")).await;
    assert_eq!(s.json["seen_around_start"], true);
    assert_eq!(
        s.json["first_month_weeks_with_contact"], 3,
        "weeks 1, 2 and 4"
    );
    assert_eq!(s.json["contacts"].as_array().unwrap().len(), 5);
    let listed = api
        .get(&format!("/api/v1/placements?client_id={seeker}"))
        .await;
    assert_eq!(listed.json["items"][0]["disclosure"], "general");
}

async fn rapid_job_search_on_fixed_dates(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let seeker = client(&api, "R. J.").await; // intake 2026-10-01
    assert!(
        api.get(&format!("/api/v1/clients/{seeker}")).await.json["rapid_job_search_days"].is_null()
    );
    let e = api
        .post("/api/v1/employers", json!({"name": "Nopea Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    // A phone call on their behalf does not count; the visit on 21 October does.
    api.post("/api/v1/outreach", json!({"employer_id": e, "occurred_at": "2026-10-15T10:00", "channel": "phone", "client_ids": [seeker]})).await;
    let r = api.post("/api/v1/outreach", json!({"employer_id": e, "occurred_at": "2026-10-21T10:00", "client_ids": [seeker], "client_present": true})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["on_behalf_of"], "clients");
    assert_eq!(r.json["client_ids"], json!([seeker]));
    let c = api.get(&format!("/api/v1/clients/{seeker}")).await;
    assert_eq!(c.json["first_employer_contact_on"], "2026-10-21");
    assert_eq!(c.json["rapid_job_search_days"], 20);
    // Their own earlier contact, recorded, counts first.
    api.patch(
        &format!("/api/v1/clients/{seeker}"),
        json!({"own_first_employer_contact_on": "2026-10-11"}),
    )
    .await;
    assert_eq!(
        api.get(&format!("/api/v1/clients/{seeker}")).await.json["rapid_job_search_days"],
        10
    );
    let contacts = api.get(&format!("/api/v1/clients/{seeker}/contacts")).await;
    assert_eq!(
        contacts.json["items"].as_array().unwrap().len(),
        2,
        "the job seeker's page lists them"
    );
    let bad = api
        .post(
            "/api/v1/outreach",
            json!({"employer_id": e, "client_ids": [999999]}),
        )
        .await;
    assert!(
        bad.json["errors"]["client_ids.0"].is_array(),
        "{}",
        bad.text
    );
}

async fn clients_are_isolated_between_organisations(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let a = app.user("Org A", "a@a.fi", Role::Specialist);
    let b = app.user("Org B", "b@b.fi", Role::Specialist);
    let seeker = client(&a, "Salainen").await;
    a.put(
        &format!("/api/v1/clients/{seeker}/profile"),
        json!({"job_wishes": "salainen toive"}),
    )
    .await;
    let e = a
        .post("/api/v1/employers", json!({"name": "A Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let lead = a
        .post("/api/v1/leads", json!({"employer_id": e, "title": "Työ"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let prop = a
        .post(
            "/api/v1/proposals",
            json!({"lead_id": lead, "client_id": seeker}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let pl = a.post("/api/v1/placements", json!({"client_id": seeker, "employer_id": e, "job_title": "Työ", "starts_on": "2026-12-01"})).await.json["id"].as_i64().unwrap();
    for path in [
        format!("/api/v1/clients/{seeker}"),
        format!("/api/v1/clients/{seeker}/profile"),
        format!("/api/v1/clients/{seeker}/profile/history"),
        format!("/api/v1/clients/{seeker}/matches"),
        format!("/api/v1/clients/{seeker}/proposals"),
        format!("/api/v1/clients/{seeker}/contacts"),
        format!("/api/v1/placements/{pl}"),
        format!("/api/v1/placements/{pl}/support"),
    ] {
        let r = b.get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.text.contains("alainen"), "{path} leaks");
    }
    assert_eq!(
        b.patch(
            &format!("/api/v1/clients/{seeker}"),
            json!({"display_name": "B"})
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.put(&format!("/api/v1/clients/{seeker}/profile"), json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.patch(
            &format!("/api/v1/proposals/{prop}"),
            json!({"status": "hired"})
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.patch(
            &format!("/api/v1/placements/{pl}"),
            json!({"job_title": "B"})
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.post(
            &format!("/api/v1/placements/{pl}/support"),
            json!({"occurred_on": "2026-12-01"})
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let own = client(&b, "B:n").await;
    let r = b
        .post(
            "/api/v1/proposals",
            json!({"lead_id": lead, "client_id": own}),
        )
        .await;
    assert!(r.json["errors"]["lead_id"].is_array());
    let r = b.post("/api/v1/placements", json!({"client_id": seeker, "employer_id": e, "job_title": "X", "starts_on": "2026-12-01"})).await;
    assert!(r.json["errors"]["client_id"].is_array() && r.json["errors"]["employer_id"].is_array());
    assert_eq!(
        b.get("/api/v1/clients").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        b.get(&format!("/api/v1/placements?client_id={seeker}"))
            .await
            .json["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        a.get(&format!("/api/v1/clients/{seeker}")).await.json["display_name"],
        "Salainen"
    );
}

/// Issue 14 (GDPR): a contact about a job seeker, or proposing them for a job, needs
/// their consent to contact employers; refused with a clear message, nothing stored. An
/// entry made while they agreed stays editable after they withdraw.
async fn no_employer_hears_of_a_job_seeker_without_their_consent(app: TestApp) {
    let mut api = app.user("Org A", "a@a.fi", Role::Specialist);
    api.lang = Some("en");
    let e = api
        .post("/api/v1/employers", json!({"name": "Kahvila Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let ok = client(&api, "Suostuu").await;
    let r = api.post("/api/v1/clients", json!({"display_name": "Ei lupaa", "intake_date": "2026-10-01", "status": "job_search"})).await;
    let no = r.json["id"].as_i64().unwrap();
    assert_eq!(r.json["consent_to_contact_employers"], false, "{}", r.text);
    let r = api
        .post(
            "/api/v1/outreach",
            json!({"employer_id": e, "on_behalf_of": "clients", "client_ids": [ok, no]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let fields: Vec<&String> = r.json["errors"].as_object().unwrap().keys().collect();
    assert_eq!(fields, ["client_ids.1"], "{}", r.text);
    assert!(
        r.json["errors"]["client_ids.1"][0]
            .as_str()
            .unwrap()
            .contains("has not agreed"),
        "{}",
        r.text
    );
    let lead = api
        .post("/api/v1/leads", json!({"employer_id": e, "title": "Kokki"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let r = api
        .post(
            "/api/v1/proposals",
            json!({"lead_id": lead, "client_id": no}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.json["errors"]["client_id"].is_array(), "{}", r.text);
    let log = api.get(&format!("/api/v1/clients/{no}/contacts")).await;
    assert_eq!(
        log.json["items"].as_array().map(Vec::len),
        Some(0),
        "{}",
        log.text
    );
    // On the page, the same refusal beside the job seeker field.
    let mut b = app.browser();
    b.login("a@a.fi", crate::helpers::PASSWORD).await;
    let form = b
        .post(
            "/outreach",
            &[
                ("employer_id", &e.to_string()),
                ("channel", "in_person"),
                ("purpose", "present_job_seeker"),
                ("client_id", &no.to_string()),
            ],
        )
        .await;
    assert_eq!(
        form.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        form.text
    );
    assert!(form.text.contains("client_id-error"), "{}", form.text);
    let r = b
        .post(
            &format!("/clients/{no}/propose"),
            &[("lead_id", &lead.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let shown = b.get(&format!("/clients/{no}")).await;
    assert!(
        shown.text.contains("ei ole antanut lupaa") || shown.text.contains("has not agreed"),
        "{}",
        shown.text
    );
    // With consent it goes through; withdrawn later, the entry can still be corrected.
    api.patch(
        &format!("/api/v1/clients/{no}"),
        json!({"consent_to_contact_employers": true}),
    )
    .await;
    let r = api
        .post(
            "/api/v1/outreach",
            json!({"employer_id": e, "on_behalf_of": "clients", "client_ids": [no]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let entry = r.json["id"].as_i64().unwrap();
    api.patch(
        &format!("/api/v1/clients/{no}"),
        json!({"consent_to_contact_employers": false}),
    )
    .await;
    let r = api
        .patch(
            &format!("/api/v1/outreach/{entry}"),
            json!({"learned": "Tarvitsevat kokin"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}
