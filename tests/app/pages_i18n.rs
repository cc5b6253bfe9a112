//! Every page, in every language, renders (templates are strict: a misspelt field fails)
//! and asks for no translation that a language lacks.

use actix_web::http::StatusCode;
use chrono::NaiveDateTime;

use crate::helpers::TestApp;
use crate::on_both_databases;

on_both_databases!(every_page_renders_in_every_language);

const PAGES: &[&str] = &[
    "/employers",
    "/employers?stage=active",
    "/employers/new",
    "/employers/3",
    "/employers/3/edit",
    "/contacts/5/edit",
    "/outreach",
    "/outreach/new?employer=3",
    "/outreach/40/edit",
    "/follow-ups",
    "/leads",
    "/leads/new",
    "/leads/2",
    "/leads/2/matches",
    "/clients",
    "/clients/new",
    "/clients/1",
    "/clients/1/edit",
    "/clients/1/profile",
    "/placements/new?client=1",
    "/plan",
    "/plan/new",
    "/plan/team",
    "/contact-days",
    "/contact-days/new",
    "/partners",
    "/partners/new",
    "/partners/1",
    "/partners/1/edit",
    "/fidelity",
    "/agenda",
    "/account",
];

async fn every_page_renders_in_every_language(app: TestApp) {
    let t0 = NaiveDateTime::parse_from_str("2026-11-18 09:30", "%Y-%m-%d %H:%M").unwrap();
    app.clock.set(t0);
    {
        let mut conn = app.state.pool.get().unwrap();
        placefirst::demo::load(&mut conn, 200, t0).unwrap();
    }
    let mut b = app.browser();
    let r = b
        .login(
            "sanna.lehtonen@demo.placefirst.fi",
            placefirst::demo::PASSWORD,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    for lang in placefirst::i18n::ALL_LANGS {
        let r = b
            .post("/lang", &[("lang", lang.code()), ("next", "/")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        for page in PAGES {
            let r = b.get(page).await;
            assert_eq!(
                r.status,
                StatusCode::OK,
                "{page} in {}: {}",
                lang.code(),
                r.text
            );
            assert!(
                r.text.contains(&format!("lang=\"{}\"", lang.code())),
                "{page} is not in {}",
                lang.code()
            );
        }
    }
    let missing = placefirst::i18n::missing_keys();
    assert!(
        missing.is_empty(),
        "translations missing (lang:key): {missing:?}"
    );
}
