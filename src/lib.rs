//! Placefirst: employer outreach and job development for IPS teams.

pub mod app;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod mail;
pub mod net;
pub mod telemetry;
pub mod web;
