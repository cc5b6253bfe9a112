//! Locale negotiation and translation. Message files live in `locales/` and are
//! embedded; a key missing in one language falls back to English, then to the key.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fi,
    En,
}

pub const ALL_LANGS: [Lang; 2] = [Lang::Fi, Lang::En];

impl Lang {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fi" => Some(Self::Fi),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Fi => "fi",
            Self::En => "en",
        }
    }

    /// The first supported language in an Accept-Language header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(f32, Self)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or_default();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or_default();
            if let Some(lang) = Self::parse(primary) {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, lang));
                }
            }
        }
        best.map(|(_, l)| l)
    }
}

fn flatten(prefix: &str, value: &toml::Value, out: &mut HashMap<String, String>) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

fn load(src: &str) -> HashMap<String, String> {
    let value: toml::Value = toml::from_str(src).expect("embedded locale file is valid TOML");
    let mut out = HashMap::new();
    flatten("", &value, &mut out);
    out
}

static FI: LazyLock<HashMap<String, String>> =
    LazyLock::new(|| load(include_str!("../locales/fi.toml")));
static EN: LazyLock<HashMap<String, String>> =
    LazyLock::new(|| load(include_str!("../locales/en.toml")));

pub fn catalog(lang: Lang) -> &'static HashMap<String, String> {
    match lang {
        Lang::Fi => &FI,
        Lang::En => &EN,
    }
}

/// Keys asked for that a language lacks, as "lang:key"; tests read it (`missing_keys`).
static MISSING: LazyLock<std::sync::Mutex<std::collections::BTreeSet<String>>> =
    LazyLock::new(Default::default);

/// Every key asked for so far that some language lacked: a test walks the pages in each
/// language and expects none.
pub fn missing_keys() -> Vec<String> {
    MISSING
        .lock()
        .map(|m| m.iter().cloned().collect())
        .unwrap_or_default()
}

/// The message for `key` in `lang`. A missing one falls back to English, then to the key
/// itself, and is remembered for `missing_keys`.
pub fn t(lang: Lang, key: &str) -> String {
    match catalog(lang).get(key) {
        Some(m) => m.clone(),
        None => {
            if let Ok(mut m) = MISSING.lock() {
                m.insert(format!("{}:{key}", lang.code()));
            }
            EN.get(key).cloned().unwrap_or_else(|| key.to_string())
        }
    }
}

/// The message with `{name}` placeholders filled in.
pub fn t_args(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let mut s = t(lang, key);
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

pub fn format_date(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Fi => d.format("%-d.%-m.%Y").to_string(),
        Lang::En => d.format("%-d %b %Y").to_string(),
    }
}

/// A UTC timestamp shown in the configured time zone.
pub fn format_datetime(lang: Lang, tz: Tz, utc: NaiveDateTime) -> String {
    let local = tz.from_utc_datetime(&utc);
    match lang {
        Lang::Fi => local.format("%-d.%-m.%Y klo %-H.%M").to_string(),
        Lang::En => local.format("%-d %b %Y %H:%M").to_string(),
    }
}

/// `{{t "key" name=value}}`; escaped only in the HTML registry.
pub fn t_helper(escape: bool) -> impl handlebars::HelperDef + Send + Sync + 'static {
    move |h: &Helper,
          _: &Handlebars,
          ctx: &Context,
          _: &mut RenderContext,
          out: &mut dyn Output|
          -> HelperResult {
        let key = h
            .param(0)
            .and_then(|p| p.value().as_str())
            .ok_or(RenderErrorReason::ParamNotFoundForIndex("t", 0))?;
        let lang = ctx
            .data()
            .get("lang")
            .and_then(Value::as_str)
            .and_then(Lang::parse)
            .unwrap_or(Lang::En);
        let args: Vec<(&str, String)> = h
            .hash()
            .iter()
            .map(|(k, v)| {
                let s = v
                    .value()
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.value().to_string());
                (*k, s)
            })
            .collect();
        let s = t_args(lang, key, &args);
        out.write(&if escape {
            handlebars::html_escape(&s)
        } else {
            s
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_best_supported() {
        assert_eq!(
            Lang::from_accept_language("fi-FI,fi;q=0.9,en;q=0.8"),
            Some(Lang::Fi)
        );
        assert_eq!(
            Lang::from_accept_language("sv;q=1, en-GB;q=0.7, fi;q=0.5"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("de"), None);
    }

    #[test]
    fn finnish_dates_and_helsinki_times() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(format_date(Lang::Fi, d), "22.11.2026");
        let utc = d.and_hms_opt(12, 5, 0).unwrap();
        assert_eq!(
            format_datetime(Lang::Fi, chrono_tz::Europe::Helsinki, utc),
            "22.11.2026 klo 14.05"
        );
        let summer = NaiveDate::from_ymd_opt(2026, 6, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        assert_eq!(
            format_datetime(Lang::En, chrono_tz::Europe::Helsinki, summer),
            "1 Jun 2026 15:00"
        );
    }

    #[test]
    fn a_missing_translation_is_noticed() {
        assert_eq!(t(Lang::Fi, "no.such.key"), "no.such.key");
        assert!(missing_keys().contains(&"fi:no.such.key".to_string()));
        assert!(!missing_keys().iter().any(|k| k == "fi:nav.employers"));
        t(Lang::Fi, "nav.employers");
        assert!(!missing_keys().iter().any(|k| k == "fi:nav.employers"));
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let fi: std::collections::BTreeSet<_> = FI.keys().collect();
        let en: std::collections::BTreeSet<_> = EN.keys().collect();
        let only_fi: Vec<_> = fi.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&fi).collect();
        assert!(
            only_fi.is_empty() && only_en.is_empty(),
            "only fi: {only_fi:?}; only en: {only_en:?}"
        );
    }
}
