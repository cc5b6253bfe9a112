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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fi,
    Sv,
    En,
}

pub const ALL_LANGS: [Lang; 3] = [Lang::Fi, Lang::Sv, Lang::En];

impl Lang {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fi" => Some(Self::Fi),
            "sv" => Some(Self::Sv),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Fi => "fi",
            Self::Sv => "sv",
            Self::En => "en",
        }
    }

    /// The decimal separator a reader of the language writes.
    pub fn decimal_comma(self) -> bool {
        !matches!(self, Self::En)
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

/// A message with plural forms is written `key = { one = "...", other = "..." }`; it is
/// kept as `key` (the other form) and `key#one`, so every language has the same keys
/// whether or not its grammar needs the singular. Finnish, Swedish and English share
/// CLDR's rule: "one" for exactly 1, "other" otherwise.
fn flatten(prefix: &str, value: &toml::Value, out: &mut HashMap<String, String>) {
    match value {
        toml::Value::Table(t)
            if t.contains_key("other") && t.keys().all(|k| k == "one" || k == "other") =>
        {
            if let Some(toml::Value::String(o)) = t.get("other") {
                out.insert(prefix.to_string(), o.clone());
            }
            if let Some(toml::Value::String(o)) = t.get("one") {
                out.insert(format!("{prefix}#one"), o.clone());
            }
        }
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
static SV: LazyLock<HashMap<String, String>> =
    LazyLock::new(|| load(include_str!("../locales/sv.toml")));
static EN: LazyLock<HashMap<String, String>> =
    LazyLock::new(|| load(include_str!("../locales/en.toml")));

pub fn catalog(lang: Lang) -> &'static HashMap<String, String> {
    match lang {
        Lang::Fi => &FI,
        Lang::Sv => &SV,
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

/// The message for `count` things: its singular form for exactly one, where it has one.
pub fn t_count(lang: Lang, key: &str, count: i64) -> String {
    if count.abs() == 1 {
        if let Some(one) = catalog(lang).get(&format!("{key}#one")) {
            return one.clone();
        }
    }
    t(lang, key)
}

/// The message with `{name}` placeholders filled in; an `n` or `count` argument that is
/// a whole number chooses the plural form.
pub fn t_args(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let count = args
        .iter()
        .find(|(k, _)| *k == "n" || *k == "count")
        .and_then(|(_, v)| v.parse::<i64>().ok());
    let mut s = match count {
        Some(n) => t_count(lang, key, n),
        None => t(lang, key),
    };
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

pub fn format_date(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Fi | Lang::Sv => d.format("%-d.%-m.%Y").to_string(),
        Lang::En => d.format("%-d %b %Y").to_string(),
    }
}

/// A local wall-clock time: "14.05" in Finnish and Swedish, "14:05" in English.
pub fn format_time(lang: Lang, t: chrono::NaiveTime) -> String {
    match lang {
        Lang::Fi | Lang::Sv => t.format("%-H.%M").to_string(),
        Lang::En => t.format("%H:%M").to_string(),
    }
}

/// A stored "09:00" as the reader writes it ("9.00" in Finnish and Swedish).
pub fn format_clock(lang: Lang, hh_mm: &str) -> String {
    chrono::NaiveTime::parse_from_str(hh_mm, "%H:%M")
        .map(|t| format_time(lang, t))
        .unwrap_or_else(|_| hh_mm.to_string())
}

/// "09:00" and "15:00" (as stored) as "9.00–15.00", or "09:00–15:00" in English.
pub fn format_span(lang: Lang, from: &str, to: &str) -> String {
    format!("{}–{}", format_clock(lang, from), format_clock(lang, to))
}

/// A UTC timestamp shown in the configured time zone.
pub fn format_datetime(lang: Lang, tz: Tz, utc: NaiveDateTime) -> String {
    let local = tz.from_utc_datetime(&utc);
    match lang {
        Lang::Fi => local.format("%-d.%-m.%Y klo %-H.%M").to_string(),
        Lang::Sv => local.format("%-d.%-m.%Y kl. %-H.%M").to_string(),
        Lang::En => local.format("%-d %b %Y %H:%M").to_string(),
    }
}

/// An ISO week as its readers write it: "vk 48", "v. 48", "week 48"; the year is added
/// when it is not the year of `today`.
pub fn format_week(lang: Lang, year: i32, week: u32, today: NaiveDate) -> String {
    let w = match lang {
        Lang::Fi => format!("vk {week}"),
        Lang::Sv => format!("v. {week}"),
        Lang::En => format!("week {week}"),
    };
    if chrono::Datelike::iso_week(&today).year() == year {
        w
    } else {
        format!("{w}/{year}")
    }
}

/// A quarter: "4. neljännes 2026", "4:e kvartalet 2026", "Q4 2026".
pub fn format_quarter(lang: Lang, year: i32, quarter: u32) -> String {
    match lang {
        Lang::Fi => format!("{quarter}. neljännes {year}"),
        Lang::Sv => {
            let ord = if quarter <= 2 { ":a" } else { ":e" };
            format!("{quarter}{ord} kvartalet {year}")
        }
        Lang::En => format!("Q{quarter} {year}"),
    }
}

/// A number with `digits` decimals and the language's decimal separator; a minus sign,
/// not a hyphen, in Finnish and Swedish.
pub fn format_decimal(lang: Lang, value: f64, digits: usize) -> String {
    let s = format!("{value:.digits$}");
    if lang.decimal_comma() {
        s.replace('.', ",").replace('-', "\u{2212}")
    } else {
        s
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
                let s = match v.value() {
                    Value::String(s) => s.clone(),
                    Value::Number(n) if !n.is_i64() && !n.is_u64() => {
                        format_decimal(lang, n.as_f64().unwrap_or_default(), 1)
                    }
                    other => other.to_string(),
                };
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
            Some(Lang::Sv)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE, en-GB;q=0.7, fi;q=0.5"),
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
    fn every_language_has_the_same_keys() {
        let keys = |m: &HashMap<String, String>| -> std::collections::BTreeSet<String> {
            m.keys().filter(|k| !k.contains('#')).cloned().collect()
        };
        let en = keys(&EN);
        for lang in [Lang::Fi, Lang::Sv] {
            let other = keys(catalog(lang));
            let only_other: Vec<_> = other.difference(&en).collect();
            let only_en: Vec<_> = en.difference(&other).collect();
            assert!(
                only_other.is_empty() && only_en.is_empty(),
                "only {}: {only_other:?}; only en: {only_en:?}",
                lang.code()
            );
        }
    }

    #[test]
    fn plural_forms_follow_the_count() {
        assert_eq!(
            t_args(Lang::Fi, "timeline.visits", &[("n", "1".into())]),
            "1 kasvokkainen käynti tähän mennessä"
        );
        assert_eq!(
            t_args(Lang::Fi, "timeline.visits", &[("n", "3".into())]),
            "3 kasvokkaista käyntiä tähän mennessä"
        );
        assert_eq!(
            t_args(Lang::En, "timeline.visits", &[("n", "1".into())]),
            "1 in-person visit so far"
        );
    }

    #[test]
    fn numbers_weeks_and_quarters_as_readers_write_them() {
        assert_eq!(format_decimal(Lang::Fi, 2.83, 1), "2,8");
        assert_eq!(format_decimal(Lang::Sv, -0.5, 1), "\u{2212}0,5");
        assert_eq!(format_decimal(Lang::En, 2.83, 2), "2.83");
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(format_week(Lang::Fi, 2026, 48, today), "vk 48");
        assert_eq!(format_week(Lang::Sv, 2026, 48, today), "v. 48");
        assert_eq!(format_week(Lang::Fi, 2025, 52, today), "vk 52/2025");
        assert_eq!(format_quarter(Lang::Fi, 2026, 4), "4. neljännes 2026");
        assert_eq!(format_quarter(Lang::Sv, 2026, 1), "1:a kvartalet 2026");
        assert_eq!(format_date(Lang::Sv, today), "25.11.2026");
    }
}
