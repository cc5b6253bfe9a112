//! The authorisation matrix: every API route that names a record, for every role in the
//! record's organisation and for an administrator of another organisation, with the
//! status each must get written out. Reads first, then writes that change nothing
//! when repeated (the same value again), so the order of the callers does not matter.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::{json, Value};

use crate::helpers::{Api, Resp, TestApp};
use crate::on_both_databases;

on_both_databases!(every_route_by_every_role);

async fn id(r: Resp) -> i64 {
    assert!(r.status.is_success(), "{}", r.text);
    r.json["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{}", r.text))
}

/// The callers, in the order of the expected-status columns.
const WHO: [&str; 6] = ["admin", "lead", "owner", "colleague", "viewer", "other org"];

async fn call(api: &Api, method: &str, path: &str, body: &Value) -> StatusCode {
    match method {
        "GET" => api.get(path).await.status,
        "POST" => api.post(path, body.clone()).await.status,
        "PATCH" => api.patch(path, body.clone()).await.status,
        "PUT" => api.put(path, body.clone()).await.status,
        "DELETE" => api.delete(path).await.status,
        other => panic!("{other}"),
    }
}

async fn every_route_by_every_role(app: TestApp) {
    let admin = app.user("Org A", "admin@a.fi", Role::Admin);
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let owner = app.user("Org A", "s1@a.fi", Role::Specialist);
    let colleague = app.user("Org A", "s2@a.fi", Role::Specialist);
    let viewer = app.user("Org A", "viewer@a.fi", Role::Viewer);
    let other = app.user("Org B", "admin@b.fi", Role::Admin);
    let callers = [&admin, &lead, &owner, &colleague, &viewer, &other];
    let today = chrono::Utc::now().date_naive();
    let soon = (today + chrono::Duration::days(3)).to_string();

    // The owner's records.
    let e = id(owner
        .post("/api/v1/employers", json!({"name": "Matriisi Oy"}))
        .await)
    .await;
    let c = id(owner
        .post(
            &format!("/api/v1/employers/{e}/contacts"),
            json!({"name": "Maija"}),
        )
        .await)
    .await;
    let l = id(owner
        .post("/api/v1/leads", json!({"employer_id": e, "title": "Kokki"}))
        .await)
    .await;
    let o = id(owner
        .post("/api/v1/outreach", json!({"employer_id": e}))
        .await)
    .await;
    let p = id(owner
        .post(
            "/api/v1/plan/items",
            json!({"employer_id": e, "planned_on": soon}),
        )
        .await)
    .await;
    let f = id(owner
        .post(
            "/api/v1/follow-ups",
            json!({"employer_id": e, "title": "Soita", "due_on": soon}),
        )
        .await)
    .await;
    let k = id(owner
        .post(
            "/api/v1/clients",
            json!({"display_name": "Testi", "intake_date": "2026-10-01", "status": "job_search", "consent_to_contact_employers": true}),
        )
        .await)
    .await;
    let pl = id(owner
        .post(
            "/api/v1/placements",
            json!({"client_id": k, "employer_id": e, "job_title": "Kokki", "starts_on": soon}),
        )
        .await)
    .await;
    let pa = id(lead
        .post(
            "/api/v1/partners",
            json!({"name": "Yrittäjät", "kind": "entrepreneur_association"}),
        )
        .await)
    .await;
    let d = id(lead
        .post(
            "/api/v1/contact-days",
            json!({"date": soon, "starts_at": "09:00", "ends_at": "12:00", "place": "Toimisto", "participant_ids": [owner.user_id], "target_employer_ids": [e]}),
        )
        .await)
    .await;
    let rp = id(lead
        .post(
            "/api/v1/review-packs",
            json!({"from": "2026-11-02", "to": "2026-11-29"}),
        )
        .await
        .json["pack"]
        .clone()
        .pipe_resp())
    .await;
    let team = lead.get("/api/v1/me").await.json["team_id"]
        .as_i64()
        .unwrap_or(0);

    // (method, path, body, expected: admin lead owner colleague viewer other-org)
    let none = json!({});
    let rows: Vec<(&str, String, Value, &str)> = vec![
        (
            "GET",
            format!("/api/v1/employers/{e}"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/employers/{e}/contacts"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/employers/{e}/timeline"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/contacts/{c}"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/leads/{l}"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/leads/{l}/matches"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/outreach/{o}"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/plan/items/{p}"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/follow-ups/{f}"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/clients/{k}"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/clients/{k}/profile"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/clients/{k}/matches"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/clients/{k}/contacts"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/clients/{k}/proposals"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/placements/{pl}"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/placements/{pl}/support"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/partners/{pa}"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/partners/{pa}/members"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/partners/{pa}/agreements"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/partners/{pa}/events"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/partners/{pa}/report"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/contact-days/{d}"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/contact-days/{d}/summary"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            format!("/api/v1/teams/{team}/agenda"),
            none.clone(),
            "200 200 200 200 200 404",
        ),
        (
            "GET",
            "/api/v1/outbox".into(),
            none.clone(),
            "200 200 403 403 403 200",
        ),
        (
            "GET",
            "/api/v1/review-packs".into(),
            none.clone(),
            "200 200 403 403 403 200",
        ),
        // Writes: the same value again, so repeating them changes nothing.
        (
            "PATCH",
            format!("/api/v1/employers/{e}"),
            json!({"name": "Matriisi Oy"}),
            "200 200 200 200 403 404",
        ),
        (
            "PATCH",
            format!("/api/v1/contacts/{c}"),
            json!({"name": "Maija"}),
            "200 200 200 200 403 404",
        ),
        (
            "PATCH",
            format!("/api/v1/leads/{l}"),
            json!({"title": "Kokki"}),
            "200 200 200 200 403 404",
        ),
        (
            "PATCH",
            format!("/api/v1/outreach/{o}"),
            json!({"learned": "x"}),
            "200 200 200 403 403 404",
        ),
        (
            "PATCH",
            format!("/api/v1/plan/items/{p}"),
            json!({"note": "x"}),
            "200 200 200 403 403 404",
        ),
        (
            "PATCH",
            format!("/api/v1/clients/{k}"),
            json!({"display_name": "Testi"}),
            "200 200 200 200 403 404",
        ),
        (
            "PATCH",
            format!("/api/v1/placements/{pl}"),
            json!({"job_title": "Kokki"}),
            "200 200 200 200 403 404",
        ),
        (
            "PATCH",
            format!("/api/v1/partners/{pa}"),
            json!({"name": "Yrittäjät"}),
            "200 200 200 200 403 404",
        ),
        (
            "POST",
            format!("/api/v1/contact-days/{d}/join"),
            none.clone(),
            "200 200 200 200 403 404",
        ),
        // Revoking is for team leads and admins; revoking again changes nothing.
        (
            "DELETE",
            format!("/api/v1/review-packs/{rp}"),
            none.clone(),
            "204 204 403 403 403 404",
        ),
    ];
    let mut report = String::new();
    let mut wrong = 0;
    for (method, path, body, expected) in &rows {
        let mut got = Vec::new();
        for api in callers {
            got.push(call(api, method, path, body).await.as_u16().to_string());
        }
        let got = got.join(" ");
        let mark = if &got == expected { " " } else { "✗" };
        if &got != expected {
            wrong += 1;
        }
        report.push_str(&format!(
            "{mark} {method:6} {path:45} want {expected}  got {got}\n"
        ));
    }
    assert_eq!(wrong, 0, "columns: {}\n{report}", WHO.join(", "));
}

trait PipeResp {
    fn pipe_resp(self) -> Resp;
}

impl PipeResp for Value {
    /// A pack's JSON as if it were a response of its own (for `id`).
    fn pipe_resp(self) -> Resp {
        Resp {
            status: StatusCode::OK,
            content_type: "application/json".into(),
            location: None,
            text: self.to_string(),
            bytes: Vec::new(),
            json: self,
            set_cookies: Vec::new(),
            headers: Default::default(),
        }
    }
}
