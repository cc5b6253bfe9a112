//! Calendar export: the private feed and .ics files parse back, with the `ical` crate and
//! with Python's independent `icalendar` package, on both sides of a summer-time change.

use std::process::Command;

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::json;

use crate::helpers::{utc, TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(the_feed_parses_back_and_a_revoked_secret_is_refused);

struct Ev {
    uid: String,
    start: String,
    status: Option<String>,
    summary: String,
}

fn parse_with_ical_crate(text: &str) -> Vec<Ev> {
    let mut reader = ical::IcalParser::new(text.as_bytes());
    let cal = reader.next().expect("one calendar").expect("parses");
    cal.events
        .iter()
        .map(|e| {
            let get = |name: &str| {
                e.properties
                    .iter()
                    .find(|p| p.name == name)
                    .and_then(|p| p.value.clone())
            };
            Ev {
                uid: get("UID").unwrap(),
                start: get("DTSTART").unwrap(),
                status: get("STATUS"),
                summary: get("SUMMARY").unwrap_or_default(),
            }
        })
        .collect()
}

/// Python's icalendar package, when installed (CI installs it): UID and DTSTART in UTC.
fn parse_with_python(text: &str) -> Option<Vec<(String, String)>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.ics");
    std::fs::write(&path, text).unwrap();
    let script = [
        "import sys, icalendar, datetime",
        "cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())",
        "for e in cal.walk('VEVENT'):",
        "    d = e.decoded('DTSTART')",
        "    s = d.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M') if isinstance(d, datetime.datetime) else d.isoformat()",
        "    print(str(e['UID']) + ' ' + s)",
    ]
    .join("\n");
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .ok()?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("No module named 'icalendar'") {
            assert!(
                std::env::var("PLACEFIRST_REQUIRE_E2E").is_err(),
                "python icalendar is required in CI"
            );
            eprintln!(
                "SKIPPED: python icalendar not installed (scripts/install-e2e-deps.sh installs it)"
            );
            return None;
        }
        panic!("python icalendar could not read the feed: {err}");
    }
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| {
                let (a, b) = l.split_once(' ').unwrap();
                (a.to_string(), b.to_string())
            })
            .collect(),
    )
}

async fn the_feed_parses_back_and_a_revoked_secret_is_refused(app: TestApp) {
    app.clock.set(utc("2026-10-20 08:00"));
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let e = api
        .post(
            "/api/v1/employers",
            json!({"name": "Kahvila Äijä; \"Paras\", Oy"}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    // Before and after summer time ends (Sunday 25 October 2026), 10:00 Helsinki time.
    let before = api.post("/api/v1/plan/items", json!({"employer_id": e, "planned_on": "2026-10-23", "planned_time": "10:00", "note": "Tuo esite,\nkysy avoimista"})).await.json["id"].as_i64().unwrap();
    let after = api.post("/api/v1/plan/items", json!({"employer_id": e, "planned_on": "2026-10-27", "planned_time": "10:00", "acknowledge_collisions": true})).await.json["id"].as_i64().unwrap();
    let untimed = api
        .post(
            "/api/v1/plan/items",
            json!({"employer_id": e, "planned_on": "2026-10-28", "acknowledge_collisions": true}),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    api.post(&format!("/api/v1/plan/items/{untimed}/cancel"), json!({}))
        .await;
    api.post(
        "/api/v1/follow-ups",
        json!({"employer_id": e, "title": "Soita", "due_on": "2026-10-30"}),
    )
    .await;
    let url = api.get("/api/v1/me/calendar-feed").await.json["url"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        api.get("/api/v1/me/calendar-feed").await.json["url"],
        url.as_str(),
        "stable until rotated"
    );
    let path = url
        .split_once("://")
        .unwrap()
        .1
        .split_once('/')
        .map(|x| format!("/{}", x.1))
        .unwrap();
    // No login needed: the address is the key.
    let mut anonymous = app.browser();
    let feed = anonymous.get(&path).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.content_type.starts_with("text/calendar"));
    assert!(feed.text.contains("\r\n"), "CRLF line ends");
    assert!(
        feed.text.lines().all(|l| l.len() <= 75),
        "lines are folded at 75 octets"
    );
    let events = parse_with_ical_crate(&feed.text);
    let find = |uid: String| {
        events
            .iter()
            .find(|e| e.uid == uid)
            .unwrap_or_else(|| panic!("{uid} missing"))
    };
    assert_eq!(
        find(format!("plan-{before}@placefirst")).start,
        "20261023T070000Z",
        "UTC+3 before the change"
    );
    assert_eq!(
        find(format!("plan-{after}@placefirst")).start,
        "20261027T080000Z",
        "UTC+2 after it"
    );
    assert_eq!(
        find(format!("plan-{untimed}@placefirst")).status.as_deref(),
        Some("CANCELLED")
    );
    assert!(find(format!("plan-{before}@placefirst"))
        .summary
        .contains("Kahvila Äijä"));
    assert!(events
        .iter()
        .any(|e| e.uid.starts_with("follow-up-") && e.start.starts_with("20261030")));
    if let Some(py) = parse_with_python(&feed.text) {
        assert!(
            py.contains(&(
                format!("plan-{before}@placefirst"),
                "2026-10-23T07:00".into()
            )),
            "{py:?}"
        );
        assert!(
            py.contains(&(
                format!("plan-{after}@placefirst"),
                "2026-10-27T08:00".into()
            )),
            "{py:?}"
        );
        assert!(
            py.iter()
                .any(|(u, d)| u.starts_with("follow-up-") && d == "2026-10-30"),
            "{py:?}"
        );
    }
    // One planned visit as its own file.
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;
    let one = b.get(&format!("/plan/items/{before}.ics")).await;
    assert_eq!(parse_with_ical_crate(&one.text).len(), 1);
    // A new secret: the old address stops working.
    let new_url = api.post("/api/v1/me/calendar-feed", json!({})).await.json["url"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(new_url, url);
    assert_eq!(anonymous.get(&path).await.status, StatusCode::NOT_FOUND);
    let new_path = new_url
        .split_once("://")
        .unwrap()
        .1
        .split_once('/')
        .map(|x| format!("/{}", x.1))
        .unwrap();
    assert_eq!(anonymous.get(&new_path).await.status, StatusCode::OK);
    assert_eq!(
        anonymous.get("/calendar/not-a-secret.ics").await.status,
        StatusCode::NOT_FOUND
    );
    // Another organisation's item is not downloadable.
    app.user("Org B", "b@b.fi", Role::Specialist);
    let mut other = app.browser();
    other.login("b@b.fi", PASSWORD).await;
    assert_eq!(
        other.get(&format!("/plan/items/{before}.ics")).await.status,
        StatusCode::NOT_FOUND
    );
}

on_both_databases!(the_account_page_shows_and_renews_the_calendar_address);

async fn the_account_page_shows_and_renews_the_calendar_address(app: TestApp) {
    let api = app.user("Org A", "a@a.fi", Role::Specialist);
    let mut b = app.browser();
    b.login("a@a.fi", PASSWORD).await;
    let page = b.get("/account").await;
    let url = api.get("/api/v1/me/calendar-feed").await.json["url"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(page.text.contains(&url), "the page shows the same address");
    assert_eq!(
        b.post("/account/calendar", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let renewed = api.get("/api/v1/me/calendar-feed").await.json["url"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(renewed, url);
    assert!(b.get("/account").await.text.contains(&renewed));
}

on_both_databases!(contact_days_are_in_the_feed_and_download_as_ics);

async fn contact_days_are_in_the_feed_and_download_as_ics(app: TestApp) {
    app.clock.set(utc("2026-10-20 08:00"));
    let host = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let s1 = app.user("Org A", "s1@a.fi", Role::Specialist);
    let e = host
        .post("/api/v1/employers", json!({"name": "Kohde Oy"}))
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    // 26 October is the first day of winter time: 09:00 Helsinki is 07:00 UTC.
    let day = host.post("/api/v1/contact-days", json!({"date": "2026-10-26", "starts_at": "09:00", "ends_at": "13:00", "place": "Toimisto, huone 2", "theme": "Kauppa", "participant_ids": [s1.user_id], "target_employer_ids": [e]})).await.json["id"].as_i64().unwrap();
    let url = s1.get("/api/v1/me/calendar-feed").await.json["url"]
        .as_str()
        .unwrap()
        .to_string();
    let path = url
        .split_once("://")
        .unwrap()
        .1
        .split_once('/')
        .map(|x| format!("/{}", x.1))
        .unwrap();
    let mut anon = app.browser();
    let feed = anon.get(&path).await;
    let events = parse_with_ical_crate(&feed.text);
    let ev = events
        .iter()
        .find(|x| x.uid == format!("contact-day-{day}@placefirst"))
        .expect("the participant's feed has the day");
    assert_eq!(ev.start, "20261026T070000Z");
    assert!(ev.summary.contains("Kauppa"));
    if let Some(py) = parse_with_python(&feed.text) {
        assert!(
            py.contains(&(
                format!("contact-day-{day}@placefirst"),
                "2026-10-26T07:00".into()
            )),
            "{py:?}"
        );
    }
    // Cancelled: the feed keeps it with STATUS:CANCELLED so calendars drop it.
    app.clock.set(utc("2026-10-21 08:00"));
    host.post(&format!("/api/v1/contact-days/{day}/cancel"), json!({}))
        .await;
    let events = parse_with_ical_crate(&anon.get(&path).await.text);
    let ev = events
        .iter()
        .find(|x| x.uid == format!("contact-day-{day}@placefirst"))
        .unwrap();
    assert_eq!(ev.status.as_deref(), Some("CANCELLED"));
    let mut b = app.browser();
    b.login("s1@a.fi", PASSWORD).await;
    let one = b.get(&format!("/contact-days/{day}.ics")).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(parse_with_ical_crate(&one.text).len(), 1);
}
