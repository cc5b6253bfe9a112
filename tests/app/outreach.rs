//! The employer contact log, follow-ups, the timeline and the collision guard.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::json;

use crate::helpers::{utc, Api, TestApp};
use crate::on_both_databases;

on_both_databases!(
    logging_editing_and_the_timeline,
    collision_guard_inside_and_outside_its_window,
    follow_ups_done_snooze_reassign,
    outreach_is_isolated_between_organisations
);

async fn employer(api: &Api, name: &str) -> i64 {
    let r = api.post("/api/v1/employers", json!({"name": name})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json["id"].as_i64().unwrap()
}

async fn count(api: &Api, employer: i64) -> usize {
    api.get(&format!("/api/v1/outreach?employer_id={employer}"))
        .await
        .json["items"]
        .as_array()
        .unwrap()
        .len()
}

async fn logging_editing_and_the_timeline(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let e = employer(&api, "Kahvila Aamu").await;
    // Only the employer: now, me, in person, first visit, introduce.
    let r = api
        .post("/api/v1/outreach", json!({"employer_id": e}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["occurred_at"], "2026-11-24T10:00:00Z");
    assert_eq!(r.json["specialist_id"], api.user_id);
    assert_eq!(r.json["channel"], "in_person");
    assert_eq!(r.json["visit_kind"], "first");
    assert_eq!(r.json["purpose"], "introduce");
    assert_eq!(r.json["on_behalf_of"], "general");
    assert_eq!(
        api.get(&format!("/api/v1/employers/{e}")).await.json["stage"],
        "introduced"
    );
    // A learning visit earlier today (local time), with a next step.
    let r = api
        .post(
            "/api/v1/outreach",
            json!({"employer_id": e, "occurred_at": "2026-11-24T11:30", "purpose": "learn_needs",
                   "met_hiring_authority": true, "learned": "Aamuvuoroihin tarvitaan apua",
                   "next_step": "Kiitoskortti", "next_step_due": "2026-11-27"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(
        r.json["occurred_at"], "2026-11-24T09:30:00Z",
        "11:30 in Helsinki is 09:30 UTC"
    );
    assert_eq!(
        r.json["visit_kind"], "first",
        "the earlier visit of the day came first"
    );
    let id = r.json["id"].as_i64().unwrap();
    assert_eq!(
        api.get(&format!("/api/v1/employers/{e}")).await.json["stage"],
        "learning_needs"
    );
    let fu = api.get("/api/v1/follow-ups").await;
    assert_eq!(fu.json["items"][0]["title"], "Kiitoskortti");
    assert_eq!(fu.json["items"][0]["due_on"], "2026-11-27");
    // Edit.
    let p = api
        .patch(
            &format!("/api/v1/outreach/{id}"),
            json!({"outcome": "Sovittiin uusi käynti"}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    assert_eq!(p.json["outcome"], "Sovittiin uusi käynti");
    assert_eq!(p.json["learned"], "Aamuvuoroihin tarvitaan apua");
    // Bad input: named fields, nothing stored, nothing changed.
    let before = count(&api, e).await;
    let bad = api
        .post("/api/v1/outreach", json!({"employer_id": e, "channel": "pigeon", "occurred_at": "2026-12-24T10:00", "next_step_due": "huomenna"}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["channel", "occurred_at", "next_step_due"] {
        assert!(bad.json["errors"][f].is_array(), "{f}: {}", bad.text);
    }
    let bad = api
        .post("/api/v1/outreach", json!({"employer_id": 999999}))
        .await;
    assert!(bad.json["errors"]["employer_id"].is_array());
    let bad = api
        .patch(
            &format!("/api/v1/outreach/{id}"),
            json!({"purpose": "chat"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&api, e).await, before);
    assert_eq!(
        api.get(&format!("/api/v1/outreach/{id}")).await.json["purpose"],
        "learn_needs"
    );
    // The timeline: newest first, stage changes included, next step suggested.
    let t = api.get(&format!("/api/v1/employers/{e}/timeline")).await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.text);
    let kinds: Vec<&str> = t.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"contact") && kinds.contains(&"stage") && kinds.contains(&"follow_up"),
        "{kinds:?}"
    );
    let ats: Vec<&str> = t.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["at"].as_str().unwrap())
        .collect();
    assert!(
        ats.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {ats:?}"
    );
    assert_eq!(t.json["suggested_step"], "thank_you");
    assert_eq!(t.json["next_planned"]["kind"], "follow_up");
    assert_eq!(t.json["in_person_visits"], 2);
    // Delete.
    assert_eq!(
        api.delete(&format!("/api/v1/outreach/{id}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        api.get(&format!("/api/v1/outreach/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn collision_guard_inside_and_outside_its_window(app: TestApp) {
    app.clock.set(utc("2026-11-02 10:00"));
    let mut first = app.user("Org A", "eka@a.fi", Role::Specialist);
    let mut second = app.user("Org A", "toka@a.fi", Role::Specialist);
    first.lang = Some("en");
    second.lang = Some("en");
    let e = employer(&first, "Rakennus Oy").await;
    assert_eq!(
        first
            .post(
                "/api/v1/outreach",
                json!({"employer_id": e, "purpose": "introduce"})
            )
            .await
            .status,
        StatusCode::CREATED
    );
    // Three days later a colleague: shown who, when and why; nothing stored.
    app.clock.set(utc("2026-11-05 10:00"));
    let r = second
        .post(
            "/api/v1/outreach",
            json!({"employer_id": e, "channel": "phone"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let c = &r.json["collisions"][0];
    assert_eq!(c["kind"], "contacted");
    assert_eq!(c["who"], "eka@a.fi");
    assert_eq!(c["on"], "2026-11-02");
    assert_eq!(c["purpose"], "introduce");
    assert!(
        c["message"].as_str().unwrap().contains("eka@a.fi"),
        "{}",
        r.text
    );
    assert_eq!(count(&first, e).await, 1);
    // Acknowledged, it is saved.
    let r = second
        .post(
            "/api/v1/outreach",
            json!({"employer_id": e, "channel": "phone", "occurred_at": "2026-11-05T09:59:30Z", "acknowledge_collisions": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // Editing it from a form that keeps minutes only is not a move: no collision again.
    let edited = second
        .patch(
            &format!("/api/v1/outreach/{}", r.json["id"]),
            json!({"occurred_at": "2026-11-05T11:59", "learned": "Soitetaan keväällä"}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    // Outside the 14-day window: no collision.
    app.clock.set(utc("2026-11-20 10:00"));
    let other = employer(&first, "Toinen Oy").await;
    first
        .post("/api/v1/outreach", json!({"employer_id": other}))
        .await;
    app.clock.set(utc("2026-12-05 10:00"));
    let r = second
        .post("/api/v1/outreach", json!({"employer_id": other}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "15 days later: {}", r.text);
    // A colleague's plan inside the window also shows.
    let plan = first
        .post(
            "/api/v1/plan/items",
            json!({"employer_id": e, "planned_on": "2026-12-10"}),
        )
        .await;
    assert_eq!(plan.status, StatusCode::CREATED, "{}", plan.text);
    let r = second
        .post(
            "/api/v1/plan/items",
            json!({"employer_id": e, "planned_on": "2026-12-14"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json["collisions"][0]["kind"], "planned");
    assert_eq!(r.json["collisions"][0]["on"], "2026-12-10");
    // "Contact at most every 30 days" holds even for the same specialist.
    let picky = first
        .post(
            "/api/v1/employers",
            json!({"name": "Tarkka Oy", "contact_interval_days": 30}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        first
            .post("/api/v1/outreach", json!({"employer_id": picky}))
            .await
            .status,
        StatusCode::CREATED
    );
    app.clock.set(utc("2026-12-25 10:00"));
    let r = first
        .post("/api/v1/outreach", json!({"employer_id": picky}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json["collisions"][0]["kind"], "interval");
    assert_eq!(r.json["collisions"][0]["days"], 30);
    app.clock.set(utc("2027-01-05 10:00"));
    assert_eq!(
        first
            .post("/api/v1/outreach", json!({"employer_id": picky}))
            .await
            .status,
        StatusCode::CREATED,
        "31 days later"
    );
    // Do-not-contact employers are flagged for everyone.
    // Do not contact is a stop, with its reason (issue 12): it is not set without one,
    let r = first
        .post(
            "/api/v1/employers",
            json!({"name": "Ei Oy", "stage": "do_not_contact"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.json["errors"]["do_not_contact_reason"].is_array(),
        "{}",
        r.text
    );
    let r = first
        .post(
            "/api/v1/employers",
            json!({"name": "Ei Oy", "stage": "do_not_contact", "do_not_contact_reason": "Pyysi rauhaa syksyksi"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["do_not_contact_reason"], "Pyysi rauhaa syksyksi");
    let dnc = r.json["id"].as_i64().unwrap();
    // no contact is logged or planned, even acknowledged, and the refusal says why,
    for body in [
        json!({"employer_id": dnc}),
        json!({"employer_id": dnc, "acknowledge_collisions": true}),
    ] {
        let r = first.post("/api/v1/outreach", body).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        let why = r.json["errors"]["employer_id"][0]
            .as_str()
            .unwrap_or_default();
        assert!(why.contains("Pyysi rauhaa syksyksi"), "{}", r.text);
    }
    let r = first
        .post(
            "/api/v1/plan/items",
            json!({"employer_id": dnc, "planned_on": "2027-06-01", "acknowledge_collisions": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("Pyysi rauhaa syksyksi"));
    assert_eq!(count(&first, dnc).await, 0);
    // a specialist cannot lift it,
    let r = first
        .patch(
            &format!("/api/v1/employers/{dnc}"),
            json!({"stage": "introduced"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.json["errors"]["stage"].is_array(), "{}", r.text);
    // a team lead can, and the reason goes with the stop.
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let r = lead
        .patch(
            &format!("/api/v1/employers/{dnc}"),
            json!({"stage": "introduced"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.json["do_not_contact_reason"].is_null());
    let r = first
        .post(
            "/api/v1/outreach",
            json!({"employer_id": dnc, "acknowledge_collisions": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // The employer's page shows the stop and offers no logging while it holds.
    let mut b = app.browser();
    b.login("lead@a.fi", crate::helpers::PASSWORD).await;
    let stopped = lead
        .post(
            "/api/v1/employers",
            json!({"name": "Toinen Ei Oy", "stage": "do_not_contact", "do_not_contact_reason": "Omistaja vaihtuu"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let page = b.get(&format!("/employers/{stopped}")).await;
    assert!(page.text.contains("id=\"do-not-contact\"") && page.text.contains("Omistaja vaihtuu"));
    assert!(!page.text.contains("id=\"log-contact\""));
}

async fn follow_ups_done_snooze_reassign(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let colleague = app.user("Org A", "b@a.fi", Role::Specialist);
    let stranger = app.user("Org B", "x@b.fi", Role::Specialist);
    let e = employer(&api, "Kauppa Oy").await;
    let r = api
        .post(
            "/api/v1/follow-ups",
            json!({"employer_id": e, "title": "Soita", "due_on": "2026-11-26"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json["id"].as_i64().unwrap();
    assert_eq!(r.json["overdue"], false);
    // Another organisation's employer is bad input there, like any unknown reference.
    let r = stranger
        .post(
            "/api/v1/follow-ups",
            json!({"employer_id": e, "title": "Soita", "due_on": "2026-11-26"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.json["errors"]["employer_id"].is_array());
    app.clock.set(utc("2026-11-27 10:00"));
    assert_eq!(
        api.get(&format!("/api/v1/follow-ups/{id}")).await.json["overdue"],
        true,
        "overdue the next day"
    );
    let s = api
        .post(
            &format!("/api/v1/follow-ups/{id}/actions"),
            json!({"action": "snooze"}),
        )
        .await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.text);
    assert_eq!(s.json["due_on"], "2026-12-04", "a week from today");
    assert_eq!(s.json["overdue"], false);
    let s = api
        .post(
            &format!("/api/v1/follow-ups/{id}/actions"),
            json!({"action": "snooze", "until": "2026-12-01"}),
        )
        .await;
    assert_eq!(s.json["due_on"], "2026-12-01");
    let bad = api
        .post(
            &format!("/api/v1/follow-ups/{id}/actions"),
            json!({"action": "reassign", "assignee_id": stranger.user_id}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = api
        .post(
            &format!("/api/v1/follow-ups/{id}/actions"),
            json!({"action": "reassign", "assignee_id": colleague.user_id}),
        )
        .await;
    assert_eq!(r.json["assignee_id"], colleague.user_id);
    assert_eq!(
        api.get("/api/v1/follow-ups").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        colleague.get("/api/v1/follow-ups").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let d = colleague
        .post(
            &format!("/api/v1/follow-ups/{id}/actions"),
            json!({"action": "done"}),
        )
        .await;
    assert_eq!(d.json["status"], "done");
    assert_eq!(
        colleague.get("/api/v1/follow-ups").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let bad = api
        .post(
            &format!("/api/v1/follow-ups/{id}/actions"),
            json!({"action": "explode"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn outreach_is_isolated_between_organisations(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let a = app.user("Org A", "a@a.fi", Role::Specialist);
    let b = app.user("Org B", "b@b.fi", Role::Specialist);
    let e = employer(&a, "A:n työnantaja").await;
    let o = a
        .post(
            "/api/v1/outreach",
            json!({"employer_id": e, "next_step": "Soita", "next_step_due": "2026-11-30"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let f = a.get("/api/v1/follow-ups").await.json["items"][0]["id"]
        .as_i64()
        .unwrap();
    let l = a
        .post(
            "/api/v1/leads",
            json!({"employer_id": e, "title": "Kahvilatyöntekijä"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let p = a
        .post(
            "/api/v1/plan/items",
            json!({"employer_id": e, "planned_on": "2026-11-26"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    for path in [
        format!("/api/v1/outreach/{o}"),
        format!("/api/v1/employers/{e}/timeline"),
        format!("/api/v1/follow-ups/{f}"),
        format!("/api/v1/leads/{l}"),
        format!("/api/v1/plan/items/{p}"),
        format!("/api/v1/plan/week?user={}", a.user_id),
        format!("/api/v1/outreach?employer_id={e}"),
    ] {
        assert_eq!(b.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        b.patch(&format!("/api/v1/outreach/{o}"), json!({"outcome": "B"}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.delete(&format!("/api/v1/outreach/{o}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.post(
            &format!("/api/v1/follow-ups/{f}/actions"),
            json!({"action": "done"})
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.patch(&format!("/api/v1/leads/{l}"), json!({"title": "B"}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.patch(
            &format!("/api/v1/plan/items/{p}"),
            json!({"planned_on": "2026-11-27"})
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.post(&format!("/api/v1/plan/items/{p}/cancel"), json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // B cannot write against A's employer, and the answer does not tell it exists.
    for (path, body) in [
        ("/api/v1/outreach", json!({"employer_id": e})),
        ("/api/v1/leads", json!({"employer_id": e, "title": "X"})),
        (
            "/api/v1/plan/items",
            json!({"employer_id": e, "planned_on": "2026-11-26"}),
        ),
        (
            "/api/v1/follow-ups",
            json!({"employer_id": e, "title": "X", "due_on": "2026-11-26"}),
        ),
    ] {
        let r = b.post(path, body).await;
        assert!(
            matches!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::NOT_FOUND
            ),
            "{path}: {}",
            r.status
        );
    }
    for path in [
        "/api/v1/outreach",
        "/api/v1/leads",
        "/api/v1/follow-ups?assignee=all",
    ] {
        assert_eq!(
            b.get(path).await.json["items"].as_array().unwrap().len(),
            0,
            "{path}"
        );
    }
    let week = b.get("/api/v1/plan/week?week=2026-W48").await;
    assert!(!week.text.contains("A:n työnantaja"));
    // A's data is intact.
    assert_eq!(
        a.get(&format!("/api/v1/outreach/{o}")).await.json["outcome"],
        serde_json::Value::Null
    );
    assert_eq!(
        a.get(&format!("/api/v1/plan/items/{p}")).await.json["status"],
        "planned"
    );
}
