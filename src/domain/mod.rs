//! Domain code: types that hold only valid values, and the queries and services per
//! feature. Nothing here knows about HTTP.

pub mod auth;
pub mod business_id;
pub mod contacts;
pub mod employers;
pub mod reference;
pub mod users;
pub mod validate;

use chrono::NaiveDateTime;

/// The current time in UTC, as stored. Times are shown in the configured zone.
pub fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}
