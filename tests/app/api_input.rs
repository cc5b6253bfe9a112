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
    a_patch_names_its_wrong_field_and_an_empty_one_changes_nothing
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
            json!({"display_name": "A", "intake_date": "2026-10-01", "status": "job_search"}),
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
