//! Sessions, CSRF, throttling and API tokens.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::json;

use crate::helpers::{TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(
    api_needs_a_valid_token,
    revoked_token_stops_working,
    csrf_is_required_on_forms,
    failed_logins_are_throttled,
    password_change_and_logout
);

async fn api_needs_a_valid_token(app: TestApp) {
    let mut api = app.user("Org A", "a@a.fi", Role::Specialist);
    let me = api.get("/api/v1/me").await;
    assert_eq!(me.json["email"], "a@a.fi");
    assert_eq!(me.json["role"], "specialist");
    assert_eq!(me.json["organisation"]["name"], "Org A");
    api.token = Some("pf_not_a_real_token".into());
    let r = api.get("/api/v1/me").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.content_type.starts_with("application/problem+json"));
    api.token = None;
    assert_eq!(
        api.get("/api/v1/employers").await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn revoked_token_stops_working(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let created = api
        .post("/api/v1/me/tokens", json!({"name": "skripti"}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let secret = created.json["token"].as_str().unwrap().to_string();
    let id = created.json["id"].as_i64().unwrap();
    let mut second = crate::helpers::TestApp::browserless_api(&api, &secret);
    assert_eq!(second.get("/api/v1/me").await.status, StatusCode::OK);
    let list = api.get("/api/v1/me/tokens").await;
    let listed: Vec<_> = list.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].clone())
        .collect();
    assert!(listed.contains(&json!("skripti")));
    assert!(!list.text.contains(&secret), "the secret is never listed");
    assert_eq!(
        api.delete(&format!("/api/v1/me/tokens/{id}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        second.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let list = api.get("/api/v1/me/tokens").await;
    let revoked = list.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap()
        .clone();
    assert!(!revoked["revoked_at"].is_null());
    second.token = None;
    assert_eq!(
        api.get("/api/v1/me").await.status,
        StatusCode::OK,
        "the other token still works"
    );
}

async fn csrf_is_required_on_forms(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let mut browser = app.browser();
    assert_eq!(
        browser.login("a@a.fi", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    // No token, a wrong token: refused, nothing stored.
    let r = browser.post_raw("/employers", &[("name", "CSRF Oy")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text.contains("<html"), "a page, not JSON");
    let r = browser
        .post_raw(
            "/employers",
            &[("name", "CSRF Oy"), ("csrf_token", &"0".repeat(64))],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        api.get("/api/v1/employers").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // The login form needs it too.
    let mut fresh = app.browser();
    fresh.get("/login").await;
    let r = fresh
        .post_raw("/login", &[("email", "a@a.fi"), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The API with a session cookie needs the token in a header.
    let r = browser
        .api_post_with_cookie("/api/v1/employers", json!({"name": "CSRF Oy"}), None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let token = browser.csrf();
    let r = browser
        .api_post_with_cookie(
            "/api/v1/employers",
            json!({"name": "Oikein Oy"}),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // With the token, the form works.
    let r = browser.post("/employers", &[("name", "Lomake Oy")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let names: Vec<_> = api.get("/api/v1/employers").await.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Lomake Oy", "Oikein Oy"]);
}

async fn failed_logins_are_throttled(app: TestApp) {
    app.user("Org A", "a@a.fi", Role::Specialist);
    app.user("Org A", "b@a.fi", Role::Specialist);
    let mut browser = app.browser();
    // The test settings allow 3 failures.
    for _ in 0..3 {
        let r = browser.login("a@a.fi", "wrong password").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.text.contains("field-error") || r.text.contains("form-error"));
    }
    let r = browser.login("a@a.fi", PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the right password waits too"
    );
    assert!(!browser.cookies.contains_key("pf_session"));
    let mut other = app.browser();
    assert_eq!(
        other.login("b@a.fi", PASSWORD).await.status,
        StatusCode::SEE_OTHER,
        "other accounts are not locked"
    );
}

async fn password_change_and_logout(app: TestApp) {
    app.user("Org A", "a@a.fi", Role::Specialist);
    let mut browser = app.browser();
    browser.login("a@a.fi", PASSWORD).await;
    // The same person signed in on another device.
    let mut phone = app.browser();
    phone.login("a@a.fi", PASSWORD).await;
    assert_eq!(phone.get("/employers").await.status, StatusCode::OK);
    let r = browser
        .post(
            "/account/password",
            &[
                ("current_password", "wrong"),
                ("new_password", "short"),
                ("repeat_password", "other"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.text.matches("class=\"field-error\"").count(),
        3,
        "{}",
        r.text
    );
    let r = browser
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "uusi salasana 2026"),
                ("repeat_password", "uusi salasana 2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Changing the password signs out the other device, not this one.
    assert_eq!(phone.get("/employers").await.status, StatusCode::SEE_OTHER);
    assert_eq!(browser.get("/employers").await.status, StatusCode::OK);
    assert_eq!(
        browser.post("/logout", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let r = browser.get("/employers").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location.as_deref(), Some("/login?next=/employers"));
    assert_eq!(
        app.browser().login("a@a.fi", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.browser()
            .login("a@a.fi", "uusi salasana 2026")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}
