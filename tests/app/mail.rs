//! E-mail over a real SMTP conversation: contact-day invitations, updates and
//! cancellations with their .ics, the outbox through refusals and a restart, the
//! scheduled reminder, summary and digest, opt-outs, and organisation isolation.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use actix_web::http::StatusCode;
use placefirst::app::Application;
use placefirst::domain::users::{load_actor, set_locale, Role};
use placefirst::i18n::Lang;
use placefirst::mail::worker::{Pass, Worker};
use placefirst::mail::Mailer;
use serde_json::{json, Value};

use crate::helpers::{utc, Api, TestApp};
use crate::on_both_databases;
use crate::smtp::{Received, SmtpServer};

on_both_databases!(
    invitations_updates_and_cancellations_reach_smtp,
    outbox_survives_refusals_and_a_restart,
    reminders_summaries_and_digests_go_out_once,
    mail_and_day_changes_stay_in_the_organisation,
    changing_a_day_and_mail_switches_from_the_pages
);

/// The application's worker, sending to the test SMTP server.
pub fn worker_to(app: &TestApp, server: &SmtpServer) -> Worker {
    let settings = TestApp::settings_with_mail(&app.url, &server.settings_toml(0));
    let mut w = app.state.mail_worker();
    w.mailer = Arc::new(Mailer::new(&settings.mail).expect("mailer"));
    w.settings = settings.mail;
    w
}

fn english(app: &TestApp, api: &Api) {
    let mut conn = app.state.pool.get().unwrap();
    let actor = load_actor(&mut conn, api.user_id).unwrap().unwrap();
    set_locale(&mut conn, &actor, Lang::En).unwrap();
}

pub struct Mail {
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
    pub ics: Option<(String, String)>,
}

pub fn parse(r: &Received) -> Mail {
    let m = mailparse::parse_mail(r.data.as_bytes()).expect("message parses");
    let (mut text, mut html, mut ics) = (String::new(), String::new(), None);
    fn walk(
        p: &mailparse::ParsedMail,
        text: &mut String,
        html: &mut String,
        ics: &mut Option<(String, String)>,
    ) {
        match p.ctype.mimetype.as_str() {
            "text/plain" => *text = p.get_body().unwrap(),
            "text/html" => *html = p.get_body().unwrap(),
            "text/calendar" => {
                let method = p.ctype.params.get("method").cloned().unwrap_or_default();
                *ics = Some((p.get_body().unwrap(), method));
            }
            _ => {}
        }
        for s in &p.subparts {
            walk(s, text, html, ics);
        }
    }
    walk(&m, &mut text, &mut html, &mut ics);
    let h = |n: &str| {
        m.headers
            .iter()
            .find(|x| x.get_key_ref().eq_ignore_ascii_case(n))
            .map(|x| x.get_value())
            .unwrap_or_default()
    };
    assert_eq!(r.to.len(), 1);
    Mail {
        to: r.to[0].trim_matches(|c| c == '<' || c == '>').to_string(),
        subject: h("Subject"),
        message_id: h("Message-ID"),
        text,
        html,
        ics,
    }
}

/// (property name, params, value) of the first VEVENT, read with the `ical` crate.
fn event_props(ics: &str) -> Vec<(String, String, String)> {
    let cal = ical::IcalParser::new(ics.as_bytes())
        .next()
        .expect("a calendar")
        .expect("the .ics parses");
    let e = cal.events.first().expect("one event");
    e.properties
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                format!("{:?}", p.params),
                p.value.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn prop(props: &[(String, String, String)], name: &str) -> String {
    props
        .iter()
        .find(|p| p.0 == name)
        .map(|p| p.2.clone())
        .unwrap_or_default()
}

fn to<'a>(mails: &'a [Mail], who: &str) -> Vec<&'a Mail> {
    mails.iter().filter(|m| m.to == who).collect()
}

pub async fn plan_day(host: &Api, people: &[i64], date: &str) -> i64 {
    let r = host
        .post(
            "/api/v1/contact-days",
            json!({"date": date, "starts_at": "09:00", "ends_at": "15:00", "place": "Toimisto, huone 2", "theme": "Kauppa & logistiikka", "participant_ids": people, "target_employer_ids": []}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json["id"].as_i64().unwrap()
}

async fn invitations_updates_and_cancellations_reach_smtp(app: TestApp) {
    app.clock.set(utc("2026-11-24 08:00"));
    let host = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let s1 = app.user("Org A", "s1@a.fi", Role::Specialist);
    let s2 = app.user("Org A", "s2@a.fi", Role::Specialist);
    english(&app, &s1);
    let server = SmtpServer::start(0);
    let worker = worker_to(&app, &server);
    let day = plan_day(&host, &[s1.user_id, s2.user_id], "2026-11-26").await;
    let pass = worker.run_once().unwrap();
    assert_eq!(pass.sent, 2, "{pass:?}");
    let raw = server.wait_for(2, 5);
    assert!(
        raw[0].from.contains("ips@placefirst.test"),
        "{}",
        raw[0].from
    );
    let mails: Vec<Mail> = raw.iter().map(parse).collect();
    assert_eq!(mails.len(), 2);
    let en = to(&mails, "s1@a.fi")[0];
    let fi = to(&mails, "s2@a.fi")[0];
    assert_eq!(en.subject, "Invitation: employer contact day 26 Nov 2026");
    assert_eq!(fi.subject, "Kutsu: yhteinen työnantajapäivä 26.11.2026");
    assert!(en.message_id.contains("@placefirst"), "{}", en.message_id);
    // Kept for looking at in a browser (target/mail-preview).
    let preview = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/mail-preview");
    let _ = std::fs::create_dir_all(&preview);
    let _ = std::fs::write(
        preview.join(format!("invitation-{}.html", app.backend)),
        &en.html,
    );
    assert!(
        en.text.contains("When: 26 Nov 2026 09:00–15:00"),
        "{}",
        en.text
    );
    assert!(en.text.contains("Where: Toimisto, huone 2"));
    assert!(en
        .text
        .contains(&format!("https://placefirst.test/contact-days/{day}")));
    assert!(
        fi.text.contains("Milloin: 26.11.2026 klo 9.00–15.00"),
        "{}",
        fi.text
    );
    assert!(
        en.html.contains("<html") && en.html.contains("Kauppa &amp; logistiikka"),
        "{}",
        en.html
    );
    let (ics, method) = en.ics.clone().expect("the invitation carries an .ics");
    assert_eq!(method, "REQUEST");
    assert!(ics.contains("METHOD:REQUEST"), "{ics}");
    let p = event_props(&ics);
    assert_eq!(prop(&p, "UID"), format!("contact-day-{day}@placefirst"));
    // 09:00 in Helsinki in November (UTC+2).
    assert_eq!(prop(&p, "DTSTART"), "20261126T070000Z");
    assert_eq!(prop(&p, "DTEND"), "20261126T130000Z");
    assert_eq!(prop(&p, "SEQUENCE"), "0");
    assert_eq!(prop(&p, "ORGANIZER"), "mailto:lead@a.fi");
    let attendees: Vec<_> = p
        .iter()
        .filter(|x| x.0 == "ATTENDEE")
        .map(|x| x.2.clone())
        .collect();
    assert_eq!(attendees, vec!["mailto:s1@a.fi", "mailto:s2@a.fi"]);

    // Moved: everyone but the host (who moved it) gets the update with SEQUENCE raised.
    let moved = host
        .patch(
            &format!("/api/v1/contact-days/{day}"),
            json!({"date": "2026-11-27", "starts_at": "10:00"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    assert_eq!(moved.json["day"], "2026-11-27");
    assert_eq!(moved.json["sequence"], 1);
    let bad = host
        .patch(
            &format!("/api/v1/contact-days/{day}"),
            json!({"date": "huomenna", "ends_at": "08:00"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(bad.json["errors"]["date"].is_array() && bad.json["errors"]["ends_at"].is_array());
    assert_eq!(worker.run_once().unwrap().sent, 2);
    let mails: Vec<Mail> = server.wait_for(4, 5).iter().map(parse).collect();
    let upd = to(&mails, "s1@a.fi")[1];
    assert_eq!(upd.subject, "Changed: employer contact day 27 Nov 2026");
    assert!(
        upd.text.contains("Before: 26 Nov 2026 09:00–15:00"),
        "{}",
        upd.text
    );
    let (ics, method) = upd.ics.clone().unwrap();
    assert_eq!(method, "REQUEST");
    let p = event_props(&ics);
    assert_eq!(prop(&p, "SEQUENCE"), "1");
    assert_eq!(prop(&p, "DTSTART"), "20261127T080000Z");

    // s2 turns cancellations off; an unknown kind is refused and changes nothing.
    let r = s2
        .put("/api/v1/me/mail", json!({"day_cancellation": false}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let off = |v: &Value, k: &str| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == k && i["enabled"] == false)
    };
    assert!(off(&r.json, "day_cancellation"));
    let r = s2
        .put(
            "/api/v1/me/mail",
            json!({"weekly_digest": false, "telegrams": false}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = s2.get("/api/v1/me/mail").await;
    assert!(
        !off(&r.json, "weekly_digest"),
        "nothing stored from a refused change"
    );

    let c = host
        .post(&format!("/api/v1/contact-days/{day}/cancel"), json!({}))
        .await;
    assert_eq!(c.status, StatusCode::OK);
    assert_eq!(worker.run_once().unwrap().sent, 1);
    let mails: Vec<Mail> = server.wait_for(5, 5).iter().map(parse).collect();
    assert_eq!(mails.len(), 5);
    assert_eq!(
        to(&mails, "s2@a.fi").len(),
        2,
        "s2 turned cancellations off"
    );
    let cancel = to(&mails, "s1@a.fi")[2];
    assert_eq!(
        cancel.subject,
        "Cancelled: employer contact day 27 Nov 2026"
    );
    let (ics, method) = cancel.ics.clone().unwrap();
    assert_eq!(method, "CANCEL");
    assert!(ics.contains("METHOD:CANCEL"));
    let p = event_props(&ics);
    assert_eq!(prop(&p, "STATUS"), "CANCELLED");
    assert_eq!(prop(&p, "SEQUENCE"), "2");
    // Nothing is sent twice.
    assert_eq!(worker.run_once().unwrap(), Pass::default());
    assert_eq!(server.messages().len(), 5);
    // A cancelled day cannot be moved.
    let r = host
        .patch(
            &format!("/api/v1/contact-days/{day}"),
            json!({"place": "Kenttä"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

async fn outbox_survives_refusals_and_a_restart(app: TestApp) {
    app.clock.set(utc("2026-11-24 08:00"));
    let host = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let s1 = app.user("Org A", "s1@a.fi", Role::Specialist);
    let server = SmtpServer::start(1);
    let worker = worker_to(&app, &server);
    plan_day(&host, &[s1.user_id], "2026-12-01").await;
    // The server refuses: the message stays, with the attempt and the reason.
    let pass = worker.run_once().unwrap();
    assert_eq!((pass.sent, pass.retried), (0, 1), "{pass:?}");
    let ob = host.get("/api/v1/outbox").await;
    assert_eq!(ob.status, StatusCode::OK, "{}", ob.text);
    let row = ob.json["items"][0].clone();
    assert_eq!(row["status"], "pending");
    assert_eq!(row["attempts"], 1);
    assert!(row["last_error"].as_str().unwrap().contains("421"), "{row}");
    assert_eq!(row["next_attempt_at"], "2026-11-24T08:00:30");
    // Not due yet: no new connection before the backoff has passed.
    assert_eq!(worker.run_once().unwrap(), Pass::default());
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
    assert!(server.messages().is_empty());

    // "Restart": a new application on the same database, with its own worker thread.
    app.clock.set(utc("2026-11-24 08:01"));
    let settings = TestApp::settings_with_mail(&app.url, &server.settings_toml(1));
    let (pool, _) = placefirst::app::open_database(&settings).expect("database opens");
    let second = Application::build_with(settings, pool, app.clock.clone()).expect("second start");
    let got = server.wait_for(1, 20);
    second.state.mail_stop.store(true, Ordering::SeqCst);
    assert_eq!(
        got.len(),
        1,
        "the worker of the restarted application sends it"
    );
    assert_eq!(parse(&got[0]).to, "s1@a.fi");
    // The server has the message once the worker hands it over; the worker marks the row
    // sent just after, so wait for that (up to 5 s) instead of racing it.
    let mut ob = host.get("/api/v1/outbox").await;
    for _ in 0..50 {
        if ob.json["items"][0]["status"] == "sent" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        ob = host.get("/api/v1/outbox").await;
    }
    assert_eq!(ob.json["items"][0]["status"], "sent", "{}", ob.text);
    assert_eq!(ob.json["items"][0]["attempts"], 2);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(server.messages().len(), 1, "sent once");
    assert_eq!(
        s1.get("/api/v1/outbox").await.status,
        StatusCode::FORBIDDEN,
        "delivery status is for admins and team leads"
    );
}

async fn reminders_summaries_and_digests_go_out_once(app: TestApp) {
    // Wednesday 25 Nov, 07:00 in Helsinki: the reminder hour.
    app.clock.set(utc("2026-11-25 05:00"));
    let host = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let s1 = app.user("Org A", "s1@a.fi", Role::Specialist);
    english(&app, &s1);
    let server = SmtpServer::start(0);
    let worker = worker_to(&app, &server);
    let e = s1
        .post("/api/v1/employers", json!({"name": "Kauppa Oy"}))
        .await;
    let employer = e.json["id"].as_i64().unwrap();
    let r = host
        .post(
            "/api/v1/contact-days",
            json!({"date": "2026-11-26", "starts_at": "09:00", "ends_at": "15:00", "place": "Toimisto", "participant_ids": [s1.user_id], "target_employer_ids": [employer]}),
        )
        .await;
    let day = r.json["id"].as_i64().unwrap();
    let pass = worker.run_once().unwrap();
    assert_eq!(
        (pass.enqueued, pass.sent),
        (1, 2),
        "invitation and reminder: {pass:?}"
    );
    assert_eq!(
        worker.run_once().unwrap(),
        Pass::default(),
        "the reminder goes once"
    );
    let mails: Vec<Mail> = server.messages().iter().map(parse).collect();
    assert_eq!(
        mails[1].subject,
        "Tomorrow: employer contact day 26 Nov 2026"
    );
    assert!(mails[1].ics.as_ref().unwrap().1 == "REQUEST");

    // On the day: one call logged from the list, with a next step.
    app.clock.set(utc("2026-11-26 09:00"));
    let o = s1.post("/api/v1/outreach", json!({"employer_id": employer, "contact_day_id": day, "channel": "phone", "result": "meeting_booked", "next_step": "Tapaaminen", "next_step_due": "2026-12-02"})).await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.text);
    assert_eq!(
        worker.run_once().unwrap().enqueued,
        0,
        "no summary before the day ends"
    );
    // 16:00 local, after the end: summary to the host and the participant.
    app.clock.set(utc("2026-11-26 14:00"));
    let pass = worker.run_once().unwrap();
    assert_eq!((pass.enqueued, pass.sent), (2, 2), "{pass:?}");
    let mails: Vec<Mail> = server.messages().iter().map(parse).collect();
    let summary = to(&mails, "s1@a.fi")[2];
    assert_eq!(summary.subject, "Results: employer contact day 26 Nov 2026");
    assert!(
        summary
            .text
            .contains("1 attempted, 1 reached, 1 meetings booked, 0 leads found"),
        "{}",
        summary.text
    );
    assert!(
        summary.text.contains("2 Dec 2026: Tapaaminen (Kauppa Oy)"),
        "{}",
        summary.text
    );
    assert!(summary.ics.is_none());
    let fi = to(&mails, "lead@a.fi")[0];
    assert!(
        fi.text
            .contains("1 yritetty, 1 tavoitettu, 1 tapaamista sovittu, 0 työpaikkavinkkiä löytyi"),
        "{}",
        fi.text
    );
    assert_eq!(worker.run_once().unwrap(), Pass::default());

    // Monday 30 Nov 08:00 local: the weekly digest, except for whoever turned it off (the
    // team agenda, also due the day before Tuesday's meeting, is turned off here).
    let r = host
        .put(
            "/api/v1/me/mail",
            json!({"weekly_digest": false, "team_agenda": false}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = s1
        .put("/api/v1/me/mail", json!({"team_agenda": false}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let p = s1.post("/api/v1/plan/items", json!({"employer_id": employer, "planned_on": "2026-12-01", "planned_time": "10:00", "purpose": "learn_needs"})).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.text);
    // A job seeker of s1's and a lead a colleague found this week that fits them.
    let c = s1
        .post(
            "/api/v1/clients",
            json!({"consent_to_contact_employers": true, "display_name": "J. S.", "intake_date": "2026-11-01"}),
        )
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.text);
    let seeker = c.json["id"].as_i64().unwrap();
    s1.put(&format!("/api/v1/clients/{seeker}/profile"), json!({"occupations": ["5132"], "hours_min": 15, "hours_max": 25, "shifts": ["day"], "home_municipality_code": "837", "max_commute_km": 20})).await;
    let cafe = host.post("/api/v1/employers", json!({"name": "Kahvila Oy", "municipality_code": "837", "industry": "I", "stage": "hiring_partner"})).await.json["id"].as_i64().unwrap();
    app.clock.set(utc("2026-11-28 10:00"));
    let lead = host.post("/api/v1/leads", json!({"employer_id": cafe, "title": "Barista", "isco_code": "5132", "hours_min": 20, "hours_max": 20, "schedule": {"shifts": ["day"]}})).await;
    assert_eq!(lead.status, StatusCode::CREATED, "{}", lead.text);
    // One they were already proposed for, and one in an occupation they did not name.
    let proposed = host.post("/api/v1/leads", json!({"employer_id": cafe, "title": "Kahvilatyöntekijä", "isco_code": "5132", "hours_min": 20, "hours_max": 20, "schedule": {"shifts": ["day"]}})).await.json["id"].as_i64().unwrap();
    let r = s1
        .post(
            "/api/v1/proposals",
            json!({"lead_id": proposed, "client_id": seeker}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    host.post("/api/v1/leads", json!({"employer_id": cafe, "title": "Siivooja", "isco_code": "9112", "hours_min": 20, "hours_max": 20, "schedule": {"shifts": ["day"]}})).await;
    app.clock.set(utc("2026-11-30 06:00"));
    let pass = worker.run_once().unwrap();
    assert_eq!((pass.enqueued, pass.sent), (1, 1), "{pass:?}");
    let mails: Vec<Mail> = server.messages().iter().map(parse).collect();
    let digest = mails.last().unwrap();
    assert_eq!(digest.to, "s1@a.fi");
    assert_eq!(digest.subject, "Your week 49");
    assert!(
        digest.text.contains("Tuesday 1 Dec 2026"),
        "{}",
        digest.text
    );
    assert!(digest.text.contains("10:00"), "{}", digest.text);
    assert!(digest.text.contains("Kauppa Oy"), "{}", digest.text);
    assert!(
        digest.text.contains("Tapaaminen (Kauppa Oy)"),
        "the follow-up due: {}",
        digest.text
    );
    assert!(
        digest.text.contains("J. S.: Barista (Kahvila Oy)"),
        "the new match: {}",
        digest.text
    );
    assert!(
        !digest.text.contains("Kahvilatyöntekijä") && !digest.text.contains("Siivooja"),
        "neither the proposed lead nor another occupation: {}",
        digest.text
    );
    app.clock.set(utc("2026-11-30 12:00"));
    assert_eq!(
        worker.run_once().unwrap(),
        Pass::default(),
        "one digest a week"
    );
}

async fn mail_and_day_changes_stay_in_the_organisation(app: TestApp) {
    app.clock.set(utc("2026-11-24 08:00"));
    let host = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let s1 = app.user("Org A", "s1@a.fi", Role::Specialist);
    let other = app.user("Org B", "lead@b.fi", Role::TeamLead);
    let spy = app.user("Org B", "spy@b.fi", Role::Specialist);
    let day = plan_day(&host, &[s1.user_id], "2026-12-03").await;
    for r in [
        other
            .patch(
                &format!("/api/v1/contact-days/{day}"),
                json!({"place": "X"}),
            )
            .await,
        spy.post(&format!("/api/v1/contact-days/{day}/join"), json!({}))
            .await,
        other
            .post(
                &format!("/api/v1/contact-days/{day}/participants"),
                json!({"user_ids": [spy.user_id]}),
            )
            .await,
        other
            .post(&format!("/api/v1/contact-days/{day}/cancel"), json!({}))
            .await,
    ] {
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    }
    // Inviting someone from another organisation is refused, and nobody is added.
    let r = host
        .post(
            &format!("/api/v1/contact-days/{day}/participants"),
            json!({"user_ids": [spy.user_id]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let d = host.get(&format!("/api/v1/contact-days/{day}")).await;
    assert_eq!(d.json["participants"].as_array().unwrap().len(), 1);
    // Another organisation's outbox shows none of ours.
    let ob = other.get("/api/v1/outbox").await;
    assert_eq!(ob.status, StatusCode::OK);
    assert_eq!(ob.json["items"].as_array().unwrap().len(), 0, "{}", ob.text);
    let ob = host.get("/api/v1/outbox").await;
    assert_eq!(ob.json["items"].as_array().unwrap().len(), 1);
    // Joining and leaving: the colleague signs up and gets the invitation; leaving
    // takes the day off their calendar.
    let s2 = app.user("Org A", "s2@a.fi", Role::Specialist);
    let j = s2
        .post(&format!("/api/v1/contact-days/{day}/join"), json!({}))
        .await;
    assert_eq!(j.status, StatusCode::OK, "{}", j.text);
    assert_eq!(j.json["participants"].as_array().unwrap().len(), 2);
    let l = s2
        .post(&format!("/api/v1/contact-days/{day}/leave"), json!({}))
        .await;
    assert_eq!(l.json["participants"].as_array().unwrap().len(), 1);
    let ob = host.get("/api/v1/outbox").await;
    let kinds: Vec<_> = ob.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_string(),
                i["recipient"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("day_cancellation".to_string(), "s2@a.fi".to_string()),
            ("day_invitation".to_string(), "s2@a.fi".to_string()),
            ("day_invitation".to_string(), "s1@a.fi".to_string()),
        ]
    );
}

async fn changing_a_day_and_mail_switches_from_the_pages(app: TestApp) {
    use crate::helpers::PASSWORD;
    app.clock.set(utc("2026-11-24 08:00"));
    let host = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let s1 = app.user("Org A", "s1@a.fi", Role::Specialist);
    let s2 = app.user("Org A", "s2@a.fi", Role::Specialist);
    let day = plan_day(&host, &[s1.user_id], "2026-12-03").await;
    let mut b = app.browser();
    b.login("lead@a.fi", PASSWORD).await;
    let page = b.get(&format!("/contact-days/{day}")).await;
    assert!(
        page.text.contains("id=\"move-form\""),
        "the host can move the day"
    );
    assert!(
        page.text.contains(&format!("name=\"u_{}\"", s2.user_id)),
        "s2 can be invited"
    );
    assert!(
        !page.text.contains(&format!("name=\"u_{}\"", s1.user_id)),
        "s1 takes part already"
    );
    // A bad move re-shows the page with the messages and what was typed; nothing changes.
    let bad = b
        .post(
            &format!("/contact-days/{day}/move"),
            &[
                ("date", "2026-12-04"),
                ("starts_at", "15:00"),
                ("ends_at", "09:00"),
                ("place", ""),
                ("theme", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(bad.text.contains("id=\"m-ends-error\"") && bad.text.contains("id=\"m-place-error\""));
    assert!(
        bad.text.contains("value=\"2026-12-04\""),
        "the typed date is kept"
    );
    let d = host.get(&format!("/api/v1/contact-days/{day}")).await;
    assert_eq!(
        (d.json["day"].as_str(), d.json["sequence"].as_i64()),
        (Some("2026-12-03"), Some(0))
    );
    let ok = b
        .post(
            &format!("/contact-days/{day}/move"),
            &[
                ("date", "2026-12-04"),
                ("starts_at", "10:00"),
                ("ends_at", "14:00"),
                ("place", "Kenttä"),
                ("theme", ""),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    let d = host.get(&format!("/api/v1/contact-days/{day}")).await;
    assert_eq!(d.json["place"], "Kenttä");
    assert!(d.json["theme"].is_null(), "an emptied theme is cleared");
    let u_box = format!("u_{}", s2.user_id);
    let inv = b
        .post(
            &format!("/contact-days/{day}/participants"),
            &[(&u_box, "on")],
        )
        .await;
    assert_eq!(inv.status, StatusCode::SEE_OTHER);
    let ob = host.get("/api/v1/outbox").await;
    let kinds: Vec<_> = ob.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{} {}",
                i["kind"].as_str().unwrap(),
                i["recipient"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            "day_invitation s2@a.fi",
            "day_update s1@a.fi",
            "day_invitation s1@a.fi"
        ]
    );
    // s2 leaves from the page, then turns off everything but invitations.
    let mut phone = app.browser();
    phone.login("s2@a.fi", PASSWORD).await;
    let page = phone.get(&format!("/contact-days/{day}")).await;
    assert!(page
        .text
        .contains(&format!("action=\"/contact-days/{day}/leave\"")));
    assert!(
        !page.text.contains("id=\"move-form\""),
        "only the host moves the day"
    );
    assert_eq!(
        phone
            .post(&format!("/contact-days/{day}/leave"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let acc = phone.get("/account").await;
    assert!(
        acc.text
            .contains("name=\"m_weekly_digest\" value=\"on\" checked"),
        "on by default"
    );
    let r = phone
        .post("/account/mail", &[("m_day_invitation", "on")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let prefs = s2.get("/api/v1/me/mail").await;
    let on: Vec<_> = prefs.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["enabled"] == true)
        .map(|i| i["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(on, vec!["day_invitation"]);
    // A viewer in the organisation may not join.
    let viewer = app.user("Org A", "v@a.fi", Role::Viewer);
    assert_eq!(
        viewer
            .post(&format!("/api/v1/contact-days/{day}/join"), json!({}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
