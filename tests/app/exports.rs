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

on_both_databases!(every_list_downloads_with_its_filters_and_contacts_and_leads_import_back);

async fn every_list_downloads_with_its_filters_and_contacts_and_leads_import_back(app: TestApp) {
    app.clock.set(crate::helpers::utc("2026-11-24 10:00"));
    let a = app.user("Org A", "a@a.fi", Role::TeamLead);
    let admin = app.user("Org A", "admin@a.fi", Role::Admin);
    let id = |r: crate::helpers::Resp| {
        assert!(r.status.is_success(), "{}", r.text);
        r.json["id"].as_i64().unwrap()
    };
    let e = id(a.post("/api/v1/employers", json!({"name": "Kahvila Aroma Oy", "business_id": "2858394-9", "municipality_code": "837"})).await);
    let e2 = id(a
        .post(
            "/api/v1/employers",
            json!({"name": "Leipomo Oy", "municipality_code": "853"}),
        )
        .await);
    a.post(&format!("/api/v1/employers/{e}/contacts"), json!({"name": "Pirjo Virtanen", "title": "Esihenkilö", "phone": "040 123 4567", "email": "pirjo@aroma.fi", "notes": "=1+1"})).await;
    a.post(
        &format!("/api/v1/employers/{e2}/contacts"),
        json!({"name": "Åke Lind"}),
    )
    .await;
    a.post("/api/v1/leads", json!({"employer_id": e, "title": "Barista", "hours_min": 20, "hours_max": 30, "apply_by": "2026-12-15"})).await;
    let l2 = id(a
        .post(
            "/api/v1/leads",
            json!({"employer_id": e2, "title": "Leipuri"}),
        )
        .await);
    let r = a
        .patch(
            &format!("/api/v1/leads/{l2}"),
            json!({"status": "filled_otherwise"}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    let seeker = id(a.post("/api/v1/clients", json!({"display_name": "T. K.", "intake_date": "2026-10-01", "status": "job_search", "consent_to_contact_employers": true})).await);
    a.post(
        "/api/v1/clients",
        json!({"display_name": "M. L.", "intake_date": "2026-09-01", "status": "closed"}),
    )
    .await;
    a.post("/api/v1/outreach", json!({"employer_id": e, "occurred_at": "2026-11-20T09:00", "channel": "in_person", "client_ids": [seeker], "outcome": "Kiinnostuivat"})).await;
    a.post(
        "/api/v1/outreach",
        json!({"employer_id": e2, "occurred_at": "2026-11-10T09:00", "channel": "phone"}),
    )
    .await;

    // Contact people: one employer's, in the import's Finnish columns, formulas as text.
    let r = a
        .get(&format!(
            "/api/v1/exports/contacts?employer_id={e}&spreadsheet=true"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let unquoted = r.text.replace('"', "");
    let lines: Vec<&str> = unquoted
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 2, "{}", r.text);
    assert!(
        lines[0].starts_with("Työnantaja;Y-tunnus;Kunta;"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1], "Kahvila Aroma Oy;2858394-9;Tampere;Pirjo Virtanen;Esihenkilö;040 123 4567;pirjo@aroma.fi;'=1+1");
    // ... and another organisation imports them back.
    let b = app.user("Org B", "b@b.fi", Role::TeamLead);
    b.post(
        "/api/v1/employers",
        json!({"name": "Kahvila Aroma Oy", "business_id": "2858394-9", "municipality_code": "837"}),
    )
    .await;
    let all = a.get("/api/v1/exports/contacts").await;
    let imported = b
        .post_bytes(
            "/api/v1/imports/contacts?mode=valid_rows",
            "text/csv",
            all.text.clone().into_bytes(),
        )
        .await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.text);
    assert_eq!(
        imported.json["counts"]["imported"], 1,
        "the employer B has: {}",
        imported.text
    );
    let again = b.get("/api/v1/exports/contacts").await;
    assert_eq!(again.text.lines().nth(1), all.text.lines().nth(1));

    // Leads with the list's filter; JSON too.
    let r = a.get("/api/v1/exports/leads?status=active").await;
    let unquoted = r.text.replace('"', "");
    let lines: Vec<&str> = unquoted.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.text);
    assert!(
        lines[1].starts_with("Kahvila Aroma Oy,2858394-9,Tampere,Barista,,20,30,15.12.2026"),
        "{}",
        lines[1]
    );
    let j = a.get("/api/v1/exports/leads?format=json").await;
    assert_eq!(j.json.as_array().map(Vec::len), Some(2), "{}", j.text);
    assert!(j.headers["content-disposition"].contains(".json"));
    let imported = b
        .post_bytes(
            "/api/v1/imports/leads?dry_run=true",
            "text/csv",
            r.text.clone().into_bytes(),
        )
        .await;
    assert_eq!(imported.json["counts"]["errors"], 0, "{}", imported.text);

    // The contact log, local times and labels, with its date filter.
    let r = a.get("/api/v1/exports/contact-log?from=2026-11-15").await;
    let unquoted = r.text.replace('"', "");
    let lines: Vec<&str> = unquoted.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.text);
    assert!(
        lines[1]
            .starts_with("20.11.2026 klo 9.00,Kahvila Aroma Oy,a@a.fi,Kasvokkain,Esittäytyminen"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains(",1,") && lines[1].contains("Kiinnostuivat"),
        "{}",
        lines[1]
    );

    // Job seekers by status; the download is in the audit trail.
    let r = a.get("/api/v1/exports/job-seekers?status=job_search").await;
    let unquoted = r.text.replace('"', "");
    let lines: Vec<&str> = unquoted.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.text);
    assert!(
        lines[1].starts_with("T. K.,a@a.fi,Työnhaku,1.10.2026"),
        "{}",
        lines[1]
    );
    let trail = admin.get("/api/v1/audit?action=export&entity=client").await;
    assert_eq!(trail.json["items"][0]["user_id"], a.user_id);

    // Bad choices are named; nothing else leaks across organisations.
    let bad = a
        .get("/api/v1/exports/leads?format=xlsx&spreadsheet=maybe")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["format", "spreadsheet"] {
        assert!(bad.json["errors"][f].is_array(), "{f}: {}", bad.text);
    }
    assert_eq!(
        b.get(&format!("/api/v1/exports/contacts?employer_id={e}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let theirs = b.get("/api/v1/exports/job-seekers?format=json").await;
    assert_eq!(theirs.json, json!([]));
}

on_both_databases!(jobs_and_partners_download_too);

async fn jobs_and_partners_download_too(app: TestApp) {
    app.clock.set(crate::helpers::utc("2026-11-24 10:00"));
    let a = app.user("Org A", "a@a.fi", Role::TeamLead);
    let admin = app.user("Org A", "admin@a.fi", Role::Admin);
    let id = |r: crate::helpers::Resp| {
        assert!(r.status.is_success(), "{}", r.text);
        r.json["id"].as_i64().unwrap()
    };
    let e = id(a
        .post("/api/v1/employers", json!({"name": "Kahvila Aroma Oy"}))
        .await);
    let seeker = id(a
        .post(
            "/api/v1/clients",
            json!({"display_name": "T. K.", "intake_date": "2026-10-01", "status": "job_search"}),
        )
        .await);
    for (title, start) in [("Barista", "2026-11-02"), ("Tiskaaja", "2026-09-01")] {
        id(a.post("/api/v1/placements", json!({"client_id": seeker, "employer_id": e, "job_title": title, "starts_on": start, "hours_per_week": 20, "employment_type": "permanent"})).await);
    }
    let r = a
        .get("/api/v1/exports/placements?from=1.11.2026&to=2026-11-30")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let unquoted = r.text.replace('"', "");
    let lines: Vec<&str> = unquoted.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.text);
    assert_eq!(
        lines[1],
        "T. K.,Kahvila Aroma Oy,Barista,2.11.2026,,20,Toistaiseksi voimassa,Kyllä"
    );
    let bad = a.get("/api/v1/exports/placements?from=31.11.2026").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.json["errors"]["from"].is_array(), "{}", bad.text);
    let p = id(a.post("/api/v1/partners", json!({"name": "Tampereen Yrittäjät", "kind": "entrepreneur_association", "area": ["837", "536"]})).await);
    a.post(
        &format!("/api/v1/partners/{p}/members"),
        json!({"employer_id": e}),
    )
    .await;
    let r = a.get("/api/v1/exports/partners").await;
    let unquoted = r.text.replace('"', "");
    let lines: Vec<&str> = unquoted.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.text);
    assert!(
        lines[1].starts_with("Tampereen Yrittäjät,")
            && lines[1].contains("Tampere, Nokia")
            && lines[1].ends_with(",1"),
        "{}",
        lines[1]
    );
    let j = a.get("/api/v1/exports/partners?format=json").await;
    assert_eq!(j.json[0]["name"], "Tampereen Yrittäjät");
    let trail = admin.get("/api/v1/audit?action=export").await;
    let kinds: Vec<&str> = trail.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entity"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"placement") && kinds.contains(&"partner"),
        "{kinds:?}"
    );
}

on_both_databases!(follow_ups_and_contact_days_download_too);

async fn follow_ups_and_contact_days_download_too(app: TestApp) {
    app.clock.set(crate::helpers::utc("2026-11-24 10:00"));
    let a = app.user("Org A", "a@a.fi", Role::TeamLead);
    let s = app.user("Org A", "s@a.fi", Role::Specialist);
    let other = app.user("Org B", "b@b.fi", Role::Admin);
    let id = |r: crate::helpers::Resp| {
        assert!(r.status.is_success(), "{}", r.text);
        r.json["id"].as_i64().unwrap()
    };
    let e = id(a
        .post("/api/v1/employers", json!({"name": "Kahvila Aroma Oy"}))
        .await);
    for (who, title, due) in [
        (a.user_id, "Soita =SUMMA(A1) huomenna", "2026-11-20"),
        (s.user_id, "Vie esite", "2026-11-30"),
    ] {
        id(a.post(
            "/api/v1/follow-ups",
            json!({"employer_id": e, "title": title, "due_on": due, "assignee_id": who}),
        )
        .await);
    }
    // Mine (the default): one row, overdue, the formula neutralised.
    let r = a.get("/api/v1/exports/follow-ups?spreadsheet=true").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let unquoted = r.text.replace('"', "");
    let lines: Vec<&str> = unquoted.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.text);
    assert_eq!(lines[0], "Määräpäivä;Tehtävä;Työnantaja;Kuka;Myöhässä");
    assert_eq!(
        lines[1],
        "20.11.2026;Soita =SUMMA(A1) huomenna;Kahvila Aroma Oy;a@a.fi;Kyllä"
    );
    let all = a
        .get("/api/v1/exports/follow-ups?assignee=all&format=json")
        .await;
    assert_eq!(all.json.as_array().map(Vec::len), Some(2), "{}", all.text);
    assert_eq!(all.json[1]["title"], "Vie esite");
    let bad = a.get("/api/v1/exports/follow-ups?assignee=-1").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);

    for (date, place) in [
        ("2026-11-26", "Työllisyyspalvelut"),
        ("2027-03-02", "Kirjasto"),
    ] {
        id(a.post("/api/v1/contact-days", json!({"date": date, "starts_at": "09:00", "ends_at": "13:00", "place": place, "theme": "Kaupan ala", "participant_ids": [a.user_id], "target_employer_ids": [e]})).await);
    }
    let r = a
        .get("/api/v1/exports/contact-days?from=2026-11-01&to=30.11.2026")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let unquoted = r.text.replace('"', "");
    let lines: Vec<&str> = unquoted.lines().collect();
    assert_eq!(lines.len(), 2, "only November: {}", r.text);
    assert_eq!(
        lines[1],
        "26.11.2026,09:00–13:00,Työllisyyspalvelut,Kaupan ala,a@a.fi,suunniteltu"
    );
    let bad = a.get("/api/v1/exports/contact-days?to=31.11.2026").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Another organisation downloads nothing of these, and the downloads are in the trail.
    let theirs = other.get("/api/v1/exports/contact-days?format=json").await;
    assert_eq!(theirs.json, json!([]), "{}", theirs.text);
    let theirs = other
        .get("/api/v1/exports/follow-ups?assignee=all&format=json")
        .await;
    assert_eq!(theirs.json, json!([]), "{}", theirs.text);
    let admin = app.user("Org A", "admin@a.fi", Role::Admin);
    let trail = admin.get("/api/v1/audit?action=export").await;
    assert!(
        trail.text.contains("follow-ups") || trail.text.contains("assignee"),
        "{}",
        trail.text
    );
}

on_both_databases!(every_list_page_links_its_download_with_its_filters);

/// Each list page links the spreadsheet download of what it shows; the link works from
/// the signed-in browser.
async fn every_list_page_links_its_download_with_its_filters(app: TestApp) {
    app.clock.set(crate::helpers::utc("2026-11-24 10:00"));
    let a = app.user("Org A", "a@a.fi", Role::TeamLead);
    let e = a
        .post("/api/v1/employers", json!({"name": "Kahvila Aroma Oy"}))
        .await;
    let e = e.json["id"].as_i64().unwrap();
    a.post(
        "/api/v1/leads",
        json!({"employer_id": e, "title": "Barista"}),
    )
    .await;
    let mut b = app.browser();
    b.login("a@a.fi", crate::helpers::PASSWORD).await;
    for (page, wanted, row) in [
        ("/leads?status=all", "/api/v1/exports/leads?", "Barista"),
        (
            "/outreach?who=all&channel=phone",
            "/api/v1/exports/contact-log?",
            "",
        ),
        (
            "/clients?specialist=all",
            "/api/v1/exports/job-seekers?specialist=all",
            "",
        ),
        ("/partners", "/api/v1/exports/partners?status=all", ""),
        (
            "/follow-ups?all=1",
            "/api/v1/exports/follow-ups?assignee=all",
            "",
        ),
        ("/contact-days", "/api/v1/exports/contact-days?from=", ""),
    ] {
        let r = b.get(page).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        let at = r
            .text
            .find("id=\"export-list\" href=\"")
            .unwrap_or_else(|| panic!("{page} links no download"));
        let rest = &r.text[at + "id=\"export-list\" href=\"".len()..];
        // As a browser reads the attribute.
        let href = rest[..rest.find('"').unwrap()]
            .replace("&#x3D;", "=")
            .replace("&amp;", "&");
        assert!(href.starts_with(wanted), "{page}: {href}");
        assert!(href.contains("spreadsheet=true"), "{href}");
        if page.starts_with("/outreach") {
            assert!(
                href.contains("channel=phone") && !href.contains("specialist_id"),
                "{href}"
            );
        }
        let csv = b.get(&href).await;
        assert_eq!(csv.status, StatusCode::OK, "{href}: {}", csv.text);
        assert!(csv.content_type.starts_with("text/csv"), "{href}");
        assert!(
            csv.text.starts_with('\u{feff}') && csv.text.contains(row),
            "{href}: {}",
            csv.text
        );
    }
}
