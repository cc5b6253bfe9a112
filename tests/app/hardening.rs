//! Issue 13: each finding of the black-box attack, reproduced as it was found.

use actix_web::http::StatusCode;
use futures_util::future::join_all;
use placefirst::domain::clock::Clock;
use placefirst::domain::users::Role;
use serde_json::json;

use crate::helpers::{TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(
    parallel_wrong_passwords_are_throttled,
    proxied_clients_are_told_apart,
    password_change_is_throttled_and_retires_tokens,
    nul_bytes_and_oversized_values_are_refused,
    racing_saves_answer_conflict_not_500,
    exports_neutralise_spreadsheet_formulas,
    headers_are_strict_everywhere,
    links_ignore_request_headers,
    csrf_tokens_are_bound_to_the_session,
    a_percent_sign_in_a_search_is_literal,
    oversized_bodies_answer_problem_json,
    stale_api_edits_are_refused_with_the_current_record,
    racing_edits_from_one_version_let_exactly_one_through,
    a_stale_page_edit_shows_what_changed_and_keeps_mine_on_resave,
);

/// One login attempt from a fresh browser, optionally through a proxy that says whom
/// it forwards for.
async fn login_as(base: &str, email: &str, password: &str, forwarded: Option<&str>) -> StatusCode {
    let client = awc::Client::builder().disable_redirects().finish();
    let page = client.get(format!("{base}/login")).send().await.unwrap();
    let cookie = page
        .cookies()
        .unwrap()
        .iter()
        .find(|c| c.name() == "pf_csrf")
        .map(|c| c.value().to_string())
        .unwrap();
    let mut req = client
        .post(format!("{base}/login"))
        .insert_header(("Cookie", format!("pf_csrf={cookie}")));
    if let Some(f) = forwarded {
        req = req.insert_header(("X-Forwarded-For", f));
    }
    req.send_form(&[
        ("email", email),
        ("password", password),
        ("next", ""),
        ("csrf_token", &cookie),
    ])
    .await
    .unwrap()
    .status()
}

/// (1) 30 simultaneous wrong passwords: the test settings allow 3 failures, and the
/// attempts are reserved before the slow password check, so no more than 3 get through.
async fn parallel_wrong_passwords_are_throttled(app: TestApp) {
    app.user("Org A", "a@a.fi", Role::Specialist);
    let tries = (0..30).map(|_| login_as(&app.base, "a@a.fi", "väärin", None));
    let statuses = join_all(tries).await;
    let unauthorized = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(unauthorized <= 3, "{statuses:?}");
    assert_eq!(unauthorized + throttled, 30, "{statuses:?}");
    // A second instance on the same database knows (the state is not in one process).
    let sibling = app.sibling_with_security("").await;
    assert_eq!(
        login_as(&sibling.base, "a@a.fi", PASSWORD, None).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// (1) Behind a trusted proxy each client is counted by its own address; a client
/// cannot pick its address by sending X-Forwarded-For to a server that trusts no proxy.
async fn proxied_clients_are_told_apart(app: TestApp) {
    for i in 0..5 {
        app.user("Org A", &format!("u{i}@a.fi"), Role::Specialist);
    }
    let proxied = app
        .sibling_with_security("trusted_proxies = [\"127.0.0.1\"]")
        .await;
    // 12 failures (3 x 4 for a client address) from one office spread over accounts.
    for i in 0..4 {
        for _ in 0..3 {
            let s = login_as(
                &proxied.base,
                &format!("u{i}@a.fi"),
                "x",
                Some("203.0.113.7"),
            )
            .await;
            assert_eq!(s, StatusCode::UNAUTHORIZED);
        }
    }
    assert_eq!(
        login_as(
            &proxied.base,
            "u4@a.fi",
            PASSWORD,
            Some("198.51.100.1, 203.0.113.7")
        )
        .await,
        StatusCode::TOO_MANY_REQUESTS,
        "the office is locked out, whatever it puts on the left of the header"
    );
    assert_eq!(
        login_as(&proxied.base, "u4@a.fi", PASSWORD, Some("203.0.113.8")).await,
        StatusCode::SEE_OTHER,
        "another client behind the same proxy is not"
    );
    // Without trusted proxies the header is ignored: all came from 127.0.0.1 here.
    for _ in 0..3 {
        login_as(&app.base, "u4@a.fi", "x", Some("192.0.2.1")).await;
    }
    assert_eq!(
        login_as(&app.base, "u4@a.fi", PASSWORD, Some("192.0.2.99")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// (1) Wrong current passwords on the password form count as failed logins; a new
/// password retires the API tokens made with the old one.
async fn password_change_is_throttled_and_retires_tokens(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::OK);
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;
    let change = |current: &'static str| {
        [
            ("current_password", current),
            ("new_password", "uusi salasana 2026"),
            ("repeat_password", "uusi salasana 2026"),
        ]
    };
    for _ in 0..3 {
        let r = b.post("/account/password", &change("arvaus")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = b.post("/account/password", &change(PASSWORD)).await;
    assert_ne!(r.status, StatusCode::SEE_OTHER, "the fourth try is refused");
    assert!(
        r.text.contains("15") && r.text.contains("field-error"),
        "says how long to wait: {}",
        r.text
    );
    // The login form keeps the same count: no fresh guesses there either.
    assert_eq!(
        login_as(&app.base, "a@a.fi", PASSWORD, None).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // After the lockout the right password changes it, and the old token is dead.
    app.clock
        .set(app.clock.now() + chrono::Duration::minutes(16));
    let r = b.post("/account/password", &change(PASSWORD)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
}

/// (4) NUL bytes and megabyte values answer 4xx on both databases, before and after login.
async fn nul_bytes_and_oversized_values_are_refused(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    assert_eq!(
        login_as(&app.base, "a\u{0}@a.fi", "x", None).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut b = app.browser();
    assert_eq!(b.get("/review/%00").await.status, StatusCode::NOT_FOUND);
    let r = api
        .post("/api/v1/employers", json!({"name": "Kauppa\u{0} Oy"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.json["errors"]["name"][0]
        .as_str()
        .unwrap()
        .contains("U+0000"));
    let r = api.get("/api/v1/employers?q=%00").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    // A cursor is hex: decoded, it obeys the same rule ("a\0\x1f118").
    let r = api.get("/api/v1/employers?cursor=61001f313138").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = api
        .post("/api/v1/employers", json!({"name": "x".repeat(60_000)}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    // A 3 MB UID in an .ics file.
    let ics = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:{}\r\nDTSTAMP:20261124T080000Z\r\nDTSTART:20261201T080000Z\r\nSUMMARY:Messut\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        "u".repeat(3_000_000)
    );
    let r = api
        .post_text("/api/v1/calendar/import", "text/calendar", ics)
        .await;
    assert!(r.status.is_client_error(), "{} {}", r.status, r.text);
    let r = api
        .post_text(
            "/api/v1/calendar/import",
            "text/calendar",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\u{0}b\r\nDTSTART:20261201T080000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    // Nothing was stored by any of it.
    let list = api.get("/api/v1/employers").await;
    assert_eq!(
        list.json["items"].as_array().unwrap().len(),
        0,
        "{}",
        list.text
    );
}

/// (5) Saves that race answer 200 or 409, never 500; first calls for a calendar feed
/// agree on one secret.
async fn racing_saves_answer_conflict_not_500(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let c = api
        .post(
            "/api/v1/clients",
            json!({"display_name": "Testi", "intake_date": "2026-10-01", "status": "job_search", "consent_to_contact_employers": true}),
        )
        .await;
    let id = c.json["id"].as_i64().unwrap();
    let path = format!("/api/v1/clients/{id}/profile");
    let saves = (0..16).map(|i| {
        api.put(
            &path,
            json!({"occupations": ["5132"], "job_wishes": format!("kahvila {i}")}),
        )
    });
    for r in join_all(saves).await {
        assert!(
            r.status == StatusCode::OK || r.status == StatusCode::CONFLICT,
            "{} {}",
            r.status,
            r.text
        );
    }
    let feeds = join_all((0..16).map(|_| api.get("/api/v1/me/calendar-feed"))).await;
    let urls: std::collections::BTreeSet<String> = feeds
        .iter()
        .map(|r| {
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            r.json["url"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(urls.len(), 1, "one live secret: {urls:?}");
}

/// (3) A cell that a spreadsheet would run as a formula is exported as text.
async fn exports_neutralise_spreadsheet_formulas(app: TestApp) {
    let api = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let name = "=HYPERLINK(\"http://evil.example\",\"Avaa\")";
    let e = api.post("/api/v1/employers", json!({"name": name})).await;
    let e = e.json["id"].as_i64().unwrap();
    let now = app.clock.now().format("%Y-%m-%dT%H:%M").to_string();
    let r = api
        .post(
            "/api/v1/outreach",
            json!({"employer_id": e, "occurred_at": now, "learned": "+358 40 123 4567", "next_step": "@SUM(1)", "purpose": "learn_needs"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let mut b = app.browser();
    b.login("lead@a.fi", PASSWORD).await;
    let day = app.clock.now().date();
    let csv = b
        .get(&format!(
            "/fidelity/contact-log.csv?from={}&to={}&scope=org",
            day - chrono::Duration::days(7),
            day
        ))
        .await;
    let mut rows = csv::ReaderBuilder::new().from_reader(csv.text.as_bytes());
    let row = rows.records().next().expect("one row").unwrap();
    let cells: Vec<&str> = row.iter().collect();
    assert!(
        cells.contains(&"'=HYPERLINK(\"http://evil.example\",\"Avaa\")"),
        "{cells:?}"
    );
    assert!(cells.contains(&"'+358 40 123 4567"), "{cells:?}");
    assert!(cells.contains(&"'@SUM(1)"), "{cells:?}");
    for c in cells {
        assert!(!c.starts_with(['=', '+', '@']), "{c}");
    }
    // Finnish Excel splits on ";": text cells are quoted, so "x;=formula" stays one cell.
    let r = api
        .patch(
            &format!("/api/v1/employers/{e}"),
            json!({"name": "Kauppa;=cmd|' /C calc'!A0"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let csv = b
        .get(&format!(
            "/fidelity/contact-log.csv?from={}&to={}&scope=org",
            day - chrono::Duration::days(7),
            day
        ))
        .await;
    assert!(
        csv.text.contains("\"Kauppa;'=cmd|' /C calc'!A0\""),
        "{}",
        csv.text
    );
}

fn header(r: &crate::helpers::Resp, name: &str) -> Option<String> {
    r.headers.get(name).cloned()
}

/// (9) Every kind of response carries the security headers; HSTS only when a trusted
/// proxy says the browser came over https.
async fn headers_are_strict_everywhere(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let mut b = app.browser();
    let responses = [
        b.get("/login").await,
        b.get("/static/app.css").await,
        b.get("/calendar/nothing.ics").await,
        api.get("/api/v1/me").await,
        api.get("/api/v1/employers/999999").await,
    ];
    for r in &responses {
        let csp = header(r, "content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{r:?}"
        );
        assert_eq!(
            header(r, "x-content-type-options").as_deref(),
            Some("nosniff")
        );
        assert_eq!(header(r, "referrer-policy").as_deref(), Some("same-origin"));
        assert!(header(r, "permissions-policy").is_some_and(|p| p.contains("camera=()")));
        assert!(header(r, "strict-transport-security").is_none());
    }
    let proxied = app
        .sibling_with_security("trusted_proxies = [\"127.0.0.1\"]")
        .await;
    let client = awc::Client::default();
    for (base, hsts) in [(&proxied.base, true), (&app.base, false)] {
        let r = client
            .get(format!("{base}/login"))
            .insert_header(("X-Forwarded-Proto", "https"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.headers().contains_key("strict-transport-security"),
            hsts,
            "{base}"
        );
    }
}

/// (10) Feed and review-pack links come from the configured base address.
async fn links_ignore_request_headers(app: TestApp) {
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let client = awc::Client::default();
    let base = app.state.settings.mail.base_url.clone();
    let token = lead.token.clone().unwrap();
    for (name, value) in [
        ("Host", "evil.example"),
        ("X-Forwarded-Host", "evil.example"),
    ] {
        let mut r = client
            .get(format!("{}/api/v1/me/calendar-feed", app.base))
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header((name, value))
            .send()
            .await
            .unwrap();
        let v: serde_json::Value = r.json().await.unwrap();
        let url = v["url"].as_str().unwrap();
        assert!(url.starts_with(&format!("{base}/calendar/")), "{url}");
        let mut r = client
            .post(format!("{}/api/v1/review-packs", app.base))
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header((name, value))
            .send_json(&json!({"from": "2026-11-02", "to": "2026-11-29"}))
            .await
            .unwrap();
        let v: serde_json::Value = r.json().await.unwrap();
        let url = v["url"].as_str().unwrap_or_default();
        assert!(url.starts_with(&format!("{base}/review/")), "{v}");
    }
}

/// (10) Another browser's token, or the token from before login, is refused.
async fn csrf_tokens_are_bound_to_the_session(app: TestApp) {
    app.user("Org A", "a@a.fi", Role::Specialist);
    app.user("Org A", "b@a.fi", Role::Specialist);
    let mut a = app.browser();
    a.get("/login").await;
    let before_login = a.csrf();
    a.login("a@a.fi", PASSWORD).await;
    let mut b = app.browser();
    b.login("b@a.fi", PASSWORD).await;
    let fields = |t: String| {
        vec![
            ("name".to_string(), "Uusi Oy".to_string()),
            ("csrf_token".to_string(), t),
        ]
    };
    for token in [b.csrf(), before_login] {
        let f = fields(token);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            a.post_raw("/employers", &f).await.status,
            StatusCode::FORBIDDEN
        );
    }
    let r = a.post("/employers", &[("name", "Uusi Oy")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
}

/// (10) `q=%` finds a percent sign, not every lead.
async fn a_percent_sign_in_a_search_is_literal(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let e = api
        .post("/api/v1/employers", json!({"name": "Kahvila Oy"}))
        .await;
    let e = e.json["id"].as_i64().unwrap();
    for title in ["Kokki", "Tarjoilija 50_50"] {
        let r = api
            .post("/api/v1/leads", json!({"employer_id": e, "title": title}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let n = |r: crate::helpers::Resp| r.json["items"].as_array().map(|a| a.len()).unwrap_or(99);
    assert_eq!(n(api.get("/api/v1/leads?q=%25").await), 0);
    assert_eq!(n(api.get("/api/v1/leads?q=_").await), 1);
    assert_eq!(n(api.get("/api/v1/leads?q=kok").await), 1);
}

/// (11) A body over the limit answers 413 as problem+json, like every other refusal.
async fn oversized_bodies_answer_problem_json(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    // A compressed JSON body would be held expanded before any check: refused.
    let mut r = awc::Client::default()
        .post(format!("{}/api/v1/employers", app.base))
        .insert_header((
            "Authorization",
            format!("Bearer {}", api.token.clone().unwrap()),
        ))
        .insert_header(("Content-Type", "application/json"))
        .insert_header(("Content-Encoding", "gzip"))
        .send_body(vec![0x1f_u8, 0x8b, 8, 0, 0, 0, 0, 0])
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = String::from_utf8_lossy(&r.body().await.unwrap()).to_string();
    assert!(text.contains("compressed"), "{text}");
    let r = api
        .post(
            "/api/v1/employers",
            json!({"name": "x", "notes": "y".repeat(400_000)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    assert_eq!(r.content_type, "application/problem+json");
    assert_eq!(r.json["status"], 413);
    let r = api
        .post_text(
            "/api/v1/calendar/import",
            "text/calendar",
            "B".repeat(9 * 1024 * 1024),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.content_type, "application/problem+json");
}

/// (12) Every editable record: an edit from an older version answers 409 with the
/// record as it is now and the fields that differ; without a version it applies.
async fn stale_api_edits_are_refused_with_the_current_record(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let e = api
        .post("/api/v1/employers", json!({"name": "Kahvila Oy"}))
        .await;
    assert_eq!(e.json["version"], 1, "{}", e.text);
    let e = e.json["id"].as_i64().unwrap();
    let c = api
        .post(
            &format!("/api/v1/employers/{e}/contacts"),
            json!({"name": "Maija"}),
        )
        .await;
    let c = c.json["id"].as_i64().unwrap();
    let l = api
        .post("/api/v1/leads", json!({"employer_id": e, "title": "Kokki"}))
        .await;
    let l = l.json["id"].as_i64().unwrap();
    let p = api
        .post(
            "/api/v1/plan/items",
            json!({"employer_id": e, "planned_on": (app.clock.now().date() + chrono::Duration::days(2)).to_string()}),
        )
        .await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text);
    let p = p.json["id"].as_i64().unwrap();
    for (path, field, first, second) in [
        (
            format!("/api/v1/employers/{e}"),
            "description",
            "Keskustassa",
            "Torilla",
        ),
        (
            format!("/api/v1/contacts/{c}"),
            "phone",
            "040 123 4567",
            "050 765 4321",
        ),
        (format!("/api/v1/leads/{l}"), "wage", "TES", "12 €/h"),
        (
            format!("/api/v1/plan/items/{p}"),
            "note",
            "Aamulla",
            "Iltapäivällä",
        ),
    ] {
        // A new record starts at version 1.
        assert_eq!(api.get(&path).await.json["version"], 1, "{path}");
        crate::versions::stale_edit_cycle(&api, &path, field, first, second).await;
    }
    // Other writers count the version up too: a contact log entry that moves the
    // employer's stage makes an edit from before it stale.
    let e2 = api
        .post("/api/v1/employers", json!({"name": "Toinen Oy"}))
        .await;
    let e2 = e2.json["id"].as_i64().unwrap();
    let r = api
        .post(
            "/api/v1/outreach",
            json!({"employer_id": e2, "met_hiring_authority": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let now = api.get(&format!("/api/v1/employers/{e2}")).await;
    assert_ne!(now.json["stage"], "not_contacted", "{}", now.text);
    assert!(now.json["version"].as_i64().unwrap() > 1, "{}", now.text);
    let stale = api
        .patch(
            &format!("/api/v1/employers/{e2}"),
            json!({"stage": "not_contacted", "version": 1}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
    // The profile: versions are its history; PUT names the one it replaces.
    let client = api
        .post(
            "/api/v1/clients",
            json!({"display_name": "Testi", "intake_date": "2026-10-01", "status": "job_search", "consent_to_contact_employers": true}),
        )
        .await;
    let path = format!("/api/v1/clients/{}/profile", client.json["id"]);
    let v1 = api
        .put(&path, json!({"job_wishes": "kahvila", "version": 0}))
        .await;
    assert_eq!(v1.json["version"], 1, "{}", v1.text);
    let mut echoed = v1.json.clone();
    echoed["job_wishes"] = json!("keittiö");
    let v2 = api.put(&path, echoed.clone()).await;
    assert_eq!(
        v2.status,
        StatusCode::OK,
        "the GET shape goes back as it came: {}",
        v2.text
    );
    echoed["job_wishes"] = json!("varasto");
    let stale = api.put(&path, echoed).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
    assert_eq!(stale.json["current"]["job_wishes"], "keittiö");
}

/// (12) 16 editors saving from the same version at once: one wins, the rest are told.
async fn racing_edits_from_one_version_let_exactly_one_through(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let e = api
        .post("/api/v1/employers", json!({"name": "Kahvila Oy"}))
        .await;
    let path = format!("/api/v1/employers/{}", e.json["id"]);
    let edits = (0..16).map(|i| {
        api.patch(
            &path,
            json!({"description": format!("Muokkaus {i}"), "version": 1}),
        )
    });
    let results = join_all(edits).await;
    let ok = results
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    let stale = results
        .iter()
        .filter(|r| r.status == StatusCode::CONFLICT)
        .count();
    assert_eq!(
        (ok, stale),
        (1, 15),
        "{:?}",
        results.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert_eq!(api.get(&path).await.json["version"], 2);
}

/// (12) On the page: the second editor sees the other's value beside the field, keeps
/// their own by saving again, or takes the other by cancelling.
async fn a_stale_page_edit_shows_what_changed_and_keeps_mine_on_resave(app: TestApp) {
    app.user("Org A", "a@a.fi", Role::Specialist);
    app.user("Org A", "b@a.fi", Role::Specialist);
    let mut a = app.browser();
    a.login("a@a.fi", PASSWORD).await;
    let mut b = app.browser();
    b.login("b@a.fi", PASSWORD).await;
    let r = a.post("/employers", &[("name", "Kahvila Oy")]).await;
    let id: i64 = r
        .location
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let form = a.get(&format!("/employers/{id}/edit")).await;
    assert!(
        form.text.contains(r#"name="version" value="1""#),
        "{}",
        form.text
    );
    // B saves first.
    let saved = b
        .post(
            &format!("/employers/{id}"),
            &[
                ("name", "Kahvila Oy"),
                ("website", "kahvila.fi"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    // A saves from the form loaded before.
    let mine = [
        ("name", "Kahvila Pöllö Oy"),
        ("website", "pollo.fi"),
        ("version", "1"),
    ];
    let r = a.post(&format!("/employers/{id}"), &mine).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("stale-note"), "{}", r.text);
    assert!(
        r.text.contains("https://kahvila.fi"),
        "B's value is shown: {}",
        r.text
    );
    assert!(
        r.text.contains(r#"value="Kahvila Pöllö Oy""#),
        "A's value is kept: {}",
        r.text
    );
    assert!(r.text.contains(r#"name="version" value="2""#), "{}", r.text);
    // Saving again from version 2 keeps A's values.
    let mine = [
        ("name", "Kahvila Pöllö Oy"),
        ("website", "pollo.fi"),
        ("version", "2"),
    ];
    let r = a.post(&format!("/employers/{id}"), &mine).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = a.get(&format!("/employers/{id}")).await;
    assert!(page.text.contains("Kahvila Pöllö Oy") && page.text.contains("pollo.fi"));
}
