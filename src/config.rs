//! Typed settings: `config/default.toml` (embedded, so the binary runs from anywhere),
//! then an optional `config/local.toml`, then `PLACEFIRST_<SECTION>__<KEY>` variables,
//! then `DATABASE_URL`. Every value is checked here, once, with a message naming it.

use std::path::Path;

use chrono_tz::Tz;
use figment::providers::{Env, Format, Toml};
use figment::Figment;
use serde::Deserialize;

use crate::db::DatabaseUrl;

const DEFAULT_TOML: &str = include_str!("../config/default.toml");

#[derive(Debug, thiserror::Error)]
#[error("configuration error: {0}")]
pub struct ConfigError(pub String);

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub security: SecuritySettings,
    pub locale: LocaleSettings,
    pub log: LogSettings,
    pub ui: UiSettings,
    pub outreach: OutreachSettings,
    pub clients: ClientSettings,
    pub matching: MatchingSettings,
    pub mail: crate::mail::RawMailSettings,
    pub partners: PartnerSettings,
    pub fidelity: crate::domain::fidelity::thresholds::Thresholds,
    pub team: TeamSettings,
    pub calendar: CalendarSettings,
}

/// `[matching]`: the points each part of a match can give, and the cut-off below which
/// a match is not listed (on the score's scale, out of the points' sum).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchingSettings {
    pub occupation: f64,
    pub industry: f64,
    pub distance: f64,
    pub hours: f64,
    pub wage: f64,
    pub start: f64,
    pub skills: f64,
    pub relationship: f64,
    pub min_score: f64,
}

impl MatchingSettings {
    fn check(&self, tz: Tz) -> Result<crate::domain::matching::MatchSettings, ConfigError> {
        let m = self;
        for (key, v) in [
            ("matching.occupation", m.occupation),
            ("matching.industry", m.industry),
            ("matching.distance", m.distance),
            ("matching.hours", m.hours),
            ("matching.wage", m.wage),
            ("matching.start", m.start),
            ("matching.skills", m.skills),
            ("matching.relationship", m.relationship),
        ] {
            if !(0.0..=1000.0).contains(&v) || v.is_nan() {
                return Err(bad(key, "a number of points from 0 to 1000", v));
            }
        }
        let weights = crate::domain::matching::Weights {
            occupation: m.occupation,
            industry: m.industry,
            distance: m.distance,
            hours: m.hours,
            wage: m.wage,
            start: m.start,
            skills: m.skills,
            relationship: m.relationship,
        };
        let total = weights.total();
        if !(0.0..=total).contains(&m.min_score) || m.min_score.is_nan() {
            return Err(bad(
                "matching.min_score",
                &format!("a score from 0 to {total} (the sum of the points)"),
                m.min_score,
            ));
        }
        Ok(crate::domain::matching::MatchSettings {
            weights,
            min_score: m.min_score,
            tz,
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSettings {
    pub allow_internal_addresses: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSettings {
    pub meeting_weekday: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerSettings {
    pub agreement_reminder_days: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSettings {
    pub caseload_limit: i64,
    pub retention_months: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutreachSettings {
    pub collision_window_days: i64,
    pub quiet_after_days: i64,
    pub weekly_target: i64,
    pub snooze_days: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    pub workers: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: u32,
    pub timeout_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecuritySettings {
    pub session_hours: i64,
    pub secure_cookies: String,
    pub login_max_failures: u32,
    pub login_lockout_minutes: i64,
    pub trusted_proxies: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocaleSettings {
    pub default: String,
    pub timezone: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub format: String,
    pub level: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiSettings {
    pub page_size: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecureCookies {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Checked settings: every field here holds a valid value.
#[derive(Debug, Clone)]
pub struct Settings {
    pub host: String,
    pub port: u16,
    pub workers: usize,
    pub database_url: DatabaseUrl,
    pub pool_size: u32,
    pub db_timeout_seconds: u64,
    pub session_hours: i64,
    pub secure_cookies: SecureCookies,
    pub login_max_failures: u32,
    pub login_lockout_minutes: i64,
    /// Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub default_lang: crate::i18n::Lang,
    pub timezone: Tz,
    pub log_format: LogFormat,
    pub log_level: String,
    pub page_size: i64,
    pub rules: crate::domain::Rules,
    pub caseload_limit: i64,
    /// Months after which a closed job seeker is anonymised (0: never).
    pub retention_months: u32,
    /// The matching weights and cut-off, with the time zone.
    pub matching: crate::domain::matching::MatchSettings,
    pub mail: crate::mail::MailSettings,
    pub fidelity: crate::domain::fidelity::thresholds::Thresholds,
    /// The weekday of the team's weekly vocational meeting (its agenda goes out the day before).
    pub meeting_weekday: chrono::Weekday,
    /// Calendar subscriptions may fetch from private networks and this machine.
    pub allow_internal_calendars: bool,
}

impl Settings {
    /// The settings the program runs with: defaults, local file, environment.
    pub fn load() -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Toml::string(DEFAULT_TOML));
        if Path::new("config/local.toml").exists() {
            figment = figment.merge(Toml::file("config/local.toml"));
        }
        // Only SECTION__KEY variables are settings; other PLACEFIRST_* variables (such as
        // the test switches PLACEFIRST_REQUIRE_*) are not ours to reject.
        figment = figment.merge(
            Env::prefixed("PLACEFIRST_")
                .filter(|k| k.as_str().contains("__"))
                .split("__"),
        );
        if let Ok(url) = std::env::var("DATABASE_URL") {
            figment = figment.merge(("database.url", url));
        }
        Self::from_figment(figment)
    }

    /// Defaults with a TOML override on top (tests use this to try bad values).
    pub fn from_toml_override(extra: &str) -> Result<Self, ConfigError> {
        Self::from_figment(Figment::from(Toml::string(DEFAULT_TOML)).merge(Toml::string(extra)))
    }

    fn from_figment(figment: Figment) -> Result<Self, ConfigError> {
        let raw: RawSettings = figment.extract().map_err(|e| {
            let key = e.path.join(".");
            if key.is_empty() {
                ConfigError(e.to_string())
            } else {
                ConfigError(format!("setting `{key}`: {}", e.kind))
            }
        })?;
        raw.check()
    }
}

/// This server's own address, for links when no public one is configured: a
/// listen-everywhere host is reached on loopback.
fn own_address(host: &str, port: u16) -> String {
    let host = match host.trim() {
        "0.0.0.0" => "127.0.0.1".to_string(),
        "::" | "[::]" => "[::1]".to_string(),
        h if h.contains(':') && !h.starts_with('[') => format!("[{h}]"),
        h => h.to_string(),
    };
    format!("http://{host}:{port}")
}

pub(crate) fn bad(key: &str, expected: &str, got: impl std::fmt::Display) -> ConfigError {
    ConfigError(format!(
        "setting `{key}`: expected {expected}, got \"{got}\""
    ))
}

impl RawSettings {
    pub fn check(mut self) -> Result<Settings, ConfigError> {
        if self.server.host.trim().is_empty() {
            return Err(bad("server.host", "a host name or address", ""));
        }
        if self.mail.base_url.trim().is_empty() {
            self.mail.base_url = own_address(&self.server.host, self.server.port);
        }
        let database_url = DatabaseUrl::parse(&self.database.url)
            .map_err(|why| ConfigError(format!("setting `database.url`: {why}")))?;
        if !(1..=64).contains(&self.database.pool_size) {
            return Err(bad(
                "database.pool_size",
                "a number from 1 to 64",
                self.database.pool_size,
            ));
        }
        if !(1..=300).contains(&self.database.timeout_seconds) {
            return Err(bad(
                "database.timeout_seconds",
                "a number of seconds from 1 to 300",
                self.database.timeout_seconds,
            ));
        }
        if !(1..=24 * 30).contains(&self.security.session_hours) {
            return Err(bad(
                "security.session_hours",
                "hours from 1 to 720",
                self.security.session_hours,
            ));
        }
        let secure_cookies = match self.security.secure_cookies.as_str() {
            "auto" => SecureCookies::Auto,
            "always" => SecureCookies::Always,
            "never" => SecureCookies::Never,
            other => {
                return Err(bad(
                    "security.secure_cookies",
                    "\"auto\", \"always\" or \"never\"",
                    other,
                ))
            }
        };
        if !(1..=100).contains(&self.security.login_max_failures) {
            return Err(bad(
                "security.login_max_failures",
                "a number from 1 to 100",
                self.security.login_max_failures,
            ));
        }
        if !(1..=24 * 60).contains(&self.security.login_lockout_minutes) {
            return Err(bad(
                "security.login_lockout_minutes",
                "minutes from 1 to 1440",
                self.security.login_lockout_minutes,
            ));
        }
        let default_lang = crate::i18n::Lang::parse(&self.locale.default)
            .ok_or_else(|| bad("locale.default", "\"fi\" or \"en\"", &self.locale.default))?;
        let timezone: Tz = self.locale.timezone.parse().map_err(|_| {
            bad(
                "locale.timezone",
                "an IANA time zone such as Europe/Helsinki",
                &self.locale.timezone,
            )
        })?;
        let log_format = match self.log.format.as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => return Err(bad("log.format", "\"text\" or \"json\"", other)),
        };
        if tracing_subscriber::EnvFilter::try_new(&self.log.level).is_err() {
            return Err(bad(
                "log.level",
                "a tracing filter such as \"info\"",
                &self.log.level,
            ));
        }
        let o = &self.outreach;
        for (key, value, max) in [
            (
                "outreach.collision_window_days",
                o.collision_window_days,
                365,
            ),
            ("outreach.quiet_after_days", o.quiet_after_days, 3650),
            ("outreach.weekly_target", o.weekly_target, 100),
            ("outreach.snooze_days", o.snooze_days, 365),
        ] {
            if !(0..=max).contains(&value) {
                return Err(bad(key, &format!("a number from 0 to {max}"), value));
            }
        }
        let rules = crate::domain::Rules {
            tz: timezone,
            collision_window_days: o.collision_window_days,
            quiet_after_days: o.quiet_after_days,
            weekly_target: o.weekly_target,
            snooze_days: o.snooze_days,
            default_lang,
            agreement_reminder_days: self.partners.agreement_reminder_days,
        };
        if !(0..=365).contains(&self.partners.agreement_reminder_days) {
            return Err(bad(
                "partners.agreement_reminder_days",
                "a number of days from 0 to 365",
                self.partners.agreement_reminder_days,
            ));
        }
        if self.clients.retention_months > 1200 {
            return Err(bad(
                "clients.retention_months",
                "a number of months from 0 (never) to 1200",
                self.clients.retention_months,
            ));
        }
        if !(1..=1000).contains(&self.clients.caseload_limit) {
            return Err(bad(
                "clients.caseload_limit",
                "a number from 1 to 1000",
                self.clients.caseload_limit,
            ));
        }
        let matching = self.matching.check(timezone)?;
        if !(1..=200).contains(&self.ui.page_size) {
            return Err(bad(
                "ui.page_size",
                "a number from 1 to 200",
                self.ui.page_size,
            ));
        }
        let mail = self.mail.check()?;
        let fidelity = self.fidelity.check()?;
        let meeting_weekday = match self.team.meeting_weekday {
            1..=7 => chrono::Weekday::try_from((self.team.meeting_weekday - 1) as u8)
                .unwrap_or(chrono::Weekday::Tue),
            other => {
                return Err(bad(
                    "team.meeting_weekday",
                    "a weekday number from 1 (Monday) to 7 (Sunday)",
                    other,
                ))
            }
        };
        let trusted_proxies = self
            .security
            .trusted_proxies
            .iter()
            .map(|p| {
                crate::net::parse_net(p).ok_or_else(|| {
                    bad(
                        "security.trusted_proxies",
                        "addresses or networks such as \"10.0.0.0/8\"",
                        p,
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Settings {
            trusted_proxies,
            allow_internal_calendars: self.calendar.allow_internal_addresses,
            meeting_weekday,
            mail,
            fidelity,
            host: self.server.host,
            port: self.server.port,
            workers: self.server.workers,
            database_url,
            pool_size: self.database.pool_size,
            db_timeout_seconds: self.database.timeout_seconds,
            session_hours: self.security.session_hours,
            secure_cookies,
            login_max_failures: self.security.login_max_failures,
            login_lockout_minutes: self.security.login_lockout_minutes,
            default_lang,
            timezone,
            log_format,
            log_level: self.log.level,
            page_size: self.ui.page_size,
            rules,
            caseload_limit: self.clients.caseload_limit,
            retention_months: self.clients.retention_months,
            matching,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        let s = Settings::from_toml_override("").unwrap();
        assert_eq!(s.port, 8080);
        assert_eq!(s.timezone, chrono_tz::Europe::Helsinki);
        assert_eq!(s.matching.min_score, 40.0);
        assert_eq!(s.matching.weights.total(), 100.0, "the score is out of 100");
        let s = Settings::from_toml_override("[matching]\nmin_score = 55").unwrap();
        assert_eq!(s.matching.min_score, 55.0, "a whole number will do");
    }

    #[test]
    fn bad_values_are_reported_by_name() {
        let e = Settings::from_toml_override("[log]\nformat = \"xml\"").unwrap_err();
        assert!(e.to_string().contains("`log.format`"), "{e}");
        let e = Settings::from_toml_override("[server]\nport = \"eighty\"").unwrap_err();
        assert!(e.to_string().contains("`server.port`"), "{e}");
        let e = Settings::from_toml_override("[locale]\ntimezone = \"Mars/Base\"").unwrap_err();
        assert!(e.to_string().contains("`locale.timezone`"), "{e}");
        let e = Settings::from_toml_override("[database]\nurl = \"mysql://x\"").unwrap_err();
        assert!(e.to_string().contains("`database.url`"), "{e}");
        // Links follow the port the server listens on unless an address is set.
        let s = Settings::from_toml_override("[server]\nport = 8097").unwrap();
        assert_eq!(s.mail.base_url, "http://127.0.0.1:8097");
        let s = Settings::from_toml_override("[server]\nhost = \"0.0.0.0\"\nport = 9000").unwrap();
        assert_eq!(s.mail.base_url, "http://127.0.0.1:9000");
        let s = Settings::from_toml_override(
            "[server]\nport = 8097\n[mail]\nbase_url = \"https://crm.example.fi/\"",
        )
        .unwrap();
        assert_eq!(s.mail.base_url, "https://crm.example.fi");
        let e = Settings::from_toml_override("[mail]\nsmtp_security = \"ssl3\"").unwrap_err();
        assert!(e.to_string().contains("`mail.smtp_security`"), "{e}");
        let e = Settings::from_toml_override("[mail]\nfrom = \"not an address\"").unwrap_err();
        assert!(e.to_string().contains("`mail.from`"), "{e}");
        let e = Settings::from_toml_override("[matching]\nmin_score = 101.0").unwrap_err();
        assert!(e.to_string().contains("`matching.min_score`"), "{e}");
        let e = Settings::from_toml_override("[fidelity]\ncaseload = [40.0, 30.0, 25.0, 20.0]")
            .unwrap_err();
        assert!(e.to_string().contains("`fidelity.caseload`"), "{e}");
    }
}
