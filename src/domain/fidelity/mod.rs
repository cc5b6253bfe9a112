//! IPS fidelity figures for job development, for a period and a scope (the organisation,
//! a team or one specialist), each with its 1-5 score from the configured thresholds.
//! `load` reads what the figures need in a few queries; `figures` computes them without
//! I/O, so every rule is tested on plain data.

pub mod agenda;
pub mod export;
pub mod figures;
pub mod load;
pub mod outcomes;
pub mod review;
pub mod thresholds;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use crate::db::DbConn;
use crate::domain::users::Actor;
use crate::error::{AppError, FieldErrors, Msg};

/// Whose figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Organisation,
    Team(i64),
    Specialist(i64),
}

/// A closed date range in local days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The last four full weeks (Monday to Sunday) before `today`'s week.
    pub fn default_for(today: NaiveDate) -> Self {
        let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
        Self {
            from: monday - Duration::weeks(4),
            to: monday - Duration::days(1),
        }
    }

    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, AppError> {
        if to < from {
            return Err(AppError::Validation(FieldErrors::single(
                "to",
                Msg::new("error.end_before_start"),
            )));
        }
        if (to - from).num_days() > 3 * 366 {
            return Err(AppError::Validation(FieldErrors::single(
                "to",
                Msg::new("error.period_too_long"),
            )));
        }
        Ok(Self { from, to })
    }

    /// Weeks in the period (days / 7, at least one day's worth).
    pub fn weeks(&self) -> f64 {
        ((self.to - self.from).num_days() + 1) as f64 / 7.0
    }
}

/// One figure: its value, score and how the score was reached, and the records behind it
/// (where a link can show them).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "FidelityItem")]
pub struct Item {
    pub key: &'static str,
    /// None when there was nothing to measure (no placements, no intakes...).
    pub value: Option<f64>,
    pub score: Option<u8>,
    /// The thresholds, in words a reviewer reads (in the reader's language: `note`).
    pub threshold_note: String,
    /// Bounds for scores 5, 4, 3 and 2, and whether the value must be at least (or at
    /// most) the bound.
    pub bounds: [f64; 4],
    pub at_least: bool,
    /// Parts and counts behind the value.
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "FidelityReport")]
pub struct Report {
    pub period: Period,
    pub scope: String,
    pub items: Vec<Item>,
}

/// The figures for `scope` over `period`.
pub fn report(
    conn: &mut DbConn,
    actor: &Actor,
    scope: Scope,
    period: Period,
    t: &thresholds::Thresholds,
    tz: chrono_tz::Tz,
) -> Result<Report, AppError> {
    let data = load::load(conn, actor, scope, period, tz)?;
    Ok(Report {
        period,
        scope: match scope {
            Scope::Organisation => "organisation".into(),
            Scope::Team(id) => format!("team:{id}"),
            Scope::Specialist(id) => format!("specialist:{id}"),
        },
        items: figures::all(&data, period, t),
    })
}

impl Item {
    /// "score 5 at least 6, 4 at least 5, ..." in `lang`.
    pub fn note(&self, lang: crate::i18n::Lang) -> String {
        let key = if self.at_least {
            "fidelity.note_at_least"
        } else {
            "fidelity.note_at_most"
        };
        let b = |i: usize| {
            let v = self.bounds[i];
            if (v - v.round()).abs() < 1e-9 {
                format!("{}", v.round() as i64)
            } else {
                format!("{v}")
            }
        };
        crate::i18n::t_args(
            lang,
            key,
            &[("a", b(0)), ("b", b(1)), ("c", b(2)), ("d", b(3))],
        )
    }
}

/// Fills every item's note in `lang`.
pub fn with_notes(mut r: Report, lang: crate::i18n::Lang) -> Report {
    for it in &mut r.items {
        it.threshold_note = it.note(lang);
    }
    r
}
