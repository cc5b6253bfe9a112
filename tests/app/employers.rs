//! The employer register through the JSON API.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_databases;

on_both_databases!(
    employer_and_contact_flow,
    bad_business_ids_store_nothing,
    duplicate_business_id_conflicts,
    list_filters_sorting_and_cursor_pages,
    viewer_reads_only,
    bad_input_is_problem_json
);

async fn employer_and_contact_flow(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let r = api
        .post(
            "/api/v1/employers",
            json!({
                "name": "Kahvila Aamu Oy", "business_id": "1572860-0", "industry": "I", "size_class": "1-9",
                "street_address": "Hämeenkatu 1", "postal_code": "33100", "municipality_code": "837",
                "website": "aamu.example.fi", "description": "Aamiaiskahvila", "tags": ["Kahvila", "osa-aika"],
                "owner_id": api.user_id, "stage": "introduced"
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json["id"].as_i64().unwrap();
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/api/v1/employers/{id}").as_str())
    );
    assert_eq!(r.json["name"], "Kahvila Aamu Oy");
    assert_eq!(r.json["business_id"], "1572860-0");
    assert_eq!(r.json["website"], "https://aamu.example.fi");
    assert_eq!(r.json["tags"], json!(["kahvila", "osa-aika"]));
    assert_eq!(r.json["owner_id"], api.user_id);
    assert_eq!(r.json["stage"], "introduced");
    assert!(r.json["archived_at"].is_null());

    let got = api.get(&format!("/api/v1/employers/{id}")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.json["municipality_code"], "837");

    // PATCH changes what it names and keeps the rest.
    let p = api
        .patch(
            &format!("/api/v1/employers/{id}"),
            json!({"name": "Kahvila Aamu", "description": null}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    assert_eq!(p.json["name"], "Kahvila Aamu");
    assert!(p.json["description"].is_null());
    assert_eq!(p.json["business_id"], "1572860-0");

    // A rejected PATCH changes nothing.
    let bad = api
        .patch(
            &format!("/api/v1/employers/{id}"),
            json!({"name": "X", "stage": "friends"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.json["errors"]["stage"].is_array(), "{}", bad.text);
    assert_eq!(
        api.get(&format!("/api/v1/employers/{id}")).await.json["name"],
        "Kahvila Aamu"
    );

    // Contact persons.
    let c = api
        .post(
            &format!("/api/v1/employers/{id}/contacts"),
            json!({"name": "Maija Esimerkki", "title": "Omistaja", "phone": "+358 40 123 4567", "email": "Maija@Example.fi", "preferred_channel": "phone", "can_hire": true}),
        )
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.text);
    let cid = c.json["id"].as_i64().unwrap();
    assert_eq!(c.json["email"], "maija@example.fi");
    assert_eq!(c.json["can_hire"], true);
    assert_eq!(c.json["employer_id"], id);
    let list = api.get(&format!("/api/v1/employers/{id}/contacts")).await;
    assert_eq!(list.json["items"].as_array().unwrap().len(), 1);
    assert!(list.json["next"].is_null());
    let bad = api
        .post(
            &format!("/api/v1/employers/{id}/contacts"),
            json!({"name": "", "email": "nope"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.json["errors"]["name"].is_array() && bad.json["errors"]["email"].is_array(),
        "{}",
        bad.text
    );
    assert_eq!(
        api.get(&format!("/api/v1/employers/{id}/contacts"))
            .await
            .json["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let p = api
        .patch(
            &format!("/api/v1/contacts/{cid}"),
            json!({"title": "Toimitusjohtaja"}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK);
    assert_eq!(p.json["title"], "Toimitusjohtaja");
    assert_eq!(p.json["name"], "Maija Esimerkki");
    assert_eq!(
        api.delete(&format!("/api/v1/contacts/{cid}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        api.get(&format!("/api/v1/contacts/{cid}")).await.status,
        StatusCode::NOT_FOUND
    );

    // DELETE archives: gone from the list, still readable, listed among the archived.
    assert_eq!(
        api.delete(&format!("/api/v1/employers/{id}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        api.get("/api/v1/employers").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let archived = api.get("/api/v1/employers?archived=true").await;
    assert_eq!(archived.json["items"][0]["id"], id);
    assert!(!archived.json["items"][0]["archived_at"].is_null());
}

async fn bad_business_ids_store_nothing(app: TestApp) {
    let mut api = app.user("Org A", "a@a.fi", Role::Specialist);
    api.lang = Some("en");
    for (bid, key_en) in [
        ("1572860-1", "check digit is wrong"),
        ("0000102-0", "No business ID has these digits"),
        ("157286A-0", "seven digits, a hyphen"),
        ("15728600", "seven digits, a hyphen"),
    ] {
        let r = api
            .post(
                "/api/v1/employers",
                json!({"name": "Yritys Oy", "business_id": bid}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bid}");
        assert!(r.content_type.starts_with("application/problem+json"));
        let msg = r.json["errors"]["business_id"][0]
            .as_str()
            .unwrap_or_default();
        assert!(msg.contains(key_en), "{bid}: {msg}");
    }
    // The same in Finnish for a Finnish caller.
    api.lang = Some("fi-FI,fi;q=0.9");
    let r = api
        .post(
            "/api/v1/employers",
            json!({"name": "Yritys Oy", "business_id": "1572860-1"}),
        )
        .await;
    assert!(
        r.json["errors"]["business_id"][0]
            .as_str()
            .unwrap()
            .contains("Tarkistenumero"),
        "{}",
        r.text
    );
    assert_eq!(r.json["title"], "Tarkista tiedot");
    let list = api.get("/api/v1/employers").await;
    assert_eq!(
        list.json["items"].as_array().unwrap().len(),
        0,
        "nothing stored"
    );
}

async fn duplicate_business_id_conflicts(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let other = app.user("Org B", "b@b.fi", Role::Specialist);
    assert_eq!(
        api.post(
            "/api/v1/employers",
            json!({"name": "Eka Oy", "business_id": "0112038-9"})
        )
        .await
        .status,
        StatusCode::CREATED
    );
    let r = api
        .post(
            "/api/v1/employers",
            json!({"name": "Toka Oy", "business_id": "112038-9"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.json["errors"]["business_id"][0]
        .as_str()
        .unwrap()
        .contains("Eka Oy"));
    // Unique within the organisation only.
    assert_eq!(
        other
            .post(
                "/api/v1/employers",
                json!({"name": "Eka Oy", "business_id": "0112038-9"})
            )
            .await
            .status,
        StatusCode::CREATED
    );
}

async fn list_filters_sorting_and_cursor_pages(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let municipalities = ["837", "091", "564"];
    for i in 0..30 {
        let r = api
            .post(
                "/api/v1/employers",
                json!({
                    "name": format!("{} Yritys {:02}", if i % 2 == 0 { "Äänekosken" } else { "Beta" }, i),
                    "municipality_code": municipalities[i % 3],
                    "industry": if i % 5 == 0 { "G" } else { "C" },
                    "stage": if i < 4 { "active" } else { "not_contacted" },
                    "tags": if i % 10 == 0 { vec!["kahvila"] } else { vec!["tehdas"] },
                }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    // Three pages of ten by cursor, in name order, no duplicates.
    let mut names = Vec::new();
    let mut url = "/api/v1/employers?limit=10".to_string();
    let mut pages = 0;
    loop {
        let r = api.get(&url).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        pages += 1;
        for it in r.json["items"].as_array().unwrap() {
            names.push(it["name"].as_str().unwrap().to_string());
        }
        match r.json["next"].as_str() {
            Some(c) => url = format!("/api/v1/employers?limit=10&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names.len(), 30);
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    // Descending by name, across a page boundary.
    let d1 = api.get("/api/v1/employers?sort=name_desc&limit=20").await;
    let d2 = api
        .get(&format!(
            "/api/v1/employers?sort=name_desc&limit=20&cursor={}",
            d1.json["next"].as_str().unwrap()
        ))
        .await;
    let desc: Vec<String> = d1.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(d2.json["items"].as_array().unwrap())
        .map(|x| x["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(desc.len(), 30);
    assert!(desc
        .windows(2)
        .all(|w| w[0].to_lowercase() >= w[1].to_lowercase()));
    // Filters and search (case-insensitive, with Finnish letters).
    let count = |r: &crate::helpers::Resp| r.json["items"].as_array().unwrap().len();
    assert_eq!(
        count(
            &api.get("/api/v1/employers?municipality=091&limit=100")
                .await
        ),
        10
    );
    assert_eq!(
        count(&api.get("/api/v1/employers?industry=g&limit=100").await),
        6
    );
    assert_eq!(
        count(&api.get("/api/v1/employers?stage=active&limit=100").await),
        4
    );
    assert_eq!(
        count(&api.get("/api/v1/employers?tag=kahvila&limit=100").await),
        3
    );
    assert_eq!(
        count(
            &api.get("/api/v1/employers?q=%C3%A4%C3%A4NEKOSKEN&limit=100")
                .await
        ),
        15
    );
    assert_eq!(count(&api.get("/api/v1/employers?q=yritys%2007").await), 1);
    let r = api
        .get("/api/v1/employers?owner=abc&limit=0&sort=size")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["owner", "limit", "sort"] {
        assert!(r.json["errors"][f].is_array(), "{f}: {}", r.text);
    }
    assert_eq!(
        api.get("/api/v1/employers?cursor=nothex").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

async fn viewer_reads_only(app: TestApp) {
    let writer = app.user("Org A", "a@a.fi", Role::Specialist);
    let viewer = app.user("Org A", "v@a.fi", Role::Viewer);
    let id = writer
        .post("/api/v1/employers", json!({"name": "Luettava Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        viewer.get(&format!("/api/v1/employers/{id}")).await.json["name"],
        "Luettava Oy"
    );
    let r = viewer
        .post("/api/v1/employers", json!({"name": "Ei saa"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.content_type.starts_with("application/problem+json"));
    assert_eq!(
        viewer
            .patch(&format!("/api/v1/employers/{id}"), json!({"name": "X"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        viewer
            .delete(&format!("/api/v1/employers/{id}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        writer.get("/api/v1/employers").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        writer.get(&format!("/api/v1/employers/{id}")).await.json["name"],
        "Luettava Oy"
    );
    // The pages show a viewer no buttons that would end in "forbidden".
    let r = writer
        .post("/api/v1/outreach", json!({"employer_id": id}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let mut b = app.browser();
    b.login("v@a.fi", crate::helpers::PASSWORD).await;
    for path in [
        format!("/employers/{id}"),
        "/outreach?who=all".to_string(),
        "/employers".into(),
        "/follow-ups".into(),
        "/contact-days".into(),
        "/partners".into(),
    ] {
        let page = b.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        for write in [
            "/outreach/new",
            "/edit\"",
            "/employers/new",
            "/contact-days/new",
            "/partners/new",
            "/archive",
        ] {
            assert!(
                !page.text.contains(write),
                "{path} shows {write} to a viewer"
            );
        }
    }
}

async fn bad_input_is_problem_json(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let r = api
        .post_raw("/api/v1/employers", "application/json", "{not json")
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.content_type.starts_with("application/problem+json"));
    assert!(r.json["errors"]["body"].is_array());
    let r = api
        .post("/api/v1/employers", json!({"name": "X", "colour": "red"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The unknown key is named as the field it is.
    assert!(r.json["errors"]["colour"][0].is_string(), "{}", r.text);
    let r = api.post("/api/v1/employers", json!({"name": 5})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = api
        .patch("/api/v1/employers/1", json!({"colour": "red"}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = api.get("/api/v1/employers/not-a-number").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.content_type.starts_with("application/problem+json"));
    let r = api.get("/api/v1/nothing-here").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json["status"], 404);
    assert_eq!(
        api.get("/api/v1/employers").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}
