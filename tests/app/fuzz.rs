//! Property tests for the parsers people and programs feed: business ids, .ics files,
//! member-list CSV and query strings. None may panic or answer 5xx, whatever the input;
//! what they accept must be well-formed.

use actix_web::http::StatusCode;
use placefirst::domain::business_id::BusinessId;
use placefirst::domain::calendar_import;
use placefirst::domain::users::Role;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_databases;

on_both_databases!(arbitrary_files_and_queries_never_answer_5xx);

const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20261124T080000Z\r\nDTSTART;TZID=Europe/Helsinki:20261201T090000\r\nDTEND;TZID=Europe/Helsinki:20261201T100000\r\nSUMMARY:Rekrytointimessut\r\nATTENDEE;CN=Maija:mailto:m@x.fi\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

/// A valid file with a few bytes changed, cut or repeated: the shapes broken exports take.
fn mangled_ics() -> impl Strategy<Value = String> {
    (
        0..ICS.len(),
        prop::collection::vec(any::<char>(), 0..8),
        0..ICS.len(),
    )
        .prop_map(|(at, junk, cut)| {
            let mut s: String = ICS.chars().take(at).collect();
            s.extend(junk);
            s.extend(ICS.chars().skip(cut));
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn business_ids_parse_or_refuse(s in ".{0,20}", digits in "[0-9]{7}-[0-9]") {
        for input in [s.as_str(), digits.as_str()] {
            if let Ok(b) = BusinessId::parse(input) {
                let shown = b.as_str().to_string();
                prop_assert!(shown.len() == 9 && shown.as_bytes()[7] == b'-', "{shown}");
                let again = BusinessId::parse(&shown).unwrap();
                prop_assert_eq!(again.as_str(), shown.as_str());
            }
        }
    }

    #[test]
    fn calendar_files_parse_or_refuse(text in mangled_ics(), noise in ".{0,200}") {
        for t in [text.as_str(), noise.as_str()] {
            if let Ok((events, _)) = calendar_import::parse(t, chrono_tz::Europe::Helsinki) {
                for e in events {
                    prop_assert!(!e.uid.is_empty() && e.uid.chars().count() <= 255);
                    prop_assert!(placefirst::domain::validate::forbidden_char(&e.summary).is_none());
                }
            }
        }
    }
}

/// Generated bodies and query strings against the running server: 4xx or success,
/// never 5xx.
async fn arbitrary_files_and_queries_never_answer_5xx(app: TestApp) {
    let lead = app.user("Org A", "lead@a.fi", Role::TeamLead);
    let partner = lead
        .post(
            "/api/v1/partners",
            json!({"name": "Yrittäjät", "kind": "entrepreneur_association"}),
        )
        .await;
    let partner = partner.json["id"].as_i64().unwrap();
    let mut runner = TestRunner::deterministic();
    let csv = prop::collection::vec(
        prop_oneof![
            Just("nimi;y-tunnus;kunta".to_string()),
            Just("Kahvila Pöllö Oy;2858394-9;Tampere".to_string()),
            "[^\\r\\n]{0,40}",
            "[a-zäö;,\"]{0,30}",
        ],
        0..6,
    )
    .prop_map(|lines| lines.join("\r\n"));
    let query = prop::collection::vec(
        (
            prop_oneof![
                Just("q"),
                Just("limit"),
                Just("cursor"),
                Just("stage"),
                Just("sort"),
                Just("status"),
                Just("from"),
                Just("to"),
                Just("municipality"),
                Just("tag"),
            ],
            "[ -~äö%]{0,12}",
        ),
        0..4,
    );
    for _ in 0..40 {
        let body = csv.new_tree(&mut runner).unwrap().current();
        let r = lead
            .post_text(
                &format!("/api/v1/partners/{partner}/members/import"),
                "text/csv",
                body.clone(),
            )
            .await;
        assert!(
            !r.status.is_server_error(),
            "{body:?}: {} {}",
            r.status,
            r.text
        );
        let r = lead
            .post_text(
                "/api/v1/calendar/import",
                "text/calendar",
                mangled_ics().new_tree(&mut runner).unwrap().current(),
            )
            .await;
        assert!(!r.status.is_server_error(), "{} {}", r.status, r.text);
        let pairs = query.new_tree(&mut runner).unwrap().current();
        let qs = serde_urlencoded::to_string(&pairs).unwrap();
        for path in [
            "/api/v1/employers",
            "/api/v1/leads",
            "/api/v1/outreach",
            "/api/v1/fidelity",
            "/api/v1/events",
        ] {
            let r = lead.get(&format!("{path}?{qs}")).await;
            assert!(
                !r.status.is_server_error() && r.status != StatusCode::NOT_FOUND,
                "{path}?{qs}: {} {}",
                r.status,
                r.text
            );
        }
    }
}
