//! Typed page forms: text that is not a number (or a date) comes back beside its field
//! as typed, with a message, and nothing is written.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use placefirst::i18n::{t, Lang};
use serde_json::json;

use crate::helpers::{utc, TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(text_that_is_not_a_number_is_refused_by_its_field);

fn says_whole_number(page: &str) -> bool {
    [Lang::Fi, Lang::En]
        .iter()
        .any(|l| page.contains(&t(*l, "error.number")))
}

async fn text_that_is_not_a_number_is_refused_by_its_field(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;

    // Employer: the contact interval must be a whole number of days.
    let r = b
        .post(
            "/employers",
            &[
                ("name", "Kahvila Oy"),
                ("contact_interval_days", "two weeks"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("id=\"contact_interval_days-error\""));
    assert!(says_whole_number(&r.text), "{}", r.text);
    assert!(r.text.contains("value=\"two weeks\""), "typed text kept");
    let list = api.get("/api/v1/employers").await;
    assert_eq!(
        list.json["items"].as_array().unwrap().len(),
        0,
        "nothing written"
    );
    // An owner id that is no number names nobody.
    let r = b
        .post("/employers", &[("name", "Kahvila Oy"), ("owner_id", "x")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("id=\"owner_id-error\""));

    let e = api
        .post("/api/v1/employers", json!({"name": "Kahvila Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    // Lead: hours as text.
    let r = b
        .post(
            "/leads",
            &[
                ("employer_id", &e.to_string()),
                ("title", "Barista"),
                ("hours_min", "12a"),
                ("hours_max", "20"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("id=\"hours_min-error\""));
    assert!(says_whole_number(&r.text));
    assert!(!r.text.contains("id=\"hours_max-error\""));
    let leads = api.get("/api/v1/leads").await;
    assert_eq!(leads.json["items"].as_array().unwrap().len(), 0);

    // Profile: an impossible date is refused, not silently dropped.
    let c = api
        .post(
            "/api/v1/clients",
            json!({"display_name": "T. V.", "intake_date": "2026-10-01"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let r = b
        .post(
            &format!("/clients/{c}/profile"),
            &[
                ("earliest_start", "31.02.2027"),
                ("max_commute_km", "20 km"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("id=\"earliest_start-error\""));
    assert!(r.text.contains("id=\"max_commute_km-error\""));
    let history = api
        .get(&format!("/api/v1/clients/{c}/profile/history"))
        .await;
    assert_eq!(
        history.json["items"].as_array().map(Vec::len).unwrap_or(0),
        0,
        "no profile version written: {}",
        history.json
    );
    // The same date written as Finns write it is taken.
    let r = b
        .post(
            &format!("/clients/{c}/profile"),
            &[("earliest_start", "1.2.2027"), ("max_commute_km", "20")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let p = api.get(&format!("/api/v1/clients/{c}/profile")).await;
    assert_eq!(p.json["earliest_start"], "2027-02-01", "{}", p.json);

    // A conflict with what is stored (a business ID another employer has) is shown
    // beside the field too, not as an error page.
    api.patch(
        &format!("/api/v1/employers/{e}"),
        json!({"business_id": "2858394-9"}),
    )
    .await;
    let r = b
        .post(
            "/employers",
            &[("name", "Toinen Oy"), ("business_id", "2858394-9")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("id=\"business_id-error\""));
    assert!(
        r.text.contains("Kahvila Oy"),
        "names the employer that has it"
    );

    // Placement: a job seeker id that is no number.
    let r = b
        .post(
            "/placements",
            &[
                ("client_id", "abc"),
                ("employer_id", &e.to_string()),
                ("job_title", "Barista"),
                ("starts_on", "2026-11-20"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("id=\"client_id-error\""));
    let places = api.get(&format!("/api/v1/placements?client_id={c}")).await;
    assert_eq!(places.json["items"].as_array().unwrap().len(), 0);
}
