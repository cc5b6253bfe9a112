//! What the API makes of a body it cannot use, and of fields it used to drop: each
//! case here was found by an outside tester of the release build.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::json;

use crate::helpers::{Api, TestApp};
use crate::on_both_databases;

on_both_databases!(
    a_wrong_body_names_its_field_in_the_callers_language,
    a_proposal_keeps_its_reason,
    cancelling_twice_is_one_change,
    a_patch_names_its_wrong_field_and_an_empty_one_changes_nothing,
    list_items_and_action_fields_are_named_by_their_path,
    a_yes_no_filter_refuses_other_words_and_every_filter_is_described,
    a_known_path_with_another_method_answers_405_and_a_key_twice_is_refused,
);

fn id(r: &crate::helpers::Resp) -> i64 {
    r.json["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{} {}", r.status, r.text))
}

async fn employer(api: &Api, name: &str) -> i64 {
    id(&api.post("/api/v1/employers", json!({ "name": name })).await)
}

async fn a_wrong_body_names_its_field_in_the_callers_language(app: TestApp) {
    let mut api = app.user("Org", "lead@a.fi", Role::TeamLead);
    let before = api.get("/api/v1/employers").await.json["items"]
        .as_array()
        .unwrap()
        .len();
    // A top-level array is no employer, though serde would read it field by field.
    let r = api
        .post("/api/v1/employers", json!(["Kahvila", null]))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.json["errors"]["body"][0]
            .as_str()
            .unwrap()
            .contains("JSON"),
        "{}",
        r.text
    );
    // A number where text belongs: named by its field, in Finnish, no serde words.
    api.lang = Some("fi");
    let r = api.post("/api/v1/employers", json!({ "name": 5 })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(
        r.json["errors"]["name"][0], "Anna tähän tekstiä lainausmerkeissä.",
        "{}",
        r.text
    );
    assert!(r.json["errors"].get("body").is_none(), "{}", r.text);
    // Nested: the path says which item.
    let e = employer(&api, "Kahvila").await;
    let r = api
        .post(
            "/api/v1/contact-days",
            json!({"date": "2026-12-20", "place": "Toimisto", "participant_ids": ["x"], "target_employer_ids": [e]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(
        r.json["errors"]["participant_ids.0"][0], "Anna tähän luku.",
        "{}",
        r.text
    );
    // Broken JSON: where it broke, in the caller's language.
    api.lang = Some("sv");
    let r = api
        .post_raw("/api/v1/employers", "application/json", "{\"name\": ")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let msg = r.json["errors"]["body"][0].as_str().unwrap();
    assert!(
        msg.starts_with("Innehållet är inte giltig JSON (rad 1"),
        "{msg}"
    );
    // A follow-up action takes only its own keys: an ignored key is a silent mistake.
    api.lang = Some("en");
    let f = id(&api
        .post(
            "/api/v1/follow-ups",
            json!({"employer_id": e, "title": "Soita", "due_on": "2026-12-20"}),
        )
        .await);
    let r = api
        .post(
            &format!("/api/v1/follow-ups/{f}/actions"),
            json!({"action": "done", "until": "2026-12-24"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json["errors"]["until"][0], "Unknown field.", "{}", r.text);
    let r = api.get(&format!("/api/v1/follow-ups/{f}")).await;
    assert_eq!(r.json["status"], "open", "{}", r.text);
    // Nothing was written by any refused call.
    let after = api.get("/api/v1/employers").await.json["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(after, before + 1);
}

async fn a_proposal_keeps_its_reason(app: TestApp) {
    let api = app.user("Org", "lead@a.fi", Role::TeamLead);
    let e = employer(&api, "Kahvila").await;
    let client = id(&api
        .post(
            "/api/v1/clients",
            json!({"consent_to_contact_employers": true, "display_name": "A", "intake_date": "2026-10-01", "status": "job_search"}),
        )
        .await);
    let lead = id(&api
        .post("/api/v1/leads", json!({"employer_id": e, "title": "Kokki"}))
        .await);
    let r = api
        .post(
            "/api/v1/proposals",
            json!({"lead_id": lead, "client_id": client, "reason": "Toivoo keittiötyötä"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["reason"], "Toivoo keittiötyötä");
    assert!(r.location.is_none(), "no address to read a proposal at");
    let listed = api
        .get(&format!("/api/v1/clients/{client}/proposals"))
        .await;
    assert_eq!(
        listed.json["items"][0]["reason"], "Toivoo keittiötyötä",
        "{}",
        listed.text
    );
    // A status is the answer's to give, not the proposal's.
    let lead2 = id(&api
        .post(
            "/api/v1/leads",
            json!({"employer_id": e, "title": "Tarjoilija"}),
        )
        .await);
    let r = api
        .post(
            "/api/v1/proposals",
            json!({"lead_id": lead2, "client_id": client, "status": "hired"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.json["errors"]["status"].is_array(), "{}", r.text);
    // An answer without a reason keeps the one given.
    let p = api
        .get(&format!("/api/v1/clients/{client}/proposals"))
        .await
        .json["items"][0]["id"]
        .as_i64()
        .unwrap();
    let r = api
        .patch(
            &format!("/api/v1/proposals/{p}"),
            json!({"status": "interested"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["reason"], "Toivoo keittiötyötä", "{}", r.text);
}

async fn a_patch_names_its_wrong_field_and_an_empty_one_changes_nothing(app: TestApp) {
    let mut api = app.user("Org", "lead@a.fi", Role::TeamLead);
    api.lang = Some("fi");
    let e = employer(&api, "Kahvila").await;
    let r = api
        .patch(&format!("/api/v1/employers/{e}"), json!({"name": 5}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(
        r.json["errors"]["name"][0], "Anna tähän tekstiä lainausmerkeissä.",
        "{}",
        r.text
    );
    let r = api
        .patch(&format!("/api/v1/employers/{e}"), json!({"tags": ["a", 7]}))
        .await;
    assert_eq!(
        r.json["errors"]["tags.1"][0], "Anna tähän tekstiä lainausmerkeissä.",
        "{}",
        r.text
    );
    // Saving nothing new is no new version: a colleague's edit from it stays valid.
    let v0 = api.get(&format!("/api/v1/employers/{e}")).await.json["version"].clone();
    for _ in 0..2 {
        let r = api
            .patch(&format!("/api/v1/employers/{e}"), json!({}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json["version"], v0, "{}", r.text);
        let r = api
            .patch(
                &format!("/api/v1/employers/{e}"),
                json!({"name": "Kahvila", "version": v0}),
            )
            .await;
        assert_eq!(r.json["version"], v0, "{}", r.text);
    }
    let r = api
        .patch(
            &format!("/api/v1/employers/{e}"),
            json!({"name": "Kahvila Kuppi", "version": v0}),
        )
        .await;
    assert_eq!(r.json["version"], v0.as_i64().unwrap() + 1, "{}", r.text);
    // A query parameter of the wrong kind is named too.
    let r = api.get("/api/v1/placements?client_id=abc").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(
        r.json["errors"]["client_id"][0], "Anna tähän luku.",
        "{}",
        r.text
    );
}

async fn cancelling_twice_is_one_change(app: TestApp) {
    let api = app.user("Org", "s@a.fi", Role::Specialist);
    let e = employer(&api, "Kahvila").await;
    let item = id(&api
        .post(
            "/api/v1/plan/items",
            json!({"employer_id": e, "planned_on": "2026-11-27"}),
        )
        .await);
    let first = api
        .post(&format!("/api/v1/plan/items/{item}/cancel"), json!({}))
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let second = api
        .post(&format!("/api/v1/plan/items/{item}/cancel"), json!({}))
        .await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.text);
    assert_eq!(first.json["status"], "cancelled");
    assert_eq!(
        second.json["version"], first.json["version"],
        "{}",
        second.text
    );
}

/// The reference page works from a first visit: its language switch is a form, and the
/// first visit must already carry what the form needs.
#[actix_web::test]
async fn the_api_reference_switches_language_on_a_first_visit() {
    let app = TestApp::sqlite().await;
    let mut b = app.browser();
    let page = b.get("/api/docs").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(b.cookies.contains_key("pf_csrf"), "{:?}", page.set_cookies);
    let r = b
        .post("/lang", &[("lang", "fi"), ("next", "/api/docs")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let fi = b.get("/api/docs").await;
    assert!(fi.text.contains("lang=\"fi\""));
    // Tags are translated; the English summaries say so and are marked as English.
    assert!(fi.text.contains("Työnantajapäivät"), "tag not translated");
    assert!(fi
        .text
        .contains("Toimintojen ja kenttien kuvaukset ovat englanniksi."));
    assert!(fi.text.contains("<span lang=\"en\">"));
    // Backticked words are code, not literal backticks.
    assert!(
        !fi.text.contains('`') && !fi.text.contains("&#x60;"),
        "literal backticks on the page"
    );
    assert!(fi.text.contains("<code>null</code>"));
}

/// The item of a list that is wrong, and a wrong field of a follow-up action, are named
/// by their path, as every other field is.
async fn list_items_and_action_fields_are_named_by_their_path(app: TestApp) {
    let api = app.user("Org", "lead@a.fi", Role::TeamLead);
    let e = employer(&api, "Kahvila Oy").await;
    let day = api
        .post(
            "/api/v1/contact-days",
            json!({"date": "2026-12-20", "place": "Toimisto", "participant_ids": [api.user_id, 999999], "target_employer_ids": [e, 888888]}),
        )
        .await;
    assert_eq!(day.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", day.text);
    let fields: Vec<&String> = day.json["errors"].as_object().unwrap().keys().collect();
    assert_eq!(
        fields,
        ["participant_ids.1", "target_employer_ids.1"],
        "{}",
        day.text
    );
    let r = api
        .post(
            "/api/v1/outreach",
            json!({"employer_id": e, "on_behalf_of": "clients", "client_ids": [777777]}),
        )
        .await;
    assert!(r.json["errors"]["client_ids.0"].is_array(), "{}", r.text);
    let f = id(&api
        .post(
            "/api/v1/follow-ups",
            json!({"employer_id": e, "title": "Soita", "due_on": "2026-12-20"}),
        )
        .await);
    let path = format!("/api/v1/follow-ups/{f}/actions");
    for (body, field, key) in [
        (json!({"action": "snooze", "until": 5}), "until", "text"),
        (
            json!({"action": "reassign", "assignee_id": "x"}),
            "assignee_id",
            "number",
        ),
        (json!({"action": "reassign"}), "assignee_id", "required"),
        (
            json!({"action": "done", "until": "2026-12-24"}),
            "until",
            "unknown",
        ),
        (
            json!({"action": "done", "assignee_id": 1}),
            "assignee_id",
            "unknown",
        ),
        (json!({"action": "explode"}), "action", "choice"),
        (
            json!({"action": "done", "colour": "red"}),
            "colour",
            "unknown",
        ),
    ] {
        let r = api.post(&path, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
        let fields: Vec<&String> = r.json["errors"].as_object().unwrap().keys().collect();
        assert_eq!(fields, [field], "{body}: {}", r.text);
        let _ = key;
    }
    let ok = api
        .post(&path, json!({"action": "snooze", "until": "2026-12-24"}))
        .await;
    assert_eq!(ok.json["due_on"], "2026-12-24", "{}", ok.text);
}

/// `archived=maybe` is a mistake to name, not a quiet "no"; and every query parameter
/// of every operation says what it does.
async fn a_yes_no_filter_refuses_other_words_and_every_filter_is_described(app: TestApp) {
    let api = app.user("Org", "lead@a.fi", Role::TeamLead);
    let e = employer(&api, "Kahvila Oy").await;
    api.delete(&format!("/api/v1/employers/{e}")).await;
    for (q, n) in [
        ("true", 1),
        ("YES", 1),
        ("1", 1),
        ("false", 0),
        ("", 0),
        ("off", 0),
    ] {
        let r = api.get(&format!("/api/v1/employers?archived={q}")).await;
        assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.text);
        assert_eq!(
            r.json["items"].as_array().unwrap().len(),
            n,
            "{q}: {}",
            r.text
        );
    }
    let r = api.get("/api/v1/employers?archived=maybe").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.json["errors"]["archived"].is_array(), "{}", r.text);
    let doc = api.get("/api/v1/openapi.json").await.json;
    let mut undescribed = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let text = p["description"].as_str().unwrap_or_default();
                if p["in"] == "query" && text.len() < 12 {
                    undescribed.push(format!("{method} {path} ?{}", p["name"]));
                }
            }
        }
    }
    assert!(undescribed.is_empty(), "{undescribed:#?}");
}

/// A known address asked with a method it does not take answers 405 with the methods it
/// takes (not 404, as if it did not exist); a key sent twice in one object is refused
/// by name, not silently taken as the last; a conflict is not called "already exists".
async fn a_known_path_with_another_method_answers_405_and_a_key_twice_is_refused(app: TestApp) {
    let mut api = app.user("Org", "lead@a.fi", Role::TeamLead);
    let e = employer(&api, "Kahvila Oy").await;
    let r = api.put(&format!("/api/v1/employers/{e}"), json!({})).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{}", r.text);
    assert_eq!(r.content_type, "application/problem+json");
    let allow = r.headers.get("allow").cloned().unwrap_or_default();
    for m in ["GET", "PATCH", "DELETE"] {
        assert!(allow.contains(m), "{allow}");
    }
    let head = api
        .client
        .head(format!("{}/api/v1/employers/{e}", api.base))
        .bearer_auth(api.token.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::OK, "HEAD where GET is answered");
    let r = api.put("/api/v1/employers", json!({})).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{}", r.text);
    assert!(
        r.headers.get("allow").is_some_and(|a| a.contains("POST")),
        "{:?}",
        r.headers
    );
    let r = api.get("/api/v1/no-such-thing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let r = api.put("/api/v1/employers/1/nothing", json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    api.lang = Some("en");
    for body in [
        r#"{"name": "Kauppa Oy", "name": "Toinen Oy"}"#,
        r#"{"name": "Kauppa Oy", "contacts": [{"name": "A", "name": "B"}]}"#,
    ] {
        let r = api
            .post_text("/api/v1/employers", "application/json", body.into())
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let why = r.json["errors"]["body"][0].as_str().unwrap_or_default();
        assert!(why.contains("“name” appears twice"), "{}", r.text);
    }
    let r = api
        .send_json_text(
            awc::http::Method::PATCH,
            &format!("/api/v1/employers/{e}"),
            r#"{"phone": "040 1", "phone": "050 2"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let stored = api.get(&format!("/api/v1/employers/{e}")).await;
    assert!(stored.json["phone"].is_null(), "{}", stored.text);
    // A conflict names what it is, in each language.
    let day = id(&api
        .post(
            "/api/v1/contact-days",
            json!({"date": "2026-12-20", "place": "Toimisto"}),
        )
        .await);
    api.post(&format!("/api/v1/contact-days/{day}/cancel"), json!({}))
        .await;
    let r = api
        .patch(
            &format!("/api/v1/contact-days/{day}"),
            json!({"place": "Kirjasto"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(
        r.json["title"], "Conflicts with what is stored",
        "{}",
        r.text
    );
}
