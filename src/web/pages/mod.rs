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
pub mod follow_ups;
pub mod leads;
pub mod outreach;
pub mod partner_forms;
pub mod partners;
pub mod plan;
pub mod review;
pub mod schedule;
mod views;

/// A form with nothing but its CSRF token (archive, delete, logout buttons).
#[derive(serde::Deserialize, Default)]
pub struct NoFields {}

/// A form field as the domain wants it: None when left empty.
pub fn filled(s: &str) -> Option<String> {
    Some(s.to_string()).filter(|s| !s.trim().is_empty())
}
