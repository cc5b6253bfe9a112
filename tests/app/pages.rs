//! The pages as a browser uses them: forms, errors next to fields, languages.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::json;

use crate::helpers::{TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(
    employer_pages_flow,
    language_switch_is_remembered,
    pages_without_login_go_to_login,
    pages_are_compressed_for_clients_that_ask
);

/// A phone on a slow network gets gzip when it asks for it, and plain bytes otherwise.
async fn pages_are_compressed_for_clients_that_ask(app: TestApp) {
    let client = awc::Client::default();
    let url = format!("{}/login", app.base);
    let mut asked = client
        .get(&url)
        .insert_header(("Accept-Encoding", "gzip"))
        .send()
        .await
        .expect("request");
    assert_eq!(
        asked
            .headers()
            .get("content-encoding")
            .map(|v| v.as_bytes()),
        Some(&b"gzip"[..])
    );
    let zipped = asked.body().await.expect("body");
    assert_eq!(&zipped[..2], &[0x1f, 0x8b], "a gzip stream");
    let mut plain = client.get(&url).send().await.expect("request");
    assert!(plain.headers().get("content-encoding").is_none());
    let text = plain.body().await.expect("body");
    assert!(String::from_utf8_lossy(&text).contains("id=\"login-form\""));
    assert!(
        zipped.len() < text.len() / 2,
        "{} vs {}",
        zipped.len(),
        text.len()
    );
}

async fn employer_pages_flow(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let mut b = app.browser();
    let r = b.login("a@a.fi", PASSWORD).await;
    assert_eq!(r.location.as_deref(), Some("/"));
    let list = b.get("/employers").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text.contains("id=\"new-employer\""));

    // A bad business id: the form comes back with the message by the field, nothing stored.
    let form = [
        ("name", "Sivu Oy"),
        ("business_id", "1572860-1"),
        ("industry", "G"),
        ("municipality_code", "837"),
        ("postal_code", "33100"),
        ("tags", "kauppa, osa-aika"),
        ("stage", "introduced"),
    ];
    let r = b.post("/employers", &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("id=\"business_id-error\""), "{}", r.text);
    assert!(r.text.contains("Tarkistenumero") || r.text.contains("check digit"));
    assert!(
        r.text.contains(
            "aria-invalid=\"true\" aria-describedby=\"business_id-hint business_id-error\""
        ) || r.text.contains("business_id-error\" aria-invalid"),
        "the field is marked"
    );
    assert!(
        r.text.contains("value=\"Sivu Oy\""),
        "typed values are kept"
    );
    assert_eq!(
        api.get("/api/v1/employers").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // Fixed, it is saved and we land on its page.
    let mut fixed = form.to_vec();
    fixed[1] = ("business_id", "1572860-0");
    let r = b.post("/employers", &fixed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let loc = r.location.clone().unwrap();
    let page = b.get(&loc).await;
    assert!(page.text.contains("<h1>Sivu Oy</h1>"));
    assert!(page.text.contains("1572860-0"));
    assert!(page.text.contains("Tampere"));
    assert!(
        page.text.contains("class=\"flash\""),
        "the flash message shows once"
    );
    assert!(!b.get(&loc).await.text.contains("class=\"flash\""));
    let id: i64 = loc.rsplit('/').next().unwrap().parse().unwrap();
    let stored = api.get(&format!("/api/v1/employers/{id}")).await;
    assert_eq!(stored.json["tags"], json!(["kauppa", "osa-aika"]));
    assert_eq!(stored.json["stage"], "introduced");

    // A contact person, first with a bad e-mail.
    let r = b
        .post(
            &format!("/employers/{id}/contacts"),
            &[
                ("name", "Maija Esimerkki"),
                ("email", "maija"),
                ("can_hire", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("id=\"contact-email-error\""));
    assert!(r.text.contains("value=\"Maija Esimerkki\""));
    let r = b
        .post(
            &format!("/employers/{id}/contacts"),
            &[
                ("name", "Maija Esimerkki"),
                ("email", "maija@example.fi"),
                ("can_hire", "on"),
                ("preferred_channel", "phone"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = b.get(&format!("/employers/{id}")).await;
    assert!(page.text.contains("class=\"contact-card\""));
    assert!(page.text.contains("Maija Esimerkki"));
    let contacts = api.get(&format!("/api/v1/employers/{id}/contacts")).await;
    assert_eq!(contacts.json["items"][0]["can_hire"], true);
    let cid = contacts.json["items"][0]["id"].as_i64().unwrap();

    // Edit the employer and the contact; archive and restore.
    let edit = b.get(&format!("/employers/{id}/edit")).await;
    assert!(edit.text.contains("value=\"1572860-0\""));
    let mut changed = fixed.clone();
    changed[0] = ("name", "Sivu ja Poika Oy");
    assert_eq!(
        b.post(&format!("/employers/{id}"), &changed).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        api.get(&format!("/api/v1/employers/{id}")).await.json["name"],
        "Sivu ja Poika Oy"
    );
    assert_eq!(
        b.post(
            &format!("/contacts/{cid}"),
            &[("name", "Maija E."), ("title", "Omistaja")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        api.get(&format!("/api/v1/contacts/{cid}")).await.json["title"],
        "Omistaja"
    );
    assert_eq!(
        b.post(&format!("/employers/{id}/archive"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert!(!b.get("/employers").await.text.contains("Sivu ja Poika Oy"));
    assert!(b
        .get("/employers?archived=true")
        .await
        .text
        .contains("Sivu ja Poika Oy"));
    assert_eq!(
        b.post(&format!("/employers/{id}/restore"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert!(b
        .get("/employers?q=poika")
        .await
        .text
        .contains("Sivu ja Poika Oy"));
    assert_eq!(
        b.post(&format!("/contacts/{cid}/delete"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        api.get(&format!("/api/v1/contacts/{cid}")).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn language_switch_is_remembered(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;
    let fi = b.get("/employers").await;
    assert!(fi.text.contains("<html lang=\"fi\">"));
    assert!(fi.text.contains("Työnantajat"));
    let r = b
        .post("/lang", &[("lang", "en"), ("next", "/employers?q=x")])
        .await;
    assert_eq!(r.location.as_deref(), Some("/employers?q=x"));
    let en = b.get("/employers").await;
    assert!(en.text.contains("<html lang=\"en\">"));
    assert!(en.text.contains("Add employer"));
    assert_eq!(
        api.get("/api/v1/me").await.json["locale"],
        "en",
        "stored with the user"
    );
    // A new browser session of the same user gets English from the account.
    let mut again = app.browser();
    again.login("a@a.fi", PASSWORD).await;
    assert!(again
        .get("/employers")
        .await
        .text
        .contains("<html lang=\"en\">"));
    // Dates and times in Finnish format for fi.
    b.post("/lang", &[("lang", "fi"), ("next", "/employers")])
        .await;
    let id = api
        .post("/api/v1/employers", json!({"name": "Päiväys Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let page = b.get(&format!("/employers/{id}")).await;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Helsinki);
    assert!(
        page.text
            .contains(&today.format("%-d.%-m.%Y klo").to_string()),
        "{}",
        page.text
    );
    // An off-site "next" is not followed.
    let r = b
        .post("/lang", &[("lang", "fi"), ("next", "//evil.example/")])
        .await;
    assert_eq!(r.location.as_deref(), Some("/"));
    for sneaky in ["/\t/evil.example", "/\\evil.example", "/\n/evil.example"] {
        let r = b.post("/lang", &[("lang", "fi"), ("next", sneaky)]).await;
        assert_eq!(r.location.as_deref(), Some("/"), "{sneaky:?}");
    }
}

async fn pages_without_login_go_to_login(app: TestApp) {
    let mut b = app.browser();
    let r = b.get("/employers/1/edit").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location.as_deref(), Some("/login?next=/employers/1/edit"));
    let r = b.get("/no/such/page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text.contains("<html"));
    let login = b.get("/login").await;
    assert!(login.text.contains("id=\"login-form\""));
    let health = b.get("/healthz").await;
    assert_eq!(health.text, "ok");
    let ready = b.get("/readyz").await;
    assert_eq!(ready.json["status"], "ready");
    assert_eq!(ready.json["database"], app.backend);
}
