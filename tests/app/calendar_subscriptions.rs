//! Partner calendars from a URL on a schedule: a local HTTP server serves the file; the
//! worker imports it, re-fetches update instead of duplicating, and a failure is kept on
//! the subscription and imports nothing.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use actix_web::http::StatusCode;
use placefirst::domain::users::Role;
use serde_json::json;

use placefirst::net::Reach;

use crate::helpers::{utc, TestApp};
use crate::on_both_databases;

on_both_databases!(a_subscribed_calendar_is_fetched_on_schedule);
on_both_databases!(a_redirect_into_the_local_network_is_refused);

/// Serves (status, body) to every GET, as set by the test.
fn serve(reply: Arc<Mutex<(u16, String)>>) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten() {
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut line = String::new();
            while r.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let (status, body) = reply.lock().unwrap().clone();
            // A redirect's body is where it points.
            let location = match status {
                300..=399 => format!("Location: {body}\r\n"),
                _ => String::new(),
            };
            let _ = write!(
                s,
                "HTTP/1.1 {status} X\r\n{location}Content-Type: text/calendar; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

async fn a_subscribed_calendar_is_fetched_on_schedule(app: TestApp) {
    app.clock.set(utc("2026-11-24 08:00"));
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let other = app.user("Org B", "b@b.fi", Role::TeamLead);
    let file = std::fs::read_to_string(format!(
        "{}/tests/fixtures/google.ics",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let reply = Arc::new(Mutex::new((200u16, file.clone())));
    let port = serve(reply.clone());
    let bad = lead
        .post(
            "/api/v1/calendar/subscriptions",
            json!({"url": "ftp://x", "interval_minutes": 1}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.json["errors"]["url"].is_array() && bad.json["errors"]["interval_minutes"].is_array()
    );
    let url = format!("http://127.0.0.1:{port}/yrittajat.ics");
    let r = lead
        .post(
            "/api/v1/calendar/subscriptions",
            json!({"url": url, "interval_minutes": 60}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let sub = r.json["id"].as_i64().unwrap();
    // By default only public addresses are fetched: this machine is refused, nothing stored.
    placefirst::domain::calendar_subscriptions::fetch_due(
        &app.state.pool,
        chrono_tz::Europe::Helsinki,
        app.state.now(),
        &Reach::Public { also: Vec::new() },
    )
    .unwrap();
    let s = lead.get("/api/v1/calendar/subscriptions").await;
    assert!(
        s.json["items"][0]["last_error"]
            .as_str()
            .unwrap()
            .contains("internal address"),
        "{}",
        s.text
    );
    assert_eq!(
        lead.get("/api/v1/events?from=2026-01-01&to=2027-12-31")
            .await
            .json["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    app.clock.set(utc("2026-11-24 09:00"));
    // The test settings allow this machine (the partner's server here is local).
    let worker = app.state.mail_worker();
    assert_eq!(worker.run_once().unwrap().calendars, 1);
    let events = lead
        .get("/api/v1/events?from=2026-01-01&to=2027-12-31")
        .await;
    let n = events.json["items"].as_array().unwrap().len();
    assert!(n >= 2, "{}", events.text);
    assert!(events.text.contains("Rekrytointimessut"));
    let s = lead.get("/api/v1/calendar/subscriptions").await;
    assert_eq!(
        s.json["items"][0]["last_result"],
        format!("uusia {n}, päivitettyjä 0, ennallaan 0"),
        "{}",
        s.text
    );
    // Not due again before the interval; then a re-fetch updates, no duplicates.
    assert_eq!(worker.run_once().unwrap().calendars, 0);
    reply.lock().unwrap().1 = file.replace(
        "SUMMARY:Rekrytointimessut",
        "SUMMARY:Rekrytointimessut (siirretty)",
    );
    app.clock.set(utc("2026-11-24 10:00"));
    assert_eq!(worker.run_once().unwrap().calendars, 1);
    let events = lead
        .get("/api/v1/events?from=2026-01-01&to=2027-12-31")
        .await;
    assert_eq!(
        events.json["items"].as_array().unwrap().len(),
        n,
        "updated by UID"
    );
    assert!(events.text.contains("Rekrytointimessut (siirretty)"));
    // The partner's server fails: the reason is kept, nothing changes.
    *reply.lock().unwrap() = (500, "oops".into());
    app.clock.set(utc("2026-11-24 11:00"));
    worker.run_once().unwrap();
    let s = lead.get("/api/v1/calendar/subscriptions").await;
    assert!(
        s.json["items"][0]["last_error"]
            .as_str()
            .unwrap()
            .contains("500"),
        "{}",
        s.text
    );
    *reply.lock().unwrap() = (200, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nbroken".into());
    app.clock.set(utc("2026-11-24 12:00"));
    worker.run_once().unwrap();
    let s = lead.get("/api/v1/calendar/subscriptions").await;
    let why = s.json["items"][0]["last_error"]
        .as_str()
        .unwrap_or_default();
    assert!(
        why.starts_with("Rivi ") && why.contains("virheellinen"),
        "{}",
        s.text
    );
    let mut in_english = lead.clone();
    in_english.lang = Some("en");
    let s = in_english.get("/api/v1/calendar/subscriptions").await;
    let why = s.json["items"][0]["last_error"]
        .as_str()
        .unwrap_or_default();
    assert!(
        why.starts_with("Line ") && why.contains("malformed"),
        "{}",
        s.text
    );
    assert_eq!(
        lead.get("/api/v1/events?from=2026-01-01&to=2027-12-31")
            .await
            .json["items"]
            .as_array()
            .unwrap()
            .len(),
        n
    );
    // Another organisation sees none of it and cannot delete it.
    assert_eq!(
        other.get("/api/v1/calendar/subscriptions").await.json["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        other
            .delete(&format!("/api/v1/calendar/subscriptions/{sub}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
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
    assert_eq!(
        lead.delete(&format!("/api/v1/calendar/subscriptions/{sub}"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
}

/// Issue 13 (2): a "public" server that answers 302 to this machine is not followed,
/// because every hop's address is checked where it is connected to.
async fn a_redirect_into_the_local_network_is_refused(app: TestApp) {
    app.clock.set(utc("2026-11-24 08:00"));
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let file = std::fs::read_to_string(format!(
        "{}/tests/fixtures/google.ics",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let inside = serve(Arc::new(Mutex::new((200u16, file))));
    let inside_url = format!("http://127.0.0.1:{inside}/secret.ics");
    let public = serve(Arc::new(Mutex::new((302u16, inside_url))));
    let url = format!("http://127.0.0.1:{public}/partner.ics");
    let r = lead
        .post(
            "/api/v1/calendar/subscriptions",
            json!({"url": url, "interval_minutes": 60}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let fetch = |also: Vec<u16>| {
        placefirst::domain::calendar_subscriptions::fetch_due(
            &app.state.pool,
            chrono_tz::Europe::Helsinki,
            app.state.now(),
            &Reach::Public {
                also: also
                    .into_iter()
                    .map(|p| format!("127.0.0.1:{p}").parse().unwrap())
                    .collect(),
            },
        )
        .unwrap()
    };
    let events = || lead.get("/api/v1/events?from=2026-01-01&to=2027-12-31");
    // Only the first server counts as public: its redirect is refused.
    assert_eq!(fetch(vec![public]), 1);
    let s = lead.get("/api/v1/calendar/subscriptions").await;
    let err = s.json["items"][0]["last_error"]
        .as_str()
        .unwrap_or_default();
    assert!(err.contains("internal address"), "{}", s.text);
    assert!(err.contains("127.0.0.1"), "{err}");
    assert_eq!(events().await.json["items"].as_array().unwrap().len(), 0);
    // The same redirect to an allowed address is followed (so the refusal above is
    // the address check, not a failure to follow redirects at all).
    app.clock.set(utc("2026-11-24 10:00"));
    assert_eq!(fetch(vec![public, inside]), 1);
    assert!(events().await.json["items"].as_array().unwrap().len() >= 2);
}
