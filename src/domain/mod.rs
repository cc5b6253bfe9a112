//! Domain code: types that hold only valid values, and the queries and services per
//! feature. Nothing here knows about HTTP.

pub mod archive;
pub mod audit;
pub mod auth;
pub mod business_id;
pub mod calendar;
pub mod calendar_import;
pub mod calendar_series;
pub mod calendar_subscriptions;
pub mod clients;
pub mod clock;
pub mod closed_set;
pub mod contact_days;
pub mod contacts;
pub mod employers;
pub mod exports;
pub mod fidelity;
pub mod follow_ups;
pub mod imports;
pub mod json_input;
pub mod leads;
pub mod matching;
pub mod notices;
pub mod occupations;
pub mod outreach;
pub mod partners;
pub mod placements;
pub mod plan;
pub mod proposals;
pub mod recurrence;
pub mod reference;
pub mod spreadsheet;
pub mod throttle;
pub mod users;
pub mod validate;
pub mod versioning;
pub mod week;

/// The configurable rules of job development, with the time zone weeks are counted in.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub tz: chrono_tz::Tz,
    pub collision_window_days: i64,
    pub quiet_after_days: i64,
    pub weekly_target: i64,
    pub snooze_days: i64,
    /// Language for people who have not chosen one (e-mail to them, for example).
    pub default_lang: crate::i18n::Lang,
    /// Days before an agreement with a partner ends that its owner is reminded.
    pub agreement_reminder_days: i64,
}
