//! Job seeker pages: forms, profile versions, matches with reasons, proposals, job starts.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::json;

use crate::helpers::{utc, TestApp, PASSWORD};
use crate::on_both_databases;

/// The profile the job seeker walk saves first, and returns to.
const BARTENDER: &[(&str, &str)] = &[
    ("occupations", "5132 Bartenders"),
    ("hours_min", "15"),
    ("hours_max", "25"),
    ("home_municipality_code", "837"),
    ("max_commute_km", "20"),
    ("shift_day", "on"),
    ("strengths", "Ystävällinen"),
];

on_both_databases!(
    job_seeker_pages_from_entry_to_job_start,
    job_seeker_pages_are_isolated
);

async fn job_seeker_pages_from_entry_to_job_start(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let e = api
        .post(
            "/api/v1/employers",
            json!({"name": "Kahvila Oy", "municipality_code": "837", "stage": "active"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let lead = api.post("/api/v1/leads", json!({"employer_id": e, "title": "Barista", "isco_code": "5132", "hours_min": 20, "hours_max": 20})).await.json["id"].as_i64().unwrap();
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;
    let bad = b
        .post(
            "/clients",
            &[("display_name", ""), ("intake_date", "2026-10-01")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("id=\"display_name-error\""));
    let r = b
        .post(
            "/clients",
            &[
                ("display_name", "T. V."),
                ("intake_date", "2026-10-01"),
                ("status", "job_search"),
                ("consent_to_contact_employers", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let loc = r.location.unwrap();
    let id: i64 = loc.rsplit('/').next().unwrap().parse().unwrap();
    // Profile: a bad value comes back by the field, then a good one is version 1.
    let bad = b
        .post(
            &format!("/clients/{id}/profile"),
            &[
                ("occupations", "12"),
                ("hours_min", "30"),
                ("hours_max", "10"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text.contains("id=\"occupations-error\"")
            && bad.text.contains("id=\"hours_max-error\"")
    );
    let r = b.post(&format!("/clients/{id}/profile"), BARTENDER).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let p = api.get(&format!("/api/v1/clients/{id}/profile")).await;
    assert_eq!(p.json["version"], 1);
    assert_eq!(p.json["occupations"], json!(["5132"]));
    assert_eq!(p.json["shifts"], json!(["day"]));
    // Occupations by Finnish job titles, industries by name (ticks), several
    // acceptable municipalities by name; shown back in words, not codes and letters.
    let r = b
        .post(
            &format!("/clients/{id}/profile"),
            &[
                ("occupations", "siivooja, kokki"),
                ("work_municipality_codes", "Nokia, Ylöjärvi"),
                ("iw_I", "on"),
                ("ia_C", "on"),
                ("hours_min", "15"),
                ("hours_max", "25"),
                ("home_municipality_code", "837"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let p = api.get(&format!("/api/v1/clients/{id}/profile")).await;
    assert_eq!(p.json["occupations"], json!(["9112", "5120"]), "{}", p.text);
    assert_eq!(p.json["work_municipality_codes"], json!(["536", "980"]));
    assert_eq!(p.json["industries_wanted"], json!(["I"]));
    assert_eq!(p.json["industries_avoided"], json!(["C"]));
    let form = b.get(&format!("/clients/{id}/profile")).await;
    assert!(
        form.text.contains(
            "value=\"9112 Toimistojen, hotellien ja muiden tilojen siivoojat; 5120 Kokit\""
        ),
        "{}",
        form.text
    );
    assert!(form.text.contains("value=\"Nokia, Ylöjärvi\""));
    // The job seeker's page says the same in words.
    let show = b.get(&format!("/clients/{id}")).await;
    assert!(
        show.text.contains("<dd>Nokia, Ylöjärvi</dd>"),
        "{}",
        show.text
    );
    assert!(form.text.contains(r#"name="iw_I" value="on" checked"#));
    let bad = b
        .post(
            &format!("/clients/{id}/profile"),
            &[
                ("occupations", "kukkaruukku"),
                ("work_municipality_codes", "Atlantis"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text.contains("”kukkaruukku” ei ole tuntemamme ammatti"),
        "{}",
        bad.text
    );
    assert!(
        bad.text
            .contains("”Atlantis” ei ole tuntemamme Suomen kunta"),
        "{}",
        bad.text
    );
    // Back to what the rest of this walk expects.
    b.post(&format!("/clients/{id}/profile"), BARTENDER).await;
    b.post(
        &format!("/clients/{id}/profile"),
        &[
            ("occupations", "5132"),
            ("hours_min", "15"),
            ("hours_max", "30"),
            ("home_municipality_code", "837"),
            ("shift_day", "on"),
        ],
    )
    .await;
    let form = b.get(&format!("/clients/{id}/profile")).await;
    assert!(
        form.text.contains("v1 ·") && form.text.contains("v2 ·"),
        "both versions listed"
    );
    // The page shows the match with its reasons; propose it.
    let page = b.get(&format!("/clients/{id}")).await;
    assert!(
        page.text.contains("Barista") && page.text.contains("class=\"fits\""),
        "{}",
        &page.text[..page.text.len().min(4000)]
    );
    let r = b
        .post(
            &format!("/clients/{id}/propose"),
            &[("lead_id", &lead.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        api.get(&format!("/api/v1/leads/{lead}")).await.json["status"],
        "candidates_proposed"
    );
    let pid = api
        .get(&format!("/api/v1/clients/{id}/proposals"))
        .await
        .json["items"][0]["id"]
        .as_i64()
        .unwrap();
    b.post(
        &format!("/proposals/{pid}"),
        &[("status", "hired"), ("reason", "")],
    )
    .await;
    assert_eq!(
        api.get(&format!("/api/v1/leads/{lead}")).await.json["status"],
        "filled_by_us"
    );
    // The job start, from the lead; then the profile asks for an update.
    let form = b
        .get(&format!("/placements/new?client_id={id}&lead_id={lead}"))
        .await;
    assert!(form.text.contains("value=\"Barista\""));
    let r = b
        .post(
            "/placements",
            &[
                ("client_id", &id.to_string()),
                ("employer_id", &e.to_string()),
                ("lead_id", &lead.to_string()),
                ("job_title", "Barista"),
                ("isco_code", "5132"),
                ("hours_per_week", "20"),
                ("starts_on", "2026-12-01"),
                ("employment_type", "permanent"),
                ("competitive", "on"),
                ("disclosure", "general"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/clients/{id}/profile").as_str())
    );
    assert_eq!(
        api.get(&format!("/api/v1/clients/{id}")).await.json["status"],
        "working"
    );
    let plid = api
        .get(&format!("/api/v1/placements?client_id={id}"))
        .await
        .json["items"][0]["id"]
        .as_i64()
        .unwrap();
    b.post(
        &format!("/placements/{plid}/support"),
        &[
            ("occurred_on", "2026-12-02"),
            ("with_whom", "worker"),
            ("channel", "in_person"),
        ],
    )
    .await;
    let page = b.get(&format!("/clients/{id}")).await;
    assert!(page.text.contains("✓"), "seen around the start");
    let list = b.get("/clients").await;
    assert!(list.text.contains("T. V."));
}

async fn job_seeker_pages_are_isolated(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let a = app.user("Org A", "a@a.fi", Role::Specialist);
    app.user("Org B", "b@b.fi", Role::Specialist);
    let id = a
        .post(
            "/api/v1/clients",
            json!({"consent_to_contact_employers": true, "display_name": "Salainen"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
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
    let p = a
        .post(
            "/api/v1/proposals",
            json!({"lead_id": lead, "client_id": id}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let pl = a.post("/api/v1/placements", json!({"client_id": id, "employer_id": e, "job_title": "Työ", "starts_on": "2026-12-01"})).await.json["id"].as_i64().unwrap();
    let mut b = app.browser();
    b.login("b@b.fi", PASSWORD).await;
    for path in [
        format!("/clients/{id}"),
        format!("/clients/{id}/edit"),
        format!("/clients/{id}/profile"),
        format!("/placements/new?client_id={id}&lead_id={lead}"),
    ] {
        let r = b.get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.text.contains("Salainen"));
    }
    for path in [
        format!("/clients/{id}"),
        format!("/clients/{id}/profile"),
        format!("/proposals/{p}"),
        format!("/placements/{pl}/support"),
    ] {
        assert_eq!(
            b.post(&path, &[("display_name", "B"), ("status", "hired")])
                .await
                .status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert!(!b
        .get("/clients?specialist=all")
        .await
        .text
        .contains("Salainen"));
}

on_both_databases!(a_contact_logged_for_a_job_seeker_from_the_form);

async fn a_contact_logged_for_a_job_seeker_from_the_form(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let seeker = api
        .post(
            "/api/v1/clients",
            json!({"consent_to_contact_employers": true, "display_name": "K. L.", "intake_date": "2026-11-01", "status": "job_search"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let e = api
        .post("/api/v1/employers", json!({"name": "Puolesta Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;
    let form = b.get(&format!("/outreach/new?employer_id={e}")).await;
    assert!(form
        .text
        .contains(&format!("<option value=\"{seeker}\">K. L.</option>")));
    let r = b
        .post(
            "/outreach",
            &[
                ("employer_id", &e.to_string()),
                ("client_id", &seeker.to_string()),
                ("client_present", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let c = api.get(&format!("/api/v1/clients/{seeker}")).await;
    assert_eq!(c.json["rapid_job_search_days"], 23);
    let entry = api
        .get(&format!("/api/v1/outreach?employer_id={e}"))
        .await
        .json["items"][0]
        .clone();
    let id = entry["id"].as_i64().unwrap();
    assert_eq!(
        api.get(&format!("/api/v1/outreach/{id}")).await.json["on_behalf_of"],
        "clients"
    );
    // Editing keeps or clears the job seeker.
    let r = b
        .post(
            &format!("/outreach/{id}"),
            &[
                ("employer_id", &e.to_string()),
                ("occurred_at", "2026-11-24T12:00"),
                ("client_id", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let after = api.get(&format!("/api/v1/outreach/{id}")).await;
    assert_eq!(after.json["on_behalf_of"], "general");
    assert_eq!(after.json["client_ids"], json!([]));
}

on_both_databases!(a_lead_shows_the_job_seekers_it_fits);

async fn a_lead_shows_the_job_seekers_it_fits(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    app.user("Org B", "b@b.fi", Role::Specialist);
    let seeker = api
        .post(
            "/api/v1/clients",
            json!({"consent_to_contact_employers": true, "display_name": "P. Q.", "status": "job_search"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    api.put(
        &format!("/api/v1/clients/{seeker}/profile"),
        json!({"occupations": ["5132"]}),
    )
    .await;
    let e = api
        .post("/api/v1/employers", json!({"name": "Kahvila"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let lead = api
        .post(
            "/api/v1/leads",
            json!({"employer_id": e, "title": "Barista", "isco_code": "5132"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;
    let page = b.get(&format!("/leads/{lead}/matches")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("P. Q.") && page.text.contains("class=\"fits\""));
    assert!(b
        .get(&format!("/leads/{lead}"))
        .await
        .text
        .contains(&format!("/leads/{lead}/matches")));
    let mut other = app.browser();
    other.login("b@b.fi", PASSWORD).await;
    let r = other.get(&format!("/leads/{lead}/matches")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.text.contains("P. Q."));
}

on_both_databases!(work_history_from_the_profile_page);

async fn work_history_from_the_profile_page(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let seeker = api
        .post(
            "/api/v1/clients",
            json!({"consent_to_contact_employers": true, "display_name": "W. H."}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;
    let r = b
        .post(
            &format!("/clients/{seeker}/profile/work"),
            &[
                ("title", "Myyjä"),
                ("employer", "Kauppa Oy"),
                ("from", "2019-01-01"),
                ("to", "2020-06-30"),
                ("went_well", "Asiakaspalvelu"),
                ("why_ended", "Määräaikainen"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let bad = b
        .post(
            &format!("/clients/{seeker}/profile/work"),
            &[("title", ""), ("employer", "")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::SEE_OTHER);
    let p = api.get(&format!("/api/v1/clients/{seeker}/profile")).await;
    assert_eq!(p.json["version"], 1, "the empty entry was refused");
    assert_eq!(p.json["work_history"][0]["title"], "Myyjä");
    assert_eq!(p.json["work_history"][0]["to"], "2020-06-30");
    assert!(b
        .get(&format!("/clients/{seeker}/profile"))
        .await
        .text
        .contains("Asiakaspalvelu"));
    b.post(&format!("/clients/{seeker}/profile/work/0/delete"), &[])
        .await;
    let p = api.get(&format!("/api/v1/clients/{seeker}/profile")).await;
    assert_eq!(p.json["version"], 2);
    assert_eq!(p.json["work_history"], json!([]));
    assert_eq!(
        api.get(&format!("/api/v1/clients/{seeker}/profile/history"))
            .await
            .json["items"][1]["profile"]["work_history"][0]["employer"],
        "Kauppa Oy",
        "kept in the older version"
    );
}
