//! Issue 14: lists as spreadsheet downloads, honouring the list's filters, with cells a
//! spreadsheet would run written as text, and read back by the import unchanged.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_databases;

on_both_databases!(an_employer_export_follows_the_filters_and_imports_back_unchanged);

async fn an_employer_export_follows_the_filters_and_imports_back_unchanged(app: TestApp) {
    let a = app.user("Org A", "a@a.fi", Role::TeamLead);
    for body in [
        json!({"name": "Kukkakauppa Kärkkäinen", "business_id": "2858394-9", "municipality_code": "837", "street_address": "Hämeenkatu 1", "postal_code": "33100", "industry": "G", "website": "https://kukka.fi", "description": "Aamuisin; \"kiireinen\"\nkaksi riviä", "tags": ["kauppa", "osa-aika"]}),
        json!({"name": "=HYPERLINK(\"http://evil\")", "municipality_code": "837", "description": "-1 + @A1"}),
        json!({"name": "Åbo Bageri Ab", "municipality_code": "853"}),
    ] {
        let r = a.post("/api/v1/employers", body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let gone = a
        .post(
            "/api/v1/employers",
            json!({"name": "Suljettu Oy", "municipality_code": "837"}),
        )
        .await;
    a.delete(&format!("/api/v1/employers/{}", gone.json["id"]))
        .await;

    // Tampere only, as Excel in Finland wants it.
    let r = a
        .get("/api/v1/exports/employers?municipality=837&spreadsheet=true")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.content_type.starts_with("text/csv"), "{}", r.content_type);
    assert!(r.headers["content-disposition"].contains("attachment"));
    assert!(r.text.starts_with('\u{feff}'), "a BOM first");
    let lines: Vec<&str> = r
        .text
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .collect();
    assert_eq!(
        lines[0],
        r#""Nimi";"Y-tunnus";"Kunta";"Katuosoite";"Postinumero";"Toimiala";"Verkkosivut";"Kuvaus";"Tunnisteet""#
    );
    assert!(
        r.text.contains(r#""'=HYPERLINK(""http://evil"")""#),
        "{}",
        r.text
    );
    assert!(
        r.text.contains(r#""'-1 + '@A1""#) || r.text.contains(r#""'-1 + @A1""#),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains(r#""Kukkakauppa Kärkkäinen";"2858394-9";"Tampere""#),
        "{}",
        r.text
    );
    assert!(
        !r.text.contains("Åbo") && !r.text.contains("Suljettu"),
        "{}",
        r.text
    );
    // Plain CSV, every current employer; archived ones only when asked.
    let plain = a.get("/api/v1/exports/employers").await;
    assert!(!plain.text.starts_with('\u{feff}'));
    assert_eq!(
        plain.text.lines().next().map(|l| l.contains(",")),
        Some(true)
    );
    assert!(plain.text.contains("Åbo Bageri Ab") && !plain.text.contains("Suljettu"));
    let archived = a.get("/api/v1/exports/employers?archived=true").await;
    assert!(archived.text.contains("Suljettu Oy"), "{}", archived.text);
    let bad = a
        .get("/api/v1/exports/employers?spreadsheet=kyll%C3%A4")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(bad.json["errors"]["spreadsheet"].is_array(), "{}", bad.text);

    // Another organisation imports the file and exports the same file again.
    let b = app.user("Org B", "b@b.fi", Role::TeamLead);
    let all = a.get("/api/v1/exports/employers?spreadsheet=true").await;
    let imported = b
        .post_bytes(
            "/api/v1/imports/employers",
            "text/csv",
            all.text.clone().into_bytes(),
        )
        .await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.text);
    assert_eq!(imported.json["counts"]["new"], 3, "{}", imported.text);
    let again = b.get("/api/v1/exports/employers?spreadsheet=true").await;
    assert_eq!(again.text, all.text);
    let evil = b.get("/api/v1/employers?q=hyperlink").await;
    assert_eq!(
        evil.json["items"][0]["name"], "=HYPERLINK(\"http://evil\")",
        "the name as it was, not with the apostrophe: {}",
        evil.text
    );
    // B's file holds none of A's archived or other data, and A's export none of B's.
    assert!(!again.text.contains("Suljettu"));

    // The list page offers the download with its filters.
    let mut page = app.browser();
    page.login("a@a.fi", crate::helpers::PASSWORD).await;
    let list = page.get("/employers?municipality=837").await;
    assert!(
        list.text
            .contains("/api/v1/exports/employers?municipality&#x3D;837&amp;spreadsheet&#x3D;true"),
        "{}",
        list.text
    );
}
