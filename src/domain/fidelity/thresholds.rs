//! Fidelity thresholds from configuration: four bounds per item for scores 5 to 2.

use serde::Deserialize;

use crate::config::{bad, ConfigError};

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub employer_contacts_per_week: [f64; 4],
    pub small_caseload_below: i64,
    pub small_caseload_per_job_seeker: f64,
    pub employer_contact_quality: [f64; 4],
    pub individualized_job_search: [f64; 4],
    pub diversity_job_types: [f64; 4],
    pub diversity_employers: [f64; 4],
    pub competitive_jobs: [f64; 4],
    pub follow_along: [f64; 4],
    pub rapid_job_search_days: [f64; 4],
    pub caseload: [f64; 4],
}

/// Which way an item's bounds run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    AtLeast,
    AtMost,
}

/// The score 1-5 for `value` against bounds for scores 5, 4, 3 and 2.
pub fn score(value: f64, bounds: &[f64; 4], dir: Direction) -> u8 {
    for (i, b) in bounds.iter().enumerate() {
        let ok = match dir {
            Direction::AtLeast => value >= *b - 1e-9,
            Direction::AtMost => value <= *b + 1e-9,
        };
        if ok {
            return 5 - i as u8;
        }
    }
    1
}

impl Thresholds {
    /// Bounds must run one way (falling for "at least", rising for "at most").
    pub fn check(self) -> Result<Self, ConfigError> {
        let falling = [
            (
                "employer_contacts_per_week",
                self.employer_contacts_per_week,
            ),
            ("employer_contact_quality", self.employer_contact_quality),
            ("individualized_job_search", self.individualized_job_search),
            ("diversity_job_types", self.diversity_job_types),
            ("diversity_employers", self.diversity_employers),
            ("competitive_jobs", self.competitive_jobs),
            ("follow_along", self.follow_along),
        ];
        for (k, b) in falling {
            if b.windows(2).any(|w| w[0] < w[1]) || b.iter().any(|x| !x.is_finite() || *x < 0.0) {
                return Err(bad(
                    &format!("fidelity.{k}"),
                    "four falling bounds for scores 5, 4, 3 and 2",
                    format!("{b:?}"),
                ));
            }
        }
        for (k, b) in [
            ("rapid_job_search_days", self.rapid_job_search_days),
            ("caseload", self.caseload),
        ] {
            if b.windows(2).any(|w| w[0] > w[1]) || b.iter().any(|x| !x.is_finite() || *x < 0.0) {
                return Err(bad(
                    &format!("fidelity.{k}"),
                    "four rising bounds for scores 5, 4, 3 and 2",
                    format!("{b:?}"),
                ));
            }
        }
        if !(0..=100).contains(&self.small_caseload_below)
            || !(0.0..=100.0).contains(&self.small_caseload_per_job_seeker)
        {
            return Err(bad(
                "fidelity.small_caseload_below",
                "a number of job seekers from 0 to 100",
                self.small_caseload_below,
            ));
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_switch_at_the_bounds() {
        let b = [6.0, 5.0, 3.0, 2.0];
        let s = |v| score(v, &b, Direction::AtLeast);
        assert_eq!(
            (s(6.0), s(5.99), s(5.0), s(4.0), s(3.0), s(2.0), s(1.99)),
            (5, 4, 4, 3, 3, 2, 1)
        );
        let d = [30.0, 60.0, 150.0, 270.0];
        let m = |v| score(v, &d, Direction::AtMost);
        assert_eq!(
            (m(30.0), m(30.5), m(60.0), m(150.0), m(270.0), m(271.0)),
            (5, 4, 4, 3, 2, 1)
        );
    }
}
