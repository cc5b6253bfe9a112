//! The contact log, plan, follow-up and lead pages as a browser uses them.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::json;

use crate::helpers::{utc, TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(
    log_a_contact_from_the_employer_page,
    plan_page_move_cancel_and_done,
    follow_up_and_lead_pages,
    new_pages_are_isolated
);

async fn log_a_contact_from_the_employer_page(app: TestApp) {
    app.clock.set(utc("2026-11-24 08:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    app.user("Org A", "b@a.fi", Role::Specialist);
    let e = api
        .post("/api/v1/employers", json!({"name": "Kahvila Aamu"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;
    let page = b.get(&format!("/employers/{e}")).await;
    assert!(page
        .text
        .contains(&format!("href=\"/outreach/new?employer_id={e}\"")));
    let form = b.get(&format!("/outreach/new?employer_id={e}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.text.contains("value=\"2026-11-24T10:00\""),
        "now in Helsinki time is the default"
    );
    assert!(
        form.text.contains("<option value=\"in_person\" selected>"),
        "in person by default"
    );
    assert!(
        form.text.contains("<option value=\"introduce\" selected>"),
        "the suggested purpose"
    );
    // A bad time comes back with the message by the field.
    let r = b
        .post(
            "/outreach",
            &[
                ("employer_id", &e.to_string()),
                ("occurred_at", "huomenna"),
                ("learned", "Tarvitsevat apua"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("id=\"occurred_at-error\""));
    assert!(r.text.contains("Tarvitsevat apua"), "typed text is kept");
    let r = b
        .post(
            "/outreach",
            &[
                ("employer_id", &e.to_string()),
                ("occurred_at", "2026-11-24T09:45"),
                ("learned", "Tarvitsevat aamuapua"),
                ("met_hiring_authority", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = b.get(&format!("/employers/{e}")).await;
    assert!(
        page.text.contains("Tarvitsevat aamuapua"),
        "on the timeline"
    );
    assert!(page.text.contains("class=\"tl-item tl-contact"));
    // A colleague sees who was there, and saves only when acknowledging.
    let mut colleague = app.browser();
    colleague.login("b@a.fi", PASSWORD).await;
    let form = colleague
        .get(&format!("/outreach/new?employer_id={e}"))
        .await;
    assert!(
        form.text.contains("class=\"collisions\""),
        "shown before typing"
    );
    assert!(form.text.contains("a@a.fi"));
    let r = colleague
        .post(
            "/outreach",
            &[("employer_id", &e.to_string()), ("channel", "phone")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("id=\"acknowledge_collisions\""));
    let r = colleague
        .post(
            "/outreach",
            &[
                ("employer_id", &e.to_string()),
                ("channel", "phone"),
                ("acknowledge_collisions", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        api.get(&format!("/api/v1/outreach?employer_id={e}"))
            .await
            .json["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Edit an entry.
    let id = api
        .get(&format!(
            "/api/v1/outreach?employer_id={e}&channel=in_person"
        ))
        .await
        .json["items"][0]["id"]
        .as_i64()
        .unwrap();
    let edit = b.get(&format!("/outreach/{id}/edit")).await;
    assert!(edit.text.contains("value=\"2026-11-24T09:45\""));
    let r = b
        .post(
            &format!("/outreach/{id}"),
            &[
                ("employer_id", &e.to_string()),
                ("occurred_at", "2026-11-24T09:45"),
                ("purpose", "learn_needs"),
                ("outcome", "Uusi käynti sovittu"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let entry = api.get(&format!("/api/v1/outreach/{id}")).await;
    assert_eq!(entry.json["outcome"], "Uusi käynti sovittu");
    assert_eq!(entry.json["purpose"], "learn_needs");
}

async fn plan_page_move_cancel_and_done(app: TestApp) {
    app.clock.set(utc("2026-11-23 07:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let e = api
        .post("/api/v1/employers", json!({"name": "Leipomo Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;
    let r = b
        .post(
            "/plan/items",
            &[
                ("employer_id", &e.to_string()),
                ("planned_on", "2026-11-25"),
                ("planned_time", "10:00"),
                ("channel", "in_person"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let week = b.get("/plan?week=2026-W48").await;
    assert_eq!(week.status, StatusCode::OK);
    assert!(week.text.contains("Leipomo Oy"));
    // Nothing logged yet, one visit planned, against the target of six.
    assert!(
        week.text
            .contains(r#"<strong>0</strong> <span class="planned-part">+ 1</span> / 6"#),
        "{}",
        week.text
    );
    let item = api.get("/api/v1/plan/week?week=2026-W48").await.json["days"][2]["planned"][0]["id"]
        .as_i64()
        .unwrap();
    assert!(week.text.contains(&format!("/outreach/new?plan={item}")));
    let r = b
        .post(
            &format!("/plan/items/{item}/move"),
            &[("planned_on", "2026-11-26")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        api.get(&format!("/api/v1/plan/items/{item}")).await.json["planned_on"],
        "2026-11-26"
    );
    // A colleague plans the same employer; moving next to it shows the collision on a
    // form that, acknowledged, moves the item (it does not add a second one).
    let colleague = app.user("Org A", "c@a.fi", Role::Specialist);
    let r = colleague
        .post(
            "/api/v1/plan/items",
            json!({"employer_id": e, "planned_on": "2026-11-30", "acknowledge_collisions": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let theirs = r.json["id"].as_i64().unwrap();
    let r = b
        .post(
            &format!("/plan/items/{item}/move"),
            &[("planned_on", "2026-11-27")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(
        r.text
            .contains(&format!("action=\"/plan/items/{item}/move\"")),
        "{}",
        r.text
    );
    let r = b
        .post(
            &format!("/plan/items/{item}/move"),
            &[
                ("planned_on", "2026-11-27"),
                ("acknowledge_collisions", "on"),
                ("employer_id", &e.to_string()),
                ("channel", "in_person"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(
        api.get(&format!("/api/v1/plan/items/{item}")).await.json["planned_on"],
        "2026-11-27"
    );
    let mine = api.get("/api/v1/plan/week?week=2026-W48").await;
    let count: usize = mine.json["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["planned"].as_array().unwrap().len())
        .sum();
    assert_eq!(count, 1, "moved, not duplicated");
    // Back where it was, for the rest of the test, and the colleague's plan is off.
    colleague
        .post(&format!("/api/v1/plan/items/{theirs}/cancel"), json!({}))
        .await;
    let r = b
        .post(
            &format!("/plan/items/{item}/move"),
            &[
                ("planned_on", "2026-11-26"),
                ("acknowledge_collisions", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Done: the log form opens pre-filled from the plan.
    let form = b.get(&format!("/outreach/new?plan={item}")).await;
    assert!(form
        .text
        .contains(&format!("name=\"planned_contact_id\" value=\"{item}\"")));
    // Two days later: the session of the 24th has expired (it follows the clock).
    app.clock.set(utc("2026-11-26 09:00"));
    b.login("a@a.fi", PASSWORD).await;
    let r = b
        .post(
            "/outreach",
            &[
                ("employer_id", &e.to_string()),
                ("planned_contact_id", &item.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(
        api.get(&format!("/api/v1/plan/items/{item}")).await.json["status"],
        "done"
    );
    assert!(b
        .get("/plan?week=2026-W48")
        .await
        .text
        .contains("<strong>1</strong> / 6"));
    let other = api
        .post(
            "/api/v1/plan/items",
            json!({"employer_id": e, "planned_on": "2026-11-27"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        b.post(&format!("/plan/items/{other}/cancel"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        api.get(&format!("/api/v1/plan/items/{other}")).await.json["status"],
        "cancelled"
    );
    let bad = b
        .post(
            "/plan/items",
            &[("employer_id", &e.to_string()), ("planned_on", "joskus")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("id=\"planned_on-error\""));
    let team = b.get("/plan/team?week=2026-W48").await;
    assert_eq!(team.status, StatusCode::OK);
    assert!(team.text.contains("a@a.fi"));
}

async fn follow_up_and_lead_pages(app: TestApp) {
    app.clock.set(utc("2026-11-24 08:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let colleague = app.user("Org A", "b@a.fi", Role::Specialist);
    let e = api
        .post("/api/v1/employers", json!({"name": "Kauppa Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let f = api
        .post(
            "/api/v1/follow-ups",
            json!({"employer_id": e, "title": "Soita Maijalle", "due_on": "2026-11-20"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;
    let list = b.get("/follow-ups").await;
    assert!(list.text.contains("Soita Maijalle"));
    assert!(list.text.contains("fu-item overdue"), "overdue stands out");
    assert_eq!(
        b.post(&format!("/follow-ups/{f}/snooze"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        api.get(&format!("/api/v1/follow-ups/{f}")).await.json["due_on"],
        "2026-12-01"
    );
    b.post(
        &format!("/follow-ups/{f}/reassign"),
        &[("assignee_id", &colleague.user_id.to_string())],
    )
    .await;
    assert_eq!(
        api.get(&format!("/api/v1/follow-ups/{f}")).await.json["assignee_id"],
        colleague.user_id
    );
    b.post(&format!("/follow-ups/{f}/done"), &[]).await;
    assert_eq!(
        api.get(&format!("/api/v1/follow-ups/{f}")).await.json["status"],
        "done"
    );
    // Leads.
    let form = b.get(&format!("/leads/new?employer_id={e}")).await;
    assert!(form.text.contains("<datalist id=\"occupations\">"));
    let bad = b
        .post(
            "/leads",
            &[
                ("employer_id", &e.to_string()),
                ("title", "Myyjä"),
                ("hours_min", "30"),
                ("hours_max", "10"),
                ("day_sat", "on"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("id=\"hours_max-error\""));
    assert!(
        bad.text.contains("name=\"day_sat\" value=\"on\" checked"),
        "ticks are kept"
    );
    let r = b
        .post(
            "/leads",
            &[
                ("employer_id", &e.to_string()),
                ("title", "Myyjä"),
                ("isco_code", "5223 Shop sales assistants"),
                ("hours_min", "10"),
                ("hours_max", "20"),
                ("day_sat", "on"),
                ("shift_weekend", "on"),
                ("apply_by", "2026-12-15"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let lead = &api.get("/api/v1/leads").await.json["items"][0];
    assert_eq!(lead["isco_code"], "5223");
    assert_eq!(lead["schedule"]["days"], json!(["sat"]));
    assert_eq!(lead["schedule"]["shifts"], json!(["weekend"]));
    let list = b.get("/leads").await;
    assert!(list.text.contains("Myyjä"));
    // Saving the lead's page keeps who found it.
    let lid = lead["id"].as_i64().unwrap();
    b.post(
        &format!("/leads/{lid}"),
        &[
            ("employer_id", &e.to_string()),
            ("title", "Myyjä, osa-aika"),
            ("status", "open"),
        ],
    )
    .await;
    let saved = api.get(&format!("/api/v1/leads/{lid}")).await;
    assert_eq!(saved.json["title"], "Myyjä, osa-aika");
    assert_eq!(saved.json["found_by"], api.user_id);
}

async fn new_pages_are_isolated(app: TestApp) {
    app.clock.set(utc("2026-11-24 08:00"));
    let a = app.user("Org A", "a@a.fi", Role::Specialist);
    app.user("Org B", "b@b.fi", Role::Specialist);
    let e = a
        .post("/api/v1/employers", json!({"name": "A:n salainen"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let o = a
        .post("/api/v1/outreach", json!({"employer_id": e}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let l = a
        .post(
            "/api/v1/leads",
            json!({"employer_id": e, "title": "Salainen työ"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let p = a
        .post(
            "/api/v1/plan/items",
            json!({"employer_id": e, "planned_on": "2026-11-25"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let f = a
        .post(
            "/api/v1/follow-ups",
            json!({"employer_id": e, "title": "X", "due_on": "2026-11-25"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let mut b = app.browser();
    b.login("b@b.fi", PASSWORD).await;
    for path in [
        format!("/outreach/{o}/edit"),
        format!("/outreach/new?employer_id={e}"),
        format!("/outreach/new?plan={p}"),
        format!("/plan/new?employer_id={e}"),
        format!("/leads/new?employer_id={e}"),
        format!("/leads/{l}"),
        format!("/plan?user={}", a.user_id),
    ] {
        let r = b.get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            !r.text.contains("salainen") && !r.text.contains("Salainen"),
            "{path} leaks"
        );
    }
    for path in [
        format!("/outreach/{o}/delete"),
        format!("/plan/items/{p}/cancel"),
        format!("/follow-ups/{f}/done"),
        format!("/follow-ups/{f}/snooze"),
    ] {
        assert_eq!(
            b.post(&path, &[]).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        b.post(
            &format!("/leads/{l}"),
            &[("employer_id", &e.to_string()), ("title", "B")]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert!(!b.get("/leads?status=all").await.text.contains("Salainen"));
    assert!(!b
        .get("/follow-ups?all=1")
        .await
        .text
        .contains("A:n salainen"));
    assert_eq!(
        a.get(&format!("/api/v1/outreach/{o}")).await.status,
        StatusCode::OK
    );
}

on_both_databases!(the_contact_log_page);

async fn the_contact_log_page(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let other = app.user("Org A", "b@a.fi", Role::Specialist);
    let e = api
        .post("/api/v1/employers", json!({"name": "Loki Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let e2 = api
        .post("/api/v1/employers", json!({"name": "Toinen Loki Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    api.post(
        "/api/v1/outreach",
        json!({"employer_id": e, "learned": "Oma käynti", "occurred_at": "2026-11-20T10:00"}),
    )
    .await;
    other
        .post(
            "/api/v1/outreach",
            json!({"employer_id": e2, "learned": "Kollegan käynti", "channel": "phone"}),
        )
        .await;
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;
    let mine = b.get("/outreach").await;
    assert!(mine.text.contains("Oma käynti") && !mine.text.contains("Kollegan käynti"));
    let all = b.get("/outreach?who=all").await;
    assert!(all.text.contains("Oma käynti") && all.text.contains("Kollegan käynti"));
    let range = b
        .get("/outreach?who=all&from=2026-11-21&to=2026-11-24")
        .await;
    assert!(
        !range.text.contains("Oma käynti") && range.text.contains("Kollegan käynti"),
        "the 20th is outside"
    );
    let bad = b.get("/outreach?from=eilen").await;
    assert!(bad.text.contains("id=\"from-error\""));
    let listed = api
        .get("/api/v1/outreach?specialist_id=".to_string().as_str())
        .await;
    assert_eq!(listed.json["items"][0]["employer_name"], "Toinen Loki Oy");
}
