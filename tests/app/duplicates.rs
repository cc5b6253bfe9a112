//! Issue 14, duplicates: creating an employer that looks like one already in the
//! register is stopped with the look-alikes named (API: 409 `duplicates`; page: the form
//! again, linking them) until the user says it is another employer.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::json;

use crate::helpers::{TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(look_alikes_are_named_before_an_employer_is_created);

async fn look_alikes_are_named_before_an_employer_is_created(app: TestApp) {
    let api = app.user("Org", "lead@a.fi", Role::TeamLead);
    let other = app.user("Other", "x@b.fi", Role::TeamLead);
    let count = |api: &crate::helpers::Api| {
        let api = api.clone();
        async move {
            api.get("/api/v1/employers").await.json["items"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    let first = api
        .post("/api/v1/employers", json!({"name": "Kauppa Oy", "municipality_code": "837", "website": "https://www.kukka.fi/"}))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let kauppa = first.json["id"].as_i64().unwrap();
    // The issue's own example: the same name in capitals, company form and all.
    let r = api
        .post("/api/v1/employers", json!({"name": "KAUPPA OY"}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json["type"], "https://placefirst.fi/problems/duplicate");
    let d = &r.json["duplicates"][0];
    assert_eq!(d["id"], kauppa);
    assert_eq!(d["why"], "same_name");
    assert_eq!(
        d["message"], "Kauppa Oy (Tampere) on samanniminen.",
        "{}",
        r.text
    );
    assert_eq!(count(&api).await, 1, "nothing was created");
    // Nearly the same name, and the same website under another name.
    let r = api
        .post("/api/v1/employers", json!({"name": "Kaupa Oy"}))
        .await;
    assert_eq!(r.json["duplicates"][0]["why"], "similar_name", "{}", r.text);
    let r = api
        .post(
            "/api/v1/employers",
            json!({"name": "Kukkakauppa Ruusu", "website": "kukka.fi/yhteys"}),
        )
        .await;
    assert_eq!(r.json["duplicates"][0]["why"], "same_website", "{}", r.text);
    // Company forms written out, and words in another order, are the same name.
    for name in ["Kauppa Osakeyhtiö", "Oy Kauppa"] {
        let r = api.post("/api/v1/employers", json!({ "name": name })).await;
        assert_eq!(
            r.json["duplicates"][0]["why"], "same_name",
            "{name}: {}",
            r.text
        );
    }
    let r = api
        .post("/api/v1/employers", json!({"name": "Siivous Ahven"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = api
        .post("/api/v1/employers", json!({"name": "Ahven Siivous Tmi"}))
        .await;
    assert_eq!(r.json["duplicates"][0]["why"], "same_name", "{}", r.text);
    // Told it is another employer, it is created.
    let r = api
        .post(
            "/api/v1/employers",
            json!({"name": "KAUPPA OY", "acknowledge_duplicates": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // Numbered shops are different shops; another organisation's register is not looked at.
    for name in ["K-Market 12", "K-Market 13"] {
        let r = api.post("/api/v1/employers", json!({ "name": name })).await;
        assert_eq!(r.status, StatusCode::CREATED, "{name}: {}", r.text);
    }
    let r = other
        .post("/api/v1/employers", json!({"name": "Kauppa Oy"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    // The page: the form again, linking the look-alike, then created when ticked.
    let mut b = app.browser();
    b.login("lead@a.fi", PASSWORD).await;
    let r = b
        .post(
            "/employers",
            &[("name", "Kauppa oy."), ("stage", "not_contacted")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(
        r.text.contains(&format!("href=\"/employers/{kauppa}\"")),
        "{}",
        r.text
    );
    assert!(r.text.contains("name=\"acknowledge_duplicates\""));
    assert!(
        r.text.contains("value=\"Kauppa oy.\""),
        "the form keeps what was typed"
    );
    let before = count(&api).await;
    let r = b
        .post(
            "/employers",
            &[
                ("name", "Kauppa oy."),
                ("stage", "not_contacted"),
                ("acknowledge_duplicates", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(count(&api).await, before + 1);
}

on_both_databases!(a_merge_moves_every_linked_record_and_is_explained);

async fn a_merge_moves_every_linked_record_and_is_explained(app: TestApp) {
    use crate::helpers::utc;
    app.clock.set(utc("2026-11-24 10:00"));
    let lead = app.user("Org", "lead@a.fi", Role::TeamLead);
    let admin = app.user("Org", "admin@a.fi", Role::Admin);
    let s = app.user("Org", "s@a.fi", Role::Specialist);
    let id = |r: crate::helpers::Resp| {
        assert!(r.status.is_success(), "{} {}", r.status, r.text);
        r.json["id"].as_i64().unwrap()
    };
    let keep = id(lead
        .post(
            "/api/v1/employers",
            json!({"name": "Kahvila Aroma Oy", "business_id": "2858394-9"}),
        )
        .await);
    let dup = id(lead.post("/api/v1/employers", json!({"name": "KAHVILA AROMA", "website": "https://aroma.fi", "municipality_code": "837", "tags": ["kahvila"], "acknowledge_duplicates": true})).await);
    let other = id(lead
        .post(
            "/api/v1/employers",
            json!({"name": "Leipomo Oy", "business_id": "1572860-0"}),
        )
        .await);
    // Records on the duplicate, of every kind.
    let contact = id(lead
        .post(
            &format!("/api/v1/employers/{dup}/contacts"),
            json!({"name": "Pirjo Virtanen"}),
        )
        .await);
    let seeker = id(lead.post("/api/v1/clients", json!({"display_name": "T. K.", "intake_date": "2026-10-01", "status": "job_search", "consent_to_contact_employers": true})).await);
    lead.put(
        &format!("/api/v1/clients/{seeker}/profile"),
        json!({"occupations": ["5132"], "avoid_employer_ids": [dup, other]}),
    )
    .await;
    let log = id(lead.post("/api/v1/outreach", json!({"employer_id": dup, "occurred_at": "2026-11-20T09:00", "channel": "in_person", "contact_id": contact, "client_ids": [seeker], "next_step": "Soita", "next_step_due": "2026-12-01"})).await);
    let job = id(lead
        .post(
            "/api/v1/leads",
            json!({"employer_id": dup, "title": "Barista"}),
        )
        .await);
    let plan = id(lead.post("/api/v1/plan/items", json!({"employer_id": dup, "planned_on": "2026-11-26", "planned_time": "10:00", "acknowledge_collisions": true})).await);
    let place = id(lead.post("/api/v1/placements", json!({"client_id": seeker, "employer_id": dup, "job_title": "Barista", "starts_on": "2026-11-23", "employment_type": "permanent"})).await);
    let p = id(lead
        .post(
            "/api/v1/partners",
            json!({"name": "Tampereen Yrittäjät", "kind": "entrepreneur_association"}),
        )
        .await);
    for e in [dup, keep] {
        let r = lead
            .post(
                &format!("/api/v1/partners/{p}/members"),
                json!({"employer_id": e}),
            )
            .await;
        assert!(r.status.is_success(), "{}", r.text);
    }
    let day = id(lead.post("/api/v1/contact-days", json!({"date": "2026-11-27", "starts_at": "09:00", "ends_at": "13:00", "place": "Toimisto", "participant_ids": [lead.user_id], "target_employer_ids": [dup, keep]})).await);

    // Who may, and what is refused without changing anything.
    let url = format!("/api/v1/employers/{keep}/merge");
    assert_eq!(
        s.post(&url, json!({"duplicate_id": dup})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        lead.post(&url, json!({"duplicate_id": keep})).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = lead.post(&url, json!({"duplicate_id": other})).await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "two business IDs: {}",
        r.text
    );
    let stranger = app.user("Other", "x@b.fi", Role::TeamLead);
    let theirs = id(stranger
        .post("/api/v1/employers", json!({"name": "Kahvila Aroma Oy"}))
        .await);
    let r = lead.post(&url, json!({"duplicate_id": theirs})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(
        stranger
            .get(&format!("/api/v1/employers/{theirs}"))
            .await
            .status,
        StatusCode::OK
    );

    let r = lead.post(&url, json!({"duplicate_id": dup})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let m = &r.json;
    for (kind, n) in [
        ("contacts", 1),
        ("contact_log", 1),
        ("leads", 1),
        ("plan", 1),
        ("placements", 1),
        ("partner_memberships", 0),
        ("contact_days", 0),
        ("profiles", 1),
    ] {
        assert_eq!(m["moved"][kind], n, "{kind}: {}", r.text);
    }
    assert_eq!(m["employer"]["website"], "https://aroma.fi");
    assert_eq!(m["employer"]["municipality_code"], "837");
    assert_eq!(
        m["employer"]["name"], "Kahvila Aroma Oy",
        "the survivor keeps its own"
    );
    assert_eq!(m["employer"]["tags"], json!(["kahvila"]));
    // Every record now points at the survivor; the duplicate is gone.
    assert_eq!(
        lead.get(&format!("/api/v1/employers/{dup}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        lead.get(&format!("/api/v1/contacts/{contact}")).await.json["employer_id"],
        keep
    );
    assert_eq!(
        lead.get(&format!("/api/v1/outreach/{log}")).await.json["employer_id"],
        keep
    );
    assert_eq!(
        lead.get(&format!("/api/v1/leads/{job}")).await.json["employer_id"],
        keep
    );
    assert_eq!(
        lead.get(&format!("/api/v1/plan/items/{plan}")).await.json["employer_id"],
        keep
    );
    assert_eq!(
        lead.get(&format!("/api/v1/placements/{place}")).await.json["employer_id"],
        keep
    );
    let fu = lead
        .get(&format!("/api/v1/follow-ups?employer_id={keep}"))
        .await;
    assert_eq!(
        fu.json["items"].as_array().map(Vec::len),
        Some(1),
        "{}",
        fu.text
    );
    let members = lead.get(&format!("/api/v1/partners/{p}/members")).await;
    let ids: Vec<i64> = members.json["items"]
        .as_array()
        .unwrap_or(&vec![])
        .iter()
        .filter_map(|m| m["employer_id"].as_i64())
        .collect();
    assert_eq!(ids, [keep], "{}", members.text);
    let d = lead.get(&format!("/api/v1/contact-days/{day}")).await;
    assert!(
        !d.text.contains(&format!("\"employer_id\":{dup}")),
        "{}",
        d.text
    );
    let prof = lead.get(&format!("/api/v1/clients/{seeker}/profile")).await;
    assert_eq!(prof.json["avoid_employer_ids"], json!([keep, other]));
    let tl = lead
        .get(&format!("/api/v1/employers/{keep}/timeline"))
        .await;
    assert!(
        tl.text.contains("Soita"),
        "the duplicate's contact is in the survivor's timeline"
    );
    // Explained afterwards: the trail of both, and the old page address leads on.
    let t = admin
        .get(&format!(
            "/api/v1/audit?entity=employer&entity_id={keep}&action=merge"
        ))
        .await;
    let ch = t.json["items"][0]["changes"].as_array().unwrap().clone();
    let val = |f: &str| {
        ch.iter()
            .find(|c| c["field"] == f)
            .map(|c| c["new"].clone())
    };
    assert_eq!(val("merged_id"), Some(json!(dup)));
    assert_eq!(val("merged_name"), Some(json!("KAHVILA AROMA")));
    assert_eq!(val("moved.contact_log"), Some(json!(1)));
    let t = admin
        .get(&format!(
            "/api/v1/audit?entity=employer&entity_id={dup}&action=merge"
        ))
        .await;
    assert!(
        t.text.contains("\"into_id\"") && t.text.contains("https://aroma.fi"),
        "{}",
        t.text
    );
    let mut b = app.browser();
    b.login("lead@a.fi", PASSWORD).await;
    let old = b.get(&format!("/employers/{dup}")).await;
    assert_eq!(old.status, StatusCode::SEE_OTHER);
    assert_eq!(
        old.location.as_deref(),
        Some(format!("/employers/{keep}").as_str())
    );
}

on_both_databases!(the_finder_lists_likely_pairs_with_reasons);

async fn the_finder_lists_likely_pairs_with_reasons(app: TestApp) {
    let lead = app.user("Org", "lead@a.fi", Role::TeamLead);
    let s = app.user("Org", "s@a.fi", Role::Specialist);
    let mk = |body: serde_json::Value| {
        let lead = lead.clone();
        async move {
            let mut body = body;
            body["acknowledge_duplicates"] = json!(true);
            let r = lead.post("/api/v1/employers", body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            r.json["id"].as_i64().unwrap()
        }
    };
    let a = mk(json!({"name": "Kauppa Oy", "municipality_code": "837"})).await;
    let b = mk(json!({"name": "KAUPPA OY"})).await;
    let c = mk(json!({"name": "Kahvila Pöllö Oy"})).await;
    let d = mk(json!({"name": "Kahvila Pölö"})).await;
    let e = mk(json!({"name": "Siivous Sirkka", "website": "https://www.sirkka.fi"})).await;
    let f = mk(json!({"name": "Sirkan Siivouspalvelu", "website": "sirkka.fi/yhteys"})).await;
    let g = mk(json!({"name": "Rakennus Laine"})).await;
    let h = mk(json!({"name": "Laine Rakennuttajat"})).await;
    for (emp, mail) in [(g, "pekka@laine.fi"), (h, "PEKKA@laine.fi")] {
        lead.post(
            &format!("/api/v1/employers/{emp}/contacts"),
            json!({"name": "Pekka", "email": mail}),
        )
        .await;
    }
    // Same name, different business IDs: two companies, never paired.
    mk(json!({"name": "Autokorjaamo Nieminen", "business_id": "2858394-9"})).await;
    mk(json!({"name": "Autokorjaamo Nieminen", "business_id": "1572860-0"})).await;
    let r = s.get("/api/v1/employers/duplicates").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let got: Vec<(i64, i64, String)> = r
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["a"]["id"].as_i64().unwrap(),
                p["b"]["id"].as_i64().unwrap(),
                p["why"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut want = vec![
        (a, b, "same_name".to_string()),
        (c, d, "similar_name".into()),
        (e, f, "same_website".into()),
        (g, h, "same_contact".into()),
    ];
    want.sort_by(|x, y| x.2.cmp(&y.2));
    let mut got_sorted = got.clone();
    got_sorted.sort_by(|x, y| x.2.cmp(&y.2));
    assert_eq!(got_sorted, want, "{}", r.text);
    let other = app.user("Other", "x@b.fi", Role::TeamLead);
    assert_eq!(
        other.get("/api/v1/employers/duplicates").await.json,
        json!([])
    );
    // The page: both names linked, the reason, and a merge for team leads.
    let mut b_ = app.browser();
    b_.login("lead@a.fi", PASSWORD).await;
    let page = b_.get("/employers/duplicates").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains(&format!("href=\"/employers/{c}\""))
            && page.text.contains("sama yhteyshenkilön"),
        "{}",
        page.text
    );
    let merged = b_
        .post(
            "/employers/merge",
            &[
                ("survivor_id", &a.to_string()),
                ("duplicate_id", &b.to_string()),
            ],
        )
        .await;
    assert_eq!(merged.status, StatusCode::SEE_OTHER, "{}", merged.text);
    assert_eq!(
        merged.location.as_deref(),
        Some(format!("/employers/{a}").as_str())
    );
    assert_eq!(
        lead.get(&format!("/api/v1/employers/{b}")).await.status,
        StatusCode::NOT_FOUND
    );
    let mut sp = app.browser();
    sp.login("s@a.fi", PASSWORD).await;
    let page = sp.get("/employers/duplicates").await;
    assert!(
        !page.text.contains("/employers/merge"),
        "no merge buttons for a specialist"
    );
}

on_both_databases!(a_contact_person_that_looks_the_same_is_named_first);

async fn a_contact_person_that_looks_the_same_is_named_first(app: TestApp) {
    let lead = app.user("Org", "lead@a.fi", Role::TeamLead);
    let e = lead
        .post("/api/v1/employers", json!({"name": "Kahvila Aroma Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let url = format!("/api/v1/employers/{e}/contacts");
    let first = lead.post(&url, json!({"name": "Pirjo Virtanen", "email": "pirjo@aroma.fi", "phone": "+358 40 123 4567"})).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let pirjo = first.json["id"].as_i64().unwrap();
    for (body, why) in [
        (json!({"name": "PIRJO  VIRTANEN"}), "same_name"),
        (json!({"name": "Pirjo Virtane"}), "similar_name"),
        (
            json!({"name": "P. V.", "email": "Pirjo@Aroma.fi"}),
            "same_email",
        ),
        (
            json!({"name": "Myyntipalvelu", "phone": "040 1234567"}),
            "same_phone",
        ),
    ] {
        let r = lead.post(&url, body.clone()).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{body}: {}", r.text);
        assert_eq!(
            (
                r.json["duplicates"][0]["id"].as_i64(),
                r.json["duplicates"][0]["why"].as_str()
            ),
            (Some(pirjo), Some(why)),
            "{body}"
        );
    }
    let n = || async {
        lead.get(&format!("/api/v1/employers/{e}/contacts"))
            .await
            .json["items"]
            .as_array()
            .map(Vec::len)
    };
    assert_eq!(n().await, Some(1), "nothing was added");
    let ok = lead
        .post(
            &url,
            json!({"name": "Pirjo Virtanen", "acknowledge_duplicates": true}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
    // Another employer's Pirjo is another person.
    let e2 = lead
        .post("/api/v1/employers", json!({"name": "Leipomo Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        lead.post(
            &format!("/api/v1/employers/{e2}/contacts"),
            json!({"name": "Pirjo Virtanen"})
        )
        .await
        .status,
        StatusCode::CREATED
    );
    // A change is no place for the acknowledgement.
    let r = lead
        .patch(
            &format!("/api/v1/contacts/{pirjo}"),
            json!({"acknowledge_duplicates": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    // The page names the look-alike beside a box, then adds when it is ticked.
    let mut b = app.browser();
    b.login("lead@a.fi", PASSWORD).await;
    let again = b
        .post(
            &format!("/employers/{e}/contacts"),
            &[("name", "Pirjo Virtanen")],
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.text
    );
    assert!(
        again.text.contains("Pirjo Virtanen on samanniminen.")
            && again.text.contains("name=\"acknowledge_duplicates\""),
        "{}",
        again.text
    );
    let added = b
        .post(
            &format!("/employers/{e}/contacts"),
            &[("name", "Pirjo Virtanen"), ("acknowledge_duplicates", "on")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
    assert_eq!(n().await, Some(3));
}
