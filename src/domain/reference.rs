//! Reference data shipped with the product: municipalities (Statistics Finland, CC BY
//! 4.0), TOL 2008 industry sections and employer size classes.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Municipality {
    pub code: String,
    pub name_fi: String,
    pub name_sv: String,
    pub name_en: String,
    pub region_fi: String,
    pub wellbeing_county_fi: String,
    pub employment_area_fi: String,
    pub lat: f64,
    pub lon: f64,
}

impl Municipality {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi => &self.name_fi,
            Lang::Sv => &self.name_sv,
            Lang::En => &self.name_en,
        }
    }
}

pub struct Municipalities {
    pub all: Vec<Municipality>,
    by_code: HashMap<String, usize>,
}

impl Municipalities {
    pub fn get(&self, code: &str) -> Option<&Municipality> {
        self.by_code.get(code).map(|i| &self.all[*i])
    }

    /// By code ("837") or by name in any of the three languages, case-insensitively.
    pub fn find(&self, code_or_name: &str) -> Option<&Municipality> {
        let q = code_or_name.trim();
        if let Some(m) = self.get(q) {
            return Some(m);
        }
        let q = q.to_lowercase();
        self.all.iter().find(|m| {
            m.name_fi.to_lowercase() == q
                || m.name_sv.to_lowercase() == q
                || m.name_en.to_lowercase() == q
        })
    }

    /// Sorted by name in the given language, for pickers.
    pub fn sorted(&self, lang: Lang) -> Vec<&Municipality> {
        let mut v: Vec<_> = self.all.iter().collect();
        v.sort_by(|a, b| a.name(lang).cmp(b.name(lang)));
        v
    }
}

pub static MUNICIPALITIES: LazyLock<Municipalities> = LazyLock::new(|| {
    let mut reader =
        csv::Reader::from_reader(include_str!("../../data/fi-municipalities.csv").as_bytes());
    let all: Vec<Municipality> = reader
        .deserialize()
        .collect::<Result<_, _>>()
        .expect("embedded municipality file is valid");
    let by_code = all
        .iter()
        .enumerate()
        .map(|(i, m)| (m.code.clone(), i))
        .collect();
    Municipalities { all, by_code }
});

crate::closed_set! {
    /// TOL 2008 sections A-U; names are translated under `industry.<letter>`.
    pub enum Industry ("industry") {
        A = "A", B = "B", C = "C", D = "D", E = "E", F = "F", G = "G", H = "H", I = "I",
        J = "J", K = "K", L = "L", M = "M", N = "N", O = "O", P = "P", Q = "Q", R = "R",
        S = "S", T = "T", U = "U",
    }
}

pub fn is_industry(s: &str) -> bool {
    Industry::parse(s).is_some()
}

crate::closed_set! {
    /// Employer size by head count.
    pub enum SizeClass ("size_class") {
        Micro = "1-9",
        Small = "10-49",
        Medium = "50-249",
        Large = "250+",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn municipalities_load() {
        assert_eq!(MUNICIPALITIES.all.len(), 308);
        assert_eq!(MUNICIPALITIES.get("837").unwrap().name_fi, "Tampere");
        assert_eq!(MUNICIPALITIES.get("091").unwrap().name_en, "Helsinki");
    }
}
