//! The weekly plan: week boundaries in Helsinki time, the in-person counter, and
//! planned work becoming logged work.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::json;

use crate::helpers::{utc, TestApp};
use crate::on_both_databases;

on_both_databases!(
    week_boundaries_and_the_in_person_counter,
    plan_to_log_conversion,
    team_week_on_one_page,
    the_week_as_a_specialist_reads_it,
    missed_logged_and_contact_days_in_the_week,
    a_colleague_reads_but_does_not_change_ones_records
);

/// Outside testers cancelled a colleague's planned visit and deleted a colleague's
/// logged contact; and logged calls on a contact day they were not on. A record is its
/// specialist's to change (a team lead may change anyone's); a colleague reads it.
async fn a_colleague_reads_but_does_not_change_ones_records(app: TestApp) {
    app.clock.set(utc("2026-11-26 10:00"));
    let mikko = app.user("Org A", "mikko@a.fi", Role::Specialist);
    let jussi = app.user("Org A", "jussi@a.fi", Role::Specialist);
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let e = mikko
        .post("/api/v1/employers", json!({"name": "Konepaja Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let item = mikko
        .post(
            "/api/v1/plan/items",
            json!({"employer_id": e, "planned_on": "2026-11-27", "planned_time": "10:00"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let entry = mikko
        .post("/api/v1/outreach", json!({"employer_id": e, "occurred_at": "2026-11-25T09:00", "acknowledge_collisions": true}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    // Jussi reads both ...
    assert_eq!(
        jussi
            .get(&format!("/api/v1/plan/items/{item}"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        jussi.get(&format!("/api/v1/outreach/{entry}")).await.status,
        StatusCode::OK
    );
    // ... but changes neither, through the API or the pages.
    for r in [
        jussi
            .patch(
                &format!("/api/v1/plan/items/{item}"),
                json!({"planned_on": "2026-11-30"}),
            )
            .await,
        jussi
            .post(&format!("/api/v1/plan/items/{item}/cancel"), json!({}))
            .await,
        jussi
            .patch(
                &format!("/api/v1/outreach/{entry}"),
                json!({"learned": "x"}),
            )
            .await,
        jussi.delete(&format!("/api/v1/outreach/{entry}")).await,
    ] {
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    }
    let mut b = app.browser();
    b.login("jussi@a.fi", crate::helpers::PASSWORD).await;
    for path in [
        format!("/plan/items/{item}/cancel"),
        format!("/outreach/{entry}/delete"),
    ] {
        assert_eq!(
            b.post(&path, &[]).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(
        b.get(&format!("/outreach/{entry}/edit")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        b.get(&format!("/outreach/new?plan={item}")).await.status,
        StatusCode::FORBIDDEN
    );
    // Mikko's week, seen by Jussi, offers no buttons to change it; the employer's
    // timeline offers no edit link for Mikko's entry.
    let week = b
        .get(&format!("/plan?week=2026-W48&user={}", mikko.user_id))
        .await;
    assert!(week.text.contains("Konepaja Oy"));
    assert!(
        !week.text.contains(&format!("/plan/items/{item}/cancel")),
        "{}",
        week.text
    );
    let page = b.get(&format!("/employers/{e}")).await;
    assert!(!page.text.contains(&format!("/outreach/{entry}/edit")));
    assert_eq!(
        mikko.get(&format!("/api/v1/plan/items/{item}")).await.json["status"],
        "planned"
    );
    assert_eq!(
        mikko.get(&format!("/api/v1/outreach/{entry}")).await.status,
        StatusCode::OK
    );
    // The team lead may, from the colleague's week, and stays on that week.
    let r = lead
        .patch(
            &format!("/api/v1/plan/items/{item}"),
            json!({"planned_time": "11:00"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let mut tl = app.browser();
    tl.login("lead@a.fi", crate::helpers::PASSWORD).await;
    let theirs = tl
        .get(&format!("/plan?week=2026-W48&user={}", mikko.user_id))
        .await;
    assert!(theirs.text.contains(&format!("/plan/items/{item}/cancel")));
    assert!(
        theirs.text.contains(&format!(
            "href=\"/plan?week&#x3D;2026-W49&amp;user&#x3D;{}\"",
            mikko.user_id
        )),
        "the week links keep whose week it is: {}",
        theirs.text
    );
    let r = tl
        .post(
            &format!("/plan/items/{item}/move"),
            &[("planned_on", "2026-11-30")],
        )
        .await;
    assert_eq!(
        r.location,
        Some(format!("/plan?week=2026-W49&user={}", mikko.user_id))
    );
    // A contact day Jussi is not on does not take his calls.
    let day = lead
        .post("/api/v1/contact-days", json!({"date": "2026-11-26", "starts_at": "9.00", "ends_at": "15:00", "place": "Toimisto", "participant_ids": [mikko.user_id], "target_employer_ids": [e]}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let r = jussi
        .post("/api/v1/outreach", json!({"employer_id": e, "contact_day_id": day, "channel": "phone", "acknowledge_collisions": true}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.json["errors"]["contact_day_id"].is_array());
    let r = b
        .post(
            &format!("/contact-days/{day}/no-answer"),
            &[("employer_id", &e.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let back = b.get(&format!("/contact-days/{day}")).await;
    assert!(
        back.text
            .contains("Et ole mukana tässä yhteydenottopäivässä"),
        "{}",
        back.text
    );
    // The form says so by the day, not only "check the fields below".
    let r = b
        .post(
            "/outreach",
            &[
                ("employer_id", &e.to_string()),
                ("contact_day_id", &day.to_string()),
                ("channel", "phone"),
                ("acknowledge_collisions", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("id=\"contact_day_id-error\""), "{}", r.text);
    assert_eq!(
        lead.get(&format!("/api/v1/contact-days/{day}")).await.json["total"]["attempted"],
        0
    );
    // Mikko, who is on it, may.
    let r = mikko
        .post("/api/v1/outreach", json!({"employer_id": e, "contact_day_id": day, "channel": "phone", "acknowledge_collisions": true}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

/// The day columns show what was done as well as what was planned: a visit from an
/// earlier day not logged is marked missed with log, reschedule and drop at hand; a
/// contact logged without a plan sits in its day; a contact day shows on a
/// participant's week; and a logged or cancelled visit cannot be moved.
async fn missed_logged_and_contact_days_in_the_week(app: TestApp) {
    // Thursday 26.11.2026 12:00 in Helsinki.
    app.clock.set(utc("2026-11-26 10:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let employer = |name: &'static str| {
        let api = &api;
        async move {
            api.post(
                "/api/v1/employers",
                json!({"name": name, "stage": "active"}),
            )
            .await
            .json["id"]
                .as_i64()
                .unwrap()
        }
    };
    let (e1, e2, e3) = (
        employer("Leipomo Oy").await,
        employer("Kahvila Oy").await,
        employer("Kukka Oy").await,
    );
    let plan = |e: i64, day: &'static str| {
        let api = &api;
        async move {
            let r = api
                .post(
                    "/api/v1/plan/items",
                    json!({"employer_id": e, "planned_on": day, "planned_time": "09:30", "channel": "in_person", "acknowledge_collisions": true}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            r.json["id"].as_i64().unwrap()
        }
    };
    let missed = plan(e1, "2026-11-24").await;
    let ahead = plan(e2, "2026-11-27").await;
    // Logged on Wednesday without a plan: a phone call.
    log(&api, e3, "2026-11-25T13:15", "phone").await;
    let r = lead
        .post("/api/v1/contact-days", json!({"date": "2026-11-27", "starts_at": "9.00", "ends_at": "12:00", "place": "Toimisto", "participant_ids": [api.user_id], "target_employer_ids": [e3]}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let day = r.json["id"].as_i64().unwrap();

    let week = api.get("/api/v1/plan/week?week=2026-W48").await;
    assert_eq!(week.json["in_person"]["count"], 0);
    assert_eq!(
        week.json["in_person"]["planned"], 1,
        "the missed visit is not counted as still to come: {}",
        week.json["in_person"]
    );
    assert_eq!(week.json["days"][2]["logged"][0]["employer_id"], e3);
    assert_eq!(week.json["days"][4]["contact_days"][0]["id"], day);

    let mut b = app.browser();
    b.login("a@a.fi", crate::helpers::PASSWORD).await;
    let page = b.get("/plan?week=2026-W48").await;
    let t = &page.text;
    assert!(t.contains("plan-item status-planned missed"), "{t}");
    assert!(t.contains("Jäi väliin – ei kirjattu"), "{t}");
    assert!(t.contains(&format!("/outreach/new?plan={missed}")));
    assert!(t.contains(&format!("action=\"/plan/items/{missed}/move\"")));
    assert!(t.contains(&format!("action=\"/plan/items/{missed}/cancel\"")));
    // The reschedule field offers today.
    assert!(t.contains(r#"name="planned_on" type="date" value="2026-11-26""#));
    // Wednesday's call in its column, at its local time, marked logged.
    assert!(t.contains(r#"<span class="pi-time">13.15</span>"#), "{t}");
    assert!(t.contains("Kukka Oy"));
    // Friday's contact day on the participant's week.
    assert!(t.contains(&format!("href=\"/contact-days/{day}\"")), "{t}");
    assert!(t.contains("9.00–12.00"), "{t}");
    // Counter: nothing logged in person, one still planned, target six.
    assert!(t.contains("0 kirjattu ja 1 suunniteltu, tavoite 6"), "{t}");
    assert!(t.contains("vk 48"), "{t}");

    // Drop the missed one; a dropped visit cannot be moved, and says why.
    let r = b.post(&format!("/plan/items/{missed}/cancel"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = b
        .post(
            &format!("/plan/items/{missed}/move"),
            &[("planned_on", "2026-11-30")],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/plan?week=2026-W48"),
        "back to the item's week"
    );
    let back = b.get("/plan?week=2026-W48").await;
    assert!(
        back.text.contains("Tämä käynti on jo kirjattu tai peruttu"),
        "{}",
        back.text
    );
    // A date that is not in the calendar is named as such, not as a past date.
    b.post(
        &format!("/plan/items/{ahead}/move"),
        &[("planned_on", "31.11.2026")],
    )
    .await;
    let back = b.get("/plan?week=2026-W48").await;
    assert!(
        back.text.contains("Päivämäärää ei ole kalenterissa"),
        "{}",
        back.text
    );
    assert_eq!(
        api.get(&format!("/api/v1/plan/items/{ahead}")).await.json["planned_on"],
        "2026-11-27"
    );
    // A colleague's week by a mangled id finds nobody rather than one's own week.
    assert_eq!(b.get("/plan?user=abc").await.status, StatusCode::NOT_FOUND);
}

/// Issue 12's findings on the week plan: a follow-up overdue since Monday is in the
/// overdue box, an employer with a visit planned is not "gone quiet", "Done - log"
/// starts at the planned time, and a specialist's home is their week.
async fn the_week_as_a_specialist_reads_it(app: TestApp) {
    // Thursday 26.11.2026 12:00 in Helsinki.
    app.clock.set(utc("2026-11-26 10:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    app.user("Org A", "lead@a.fi", Role::TeamLead);
    let e = api
        .post(
            "/api/v1/employers",
            json!({"name": "Leipomo Oy", "owner_id": api.user_id, "stage": "active"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let r = api
        .post(
            "/api/v1/follow-ups",
            json!({"employer_id": e, "title": "Lähetä tarjous", "due_on": "2026-11-24"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let week = api.get("/api/v1/plan/week?week=2026-W48").await;
    let overdue: Vec<&str> = week.json["overdue_follow_ups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["title"].as_str().unwrap())
        .collect();
    assert_eq!(overdue, ["Lähetä tarjous"], "{}", week.json);
    let quiet = |w: &serde_json::Value| -> Vec<i64> {
        w["suggestions"]["quiet_employers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["employer_id"].as_i64().unwrap())
            .collect()
    };
    assert!(
        quiet(&week.json).contains(&e),
        "gone quiet before a visit is planned"
    );
    // A visit planned for Tuesday 14:30 (now past) is not "gone quiet" any more ...
    let item = api
        .post(
            "/api/v1/plan/items",
            json!({"employer_id": e, "planned_on": "2026-11-24", "planned_time": "14:30", "channel": "in_person", "acknowledge_collisions": true}),
        )
        .await;
    assert_eq!(item.status, StatusCode::CREATED, "{}", item.text);
    let item = item.json["id"].as_i64().unwrap();
    let week = api.get("/api/v1/plan/week?week=2026-W48").await;
    assert!(!quiet(&week.json).contains(&e), "{}", week.json);
    // ... and logging it from the plan starts at the planned time, not now.
    let mut b = app.browser();
    b.login("a@a.fi", crate::helpers::PASSWORD).await;
    let form = b.get(&format!("/outreach/new?plan={item}")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text);
    assert!(
        form.text.contains("value=\"2026-11-24T14:30\""),
        "{}",
        form.text
    );
    // A visit planned for later today starts at now (the future cannot be logged).
    let later = api
        .post(
            "/api/v1/plan/items",
            json!({"employer_id": e, "planned_on": "2026-11-26", "planned_time": "16:00", "channel": "phone", "acknowledge_collisions": true}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let form = b.get(&format!("/outreach/new?plan={later}")).await;
    assert!(
        form.text.contains("value=\"2026-11-26T12:00\""),
        "{}",
        form.text
    );
    // Home: a specialist's week, a team lead's team week.
    let home = b.get("/").await;
    assert_eq!(home.location.as_deref(), Some("/plan"));
    let mut lead = app.browser();
    let r = lead.login("lead@a.fi", crate::helpers::PASSWORD).await;
    assert_eq!(r.location.as_deref(), Some("/"));
    assert_eq!(lead.get("/").await.location.as_deref(), Some("/plan/team"));
}

async fn log(api: &crate::helpers::Api, employer: i64, local: &str, channel: &str) {
    let r = api
        .post("/api/v1/outreach", json!({"employer_id": employer, "occurred_at": local, "channel": channel, "acknowledge_collisions": true}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{local}: {}", r.text);
}

async fn in_person(api: &crate::helpers::Api, week: &str) -> i64 {
    let r = api.get(&format!("/api/v1/plan/week?week={week}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json["in_person"]["count"].as_i64().unwrap()
}

async fn week_boundaries_and_the_in_person_counter(app: TestApp) {
    app.clock.set(utc("2026-12-01 10:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let e = api
        .post("/api/v1/employers", json!({"name": "Viikko Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let e2 = api
        .post("/api/v1/employers", json!({"name": "Toinen Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    // Sunday 23:30 in Helsinki is still week 48; Monday 00:30 is week 49.
    log(&api, e, "2026-11-29T23:30", "in_person").await;
    log(&api, e, "2026-11-30T00:30", "in_person").await;
    // Repeated visits to one employer count; calls and e-mails do not.
    log(&api, e, "2026-11-26T10:00", "in_person").await;
    log(&api, e2, "2026-11-25T10:00", "phone").await;
    log(&api, e2, "2026-11-25T11:00", "email").await;
    assert_eq!(in_person(&api, "2026-W48").await, 2);
    assert_eq!(in_person(&api, "2026-W49").await, 1);
    let w49 = api.get("/api/v1/plan/week?week=2026-W49").await;
    assert_eq!(w49.json["in_person"]["target"], 6);
    assert_eq!(
        w49.json["in_person"]["previous"][0],
        json!({"week": "2026-W48", "count": 2})
    );
    assert_eq!(w49.json["days"][0]["date"], "2026-11-30");
    assert_eq!(w49.json["days"][6]["date"], "2026-12-06");
    // The weeks the clocks change: summer time ends on Sunday 25 October, starts on 29 March.
    log(&api, e2, "2026-10-25T23:30", "in_person").await;
    log(&api, e2, "2026-10-26T00:30", "in_person").await;
    log(&api, e2, "2026-10-19T00:15", "in_person").await;
    assert_eq!(
        in_person(&api, "2026-W43").await,
        2,
        "Monday 00:15 and Sunday 23:30 of the long week"
    );
    assert_eq!(in_person(&api, "2026-W44").await, 1);
    log(&api, e2, "2026-03-29T23:30", "in_person").await;
    log(&api, e2, "2026-03-23T00:10", "in_person").await;
    log(&api, e2, "2026-03-30T00:30", "in_person").await;
    assert_eq!(in_person(&api, "2026-W13").await, 2, "the short week");
    assert_eq!(in_person(&api, "2026-W14").await, 1);
    let far = api.get("/api/v1/plan/week?week=262144-W01").await;
    assert_eq!(
        far.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no overflow, a clear error"
    );
    let far = api
        .post(
            "/api/v1/plan/items",
            json!({"employer_id": e, "planned_on": "+262143-12-31"}),
        )
        .await;
    assert_eq!(far.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = api.get("/api/v1/plan/week?week=2026-W60").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json["errors"]["week"].is_array());
}

async fn plan_to_log_conversion(app: TestApp) {
    app.clock.set(utc("2026-11-23 07:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let e = api
        .post(
            "/api/v1/employers",
            json!({"name": "Leipomo Oy", "owner_id": api.user_id, "stage": "introduced"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let r = api.post("/api/v1/plan/items", json!({"employer_id": e, "planned_on": "2026-11-25", "planned_time": "9.30", "note": "Tuo esite"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let item = r.json["id"].as_i64().unwrap();
    assert_eq!(r.json["planned_time"], "09:30");
    assert_eq!(
        r.json["purpose"], "learn_needs",
        "the stage suggests the next step"
    );
    let bad = api.post("/api/v1/plan/items", json!({"employer_id": e, "planned_on": "ensi viikolla", "planned_time": "25:00", "channel": "fax"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["planned_on", "planned_time", "channel"] {
        assert!(bad.json["errors"][f].is_array(), "{f}: {}", bad.text);
    }
    let week = api.get("/api/v1/plan/week?week=2026-W48").await;
    assert_eq!(
        week.json["days"][2]["planned"][0]["employer_name"],
        "Leipomo Oy"
    );
    assert_eq!(week.json["days"][2]["planned"].as_array().unwrap().len(), 1);
    assert_eq!(
        week.json["days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["planned"].as_array().unwrap().len())
            .sum::<usize>(),
        1
    );
    // Move it to Thursday.
    let m = api
        .patch(
            &format!("/api/v1/plan/items/{item}"),
            json!({"planned_on": "2026-11-26"}),
        )
        .await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.text);
    let week = api.get("/api/v1/plan/week?week=2026-W48").await;
    assert_eq!(week.json["days"][3]["planned"][0]["id"], item);
    // Done: it becomes a logged entry in one step.
    app.clock.set(utc("2026-11-26 09:00"));
    let o = api.post("/api/v1/outreach", json!({"employer_id": e, "planned_contact_id": item, "learned": "Tarvitsevat aamuleipojaa"})).await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.text);
    let plan = api.get(&format!("/api/v1/plan/items/{item}")).await;
    assert_eq!(plan.json["status"], "done");
    assert_eq!(plan.json["outreach_id"], o.json["id"]);
    let again = api
        .post(
            "/api/v1/outreach",
            json!({"employer_id": e, "planned_contact_id": item}),
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "a done plan is not logged twice"
    );
    assert_eq!(in_person(&api, "2026-W48").await, 1);
    // Cancel another.
    let other = api
        .post(
            "/api/v1/plan/items",
            json!({"employer_id": e, "planned_on": "2026-11-27", "channel": "phone"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let c = api
        .post(&format!("/api/v1/plan/items/{other}/cancel"), json!({}))
        .await;
    assert_eq!(c.json["status"], "cancelled");
    assert_eq!(
        api.patch(
            &format!("/api/v1/plan/items/{other}"),
            json!({"planned_on": "2026-11-28"})
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    // Suggestions: an owned employer gone quiet, open leads.
    let quiet = api
        .post(
            "/api/v1/employers",
            json!({"name": "Hiljainen Oy", "owner_id": api.user_id, "stage": "active"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    api.post(
        "/api/v1/leads",
        json!({"employer_id": e, "title": "Leipuri"}),
    )
    .await;
    let week = api.get("/api/v1/plan/week?week=2026-W48").await;
    let quiet_ids: Vec<i64> = week.json["suggestions"]["quiet_employers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["employer_id"].as_i64().unwrap())
        .collect();
    assert!(
        quiet_ids.contains(&quiet) && !quiet_ids.contains(&e),
        "{quiet_ids:?}"
    );
    assert_eq!(
        week.json["suggestions"]["leads_without_candidates"][0]["title"],
        "Leipuri"
    );
}

async fn team_week_on_one_page(app: TestApp) {
    app.clock.set(utc("2026-11-23 07:00"));
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let s1 = app.user("Org A", "s1@a.fi", Role::Specialist);
    let e = s1
        .post("/api/v1/employers", json!({"name": "Tiimi Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    s1.post(
        "/api/v1/plan/items",
        json!({"employer_id": e, "planned_on": "2026-11-24"}),
    )
    .await;
    let t = lead.get("/api/v1/plan/team?week=2026-W48").await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.text);
    let members = t.json["members"].as_array().unwrap();
    let s1_row = members.iter().find(|m| m["name"] == "s1@a.fi").unwrap();
    assert_eq!(s1_row["planned_per_day"], json!([0, 1, 0, 0, 0, 0, 0]));
    let colleague = lead
        .get(&format!(
            "/api/v1/plan/week?week=2026-W48&user={}",
            s1.user_id
        ))
        .await;
    assert_eq!(colleague.json["user_name"], "s1@a.fi");
}
