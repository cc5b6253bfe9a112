//! Calendar import: Outlook-, Google- and Apple-style files, re-import by UID, and a
//! malformed file refused whole with its line.

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::{json, Value};

use crate::helpers::{utc, TestApp};
use crate::on_both_databases;

on_both_databases!(
    real_world_files_import_and_reimport_updates,
    a_malformed_file_imports_nothing
);

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn find<'a>(items: &'a [Value], uid: &str, key: &str) -> &'a Value {
    items
        .iter()
        .find(|e| e["uid"] == uid && e["recurrence_key"] == key)
        .unwrap_or_else(|| panic!("{uid} {key} missing: {items:?}"))
}

async fn real_world_files_import_and_reimport_updates(app: TestApp) {
    app.clock.set(utc("2026-10-20 08:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let other = app.user("Org B", "b@b.fi", Role::Specialist);
    let post = |body: String| {
        let api = &api;
        async move {
            api.post_text("/api/v1/calendar/import", "text/calendar", body)
                .await
        }
    };
    let r = post(fixture("outlook.ics")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json, json!({"created": 2, "updated": 0, "skipped": 0}));
    let r = post(fixture("google.ics")).await;
    assert_eq!(r.json, json!({"created": 2, "updated": 0, "skipped": 0}));
    let r = post(fixture("apple.ics")).await;
    assert_eq!(r.json, json!({"created": 1, "updated": 0, "skipped": 0}));
    let list = api
        .get("/api/v1/events?from=2026-10-01&to=2027-02-01")
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let items = list.json["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 5);
    // Outlook: a Windows zone name, folded and escaped non-ASCII text, attendees, a series
    // with an exception and an excluded date.
    let series = find(
        &items,
        "040000008200E00074C5B7101A82E00800000000A1B2C3D4",
        "",
    );
    assert_eq!(
        series["starts_at"], "2026-11-12T06:00:00",
        "08:00 in Helsinki in November is 06:00 UTC"
    );
    assert_eq!(series["summary"], "Yrittäjien aamukahvit – jäsentapaaminen");
    assert_eq!(series["description"], "Tervetuloa! Ohjelmassa esittäytyminen, verkostoitumista ja kahvit.\nIlmoittaudu etukäteen.");
    assert_eq!(series["location"], "Tampere-talo, Yliopistonkatu 55");
    assert_eq!(series["rrule"], "FREQ=MONTHLY;BYDAY=2TH;COUNT=6");
    assert_eq!(series["exdates"], "20261210T080000");
    assert_eq!(series["attendees"], "Anna Laine, Matti Salminen");
    let moved = find(
        &items,
        "040000008200E00074C5B7101A82E00800000000A1B2C3D4",
        "20270114T060000Z",
    );
    assert_eq!(moved["starts_at"], "2027-01-15T06:00:00");
    // Google: UTC times and an all-day event.
    let fair = find(&items, "7kukuqrfedo0j6e8g2sbtsq4pc@google.com", "");
    assert_eq!(fair["starts_at"], "2026-12-03T08:00:00");
    let all_day = find(&items, "2b9q0kq2b1rjv9mh6h3cmdd2ve@google.com", "");
    assert_eq!(all_day["all_day"], true);
    assert_eq!(all_day["start_date"], "2026-12-15");
    // Apple: an IANA zone in summer time (UTC+3).
    let evening = find(&items, "A1B2C3D4-E5F6-4711-9ABC-0123456789AB", "");
    assert_eq!(evening["starts_at"], "2026-10-24T07:00:00");
    // Re-import: nothing new; a changed event is updated, not duplicated.
    let r = post(fixture("google.ics")).await;
    assert_eq!(r.json, json!({"created": 0, "updated": 0, "skipped": 2}));
    let changed = fixture("google.ics").replace(
        "SUMMARY:Rekrytointimessut",
        "SUMMARY:Rekrytointimessut (uusi paikka)",
    );
    let r = post(changed).await;
    assert_eq!(r.json, json!({"created": 0, "updated": 1, "skipped": 1}));
    let items = api
        .get("/api/v1/events?from=2026-10-01&to=2027-02-01")
        .await
        .json["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(items.len(), 5);
    assert_eq!(
        find(&items, "7kukuqrfedo0j6e8g2sbtsq4pc@google.com", "")["summary"],
        "Rekrytointimessut (uusi paikka)"
    );
    // Another organisation sees none of them; a partner cannot be named yet.
    assert_eq!(
        other
            .get("/api/v1/events?from=2026-01-01&to=2027-12-31")
            .await
            .json["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let r = api
        .post_text(
            "/api/v1/calendar/import?partner_id=1",
            "text/calendar",
            fixture("apple.ics"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // 1,500 events in one file (the budget is measured by the benchmark, not here).
    let mut big = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
    for i in 0..1500 {
        big.push_str(&format!("BEGIN:VEVENT\r\nUID:bulk-{i}\r\nDTSTART:20270101T{:02}0000Z\r\nSUMMARY:Tapahtuma {i}\r\nEND:VEVENT\r\n", i % 24));
    }
    big.push_str("END:VCALENDAR\r\n");
    let r = post(big).await;
    assert_eq!(r.json["created"], 1500, "{}", r.text);
}

async fn a_malformed_file_imports_nothing(app: TestApp) {
    let mut api = app.user("Org A", "a@a.fi", Role::Specialist);
    api.lang = Some("en");
    let r = api
        .post_text(
            "/api/v1/calendar/import",
            "text/calendar",
            fixture("malformed.ics"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.content_type.starts_with("application/problem+json"));
    let why = r.json["errors"]["body"][0].as_str().unwrap();
    assert_eq!(why, "Line 11: the calendar file is malformed here.");
    assert_eq!(
        api.get("/api/v1/events?from=2026-01-01&to=2027-12-31")
            .await
            .json["items"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "the good event before it was not stored"
    );
    let r = api
        .post_text("/api/v1/calendar/import", "text/calendar", "hello".into())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json["errors"]["body"][0],
        "Line 1: this is not a calendar file (it does not begin with BEGIN:VCALENDAR)."
    );
    let r = api.post_text("/api/v1/calendar/import", "text/calendar", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;TZID=Mars/Olympus:20261201T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".into()).await;
    assert!(
        r.json["errors"]["body"][0]
            .as_str()
            .unwrap()
            .contains("Mars/Olympus"),
        "{}",
        r.text
    );
    // In the reader's language, whatever the language of the file.
    let bad_zone = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;TZID=Mars/Olympus:20261201T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    for (lang, want) in [
        (
            "fi",
            "Tapahtuma x: aikavyöhyke ”Mars/Olympus” on tuntematon.",
        ),
        ("sv", "Händelse x: tidszonen ”Mars/Olympus” är okänd."),
        ("en", "Event x: the time zone “Mars/Olympus” is unknown."),
    ] {
        api.lang = Some(lang);
        let r = api
            .post_text("/api/v1/calendar/import", "text/calendar", bad_zone.into())
            .await;
        assert_eq!(r.json["errors"]["body"][0], want, "{}", r.text);
        let r = api
            .post_bytes(
                "/api/v1/calendar/import",
                "text/calendar",
                vec![0x42, 0xe4, 0xff],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let why = r.json["errors"]["body"][0].as_str().unwrap_or_default();
        assert!(why.contains("UTF-8"), "{lang}: {}", r.text);
    }
}
