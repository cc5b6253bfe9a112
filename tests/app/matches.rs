//! Matches a specialist can trust: the relationship reason from real history, the score
//! cut-off and `min_score`, proposed job seekers listed apart and not offered again, the
//! job seeker's specialist on the lead's page, hours reasons that name both sides.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::{json, Value};

use crate::helpers::{utc, Api, TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(
    the_relationship_reason_comes_from_history,
    the_cut_off_hides_weak_matches_and_min_score_moves_it,
    a_proposed_job_seeker_is_listed_apart_and_not_offered_again,
    hours_reasons_say_how_the_job_differs_from_the_wish
);

async fn seeker(api: &Api, name: &str, profile: Value) -> i64 {
    let r = api
        .post(
            "/api/v1/clients",
            json!({"consent_to_contact_employers": true, "display_name": name, "intake_date": "2026-10-01", "status": "job_search"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json["id"].as_i64().unwrap();
    let p = api
        .put(&format!("/api/v1/clients/{id}/profile"), profile)
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    id
}

async fn employer(api: &Api, body: Value) -> i64 {
    let r = api.post("/api/v1/employers", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json["id"].as_i64().unwrap()
}

async fn lead(api: &Api, body: Value) -> i64 {
    let r = api.post("/api/v1/leads", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json["id"].as_i64().unwrap()
}

async fn visit(api: &Api, employer: i64, at: &str) {
    let r = api
        .post(
            "/api/v1/outreach",
            json!({"employer_id": employer, "occurred_at": at, "channel": "in_person",
                   "purpose": "learn_needs", "acknowledge_collisions": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

/// The match of `lead` among the job seeker's listed matches.
async fn match_of(api: &Api, seeker: i64, lead: i64, query: &str) -> Option<Value> {
    let r = api
        .get(&format!(
            "/api/v1/clients/{seeker}/matches?limit=100{query}"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["lead_id"] == lead)
        .cloned()
}

/// The texts of the reasons of one kind whose code starts with `prefix`.
fn texts(m: &Value, kind: &str, prefix: &str) -> Vec<String> {
    m["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == kind && r["code"].as_str().unwrap().starts_with(prefix))
        .map(|r| r["text"].as_str().unwrap().to_string())
        .collect()
}

async fn the_relationship_reason_comes_from_history(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let mut me = app.user("Org A", "a@a.fi", Role::Specialist);
    me.lang = Some("en");
    let person = seeker(&me, "R. S.", json!({"occupations": ["5132"]})).await;
    let worker = seeker(&me, "W. K.", json!({"occupations": ["9112"]})).await;
    // The stage says "hiring partner", but there was one visit: no relationship claim.
    let once = employer(&me, json!({"name": "Kerran Oy", "stage": "hiring_partner"})).await;
    let thrice = employer(&me, json!({"name": "Kolmesti Oy"})).await;
    let hired = employer(&me, json!({"name": "Palkannut Oy"})).await;
    let known = employer(&me, json!({"name": "Tuttu Oy"})).await;
    visit(&me, once, "2026-11-12T10:00").await;
    for day in ["2026-10-01", "2026-10-20", "2026-11-12"] {
        visit(&me, thrice, &format!("{day}T10:00")).await;
    }
    let r = me
        .post("/api/v1/placements", json!({"client_id": worker, "employer_id": hired, "job_title": "Siivooja", "starts_on": "2026-06-01"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = me
        .post(
            &format!("/api/v1/employers/{known}/contacts"),
            json!({"name": "Maija Esimerkki", "title": "Omistaja", "can_hire": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let barista = |e: i64| json!({"employer_id": e, "title": "Barista", "isco_code": "5132"});
    let at_once = lead(&me, barista(once)).await;
    let at_thrice = lead(&me, barista(thrice)).await;
    let at_hired = lead(&me, barista(hired)).await;
    let at_known = lead(&me, barista(known)).await;

    let m = match_of(&me, person, at_once, "").await.unwrap();
    assert!(texts(&m, "fits", "relationship").is_empty(), "{m}");
    assert_eq!(
        texts(&m, "missing", "relationship"),
        vec![
            "Only one visit to the employer so far (12 Nov 2026): the relationship has just begun."
        ]
    );
    let m = match_of(&me, person, at_thrice, "").await.unwrap();
    assert_eq!(
        texts(&m, "fits", "relationship"),
        vec!["We have visited the employer 3 times, last on 12 Nov 2026."]
    );
    let m = match_of(&me, person, at_hired, "").await.unwrap();
    assert_eq!(
        texts(&m, "fits", "relationship"),
        vec!["The employer has hired one of our job seekers before."]
    );
    let m = match_of(&me, person, at_known, "").await.unwrap();
    assert_eq!(
        texts(&m, "fits", "relationship"),
        vec!["We know the person who hires."]
    );
    // Two more visits: the claim follows on the next request.
    visit(&me, once, "2026-11-17T10:00").await;
    visit(&me, once, "2026-11-23T10:00").await;
    let m = match_of(&me, person, at_once, "").await.unwrap();
    assert_eq!(
        texts(&m, "fits", "relationship"),
        vec!["We have visited the employer 3 times, last on 23 Nov 2026."]
    );
    // The page, in Finnish: the same facts, and no praise without them.
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;
    let page = b.get(&format!("/clients/{person}")).await;
    assert!(
        page.text
            .contains("Olemme käyneet työnantajan luona 3 kertaa, viimeksi 12.11.2026."),
        "{}",
        page.text
    );
    assert!(page
        .text
        .contains("Työnantaja on palkannut aiemmin yhden työnhakijoistamme."));
    assert!(page
        .text
        .contains("Tunnemme henkilön, joka päättää palkkaamisesta."));
    assert!(!page.text.contains("Tunnemme tämän työnantajan hyvin"));
}

async fn the_cut_off_hides_weak_matches_and_min_score_moves_it(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let me = app.user("Org A", "a@a.fi", Role::Specialist);
    let person = seeker(
        &me,
        "C. O.",
        json!({"occupations": ["5132"], "hours_min": 15, "hours_max": 25,
               "home_municipality_code": "837", "max_commute_km": 20}),
    )
    .await;
    let cafe = employer(
        &me,
        json!({"name": "Kahvila Oy", "municipality_code": "837"}),
    )
    .await;
    let other = employer(&me, json!({"name": "Keittiö Oy"})).await;
    // In the occupation, in town, the right hours, an employer we know well: 80 points.
    let strong = lead(&me, json!({"employer_id": cafe, "title": "Barista", "isco_code": "5132", "hours_min": 20, "hours_max": 20})).await;
    // A cook's job, same field (14 points), nothing else known: 29 points.
    let weak = lead(
        &me,
        json!({"employer_id": other, "title": "Kokki", "isco_code": "5120"}),
    )
    .await;
    // Cleaning, not an occupation they named, at the employer we know well: 45 points,
    // still not listed above a cut-off of 0.
    for day in ["2026-10-01", "2026-10-20", "2026-11-12"] {
        visit(&me, cafe, &format!("{day}T10:00")).await;
    }
    let r = me
        .post(
            &format!("/api/v1/employers/{cafe}/contacts"),
            json!({"name": "Maija Esimerkki", "can_hire": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let worker = seeker(&me, "W. K.", json!({"occupations": ["5132"]})).await;
    let r = me
        .post("/api/v1/placements", json!({"client_id": worker, "employer_id": cafe, "job_title": "Barista", "starts_on": "2026-06-01"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let cleaning = lead(&me, json!({"employer_id": cafe, "title": "Siivooja", "isco_code": "9112", "hours_min": 20, "hours_max": 20})).await;

    let score = |m: Option<Value>| m.map(|m| m["score"].as_f64().unwrap());
    assert_eq!(score(match_of(&me, person, strong, "").await), Some(80.0));
    assert_eq!(
        match_of(&me, person, weak, "").await,
        None,
        "29 points: below the default cut-off of 40"
    );
    assert_eq!(match_of(&me, person, cleaning, "").await, None);
    // `min_score` lowers or raises the cut-off for one request.
    assert_eq!(
        score(match_of(&me, person, weak, "&min_score=25").await),
        Some(29.0)
    );
    assert_eq!(match_of(&me, person, cleaning, "&min_score=25").await, None);
    assert_eq!(
        score(match_of(&me, person, cleaning, "&min_score=0").await),
        Some(45.0),
        "0 lists every pair the hard rules let through"
    );
    assert_eq!(match_of(&me, person, strong, "&min_score=85").await, None);
    let r = me
        .get(&format!("/api/v1/leads/{weak}/matches?min_score=25"))
        .await;
    assert_eq!(r.json["items"][0]["client_id"], person, "{}", r.text);
    let r = me.get(&format!("/api/v1/leads/{weak}/matches")).await;
    assert_eq!(r.json["items"], json!([]), "{}", r.text);
    // The pages list only what passes, and say what the cut-off is.
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;
    let page = b.get(&format!("/clients/{person}")).await;
    assert!(page.text.contains(">Barista</a>"), "{}", page.text);
    assert!(!page.text.contains(">Kokki</a>") && !page.text.contains(">Siivooja</a>"));
    assert!(page.text.contains("vähintään 40"), "{}", page.text);
    let page = b.get(&format!("/leads/{weak}/matches")).await;
    assert!(!page.text.contains("C. O."));
    assert!(page
        .text
        .contains("Vinkki ei vielä sovi kenellekään työnhakijalle."));
}

async fn a_proposed_job_seeker_is_listed_apart_and_not_offered_again(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let me = app.user("Org A", "a@a.fi", Role::Specialist);
    let colleague = app.user("Org A", "b@a.fi", Role::Specialist);
    let mine = seeker(&me, "M. I.", json!({"occupations": ["5132"]})).await;
    let theirs = seeker(&colleague, "T. O.", json!({"occupations": ["5132"]})).await;
    let cafe = employer(&me, json!({"name": "Kahvila Oy"})).await;
    let barista = lead(
        &me,
        json!({"employer_id": cafe, "title": "Barista", "isco_code": "5132"}),
    )
    .await;
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;
    // A new lead that fits one's own job seeker is on one's home, the week; the
    // colleague's job seeker is not.
    let home = b.get("/plan").await;
    assert!(
        home.text
            .contains(&format!("href=\"/clients/{mine}#matches\">M. I.</a>"))
            && home
                .text
                .contains(&format!("href=\"/leads/{barista}\">Barista</a>")),
        "{}",
        home.text
    );
    assert!(!home.text.contains("T. O."));
    // Whose job seeker each is, on the lead's page and in the API.
    let page = b.get(&format!("/leads/{barista}/matches")).await;
    assert!(page.text.contains("M. I.") && page.text.contains("T. O."));
    assert!(
        page.text.contains("työhönvalmentaja: a@a.fi")
            && page.text.contains("työhönvalmentaja: b@a.fi"),
        "{}",
        page.text
    );
    let r = me.get(&format!("/api/v1/leads/{barista}/matches")).await;
    let named: Vec<(i64, String)> = r.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["client_id"].as_i64().unwrap(),
                m["specialist_name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(named.contains(&(mine, "a@a.fi".into())) && named.contains(&(theirs, "b@a.fi".into())));
    // Proposed: not offered again, listed apart with the proposal's status.
    let r = b
        .post(
            &format!("/clients/{mine}/propose"),
            &[("lead_id", &barista.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = b.get(&format!("/clients/{mine}")).await;
    assert!(
        !page
            .text
            .contains(&format!("name=\"lead_id\" value=\"{barista}\"")),
        "not offered again"
    );
    let (_, apart) = page.text.split_once("Jo ehdotetut").expect("listed apart");
    assert!(
        apart.contains(&format!("<a href=\"/leads/{barista}\">Barista</a>"))
            && apart.contains("Kahvila Oy")
            && apart.contains("Ehdotettu"),
        "{apart}"
    );
    assert!(!page.text.contains(&format!("#{barista}<")), "no bare ids");
    assert_eq!(match_of(&me, mine, barista, "&min_score=0").await, None);
    let page = b.get(&format!("/leads/{barista}/matches")).await;
    assert!(!page.text.contains(&format!("/clients/{mine}/propose")));
    assert!(page.text.contains(&format!("/clients/{theirs}/propose")));
    // Nor on the home's new matches any more.
    assert!(!b
        .get("/plan")
        .await
        .text
        .contains(&format!("href=\"/leads/{barista}\">Barista</a>")));
    let (_, apart) = page.text.split_once("Jo ehdotetut").expect("listed apart");
    assert!(
        apart.contains("M. I.") && apart.contains("Ehdotettu") && apart.contains("a@a.fi"),
        "{apart}"
    );
    let r = me.get(&format!("/api/v1/leads/{barista}/matches")).await;
    assert!(r.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["client_id"] != mine));
    // The answer shows there too; the proposal card names the lead.
    let pid = me
        .get(&format!("/api/v1/clients/{mine}/proposals"))
        .await
        .json["items"][0]["id"]
        .as_i64()
        .unwrap();
    b.post(
        &format!("/proposals/{pid}"),
        &[("status", "interested"), ("reason", "")],
    )
    .await;
    let page = b.get(&format!("/clients/{mine}")).await;
    let (_, apart) = page.text.split_once("Jo ehdotetut").unwrap();
    assert!(apart.contains("Kiinnostunut"), "{apart}");
    let (_, card) = page.text.split_once("id=\"proposals\"").unwrap();
    assert!(card.contains(&format!("<a href=\"/leads/{barista}\">Barista</a> – <a href=\"/employers/{cafe}\">Kahvila Oy</a>")), "{card}");
}

async fn hours_reasons_say_how_the_job_differs_from_the_wish(app: TestApp) {
    app.clock.set(utc("2026-11-24 10:00"));
    let me = app.user("Org A", "a@a.fi", Role::Specialist);
    let person = seeker(
        &me,
        "H. T.",
        json!({"occupations": ["5132"], "hours_min": 10, "hours_max": 25}),
    )
    .await;
    let cafe = employer(&me, json!({"name": "Kahvila Oy"})).await;
    let more = lead(&me, json!({"employer_id": cafe, "title": "Barista", "isco_code": "5132", "hours_min": 20, "hours_max": 30})).await;
    let inside = lead(&me, json!({"employer_id": cafe, "title": "Aamubarista", "isco_code": "5132", "hours_min": 15, "hours_max": 20})).await;
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;
    let page = b.get(&format!("/clients/{person}")).await;
    assert!(
        page.text.contains("Työaika 20–30 h/vk sopii toiveeseen 10–25 h/vk vain osittain: työtä voi olla jopa 5 h/vk toivottua enemmän."),
        "{}",
        page.text
    );
    assert!(page
        .text
        .contains("Työaika 15–20 h/vk sopii hänen toiveeseensa 10–25 h/vk."));
    // Only the fitting one is marked as fitting; the other is a partial fit.
    let m = match_of(&me, person, more, "").await.unwrap();
    assert!(texts(&m, "fits", "hours").is_empty());
    assert_eq!(texts(&m, "relaxed", "hours").len(), 1);
    let m = match_of(&me, person, inside, "").await.unwrap();
    assert_eq!(texts(&m, "fits", "hours").len(), 1);
}
