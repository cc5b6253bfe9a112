//! One organisation never sees or touches another's data, by API or by page, even
//! when it guesses ids: every attempt answers 404, like an id that does not exist.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::json;

use crate::helpers::{TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(organisations_are_isolated);

async fn organisations_are_isolated(app: TestApp) {
    let a = app.user("Org A", "a@a.fi", Role::Admin);
    let b = app.user("Org B", "b@b.fi", Role::Admin);
    let e = a
        .post(
            "/api/v1/employers",
            json!({"name": "A:n salainen työnantaja", "business_id": "1572860-0"}),
        )
        .await;
    let eid = e.json["id"].as_i64().unwrap();
    let c = a
        .post(
            &format!("/api/v1/employers/{eid}/contacts"),
            json!({"name": "A:n yhteyshenkilö"}),
        )
        .await;
    let cid = c.json["id"].as_i64().unwrap();

    // The API: read, list, edit, delete, by the real ids and by guesses around them.
    for id in [eid, eid + 1, eid + 1000] {
        assert_eq!(
            b.get(&format!("/api/v1/employers/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            b.patch(
                &format!("/api/v1/employers/{id}"),
                json!({"name": "B was here"})
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            b.delete(&format!("/api/v1/employers/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            b.get(&format!("/api/v1/employers/{id}/contacts"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            b.post(
                &format!("/api/v1/employers/{id}/contacts"),
                json!({"name": "B"})
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
    }
    for id in [cid, cid + 1] {
        assert_eq!(
            b.get(&format!("/api/v1/contacts/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            b.patch(&format!("/api/v1/contacts/{id}"), json!({"name": "B"}))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            b.delete(&format!("/api/v1/contacts/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
    }
    let list = b.get("/api/v1/employers?q=salainen").await;
    assert_eq!(list.json["items"].as_array().unwrap().len(), 0);
    assert_eq!(
        b.get("/api/v1/employers?archived=true").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // B cannot make A's user the owner of B's employer.
    let r = b
        .post(
            "/api/v1/employers",
            json!({"name": "B Oy", "owner_id": a.user_id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json["errors"]["owner_id"].is_array());
    // B's tokens list does not show A's, and A's token id cannot be revoked by B.
    let a_tokens = a.get("/api/v1/me/tokens").await;
    let a_token_id = a_tokens.json["items"][0]["id"].as_i64().unwrap();
    assert_eq!(
        b.delete(&format!("/api/v1/me/tokens/{a_token_id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        a.get("/api/v1/me").await.status,
        StatusCode::OK,
        "A's token still works"
    );

    // The pages.
    let mut browser = app.browser();
    assert_eq!(
        browser.login("b@b.fi", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    for path in [
        format!("/employers/{eid}"),
        format!("/employers/{eid}/edit"),
        format!("/contacts/{cid}/edit"),
    ] {
        let r = browser.get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.text.contains("salainen"), "{path} leaks");
    }
    let list = browser.get("/employers?q=salainen").await;
    assert!(!list.text.contains("salainen työnantaja"));
    for (path, fields) in [
        (format!("/employers/{eid}"), vec![("name", "B was here")]),
        (format!("/employers/{eid}/archive"), vec![]),
        (format!("/employers/{eid}/contacts"), vec![("name", "B")]),
        (format!("/contacts/{cid}"), vec![("name", "B")]),
        (format!("/contacts/{cid}/delete"), vec![]),
    ] {
        assert_eq!(
            browser.post(&path, &fields).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }

    // A's data is as it was.
    let e = a.get(&format!("/api/v1/employers/{eid}")).await;
    assert_eq!(e.json["name"], "A:n salainen työnantaja");
    assert!(e.json["archived_at"].is_null());
    let cs = a.get(&format!("/api/v1/employers/{eid}/contacts")).await;
    assert_eq!(cs.json["items"].as_array().unwrap().len(), 1);
    assert_eq!(cs.json["items"][0]["name"], "A:n yhteyshenkilö");
}
