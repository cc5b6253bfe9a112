//! Partnerships: member-list import, attribution once per employer, the quarterly report
//! on a hand-checked data set, joint events, agreements, contact days from a member list,
//! and organisation isolation.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::{json, Value};

use crate::helpers::{utc, Api, TestApp};
use crate::on_both_databases;

on_both_databases!(
    member_lists_match_create_and_report_bad_rows,
    the_quarterly_report_counts_each_employer_once,
    partners_stay_in_their_organisation
);

async fn visit(who: &Api, e: i64, at: &str, channel: &str, kind: &str) {
    let body = json!({"employer_id": e, "occurred_at": at, "channel": channel, "visit_kind": kind, "acknowledge_collisions": true});
    let r = who.post("/api/v1/outreach", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

async fn partner(api: &Api, name: &str, kind: &str) -> i64 {
    let r = api
        .post(
            "/api/v1/partners",
            json!({"name": name, "kind": kind, "area": ["Tampere", "536"], "owner_id": api.user_id,
                   "contacts": [{"name": "Pirjo Puheenjohtaja", "role": "puheenjohtaja", "email": "pirjo@yrittajat.test", "phone": "040 123 4567"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json["id"].as_i64().unwrap()
}

async fn employer(api: &Api, body: Value) -> i64 {
    let r = api.post("/api/v1/employers", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json["id"].as_i64().unwrap()
}

fn ids(v: &Value) -> Vec<i64> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["employer_id"].as_i64().unwrap())
        .collect()
}

async fn member_lists_match_create_and_report_bad_rows(app: TestApp) {
    app.clock.set(utc("2026-11-24 08:00"));
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let bad = lead.post("/api/v1/partners", json!({"name": "", "kind": "club", "area": ["Atlantis"], "contacts": [{"email": "nope"}]})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in [
        "name",
        "kind",
        "area",
        "contacts.0.name",
        "contacts.0.email",
    ] {
        assert!(bad.json["errors"][f].is_array(), "{f}: {}", bad.text);
    }
    let p = partner(&lead, "Tampereen Yrittäjät", "entrepreneur_association").await;
    let got = lead.get(&format!("/api/v1/partners/{p}")).await;
    assert_eq!(got.json["area"], json!(["837", "536"]));
    assert_eq!(got.json["contacts"][0]["email"], "pirjo@yrittajat.test");
    let aroma = employer(
        &lead,
        json!({"name": "Kahvila Aroma Oy", "business_id": "1234567-1", "municipality_code": "837"}),
    )
    .await;
    let leipomo_tre = employer(
        &lead,
        json!({"name": "Leipomo Oy", "municipality_code": "837", "stage": "active"}),
    )
    .await;
    // Another bakery of the same name, in Helsinki: created past the look-alike warning.
    let leipomo_hki = employer(
        &lead,
        json!({"name": "Leipomo Oy", "municipality_code": "091", "acknowledge_duplicates": true}),
    )
    .await;
    let csv = "nimi;y-tunnus;kunta\n\
               Aroma (uusi nimi);1234567-1;Tampere\n\
               Leipomo Oy;;Tampere\n\
               Uusi Yritys Oy;4567890-7;Nokia\n\
               Rikki Oy;1234567-0;Tampere\n\
               ;;\n\
               Outo Oy;;Atlantis\n";
    let r = lead
        .post_text(
            &format!("/api/v1/partners/{p}/members/import"),
            "text/csv",
            csv.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // A known business ID under another name is a conflict, not a silent match (issue 14).
    assert_eq!(r.json["matched"], 1);
    assert_eq!(r.json["matched_by_business_id"], 0);
    assert_eq!(r.json["matched_by_name"], 1);
    assert_eq!(r.json["created"], 1);
    let rejected: Vec<i64> = r.json["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["line"].as_i64().unwrap())
        .collect();
    assert_eq!(rejected, vec![2, 5, 7], "{}", r.text);
    assert!(r.json["rejected"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("Kahvila Aroma Oy"));
    assert!(r.json["rejected"][2]["reason"]
        .as_str()
        .unwrap()
        .contains("Atlantis"));
    let members = lead.get(&format!("/api/v1/partners/{p}/members")).await;
    let m = ids(&members.json);
    assert_eq!(m.len(), 2);
    assert!(!m.contains(&aroma) && m.contains(&leipomo_tre) && !m.contains(&leipomo_hki));
    let items = members.json["items"].as_array().unwrap();
    let new_one = items
        .iter()
        .find(|x| x["name"] == "Uusi Yritys Oy")
        .unwrap();
    assert_eq!(new_one["known_before"], false);
    assert_eq!(new_one["municipality_code"], "536");
    let tre = items
        .iter()
        .find(|x| x["employer_id"] == leipomo_tre)
        .unwrap();
    assert_eq!(
        (tre["known_before"].as_bool(), tre["stage"].as_str()),
        (Some(true), Some("active"))
    );
    // The same list again: everyone is a member already; nothing is created twice.
    let again = lead
        .post_text(
            &format!("/api/v1/partners/{p}/members/import"),
            "text/csv",
            csv.to_string(),
        )
        .await;
    assert_eq!(
        (
            again.json["created"].as_i64(),
            again.json["already_members"].as_i64()
        ),
        // Aroma's row is a conflict again, so two rows name members.
        (Some(0), Some(2))
    );
    // A file without a name column is refused whole.
    let r = lead
        .post_text(
            &format!("/api/v1/partners/{p}/members/import"),
            "text/csv",
            "foo,bar\n1,2\n".into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(
        ids(&lead
            .get(&format!("/api/v1/partners/{p}/members"))
            .await
            .json)
        .len(),
        2
    );
    // A contact day works through the member list.
    let d = lead.post("/api/v1/contact-days", json!({"date": "2026-12-08", "place": "Toimisto", "partner_id": p, "participant_ids": [lead.user_id]})).await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.text);
    assert_eq!(d.json["theme"], "Tampereen Yrittäjät");
    assert_eq!(d.json["targets"].as_array().unwrap().len(), 2);
    // Agreements, with links checked.
    let a = lead.post(&format!("/api/v1/partners/{p}/agreements"), json!({"summary": "Kaksi jäsentilaisuutta vuodessa, uutiskirjepalsta", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "links": ["https://example.fi/sopimus.pdf"]})).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    assert_eq!(a.json["links"][0], "https://example.fi/sopimus.pdf");
    let a = lead
        .post(
            &format!("/api/v1/partners/{p}/agreements"),
            json!({"summary": "x", "starts_on": "2026-12-31", "ends_on": "2026-01-01"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        lead.get(&format!("/api/v1/partners/{p}/agreements"))
            .await
            .json["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn the_quarterly_report_counts_each_employer_once(app: TestApp) {
    app.clock.set(utc("2026-10-01 08:00"));
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let s1 = app.user("Org A", "s1@a.fi", Role::Specialist);
    let s2 = app.user("Org A", "s2@a.fi", Role::Specialist);
    let p = partner(&lead, "Yrittäjät", "entrepreneur_association").await;
    let q = partner(&lead, "Työllisyysalue", "employment_services").await;
    let a = employer(&lead, json!({"name": "A Oy"})).await;
    let b = employer(&lead, json!({"name": "B Oy"})).await;
    let c = employer(&lead, json!({"name": "C Oy"})).await;
    let d = employer(&lead, json!({"name": "D Oy"})).await;
    // An in-person visit to A in the previous quarter does not count.
    app.clock.set(utc("2026-10-01 09:00"));
    visit(&s1, a, "2026-09-30T10:00", "in_person", "first").await;
    // Members: A and D of P, D of Q too (D came through P first and stays P's).
    app.clock.set(utc("2026-10-02 08:00"));
    for (partner, e) in [(p, a), (p, d), (q, d)] {
        let r = lead
            .post(
                &format!("/api/v1/partners/{partner}/members"),
                json!({"employer_id": e}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    // C was referred by Q; referring D to Q is refused (P has it).
    assert_eq!(
        lead.post(
            &format!("/api/v1/partners/{q}/referrals"),
            json!({"employer_id": c})
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        lead.post(
            &format!("/api/v1/partners/{q}/referrals"),
            json!({"employer_id": d})
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    app.clock.set(utc("2026-12-02 08:00"));
    visit(&s2, d, "2026-10-05T09:00", "in_person", "first").await;
    visit(&s2, d, "2026-10-20T09:00", "phone", "ongoing").await;
    // P's breakfast meeting: s1 and s2 attend, meet A and B there.
    let ev = lead.post(&format!("/api/v1/partners/{p}/events"), json!({"title": "Yrittäjäaamiainen", "held_on": "2026-11-10", "place": "Kauppakamari", "attendee_ids": [s1.user_id, s2.user_id]})).await;
    assert_eq!(ev.status, StatusCode::CREATED, "{}", ev.text);
    let ev = ev.json["id"].as_i64().unwrap();
    for e in [a, b] {
        let r = s1
            .post(
                &format!("/api/v1/partners/{p}/events/{ev}/employers"),
                json!({"employer_id": e, "learned": "Rekrytoi keväällä"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    // A is visited twice more in person; still one employer.
    visit(&s1, a, "2026-11-15T10:00", "in_person", "first").await;
    visit(&s1, a, "2026-11-20T10:00", "in_person", "second").await;
    // Leads: at A (P's) and at C (Q's); a placement at A in December.
    let la = s1
        .post("/api/v1/leads", json!({"employer_id": a, "title": "Myyjä"}))
        .await;
    assert_eq!(la.status, StatusCode::CREATED, "{}", la.text);
    assert_eq!(
        la.json["partner_id"], p,
        "the lead carries the employer's partner"
    );
    let lc = s1
        .post("/api/v1/leads", json!({"employer_id": c, "title": "Kokki"}))
        .await;
    assert_eq!(lc.json["partner_id"], q);
    let client = s1
        .post(
            "/api/v1/clients",
            json!({"consent_to_contact_employers": true, "display_name": "J. S.", "intake_date": "2026-09-01"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let pl = s1.post("/api/v1/placements", json!({"client_id": client, "employer_id": a, "lead_id": la.json["id"], "job_title": "Myyjä", "starts_on": "2026-12-01", "hours_per_week": 20})).await;
    assert_eq!(pl.status, StatusCode::CREATED, "{}", pl.text);
    assert_eq!(pl.json["partner_id"], p);
    let event = lead.get(&format!("/api/v1/partners/{p}/events/{ev}")).await;
    assert_eq!(event.json["employers_met"].as_array().unwrap().len(), 2);
    assert_eq!(event.json["attendees"].as_array().unwrap().len(), 2);

    let r = lead
        .get(&format!("/api/v1/partners/{p}/report?quarter=2026-Q4"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let want = json!({"quarter": "2026-Q4", "from": "2026-10-01", "to": "2026-12-31",
        // A (event + two visits), B (event), D (visit): each once.
        "employers_met": 3,
        // A (15 Nov) and D (5 Oct); B was met at the event, not visited.
        "first_visits": 2, "leads": 1, "placements": 1, "events_attended": 1, "attendances": 2,
        "new_members": 2, "employers_referral": 0, "employers_event": 1, "employers_member_list": 2});
    assert_eq!(r.json, want, "{}", r.text);
    let r = lead
        .get(&format!("/api/v1/partners/{q}/report?quarter=2026-Q4"))
        .await;
    assert_eq!(
        (
            r.json["employers_met"].as_i64(),
            r.json["leads"].as_i64(),
            r.json["employers_referral"].as_i64(),
            r.json["new_members"].as_i64()
        ),
        (Some(0), Some(1), Some(1), Some(1))
    );
    let r = lead
        .get(&format!("/api/v1/partners/{p}/report?quarter=2026-Q3"))
        .await;
    assert_eq!(
        (
            r.json["employers_met"].as_i64(),
            r.json["first_visits"].as_i64()
        ),
        (Some(0), Some(0)),
        "A's September visit was before A came through P"
    );
    assert_eq!(
        lead.get(&format!("/api/v1/partners/{p}/report?quarter=2026-Q5"))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // The partner's page names the quarter as a reader writes it, in both languages.
    let mut br = app.browser();
    br.login("lead@a.fi", crate::helpers::PASSWORD).await;
    let page = br.get(&format!("/partners/{p}?quarter=2026-Q4")).await;
    assert!(page.text.contains("4. neljännes 2026"), "{}", page.text);
    assert!(page.text.contains("3. neljännes 2026") && page.text.contains("1. neljännes 2027"));
    assert!(!page.text.contains(">2026-Q"), "{}", page.text);
    br.post("/lang", &[("lang", "sv"), ("next", "/")]).await;
    let page = br.get(&format!("/partners/{p}?quarter=2026-Q4")).await;
    assert!(page.text.contains("4:e kvartalet 2026"), "{}", page.text);
}

async fn partners_stay_in_their_organisation(app: TestApp) {
    app.clock.set(utc("2026-11-24 08:00"));
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let spy = app.user("Org B", "spy@b.fi", Role::TeamLead);
    let p = partner(&lead, "Yrittäjät", "entrepreneur_association").await;
    let e = employer(&lead, json!({"name": "A Oy"})).await;
    let mine = partner(&spy, "B:n kumppani", "other").await;
    assert_eq!(
        spy.get("/api/v1/partners").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    for path in [
        format!("/api/v1/partners/{p}"),
        format!("/api/v1/partners/{p}/members"),
        format!("/api/v1/partners/{p}/agreements"),
        format!("/api/v1/partners/{p}/events"),
        format!("/api/v1/partners/{p}/report?quarter=2026-Q4"),
    ] {
        assert_eq!(spy.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        spy.patch(&format!("/api/v1/partners/{p}"), json!({"name": "x"}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        spy.post_text(
            &format!("/api/v1/partners/{p}/members/import"),
            "text/csv",
            "nimi\nX Oy\n".into()
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // Another organisation's employer cannot join one's own partner, nor its partner be named.
    assert_eq!(
        spy.post(
            &format!("/api/v1/partners/{mine}/members"),
            json!({"employer_id": e})
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        spy.post(
            &format!("/api/v1/partners/{mine}/referrals"),
            json!({"employer_id": e})
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//FI\r\nBEGIN:VEVENT\r\nUID:x1@t\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261210T080000Z\r\nSUMMARY:Jäsenilta\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let r = spy
        .post_text(
            &format!("/api/v1/calendar/import?partner_id={p}"),
            "text/calendar",
            ics.into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = spy
        .post_text(
            &format!("/api/v1/calendar/import?partner_id={mine}"),
            "text/calendar",
            ics.into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let evs = spy
        .get("/api/v1/events?from=2026-12-01&to=2026-12-31")
        .await;
    assert_eq!(evs.json["items"][0]["partner_id"], mine, "{}", evs.text);
    let sub = spy
        .post(
            "/api/v1/calendar/subscriptions",
            json!({"url": "https://example.fi/a.ics", "partner_id": p}),
        )
        .await;
    assert_eq!(sub.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", sub.text);
    let sub = spy
        .post(
            "/api/v1/calendar/subscriptions",
            json!({"url": "https://example.fi/a.ics", "partner_id": mine}),
        )
        .await;
    assert_eq!(sub.json["partner_id"], mine, "{}", sub.text);
    // An imported event becomes a joint event with its title and date.
    let imported = evs.json["items"][0]["id"].as_i64().unwrap();
    assert_eq!(
        lead.post(
            &format!("/api/v1/partners/{p}/events"),
            json!({"imported_event_id": imported})
        )
        .await
        .status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not org A's event"
    );
    let r = spy
        .post(
            &format!("/api/v1/partners/{mine}/events"),
            json!({"imported_event_id": imported, "attendee_ids": [spy.user_id]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(
        (r.json["title"].as_str(), r.json["held_on"].as_str()),
        (Some("Jäsenilta"), Some("2026-12-10"))
    );
    // Ending a partnership keeps it (and what it produced), out of the default list.
    assert_eq!(
        lead.delete(&format!("/api/v1/partners/{p}")).await.json["status"],
        "ended"
    );
    assert_eq!(
        lead.get("/api/v1/partners").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        lead.get("/api/v1/partners?status=all").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

on_both_databases!(partners_from_the_pages);

async fn partners_from_the_pages(app: TestApp) {
    use crate::helpers::PASSWORD;
    app.clock.set(utc("2026-11-24 08:00"));
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let s1 = app.user("Org A", "s1@a.fi", Role::Specialist);
    let known = employer(
        &lead,
        json!({"name": "Tuttu Oy", "municipality_code": "837"}),
    )
    .await;
    let mut b = app.browser();
    b.login("lead@a.fi", PASSWORD).await;
    let bad = b
        .post(
            "/partners",
            &[
                ("name", ""),
                ("kind", "entrepreneur_association"),
                ("area", "Tampere, Atlantis"),
                ("c0_name", "Pirjo"),
                ("c0_email", "ei-osoite"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for id in ["name-error", "area-error", "c0_email-error"] {
        assert!(bad.text.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(
        bad.text.contains("value=\"Tampere, Atlantis\""),
        "what was typed is kept"
    );
    assert_eq!(
        lead.get("/api/v1/partners").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let ok = b
        .post(
            "/partners",
            &[
                ("name", "Tampereen Yrittäjät"),
                ("kind", "entrepreneur_association"),
                ("area", "Tampere, Nokia"),
                ("c0_name", "Pirjo"),
                ("c0_email", "pirjo@yrittajat.test"),
                ("owner_id", &lead.user_id.to_string()),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    let page_url = ok.location.unwrap();
    let p: i64 = page_url.rsplit('/').next().unwrap().parse().unwrap();
    let page = b.get(&page_url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Tampere, Nokia") && page.text.contains("pirjo@yrittajat.test"));
    // The member list from the page (the import page, reached from the partner's page):
    // one row matched, one new, one refused by line.
    assert!(page
        .text
        .contains(&format!("/imports/members?partner_id={p}")));
    let csv = "nimi,kunta\nTuttu Oy,Tampere\nUusi Kahvila Oy,Nokia\nRikki,Atlantis\n";
    let pid = p.to_string();
    let r = b
        .post(
            "/imports/members",
            &[
                ("csv", csv),
                ("partner_id", &pid),
                ("mode", "valid_rows"),
                ("step", "import"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(
        r.text.contains("<strong>1</strong>"),
        "one matched, one created"
    );
    assert!(
        r.text.contains("Atlantis"),
        "the refused row is shown with its reason"
    );
    let members = lead.get(&format!("/api/v1/partners/{p}/members")).await;
    assert!(ids(&members.json).contains(&known));
    assert!(
        b.get(&page_url).await.text.contains("class=\"badge\""),
        "the new employer is marked new to us"
    );
    // An employer found on the partner's page: added as a member, another as referred.
    let other = employer(&lead, json!({"name": "Suositeltu Oy"})).await;
    let found = b.get(&format!("/partners/{p}?q=Suositeltu")).await;
    assert!(
        found
            .text
            .contains(&format!("name=\"employer_id\" value=\"{other}\"")),
        "{}",
        found.text
    );
    let r = b
        .post(
            &format!("/partners/{p}/referrals"),
            &[("employer_id", &other.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let e = lead.get(&format!("/api/v1/employers/{other}")).await;
    assert_eq!(
        (
            e.json["partner_id"].as_i64(),
            e.json["partner_via"].as_str()
        ),
        (Some(p), Some("referral"))
    );
    let r = b
        .post(
            &format!("/partners/{p}/members"),
            &[("employer_id", &other.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(ids(&lead
        .get(&format!("/api/v1/partners/{p}/members"))
        .await
        .json)
    .contains(&other));
    // An agreement with an end before its start is shown again with the message.
    let r = b
        .post(
            &format!("/partners/{p}/agreements"),
            &[
                ("summary", "Jäsentilaisuudet"),
                ("starts_on", "2026-12-01"),
                ("ends_on", "2026-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("id=\"ends_on-error\"") && r.text.contains("Jäsentilaisuudet"));
    // A joint event, then an employer met there, found by name on a phone.
    let s1_box = format!("a_{}", s1.user_id);
    let r = b
        .post(
            &format!("/partners/{p}/events"),
            &[
                ("title", "Yrittäjäaamiainen"),
                ("held_on", "2026-11-20"),
                ("place", "Kauppakamari"),
                (&s1_box, "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let ev_url = r.location.unwrap();
    let search = b.get(&format!("{ev_url}?q=Tuttu")).await;
    assert!(
        search.text.contains("Tuttu Oy") && search.text.contains("/employers\""),
        "{}",
        search.text
    );
    let met = b
        .post(
            &format!("{ev_url}/employers"),
            &[("employer_id", &known.to_string())],
        )
        .await;
    assert_eq!(met.status, StatusCode::SEE_OTHER);
    let ev = b.get(&ev_url).await;
    assert!(
        ev.text.contains(&format!("href=\"/employers/{known}\"")),
        "the employer is listed as met"
    );
    let timeline = lead
        .get(&format!("/api/v1/employers/{known}/timeline"))
        .await;
    assert!(
        timeline.text.contains("\"event\""),
        "an ordinary contact log entry with channel event"
    );
    // The employer page says where the employer came through.
    let e = b.get(&format!("/employers/{known}")).await;
    assert!(e.text.contains(&format!("href=\"/partners/{p}\"")));
    // Planning a contact day from the partner: the partner is chosen on the form.
    let f = b.get(&format!("/contact-days/new?partner_id={p}")).await;
    assert!(
        f.text.contains(&format!("<option value=\"{p}\" selected>")),
        "{}",
        f.text
    );
    let lead_box = format!("p_{}", lead.user_id);
    let p_str = p.to_string();
    let r = b
        .post(
            "/contact-days",
            &[
                ("date", "2026-12-09"),
                ("starts_at", "09:00"),
                ("ends_at", "12:00"),
                ("place", "Toimisto"),
                (&lead_box, "on"),
                ("partner_id", &p_str),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let id: i64 = r
        .location
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let day = lead.get(&format!("/api/v1/contact-days/{id}")).await;
    assert_eq!(
        day.json["targets"].as_array().unwrap().len(),
        3,
        "only the members: {}",
        day.text
    );
}
