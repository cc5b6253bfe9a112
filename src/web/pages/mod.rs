//! Server-rendered pages. Handlers call the same domain functions as the API.

pub mod account;
pub mod agenda;
pub mod assets;
pub mod auth;
pub mod clients;
pub mod contact_day_changes;
pub mod contact_days;
pub mod contacts;
pub mod employers;
pub mod fidelity;
pub mod field;
pub mod follow_ups;
pub mod leads;
pub mod outreach;
pub mod partner_forms;
pub mod partners;
pub mod plan;
pub mod review;
pub mod schedule;
mod views;

/// The pages' features, each with its own routes.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.configure(assets::routes)
        .configure(auth::routes)
        .configure(account::routes)
        .configure(employers::routes)
        .configure(contacts::routes)
        .configure(outreach::routes)
        .configure(follow_ups::routes)
        .configure(leads::routes)
        .configure(clients::routes)
        .configure(plan::routes)
        .configure(crate::web::calendar::page_routes)
        .configure(contact_days::routes)
        .configure(partners::routes)
        .configure(fidelity::routes)
        .configure(agenda::routes)
        .configure(review::routes);
}

/// A form with nothing but its CSRF token (archive, delete, logout buttons).
#[derive(serde::Deserialize, Default)]
pub struct NoFields {}

/// A form field as the domain wants it: None when left empty.
pub fn filled(s: &str) -> Option<String> {
    Some(s.to_string()).filter(|s| !s.trim().is_empty())
}
