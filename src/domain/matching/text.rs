//! Reasons as people read them: `match.<code>` with its arguments written the way the
//! reader's language writes them (dates 12.11.2026, decimal commas in Finnish and Swedish,
//! municipality and industry names rather than codes).

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::matching::{Kind, Match};
use crate::domain::reference::MUNICIPALITIES;
use crate::i18n::{self, format_date, format_decimal, Lang};

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ReasonView {
    pub kind: Kind,
    pub code: &'static str,
    pub share: f64,
    pub text: String,
}

/// A number as its reader writes it: whole numbers as they are, fractions with the
/// language's decimal separator (two decimals for money, else one).
fn number(lang: Lang, v: &str, digits: usize) -> String {
    match v.parse::<f64>() {
        Ok(x) if x.fract() == 0.0 => format!("{x}"),
        Ok(x) => format_decimal(lang, x, digits),
        Err(_) => v.to_string(),
    }
}

/// One argument of a reason, for the reader.
pub fn arg(lang: Lang, name: &str, v: &str) -> String {
    match name {
        // Municipalities travel as codes and read as names.
        "place" => MUNICIPALITIES
            .get(v)
            .map(|m| m.name(lang).to_string())
            .unwrap_or_else(|| v.to_string()),
        "industry" => i18n::t(lang, &format!("industry.{v}")),
        "last" | "starts" | "earliest" => v
            .parse::<NaiveDate>()
            .map(|d| format_date(lang, d))
            .unwrap_or_else(|_| v.to_string()),
        "km" | "max" => number(lang, v, 1),
        "job" | "wish" if v.parse::<f64>().is_ok() => number(lang, v, 2),
        "per" => i18n::t(lang, &format!("match.per_{v}")),
        _ => v.to_string(),
    }
}

pub fn reasons(m: &Match, lang: Lang) -> Vec<ReasonView> {
    m.reasons
        .iter()
        .map(|r| {
            let args: Vec<(&str, String)> =
                r.args.iter().map(|(k, v)| (*k, arg(lang, k, v))).collect();
            ReasonView {
                kind: r.kind,
                code: r.code,
                share: r.share,
                text: i18n::t_args(lang, &format!("match.{}", r.code), &args),
            }
        })
        .collect()
}

/// A score or cut-off for the reader: whole points as they are, else one decimal.
pub fn points(lang: Lang, v: f64) -> String {
    number(lang, &v.to_string(), 1)
}
