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

/// TOL 2008 divisions (the first two digits of a code) by section.
const DIVISIONS: [(Industry, u8, u8); 21] = [
    (Industry::A, 1, 3),
    (Industry::B, 5, 9),
    (Industry::C, 10, 33),
    (Industry::D, 35, 35),
    (Industry::E, 36, 39),
    (Industry::F, 41, 43),
    (Industry::G, 45, 47),
    (Industry::H, 49, 53),
    (Industry::I, 55, 56),
    (Industry::J, 58, 63),
    (Industry::K, 64, 66),
    (Industry::L, 68, 68),
    (Industry::M, 69, 75),
    (Industry::N, 77, 82),
    (Industry::O, 84, 84),
    (Industry::P, 85, 85),
    (Industry::Q, 86, 88),
    (Industry::R, 90, 93),
    (Industry::S, 94, 96),
    (Industry::T, 97, 98),
    (Industry::U, 99, 99),
];

impl Industry {
    /// The section a spreadsheet cell names, as registers and people write it: the
    /// letter (`N`), a TOL 2008 code of any depth (`81`, `81210`, `81.21`, `N 81210`),
    /// or the section's name in Finnish, Swedish or English (`Rakentaminen`).
    pub fn from_text(text: &str) -> Option<Self> {
        let t = text.trim();
        let code_like = |c: char| c.is_ascii_digit() || c == ' ' || c == '.';
        let rest: String = t.chars().filter(|c| !code_like(*c)).collect();
        if rest.chars().count() == 1 {
            // The section letter, alone or before its code ("N", "n", "N 81210").
            return Industry::parse(&rest.to_ascii_uppercase());
        }
        // The letter before the section's name ("F Rakentaminen").
        if let Some((first, _)) = t.split_once(' ') {
            if first.len() == 1 {
                if let Some(i) = Industry::parse(&first.to_ascii_uppercase()) {
                    return Some(i);
                }
            }
        }
        let digits: String = t.chars().filter(char::is_ascii_digit).collect();
        if rest.is_empty() && !digits.is_empty() {
            // A code's first two digits are its division; "1" is division 01.
            let division: u8 = digits.get(..2).unwrap_or(&digits).parse().ok()?;
            return DIVISIONS
                .iter()
                .find(|(_, lo, hi)| (*lo..=*hi).contains(&division))
                .map(|(i, _, _)| *i);
        }
        let wanted = fold(t);
        Industry::ALL.iter().copied().find(|i| {
            [
                crate::i18n::Lang::Fi,
                crate::i18n::Lang::Sv,
                crate::i18n::Lang::En,
            ]
            .iter()
            .any(|l| fold(&crate::error::Msg::new(i.label_key()).text(*l)) == wanted)
        })
    }
}

/// Lower case, words separated by single spaces: how names are compared.
pub fn fold(s: &str) -> String {
    s.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
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
    fn an_industry_cell_reads_as_registers_and_people_write_it() {
        for (text, want) in [
            ("N", Some(Industry::N)),
            ("n", Some(Industry::N)),
            ("81210", Some(Industry::N)),
            ("81", Some(Industry::N)),
            ("81.21", Some(Industry::N)),
            ("N 81210", Some(Industry::N)),
            ("01110", Some(Industry::A)),
            ("1", Some(Industry::A)),
            ("47111", Some(Industry::G)),
            ("56101", Some(Industry::I)),
            ("99000", Some(Industry::U)),
            ("Rakentaminen", Some(Industry::F)),
            ("  rakentaminen ", Some(Industry::F)),
            ("Byggverksamhet", Some(Industry::F)),
            ("Construction", Some(Industry::F)),
            ("F Rakentaminen", Some(Industry::F)),
            ("04", None),
            ("Kahvila", None),
            ("NN", None),
            ("", None),
        ] {
            assert_eq!(Industry::from_text(text), want, "{text:?}");
        }
    }

    #[test]
    fn municipalities_load() {
        assert_eq!(MUNICIPALITIES.all.len(), 308);
        assert_eq!(MUNICIPALITIES.get("837").unwrap().name_fi, "Tampere");
        assert_eq!(MUNICIPALITIES.get("091").unwrap().name_en, "Helsinki");
    }
}
