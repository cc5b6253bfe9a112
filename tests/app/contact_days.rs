//! Employer contact days: call lists, logging from a list, the tally, cancelling.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::{json, Value};

use crate::helpers::{utc, Api, TestApp};
use crate::on_both_databases;

on_both_databases!(
    call_lists_follow_the_rules_and_the_tally_counts,
    contact_days_are_isolated_and_checked
);

async fn employer(api: &Api, name: &str, extra: Value) -> i64 {
    let mut body = json!({"name": name});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let r = api.post("/api/v1/employers", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json["id"].as_i64().unwrap()
}

async fn call_lists_follow_the_rules_and_the_tally_counts(app: TestApp) {
    app.clock.set(utc("2026-11-24 08:00"));
    let host = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let s1 = app.user("Org A", "s1@a.fi", Role::Specialist);
    let s2 = app.user("Org A", "s2@a.fi", Role::Specialist);
    let owned = employer(
        &host,
        "Omistettu Oy",
        json!({"owner_id": s2.user_id, "stage": "active"}),
    )
    .await;
    let recent = employer(&host, "Äsken Oy", json!({})).await;
    let dnc = employer(
        &host,
        "Ei Oy",
        json!({"stage": "do_not_contact", "do_not_contact_reason": "Pyysi rauhaa"}),
    )
    .await;
    let mut fresh = Vec::new();
    for i in 0..5 {
        fresh.push(employer(&host, &format!("Uusi {i} Oy"), json!({})).await);
    }
    // Someone visited one target last week.
    s1.post(
        "/api/v1/outreach",
        json!({"employer_id": recent, "occurred_at": "2026-11-20T10:00"}),
    )
    .await;
    let mut targets = vec![owned, recent, dnc];
    targets.extend(&fresh);
    let bad = host.post("/api/v1/contact-days", json!({"date": "joskus", "starts_at": "14:00", "ends_at": "09:00", "place": "", "participant_ids": [999999], "target_employer_ids": [999999]})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in [
        "date",
        "ends_at",
        "place",
        "participant_ids.0",
        "target_employer_ids.0",
    ] {
        assert!(bad.json["errors"][f].is_array(), "{f}: {}", bad.text);
    }
    let r = host
        .post("/api/v1/contact-days", json!({"date": "2026-11-26", "starts_at": "9.00", "ends_at": "14:00", "place": "Toimisto, neuvotteluhuone 2", "theme": "Kaupan ala", "participant_ids": [s1.user_id, s2.user_id], "target_employer_ids": targets}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let day = r.json["id"].as_i64().unwrap();
    assert_eq!(r.json["starts_at"], "09:00");
    // Only the host (or a team lead) builds the lists or cancels the day.
    assert_eq!(
        s1.post(&format!("/api/v1/contact-days/{day}/call-lists"), json!({}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        s1.post(&format!("/api/v1/contact-days/{day}/cancel"), json!({}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let lists = host
        .post(&format!("/api/v1/contact-days/{day}/call-lists"), json!({}))
        .await;
    assert_eq!(lists.status, StatusCode::OK, "{}", lists.text);
    let t = lists.json["targets"].as_array().unwrap().clone();
    let of = |id: i64| t.iter().find(|x| x["employer_id"] == id).unwrap().clone();
    assert_eq!(
        of(owned)["assignee_id"],
        s2.user_id,
        "the owner keeps their employer"
    );
    assert_eq!(of(recent)["excluded_reason"], "contacted_recently");
    assert!(of(recent)["assignee_id"].is_null());
    assert_eq!(of(dnc)["excluded_reason"], "do_not_contact");
    // Every other target on exactly one list, and the lists balanced by effort:
    // s2 has the owned employer (1) so gets fewer first contacts (2 each).
    let assigned: Vec<i64> = t.iter().filter_map(|x| x["assignee_id"].as_i64()).collect();
    assert_eq!(assigned.len(), 6, "no employer on two lists, none lost");
    let effort = |u: i64| {
        t.iter()
            .filter(|x| x["assignee_id"] == u)
            .map(|x| if x["stage"] == "not_contacted" { 2 } else { 1 })
            .sum::<i64>()
    };
    assert!(
        (effort(s1.user_id) - effort(s2.user_id)).abs() <= 2,
        "{} vs {}",
        effort(s1.user_id),
        effort(s2.user_id)
    );
    // The host moves one by hand; a specialist cannot.
    let moved = host
        .post(
            &format!("/api/v1/contact-days/{day}/assign"),
            json!({"employer_id": fresh[0], "user_id": s1.user_id}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    assert_eq!(
        s1.post(
            &format!("/api/v1/contact-days/{day}/assign"),
            json!({"employer_id": fresh[0], "user_id": s2.user_id})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        host.post(
            &format!("/api/v1/contact-days/{day}/assign"),
            json!({"employer_id": fresh[0], "user_id": host.user_id})
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // On the day: logging from the list counts on the tally.
    app.clock.set(utc("2026-11-26 09:30"));
    let o = s1.post("/api/v1/outreach", json!({"employer_id": fresh[0], "contact_day_id": day, "channel": "phone", "result": "meeting_booked", "next_step": "Tapaaminen", "next_step_due": "2026-12-02"})).await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.text);
    assert_eq!(o.json["contact_day_id"], day);
    s1.post("/api/v1/leads", json!({"employer_id": fresh[0], "title": "Myyjä", "source": "contact_day", "outreach_id": o.json["id"]})).await;
    s2.post(
        "/api/v1/outreach",
        json!({"employer_id": owned, "contact_day_id": day, "channel": "phone"}),
    )
    .await;
    // A call nobody answered is attempted, not reached; a next-step date alone is no
    // meeting (only the result says so).
    let unanswered = t
        .iter()
        .find(|x| {
            x["assignee_id"] == s2.user_id
                && x["employer_id"] != owned
                && x["employer_id"] != fresh[0]
        })
        .map(|x| x["employer_id"].as_i64().unwrap())
        .expect("s2 has a second employer");
    let none = s2.post("/api/v1/outreach", json!({"employer_id": unanswered, "contact_day_id": day, "channel": "phone", "result": "no_answer", "next_step": "Soita uudelleen", "next_step_due": "2026-11-27"})).await;
    assert_eq!(none.status, StatusCode::CREATED, "{}", none.text);
    let d = host.get(&format!("/api/v1/contact-days/{day}")).await;
    assert_eq!(
        d.json["total"],
        json!({"contacts": 3, "attempted": 3, "reached": 2, "meetings_booked": 1, "leads_found": 1, "not_attempted": 3})
    );
    assert_eq!(d.json["tally"][s1.user_id.to_string()]["leads_found"], 1);
    assert_eq!(d.json["tally"][s2.user_id.to_string()]["attempted"], 2);
    assert_eq!(d.json["tally"][s2.user_id.to_string()]["reached"], 1);
    assert_eq!(
        d.json["tally"][s2.user_id.to_string()]["meetings_booked"],
        0
    );
    // The after-day summary: leads, follow-ups, employers nobody reached, earlier days.
    let sum = host
        .get(&format!("/api/v1/contact-days/{day}/summary"))
        .await;
    assert_eq!(sum.status, StatusCode::OK, "{}", sum.text);
    assert_eq!(sum.json["leads"].as_array().unwrap().len(), 1);
    let steps: Vec<&str> = sum.json["follow_ups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[0].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["Soita uudelleen", "Tapaaminen"], "by due date");
    let ids = |key: &str| -> Vec<i64> {
        sum.json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x[0].as_i64().unwrap())
            .collect()
    };
    let not_attempted = ids("not_attempted");
    assert_eq!(not_attempted.len(), 3, "6 on the lists, 3 attempted");
    assert!(!not_attempted.contains(&owned) && !not_attempted.contains(&fresh[0]));
    assert_eq!(ids("no_answer"), vec![unanswered]);
    assert_eq!(sum.json["earlier"].as_array().unwrap().len(), 0);
    // Cancelled: lists can no longer be built and contacts no longer name it.
    assert_eq!(
        host.post(&format!("/api/v1/contact-days/{day}/cancel"), json!({}))
            .await
            .json["status"],
        "cancelled"
    );
    assert_eq!(
        host.post(&format!("/api/v1/contact-days/{day}/call-lists"), json!({}))
            .await
            .status,
        StatusCode::CONFLICT
    );
    let r = s1
        .post(
            "/api/v1/outreach",
            json!({"employer_id": fresh[1], "contact_day_id": day}),
        )
        .await;
    assert!(r.json["errors"]["contact_day_id"].is_array(), "{}", r.text);
    // ...but an entry logged on the day keeps it, and can still be edited.
    let oid = o.json["id"].as_i64().unwrap();
    let r = s1
        .patch(
            &format!("/api/v1/outreach/{oid}"),
            json!({"learned": "Rekrytoi keväällä"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["contact_day_id"], day);
    assert_eq!(
        host.get("/api/v1/contact-days").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn contact_days_are_isolated_and_checked(app: TestApp) {
    app.clock.set(utc("2026-11-24 08:00"));
    let a = app.user("Org A", "a@a.fi", Role::TeamLead);
    let b = app.user("Org B", "b@b.fi", Role::TeamLead);
    let e = a
        .post("/api/v1/employers", json!({"name": "A Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let day = a.post("/api/v1/contact-days", json!({"date": "2026-11-26", "place": "Toimisto", "participant_ids": [a.user_id], "target_employer_ids": [e]})).await.json["id"].as_i64().unwrap();
    assert_eq!(
        b.get(&format!("/api/v1/contact-days/{day}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.post(&format!("/api/v1/contact-days/{day}/call-lists"), json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.post(&format!("/api/v1/contact-days/{day}/cancel"), json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.post(
            &format!("/api/v1/contact-days/{day}/assign"),
            json!({"employer_id": e, "user_id": b.user_id})
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let r = b.post("/api/v1/contact-days", json!({"date": "2026-11-26", "place": "X", "participant_ids": [a.user_id], "target_employer_ids": [e]})).await;
    assert!(
        r.json["errors"]["participant_ids.0"].is_array()
            && r.json["errors"]["target_employer_ids.0"].is_array(),
        "{}",
        r.text
    );
    assert_eq!(
        b.get("/api/v1/contact-days").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let own = b
        .post("/api/v1/employers", json!({"name": "B Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let r = b
        .post(
            "/api/v1/outreach",
            json!({"employer_id": own, "contact_day_id": day}),
        )
        .await;
    assert!(r.json["errors"]["contact_day_id"].is_array());
    assert_eq!(
        a.get(&format!("/api/v1/contact-days/{day}")).await.json["status"],
        "planned"
    );
}

on_both_databases!(running_a_contact_day_from_the_pages);

async fn running_a_contact_day_from_the_pages(app: TestApp) {
    use crate::helpers::PASSWORD;
    app.clock.set(utc("2026-11-24 08:00"));
    let host = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let s1 = app.user("Org A", "s1@a.fi", Role::Specialist);
    app.user("Org B", "b@b.fi", Role::TeamLead);
    for i in 0..4 {
        employer(&host, &format!("Kauppa {i}"), json!({"tags": ["kauppa"]})).await;
    }
    employer(&host, "Muu Oy", json!({})).await;
    let mut b = app.browser();
    b.login("lead@a.fi", PASSWORD).await;
    let bad = b
        .post(
            "/contact-days",
            &[("date", "2026-11-26"), ("place", ""), ("tag", "kauppa")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("id=\"place-error\""));
    let s1_box = format!("p_{}", s1.user_id);
    let host_box = format!("p_{}", host.user_id);
    let r = b
        .post(
            "/contact-days",
            &[
                ("date", "2026-11-26"),
                ("starts_at", "09:00"),
                ("ends_at", "13:00"),
                ("place", "Toimisto"),
                ("theme", "Kauppa"),
                (&s1_box, "on"),
                (&host_box, "on"),
                ("tag", "kauppa"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let loc = r.location.unwrap();
    let id: i64 = loc.rsplit('/').next().unwrap().parse().unwrap();
    let day = host.get(&format!("/api/v1/contact-days/{id}")).await;
    assert_eq!(
        day.json["targets"].as_array().unwrap().len(),
        4,
        "the tag chose the targets"
    );
    assert_eq!(day.json["participants"].as_array().unwrap().len(), 2);
    assert_eq!(
        b.post(&format!("/contact-days/{id}/call-lists"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // During the day the host puts one more employer on a list; one that asked not to
    // be contacted is refused.
    let extra = employer(&host, "Lisätty Oy", json!({})).await;
    let stopped = employer(
        &host,
        "Älä soita Oy",
        json!({"stage": "do_not_contact", "do_not_contact_reason": "Pyysi"}),
    )
    .await;
    for (e, flash) in [
        (extra, "flash.target_added"),
        (stopped, "flash.target_failed"),
    ] {
        let r = b
            .post(
                &format!("/contact-days/{id}/targets"),
                &[
                    ("employer_id", &e.to_string()),
                    ("user_id", &s1.user_id.to_string()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{flash}: {}", r.text);
        let page = b.get(&format!("/contact-days/{id}")).await;
        let want = if flash == "flash.target_added" {
            "Työnantaja on listalla."
        } else {
            "Työnantajaa ei voitu lisätä"
        };
        assert!(page.text.contains(want), "{flash}: {}", page.text);
    }
    let targets = host.get(&format!("/api/v1/contact-days/{id}")).await.json["targets"].clone();
    let on_list = |e: i64| {
        targets
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["employer_id"] == e)
            .map(|t| t["assignee_id"].clone())
    };
    assert_eq!(on_list(extra), Some(json!(s1.user_id)));
    assert_eq!(on_list(stopped), None);
    // The participant works through their list on a phone.
    let mut phone = app.browser();
    phone.login("s1@a.fi", PASSWORD).await;
    let page = phone.get(&format!("/contact-days/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let mine = host.get(&format!("/api/v1/contact-days/{id}")).await.json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["assignee_id"] == s1.user_id)
        .unwrap()["employer_id"]
        .as_i64()
        .unwrap();
    assert!(page
        .text
        .contains(&format!("/outreach/new?employer_id={mine}&amp;day={id}")));
    // Whom to ask for and the number to dial, beside the employer.
    let r = host
        .post(
            &format!("/api/v1/employers/{mine}/contacts"),
            json!({"name": "Anna Laine", "title": "Esihenkilö", "phone": "+358 40 100 2000", "can_hire": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let page = phone.get(&format!("/contact-days/{id}")).await;
    assert!(
        page.text.contains("Anna Laine, Esihenkilö"),
        "{}",
        page.text
    );
    assert!(
        page.text.contains(r#"href="tel:+358401002000""#),
        "{}",
        page.text
    );
    let form = phone
        .get(&format!("/outreach/new?employer_id={mine}&day={id}"))
        .await;
    assert!(form
        .text
        .contains(&format!("name=\"contact_day_id\" value=\"{id}\"")));
    // From a call list the contact is a call, and the result is asked (reached first).
    assert!(
        form.text.contains(r#"<option value="phone" selected>"#),
        "{}",
        form.text
    );
    assert!(form
        .text
        .contains(r#"name="result" value="reached" checked"#));
    // On the day: a new login, since sessions expire by the same clock.
    app.clock.set(utc("2026-11-26 08:30"));
    phone.login("s1@a.fi", PASSWORD).await;
    let r = phone
        .post(
            "/outreach",
            &[
                ("employer_id", &mine.to_string()),
                ("contact_day_id", &id.to_string()),
                ("channel", "phone"),
                ("result", "meeting_booked"),
                ("found_lead", "Myyjä, viikonloput"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    // Back to the list, where the employer is ticked off and the tally counts the call.
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/contact-days/{id}#e-{mine}").as_str())
    );
    let list = phone.get(&format!("/contact-days/{id}")).await;
    assert!(
        list.text
            .contains(&format!("<li class=\"call-row done\" id=\"e-{mine}\"")),
        "ticked off"
    );
    assert!(
        list.text.contains(r#"<dd data-k="attempted">1</dd>"#)
            && list.text.contains(r#"<dd data-k="reached">1</dd>"#)
            && list.text.contains(r#"<dd data-k="meetings_booked">1</dd>"#)
            && list.text.contains(r#"<dd data-k="leads_found">1</dd>"#),
        "the tally counts the call, its meeting and its lead"
    );
    // The lead found on the call is linked to it, and the live tally says the same.
    let leads = host.get(&format!("/api/v1/leads?employer_id={mine}")).await;
    let lead = &leads.json["items"][0];
    assert_eq!(lead["title"], "Myyjä, viikonloput", "{}", leads.text);
    assert_eq!(lead["source"], "contact_day");
    assert!(lead["outreach_id"].is_i64());
    let live = phone.get(&format!("/contact-days/{id}/live")).await;
    assert_eq!(live.json["total"]["leads_found"], 1, "{}", live.text);
    assert_eq!(live.json["done"][0]["employer_id"], mine);
    assert_eq!(
        live.json["done"][0]["label"],
        "Tavoitettu, tapaaminen sovittu"
    );
    // A lead added later from the employer's timeline is linked to the contact too.
    let contact = lead["outreach_id"].as_i64().unwrap();
    let form = phone
        .get(&format!("/leads/new?employer_id={mine}&outreach={contact}"))
        .await;
    assert!(
        form.text
            .contains(&format!("name=\"outreach_id\" value=\"{contact}\"")),
        "{}",
        form.text
    );
    // "No answer" in one tap: attempted, not reached.
    let other_target = host.get(&format!("/api/v1/contact-days/{id}")).await.json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["assignee_id"] == s1.user_id && t["employer_id"] != mine)
        .map(|t| t["employer_id"].as_i64().unwrap());
    {
        let second = other_target.expect("s1 has a second employer on the list");
        let r = phone
            .post(
                &format!("/contact-days/{id}/no-answer"),
                &[("employer_id", &second.to_string())],
            )
            .await;
        assert_eq!(
            r.location.as_deref(),
            Some(format!("/contact-days/{id}#e-{second}").as_str())
        );
        let live = phone.get(&format!("/contact-days/{id}/live")).await;
        assert_eq!(live.json["total"]["attempted"], 2, "{}", live.text);
        assert_eq!(live.json["total"]["reached"], 1, "{}", live.text);
    }
    let mut other = app.browser();
    other.login("b@b.fi", PASSWORD).await;
    assert_eq!(
        other.get(&format!("/contact-days/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other
            .post(&format!("/contact-days/{id}/cancel"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

on_both_databases!(lists_with_nobody_to_call_say_so);

/// Building the lists when no employer goes on them says so, not "built".
async fn lists_with_nobody_to_call_say_so(app: TestApp) {
    use crate::helpers::PASSWORD;
    app.clock.set(utc("2026-11-24 08:00"));
    let host = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let s1 = app.user("Org A", "s1@a.fi", Role::Specialist);
    let r = host
        .post("/api/v1/contact-days", json!({"date": "2026-11-26", "starts_at": "9.00", "ends_at": "12:00", "place": "Toimisto", "participant_ids": [s1.user_id], "target_employer_ids": []}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let day = r.json["id"].as_i64().unwrap();
    let mut b = app.browser();
    b.login("lead@a.fi", PASSWORD).await;
    let r = b
        .post(&format!("/contact-days/{day}/call-lists"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = b.get(&format!("/contact-days/{day}")).await;
    assert!(
        page.text
            .contains("Yksikään työnantaja ei päätynyt listoille"),
        "{}",
        page.text
    );
}
