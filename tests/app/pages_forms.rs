//! Typed page forms: text that is not a number (or a date) comes back beside its field
//! as typed, with a message, and nothing is written.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use placefirst::i18n::{t, Lang};
use serde_json::json;

use crate::helpers::{utc, TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(
    text_that_is_not_a_number_is_refused_by_its_field,
    a_review_pack_or_a_series_is_never_widened
);

/// Found from outside: a review pack with a validity of "30x" or a scope of "team:abc"
/// was made for 30 days or for the whole organisation; a series of 99 days was cut to
/// 53 without a word. Each is now refused and nothing is written.
async fn a_review_pack_or_a_series_is_never_widened(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let mut b = app.browser();
    b.login("lead@a.fi", PASSWORD).await;
    for (scope, days) in [("org", "30x"), ("team:abc", "30"), ("everyone", "30")] {
        let r = b
            .post(
                "/fidelity/review-packs",
                &[
                    ("from", "2026-11-01"),
                    ("to", "2026-11-30"),
                    ("scope", scope),
                    ("days_valid", days),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        assert!(r.location.as_deref().unwrap_or("").starts_with("/fidelity"));
    }
    let packs = lead.get("/api/v1/review-packs").await;
    assert_eq!(
        packs.json["items"].as_array().unwrap().len(),
        0,
        "{}",
        packs.json
    );
    let ok = b
        .post(
            "/fidelity/review-packs",
            &[
                ("from", "2026-11-01"),
                ("to", "2026-11-30"),
                ("scope", "org"),
                ("days_valid", "30"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let packs = lead.get("/api/v1/review-packs").await;
    assert_eq!(
        packs.json["items"].as_array().unwrap().len(),
        1,
        "{}",
        packs.json
    );

    let r = b
        .post(
            "/contact-days",
            &[
                ("date", "2026-12-01"),
                ("place", "Toimisto"),
                ("repeat", "weekly"),
                ("repeat_count", "99"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.text.contains("id=\"rrule-error\"") || r.text.contains("rrule"),
        "{}",
        r.text
    );
    let days = lead
        .get("/api/v1/contact-days?from=2026-11-01&to=2027-12-31")
        .await;
    assert_eq!(
        days.json["items"].as_array().map(Vec::len).unwrap_or(0),
        0,
        "{}",
        days.json
    );
}

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
    assert_eq!(
        r.text.matches("class=\"form-error\"").count(),
        1,
        "one alert at the top"
    );
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
    // A form inside a long page (a contact person on the employer's page) says at the
    // top of the page that something below needs checking.
    let r = b
        .post(
            &format!("/employers/{e}/contacts"),
            &[("name", "Tiina"), ("email", "tiina.at.example")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let alert = r.text.find("class=\"form-error\"").expect("an alert");
    let message = r
        .text
        .find("class=\"field-error\"")
        .expect("the field's message");
    assert!(alert < message, "the alert comes before the form");
    let fine = b.get(&format!("/employers/{e}")).await;
    assert!(!fine.text.contains("class=\"form-error\""));
    assert!(fine
        .text
        .contains("<script src=\"/static/app.js\" defer></script>"));

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
            json!({"consent_to_contact_employers": true, "display_name": "T. V.", "intake_date": "2026-10-01"}),
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
