//! Recorded API answers: one of each resource, each list and each error shape, on the demo
//! data at a fixed time. A refactoring must leave them byte for byte the same; a change
//! that means to alter an answer updates the file (`UPDATE_SNAPSHOTS=1 cargo test
//! snapshots`) and says why in its commit.
//!
//! Secrets (tokens, feed addresses) and times taken from the real clock are replaced by
//! placeholders; everything else is compared as the server sent it.

use chrono::{Duration, NaiveDateTime, Utc};
use placefirst::domain::auth::create_token;
use placefirst::domain::clock::Clock;
use placefirst::domain::users::{find_by_email, load_actor, Role};
use serde_json::{json, Value};

use crate::helpers::{Api, Resp, TestApp};
use crate::on_both_databases;

on_both_databases!(api_answers_match_the_snapshots);

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn api_for(app: &TestApp, email: &str) -> Api {
    let mut conn = app.state.pool.get().unwrap();
    let user = find_by_email(&mut conn, email).unwrap().unwrap();
    let actor = load_actor(&mut conn, user.id).unwrap().unwrap();
    let (_, token) = create_token(&mut conn, &actor, "snapshot", app.clock.now()).unwrap();
    Api {
        client: awc::Client::builder()
            .disable_redirects()
            .timeout(std::time::Duration::from_secs(30))
            .finish(),
        base: app.base.clone(),
        token: Some(token),
        lang: None,
        user_id: actor.user_id,
        org_id: actor.org_id,
    }
}

/// Strings in the answer that differ from run to run: secrets, and times from the real
/// clock (today or yesterday, UTC, so a run across midnight still matches).
fn volatile(v: &Value, key: &str, out: &mut Vec<String>) {
    let real_days = [
        Utc::now().date_naive(),
        Utc::now().date_naive() - Duration::days(1),
    ]
    .map(|d| d.format("%Y-%m-%d").to_string());
    match v {
        Value::Object(m) => m.iter().for_each(|(k, v)| volatile(v, k, out)),
        Value::Array(a) => a.iter().for_each(|v| volatile(v, key, out)),
        Value::String(s) => {
            let secret = ["token", "secret", "url", "feed_url", "link"].contains(&key);
            if (secret && s.len() >= 16) || real_days.iter().any(|d| s.starts_with(d.as_str())) {
                out.push(s.clone());
            }
        }
        _ => {}
    }
}

struct Recorder {
    out: String,
}

impl Recorder {
    fn add(&mut self, what: &str, r: &Resp) {
        let mut text = r.text.clone();
        let mut found = Vec::new();
        volatile(&r.json, "", &mut found);
        found.sort_by_key(|s| std::cmp::Reverse(s.len()));
        for s in found {
            let escaped = serde_json::to_string(&s).unwrap();
            text = text.replace(&escaped, "\"<volatile>\"");
        }
        self.out.push_str(&format!(
            "### {what}\n{} {}\n{text}\n\n",
            r.status.as_u16(),
            r.content_type
        ));
    }
}

async fn api_answers_match_the_snapshots(app: TestApp) {
    let t0 = at("2026-11-18 09:30");
    app.clock.set(t0);
    {
        let mut conn = app.state.pool.get().unwrap();
        placefirst::demo::load(&mut conn, 200, t0).unwrap();
    }
    let spec = api_for(&app, "mikko.virtanen@demo.placefirst.fi");
    let lead = api_for(&app, "sanna.lehtonen@demo.placefirst.fi");
    let mut rec = Recorder { out: String::new() };

    // Reads: every list and one of each resource.
    let gets = [
        "/api/v1/me",
        "/api/v1/employers",
        "/api/v1/employers?stage=active&sort=name",
        "/api/v1/employers/3",
        "/api/v1/employers/3/contacts",
        "/api/v1/employers/3/timeline",
        "/api/v1/contacts/5",
        "/api/v1/outreach",
        "/api/v1/outreach/40",
        "/api/v1/follow-ups",
        "/api/v1/leads",
        "/api/v1/leads/2",
        "/api/v1/leads/2/matches",
        "/api/v1/occupations?q=kokki",
        "/api/v1/clients",
        "/api/v1/clients/1",
        "/api/v1/clients/1/profile",
        "/api/v1/clients/1/profile/history",
        "/api/v1/clients/1/matches",
        "/api/v1/clients/1/proposals",
        "/api/v1/clients/1/contacts",
        "/api/v1/caseload",
        "/api/v1/placements?client_id=1",
        "/api/v1/plan/week",
        "/api/v1/plan/week?week=2026-W46",
        "/api/v1/plan/team",
        "/api/v1/contact-days",
        "/api/v1/partners",
        "/api/v1/partners/1",
        "/api/v1/partners/1/members",
        "/api/v1/partners/1/agreements",
        "/api/v1/partners/1/events",
        "/api/v1/partners/1/report",
        "/api/v1/me/mail",
        "/api/v1/events",
        "/api/v1/calendar/subscriptions",
        "/api/v1/fidelity",
        "/api/v1/outcomes",
    ];
    for path in gets {
        let r = spec.get(path).await;
        rec.add(&format!("GET {path}"), &r);
    }
    for path in [
        "/api/v1/fidelity?from=2026-10-01&to=2026-11-15",
        "/api/v1/teams/1/agenda",
        "/api/v1/review-packs",
        "/api/v1/outbox",
    ] {
        let r = lead.get(path).await;
        rec.add(&format!("GET {path} (team lead)"), &r);
    }

    // Writes: one of each kind, and what they answer.
    let writes: Vec<(&str, &str, Value)> = vec![
        (
            "POST",
            "/api/v1/employers",
            json!({"name": "Kahvila Aamu Oy", "business_id": "1572860-0", "industry": "I",
                   "size_class": "1-9", "municipality_code": "837", "tags": ["Kahvila"], "stage": "introduced"}),
        ),
        (
            "POST",
            "/api/v1/employers/201/contacts",
            json!({"name": "Liisa Laine", "title": "Omistaja", "email": "liisa@aamu.example.fi",
                   "preferred_channel": "phone"}),
        ),
        (
            "POST",
            "/api/v1/outreach",
            json!({"employer_id": 201, "channel": "in_person", "visit_kind": "first",
                   "purpose": "learn_needs", "occurred_at": "2026-11-18T10:00", "learned": "Tarvitsevat aamuvuoroon",
                   "on_behalf_of": "clients", "client_ids": [1], "met_hiring_authority": true,
                   "next_step": "Soita", "next_step_due": "2026-11-25"}),
        ),
        (
            "POST",
            "/api/v1/leads",
            json!({"employer_id": 201, "title": "Kahvilatyöntekijä", "hours_min": 15, "hours_max": 25,
                   "source": "employer_contact", "municipality_code": "837", "schedule": {"days": ["mon", "tue"], "shifts": ["day"]}}),
        ),
        (
            "POST",
            "/api/v1/clients",
            json!({"consent_to_contact_employers": true, "display_name": "Testi T.", "intake_date": "2026-11-01", "status": "job_search"}),
        ),
        (
            "POST",
            "/api/v1/plan/items",
            json!({"employer_id": 201, "planned_on": "2026-11-20", "planned_time": "10:00", "channel": "phone", "purpose": "follow_up"}),
        ),
        (
            "POST",
            "/api/v1/follow-ups",
            json!({"employer_id": 201, "due_on": "2026-11-27", "title": "Kysy vuoroista"}),
        ),
        (
            "POST",
            "/api/v1/partners",
            json!({"name": "Tampereen Yrittäjät", "kind": "entrepreneur_association"}),
        ),
        (
            "POST",
            "/api/v1/contact-days",
            json!({"date": "2026-11-26", "starts_at": "09:00", "ends_at": "12:00",
                   "theme": "Kaupan ala", "place": "Toimisto"}),
        ),
        (
            "PATCH",
            "/api/v1/employers/201",
            json!({"stage": "learning_needs", "tags": null}),
        ),
        (
            "PATCH",
            "/api/v1/employers/201",
            json!({"stage": "learning_needs", "description": null}),
        ),
        (
            "POST",
            "/api/v1/proposals",
            json!({"lead_id": 2, "client_id": 1, "reason": "Toiveet sopivat"}),
        ),
        (
            "POST",
            "/api/v1/placements",
            json!({"client_id": 1, "employer_id": 201, "job_title": "Kahvilatyöntekijä", "hours_per_week": 20,
                   "starts_on": "2026-11-16", "employment_type": "fixed_term", "disclosure": "general"}),
        ),
        // Error shapes: validation, unknown reference, conflict, bad body.
        (
            "POST",
            "/api/v1/employers",
            json!({"name": "", "business_id": "1572860-1", "stage": "sideways"}),
        ),
        (
            "POST",
            "/api/v1/outreach",
            json!({"employer_id": 999999, "channel": "pigeon"}),
        ),
        (
            "POST",
            "/api/v1/employers",
            json!({"name": "Toinen Aamu", "business_id": "1572860-0"}),
        ),
        ("POST", "/api/v1/clients", json!({"status": 7})),
        ("POST", "/api/v1/outreach", json!({"employer_id": 201})),
    ];
    for (method, path, body) in writes {
        let r = match method {
            "POST" => spec.post(path, body.clone()).await,
            _ => spec.patch(path, body.clone()).await,
        };
        rec.add(&format!("{method} {path} {body}"), &r);
    }
    for path in [
        "/api/v1/employers/201",
        "/api/v1/leads/61",
        "/api/v1/placements?client_id=1",
        "/api/v1/employers/99999",
        "/api/v1/nothing-here",
    ] {
        let r = spec.get(path).await;
        rec.add(&format!("GET {path}"), &r);
    }
    let anonymous = Api {
        token: None,
        ..api_for(&app, "mikko.virtanen@demo.placefirst.fi")
    };
    let r = anonymous.get("/api/v1/employers").await;
    rec.add("GET /api/v1/employers (no token)", &r);
    let viewer = app.user(
        placefirst::demo::ORG,
        "viewer@demo.placefirst.fi",
        Role::Viewer,
    );
    let r = viewer
        .post("/api/v1/employers", json!({"name": "Viewer Oy"}))
        .await;
    rec.add("POST /api/v1/employers (viewer)", &r);
    let r = spec
        .post_raw("/api/v1/employers", "application/json", "{not json")
        .await;
    rec.add("POST /api/v1/employers {not json", &r);

    compare(app.backend, &rec.out);
}

fn compare(backend: &str, got: &str) {
    let path = format!(
        "{}/tests/snapshots/api-{backend}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let update = std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1");
    match std::fs::read_to_string(&path) {
        Ok(want) if !update => {
            if want != got {
                let new = format!("{path}.new");
                std::fs::write(&new, got).unwrap();
                let line = want
                    .lines()
                    .zip(got.lines())
                    .position(|(a, b)| a != b)
                    .map_or(want.lines().count().min(got.lines().count()), |i| i);
                panic!(
                    "API answers differ from {path} from line {} on; the new answers are in {new} (diff them)",
                    line + 1
                );
            }
        }
        _ => {
            assert!(
                std::env::var("CI").is_err() || update,
                "snapshot {path} is missing; record it with UPDATE_SNAPSHOTS=1"
            );
            std::fs::create_dir_all(std::path::Path::new(&path).parent().unwrap()).unwrap();
            std::fs::write(&path, got).unwrap();
            eprintln!("recorded {path}");
        }
    }
}
