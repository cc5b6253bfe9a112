//! Issue 14, duplicates: creating an employer that looks like one already in the
//! register is stopped with the look-alikes named (API: 409 `duplicates`; page: the form
//! again, linking them) until the user says it is another employer.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::json;

use crate::helpers::{TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(look_alikes_are_named_before_an_employer_is_created);

async fn look_alikes_are_named_before_an_employer_is_created(app: TestApp) {
    let api = app.user("Org", "lead@a.fi", Role::TeamLead);
    let other = app.user("Other", "x@b.fi", Role::TeamLead);
    let count = |api: &crate::helpers::Api| {
        let api = api.clone();
        async move {
            api.get("/api/v1/employers").await.json["items"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    let first = api
        .post("/api/v1/employers", json!({"name": "Kauppa Oy", "municipality_code": "837", "website": "https://www.kukka.fi/"}))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let kauppa = first.json["id"].as_i64().unwrap();
    // The issue's own example: the same name in capitals, company form and all.
    let r = api
        .post("/api/v1/employers", json!({"name": "KAUPPA OY"}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json["type"], "https://placefirst.fi/problems/duplicate");
    let d = &r.json["duplicates"][0];
    assert_eq!(d["id"], kauppa);
    assert_eq!(d["why"], "same_name");
    assert_eq!(
        d["message"], "Kauppa Oy (Tampere) on samanniminen.",
        "{}",
        r.text
    );
    assert_eq!(count(&api).await, 1, "nothing was created");
    // Nearly the same name, and the same website under another name.
    let r = api
        .post("/api/v1/employers", json!({"name": "Kaupa Oy"}))
        .await;
    assert_eq!(r.json["duplicates"][0]["why"], "similar_name", "{}", r.text);
    let r = api
        .post(
            "/api/v1/employers",
            json!({"name": "Kukkakauppa Ruusu", "website": "kukka.fi/yhteys"}),
        )
        .await;
    assert_eq!(r.json["duplicates"][0]["why"], "same_website", "{}", r.text);
    // Company forms written out, and words in another order, are the same name.
    for name in ["Kauppa Osakeyhtiö", "Oy Kauppa"] {
        let r = api.post("/api/v1/employers", json!({ "name": name })).await;
        assert_eq!(
            r.json["duplicates"][0]["why"], "same_name",
            "{name}: {}",
            r.text
        );
    }
    let r = api
        .post("/api/v1/employers", json!({"name": "Siivous Ahven"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = api
        .post("/api/v1/employers", json!({"name": "Ahven Siivous Tmi"}))
        .await;
    assert_eq!(r.json["duplicates"][0]["why"], "same_name", "{}", r.text);
    // Told it is another employer, it is created.
    let r = api
        .post(
            "/api/v1/employers",
            json!({"name": "KAUPPA OY", "acknowledge_duplicates": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // Numbered shops are different shops; another organisation's register is not looked at.
    for name in ["K-Market 12", "K-Market 13"] {
        let r = api.post("/api/v1/employers", json!({ "name": name })).await;
        assert_eq!(r.status, StatusCode::CREATED, "{name}: {}", r.text);
    }
    let r = other
        .post("/api/v1/employers", json!({"name": "Kauppa Oy"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    // The page: the form again, linking the look-alike, then created when ticked.
    let mut b = app.browser();
    b.login("lead@a.fi", PASSWORD).await;
    let r = b
        .post(
            "/employers",
            &[("name", "Kauppa oy."), ("stage", "not_contacted")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(
        r.text.contains(&format!("href=\"/employers/{kauppa}\"")),
        "{}",
        r.text
    );
    assert!(r.text.contains("name=\"acknowledge_duplicates\""));
    assert!(
        r.text.contains("value=\"Kauppa oy.\""),
        "the form keeps what was typed"
    );
    let before = count(&api).await;
    let r = b
        .post(
            "/employers",
            &[
                ("name", "Kauppa oy."),
                ("stage", "not_contacted"),
                ("acknowledge_duplicates", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(count(&api).await, before + 1);
}
