//! One integration binary: the real application over HTTP, on SQLite and PostgreSQL.

mod helpers;

mod agenda;
mod architecture;
mod auth;
mod blackbox;
mod calendar;
mod calendar_import;
mod calendar_subscriptions;
mod cli;
mod clients;
mod contact_days;
mod e2e;
mod e2e_field;
mod employers;
mod enum_checks;
mod fidelity;
mod fidelity_xml;
mod hardening;
mod leads;
mod mail;
mod matches;
mod outreach;
mod pages;
mod pages_clients;
mod pages_forms;
mod pages_i18n;
mod pages_outreach;
mod partners;
mod plan;
mod recurring;
mod setup;
mod smtp;
mod snapshots;
mod tenancy;
