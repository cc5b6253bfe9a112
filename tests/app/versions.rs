//! Issue 13, optimistic concurrency for the rest of the editable records: job seekers,
//! logged contacts, placements, partners, contact days and follow-ups. (Employers,
//! contact persons, leads, plan items and profiles: `hardening.rs`.)

use actix_web::http::StatusCode;
use placefirst::domain::clock::Clock;
use placefirst::domain::users::Role;
use serde_json::json;

use crate::helpers::{TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(
    every_record_refuses_a_stale_api_edit_with_the_current_record,
    a_change_that_changes_nothing_is_no_new_version,
    fields_only_a_new_record_reads_are_refused_on_a_change,
    a_stale_follow_up_action_is_refused,
    stale_page_edits_keep_mine_and_show_theirs,
    a_follow_up_button_from_an_old_list_says_it_changed,
);

fn id(r: &crate::helpers::Resp) -> i64 {
    r.json["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id: {}", r.text))
}

async fn records(
    app: &TestApp,
    lead: &crate::helpers::Api,
) -> Vec<(String, &'static str, &'static str, &'static str)> {
    let soon = (app.clock.now().date() + chrono::Duration::days(7)).to_string();
    let e = id(&lead
        .post("/api/v1/employers", json!({"name": "Kahvila Oy"}))
        .await);
    let k = id(&lead
        .post(
            "/api/v1/clients",
            json!({"display_name": "Testi", "intake_date": "2026-10-01", "status": "job_search", "consent_to_contact_employers": true}),
        )
        .await);
    let o = id(&lead
        .post("/api/v1/outreach", json!({"employer_id": e}))
        .await);
    let pl = id(&lead
        .post(
            "/api/v1/placements",
            json!({"client_id": k, "employer_id": e, "job_title": "Kokki", "starts_on": soon}),
        )
        .await);
    let pa = id(&lead
        .post(
            "/api/v1/partners",
            json!({"name": "Yrittäjät ry", "kind": "entrepreneur_association"}),
        )
        .await);
    let d = id(&lead
        .post(
            "/api/v1/contact-days",
            json!({"date": soon, "starts_at": "09:00", "ends_at": "14:00", "place": "Toimisto"}),
        )
        .await);
    vec![
        (
            format!("/api/v1/clients/{k}"),
            "disclosure_notes",
            "Kertoo itse",
            "Ei kerro",
        ),
        (
            format!("/api/v1/outreach/{o}"),
            "learned",
            "Tarvitsevat kokin",
            "Ei tarvetta",
        ),
        (format!("/api/v1/placements/{pl}"), "wage", "TES", "13 €/h"),
        (
            format!("/api/v1/partners/{pa}"),
            "notes",
            "Jäsenilta",
            "Aamukahvit",
        ),
        (
            format!("/api/v1/contact-days/{d}"),
            "place",
            "Kirjasto",
            "Kauppakeskus",
        ),
    ]
}

/// Each record: an edit from an older version answers 409 with the record as it is now
/// and the fields that differ; nothing of it is stored; without a version it applies.
async fn every_record_refuses_a_stale_api_edit_with_the_current_record(app: TestApp) {
    let api = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let records = records(&app, &api).await;
    for (path, field, first, second) in records {
        stale_edit_cycle(&api, &path, field, first, second).await;
    }
}

/// Saving what is stored is no change: the version stays, so colleagues' open edits
/// stay valid.
async fn a_change_that_changes_nothing_is_no_new_version(app: TestApp) {
    let api = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let records = records(&app, &api).await;
    for (path, field, first, _) in records {
        let ok = api.patch(&path, json!({field: first})).await;
        let v = ok.json["version"].as_i64().unwrap();
        for body in [json!({}), json!({field: first, "version": v})] {
            let same = api.patch(&path, body).await;
            assert_eq!(same.status, StatusCode::OK, "{path}: {}", same.text);
            assert_eq!(same.json["version"], v, "{path}: {}", same.text);
        }
    }
}

/// `found_lead` (a lead from a new contact) and `acknowledge_duplicates` (creating past
/// a look-alike) mean nothing on a change: refused by name, not ignored, and not in the
/// document's PATCH schemas.
async fn fields_only_a_new_record_reads_are_refused_on_a_change(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let e = id(&api
        .post("/api/v1/employers", json!({"name": "Kahvila Oy"}))
        .await);
    let o = id(&api
        .post("/api/v1/outreach", json!({"employer_id": e}))
        .await);
    let employer_version = api.get(&format!("/api/v1/employers/{e}")).await.json["version"].clone();
    for (path, field, value) in [
        (
            format!("/api/v1/outreach/{o}"),
            "found_lead",
            json!("Kokki"),
        ),
        (
            format!("/api/v1/employers/{e}"),
            "acknowledge_duplicates",
            json!(true),
        ),
    ] {
        let r = api.patch(&path, json!({field: value})).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {}",
            r.text
        );
        assert!(r.json["errors"][field].is_array(), "{path}: {}", r.text);
        let version = api.get(&path).await.json["version"].clone();
        let expected = if field == "found_lead" {
            json!(1)
        } else {
            employer_version.clone()
        };
        assert_eq!(version, expected, "{path}");
    }
    let leads = api.get(&format!("/api/v1/leads?employer_id={e}")).await;
    assert_eq!(
        leads.json["items"].as_array().map(Vec::len),
        Some(0),
        "{}",
        leads.text
    );
    let doc = api.get("/api/v1/openapi.json").await.json;
    for (path, field) in [
        ("/outreach/{id}", "found_lead"),
        ("/employers/{id}", "acknowledge_duplicates"),
    ] {
        let props = &doc["paths"][path]["patch"]["requestBody"]["content"]["application/json"]
            ["schema"]["properties"];
        assert!(props.is_object(), "{path}: {props}");
        assert!(props.get(field).is_none(), "{path} documents {field}");
        assert!(
            props.get("version").is_some(),
            "{path} documents no version"
        );
    }
}

/// A follow-up action from an old view (someone reassigned or snoozed it meanwhile)
/// is refused with the follow-up as it is now.
async fn a_stale_follow_up_action_is_refused(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let e = id(&api
        .post("/api/v1/employers", json!({"name": "Kahvila Oy"}))
        .await);
    let due = (app.clock.now().date() + chrono::Duration::days(3)).to_string();
    let f = api
        .post(
            "/api/v1/follow-ups",
            json!({"employer_id": e, "title": "Soita", "due_on": due}),
        )
        .await;
    assert_eq!(f.json["version"], 1, "{}", f.text);
    let path = format!("/api/v1/follow-ups/{}/actions", id(&f));
    let snoozed = api
        .post(&path, json!({"action": "snooze", "version": 1}))
        .await;
    assert_eq!(snoozed.status, StatusCode::OK, "{}", snoozed.text);
    assert_eq!(snoozed.json["version"], 2);
    let stale = api
        .post(&path, json!({"action": "done", "version": 1}))
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
    assert_eq!(stale.json["current"]["status"], "open", "{}", stale.text);
    assert_eq!(stale.json["current"]["due_on"], snoozed.json["due_on"]);
    let done = api
        .post(&path, json!({"action": "done", "version": 2}))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert_eq!(done.json["status"], "done");
    assert_eq!(done.json["version"], 3);
    // Without a version the action applies to whatever is stored.
    let reopened = api.post(&path, json!({"action": "reopen"})).await;
    assert_eq!(reopened.json["status"], "open", "{}", reopened.text);
}

fn fields<'a>(f: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    f.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// On the pages: B saves first; A's save from the form opened before comes back with
/// B's value shown beside the field, A's values kept and the new version, so saving
/// again keeps A's.
async fn stale_page_edits_keep_mine_and_show_theirs(app: TestApp) {
    let lead = app.user("Org A", "a@a.fi", Role::TeamLead);
    app.user("Org A", "b@a.fi", Role::TeamLead);
    let mut a = app.browser();
    a.login("a@a.fi", PASSWORD).await;
    let mut b = app.browser();
    b.login("b@a.fi", PASSWORD).await;
    let e = id(&lead
        .post("/api/v1/employers", json!({"name": "Kahvila Oy"}))
        .await);
    let soon = (app.clock.now().date() + chrono::Duration::days(7)).to_string();
    let k = id(&lead
        .post(
            "/api/v1/clients",
            json!({"display_name": "Testi", "intake_date": "2026-10-01", "status": "job_search", "consent_to_contact_employers": true}),
        )
        .await);
    let o = id(&lead
        .post("/api/v1/outreach", json!({"employer_id": e}))
        .await);
    let pa = id(&lead
        .post(
            "/api/v1/partners",
            json!({"name": "Yrittäjät ry", "kind": "entrepreneur_association", "area": ["837"], "contacts": [{"name": "Riitta", "phone": "040 123 4567"}]}),
        )
        .await);
    let d = id(&lead
        .post(
            "/api/v1/contact-days",
            json!({"date": soon, "starts_at": "09:00", "ends_at": "14:00", "place": "Toimisto"}),
        )
        .await);
    let at = lead.get(&format!("/api/v1/outreach/{o}")).await.json["occurred_at"]
        .as_str()
        .unwrap()
        .to_string();
    let local = {
        let t = chrono::NaiveDateTime::parse_from_str(&at, "%Y-%m-%dT%H:%M:%SZ").unwrap();
        placefirst::domain::week::utc_to_local(t, chrono_tz::Europe::Helsinki)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    // Every field, as the browser sends the form.
    let specialist =
        lead.get(&format!("/api/v1/clients/{k}")).await.json["specialist_id"].to_string();
    let client_form = |notes: &'static str, v: &'static str| {
        vec![
            ("display_name", "Testi".to_string()),
            ("specialist_id", specialist.clone()),
            ("disclosure", "none".into()),
            ("intake_date", "2026-10-01".into()),
            ("status", "job_search".into()),
            ("consent_to_contact_employers", "on".into()),
            ("disclosure_notes", notes.into()),
            ("version", v.into()),
        ]
    };
    let outreach_form = |learned: &'static str, v: &'static str| {
        vec![
            ("employer_id", e.to_string()),
            ("occurred_at", local.clone()),
            ("channel", "in_person".into()),
            ("purpose", "learn_needs".into()),
            ("visit_kind", "first".into()),
            ("learned", learned.into()),
            ("version", v.into()),
        ]
    };
    let partner_form = |notes: &'static str, v: &'static str| {
        vec![
            ("name", "Yrittäjät ry".to_string()),
            ("kind", "entrepreneur_association".into()),
            ("status", "active".into()),
            ("area", "Tampere".into()),
            ("c0_name", "Riitta".into()),
            ("c0_phone", "040 123 4567".into()),
            ("notes", notes.into()),
            ("version", v.into()),
        ]
    };
    let day_form = |place: &'static str, v: &'static str| {
        vec![
            ("date", soon.clone()),
            ("starts_at", "09:00".to_string()),
            ("ends_at", "14:00".into()),
            ("place", place.into()),
            ("version", v.into()),
        ]
    };
    type Form = Vec<(&'static str, String)>;
    let cases: Vec<(String, String, Form, Form, Form, &str)> = vec![
        (
            format!("/clients/{k}/edit"),
            format!("/clients/{k}"),
            client_form("Kertoo itse", "1"),
            client_form("Ei kerro", "1"),
            client_form("Ei kerro", "2"),
            "Kertoo itse",
        ),
        (
            format!("/outreach/{o}/edit"),
            format!("/outreach/{o}"),
            outreach_form("Tarvitsevat kokin", "1"),
            outreach_form("Ei tarvetta", "1"),
            outreach_form("Ei tarvetta", "2"),
            "Tarvitsevat kokin",
        ),
        (
            format!("/partners/{pa}/edit"),
            format!("/partners/{pa}"),
            partner_form("Jäsenilta", "1"),
            partner_form("Aamukahvit", "1"),
            partner_form("Aamukahvit", "2"),
            "Jäsenilta",
        ),
        (
            format!("/contact-days/{d}"),
            format!("/contact-days/{d}/move"),
            day_form("Kirjasto", "1"),
            day_form("Kauppakeskus", "1"),
            day_form("Kauppakeskus", "2"),
            "Kirjasto",
        ),
    ];
    for (form_page, action, theirs, mine, mine_again, their_value) in cases {
        let opened = a.get(&form_page).await;
        assert!(
            opened.text.contains(r#"name="version" value="1""#),
            "{form_page}: {}",
            opened.text
        );
        let saved = b.post(&action, &fields(&theirs)).await;
        assert_eq!(
            saved.status,
            StatusCode::SEE_OTHER,
            "{action}: {}",
            saved.text
        );
        let r = a.post(&action, &fields(&mine)).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{action}: {}", r.text);
        assert!(r.text.contains("stale-note"), "{action}: {}", r.text);
        assert!(
            r.text.contains(their_value),
            "{action}: theirs shown: {}",
            r.text
        );
        // Only real differences: not a local time against its UTC twin, not a
        // municipality's name against its code, not the editor's own other fields.
        let notes =
            r.text.matches("Tallennettuna nyt").count() + r.text.matches("Saved now").count();
        assert_eq!(notes, 1, "{action}: one field differs: {}", r.text);
        assert!(
            r.text.contains(r#"name="version" value="2""#),
            "{action}: {}",
            r.text
        );
        let again = a.post(&action, &fields(&mine_again)).await;
        assert_eq!(
            again.status,
            StatusCode::SEE_OTHER,
            "{action}: {}",
            again.text
        );
    }
    assert_eq!(
        lead.get(&format!("/api/v1/clients/{k}")).await.json["disclosure_notes"],
        "Ei kerro"
    );
    assert_eq!(
        lead.get(&format!("/api/v1/outreach/{o}")).await.json["learned"],
        "Ei tarvetta"
    );
    assert_eq!(
        lead.get(&format!("/api/v1/partners/{pa}")).await.json["notes"],
        "Aamukahvit"
    );
    assert_eq!(
        lead.get(&format!("/api/v1/contact-days/{d}")).await.json["place"],
        "Kauppakeskus"
    );
}

/// The follow-up list's buttons carry the version the list showed: done from a list
/// opened before a colleague snoozed it goes back to the list with a note, and changes
/// nothing.
async fn a_follow_up_button_from_an_old_list_says_it_changed(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let e = id(&api
        .post("/api/v1/employers", json!({"name": "Kahvila Oy"}))
        .await);
    let due = app.clock.now().date().to_string();
    let f = id(&api
        .post(
            "/api/v1/follow-ups",
            json!({"employer_id": e, "title": "Soita kahvilaan", "due_on": due}),
        )
        .await);
    let mut a = app.browser();
    a.login("a@a.fi", PASSWORD).await;
    let list = a.get("/follow-ups").await;
    assert!(
        list.text.contains(r#"name="version" value="1""#),
        "{}",
        list.text
    );
    api.post(
        &format!("/api/v1/follow-ups/{f}/actions"),
        json!({"action": "snooze"}),
    )
    .await;
    let r = a
        .post(&format!("/follow-ups/{f}/done"), &[("version", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let shown = a.get("/follow-ups").await;
    assert!(
        shown.text.contains("changed this follow-up meanwhile")
            || shown.text.contains("muutti tätä tehtävää"),
        "{}",
        shown.text
    );
    assert!(
        shown
            .text
            .contains(r#"<p class="flash warn" role="alert">"#),
        "a warning, not a success: {}",
        shown.text
    );
    let now = api.get(&format!("/api/v1/follow-ups/{f}")).await;
    assert_eq!(now.json["status"], "open", "{}", now.text);
    let r = a
        .post(&format!("/follow-ups/{f}/done"), &[("version", "2")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let now = api.get(&format!("/api/v1/follow-ups/{f}")).await;
    assert_eq!(now.json["status"], "done", "{}", now.text);
}

/// One record through the cycle: an edit from the version read applies (+1); a second
/// from that same version answers 409 with the record as it is now, the field that
/// differs and its stored value, and stores nothing; an edit without a version applies;
/// a version that is no number is refused by name. (Also used by `hardening.rs`.)
pub async fn stale_edit_cycle(
    api: &crate::helpers::Api,
    path: &str,
    field: &str,
    first: &str,
    second: &str,
) {
    // The version as read now: other writers count up too (a placement sets the job
    // seeker working).
    let before = api.get(path).await;
    let v = before.json["version"].as_i64().unwrap();
    let ok = api.patch(path, json!({field: first, "version": v})).await;
    assert_eq!(ok.status, StatusCode::OK, "{path}: {}", ok.text);
    assert_eq!(ok.json["version"], v + 1, "{path}: {}", ok.text);
    let stale = api.patch(path, json!({field: second, "version": v})).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{path}: {}", stale.text);
    assert_eq!(stale.content_type, "application/problem+json");
    assert_eq!(stale.json["version"], v + 1, "{path}");
    assert_eq!(
        stale.json["current"][field], first,
        "{path}: {}",
        stale.text
    );
    assert!(
        stale.json["errors"][field][0]
            .as_str()
            .is_some_and(|m| m.contains(first)),
        "{path}: {}",
        stale.text
    );
    assert_eq!(api.get(path).await.json[field], first, "{path}");
    let blind = api.patch(path, json!({field: second})).await;
    assert_eq!(blind.status, StatusCode::OK, "{path}: {}", blind.text);
    assert_eq!(blind.json["version"], v + 2, "{path}");
    assert_eq!(blind.json[field], second, "{path}");
    let bad = api.patch(path, json!({"version": "kolme"})).await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{path}: {}",
        bad.text
    );
    assert!(
        bad.json["errors"]["version"].is_array(),
        "{path}: {}",
        bad.text
    );
}
