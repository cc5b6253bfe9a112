//! Occupations: ISCO-08 groups and ESCO occupations (European Commission, ESCO v1.1),
//! searchable by title and alternative labels, for job leads and job wishes.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::error::{FieldErrors, Msg};
use crate::i18n::Lang;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct GroupRow {
    code: String,
    level: u8,
    title_en: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct TitleRow {
    code: String,
    title_fi: String,
    title_sv: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct JobTitleRow {
    isco: String,
    lang: String,
    title: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct EscoRow {
    isco_unit_group: String,
    title_en: String,
    alt_labels_en: String,
}

struct Occupation {
    isco: String,
    title: String,
    title_lower: String,
    alt_lower: Vec<(String, String)>,
}

/// An ISCO-08 group's level and its titles in Finnish, Swedish and English.
struct Group {
    level: u8,
    fi: String,
    sv: String,
    en: String,
}

impl Group {
    fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi => &self.fi,
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        }
    }
}

/// A job title as Finnish or Swedish job ads write it, lowercase, with its unit group.
struct JobTitle {
    isco: String,
    lang: Lang,
    title: String,
}

pub struct Occupations {
    groups: HashMap<String, Group>,
    job_titles: Vec<JobTitle>,
    esco: Vec<Occupation>,
}

fn csv_rows<T: serde::de::DeserializeOwned>(text: &str) -> Vec<T> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize::<T>()
        .flatten()
        .collect()
}

pub static OCCUPATIONS: LazyLock<Occupations> = LazyLock::new(|| {
    let titles: HashMap<String, TitleRow> =
        csv_rows::<TitleRow>(include_str!("../../data/isco08-titles-fi-sv.csv"))
            .into_iter()
            .map(|t| (t.code.clone(), t))
            .collect();
    let groups = csv_rows::<GroupRow>(include_str!("../../data/isco08-groups.csv"))
        .into_iter()
        .map(|row| {
            let t = titles.get(&row.code);
            let group = Group {
                level: row.level,
                fi: t.map_or_else(|| row.title_en.clone(), |t| t.title_fi.clone()),
                sv: t.map_or_else(|| row.title_en.clone(), |t| t.title_sv.clone()),
                en: row.title_en,
            };
            (row.code, group)
        })
        .collect();
    let job_titles = csv_rows::<JobTitleRow>(include_str!("../../data/job-titles-fi-sv.csv"))
        .into_iter()
        .filter_map(|r| {
            Some(JobTitle {
                lang: Lang::parse(&r.lang)?,
                isco: r.isco,
                title: r.title.to_lowercase(),
            })
        })
        .collect();
    let esco = csv_rows::<EscoRow>(include_str!("../../data/esco-occupations.csv"))
        .into_iter()
        .map(|row| Occupation {
            title_lower: row.title_en.to_lowercase(),
            alt_lower: row
                .alt_labels_en
                .split('|')
                .filter(|l| !l.is_empty())
                .map(|l| (l.to_lowercase(), l.to_string()))
                .collect(),
            isco: row.isco_unit_group,
            title: row.title_en,
        })
        .collect();
    Occupations {
        groups,
        job_titles,
        esco,
    }
});

/// A form's or the API's occupation field read as a unit group: a code, "code title",
/// or a job title in Finnish, Swedish or English; anything else is named as an error.
pub fn read_code(e: &mut FieldErrors, field: &str, value: Option<String>) -> Option<String> {
    let v = value.filter(|s| !s.trim().is_empty())?;
    match OCCUPATIONS.resolve(&v) {
        Some(code) => Some(code),
        None => {
            e.add(field, Msg::new("error.isco").arg("value", v.trim()));
            None
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Hit {
    pub isco_code: String,
    /// The unit group's title in the reader's language.
    pub isco_title: String,
    /// What matched: a job title, a unit group's title or an ESCO occupation.
    pub occupation: String,
    /// The alternative label that matched, when it was not the title.
    pub matched_label: Option<String>,
}

impl Occupations {
    /// True for a 4-digit ISCO-08 unit group.
    pub fn is_unit_group(&self, code: &str) -> bool {
        self.groups.get(code).is_some_and(|g| g.level == 4)
    }

    /// Every ISCO-08 unit group, by code, with its title in `lang`, for pickers.
    pub fn unit_groups(&self, lang: Lang) -> Vec<(&str, &str)> {
        let mut v: Vec<(&str, &str)> = self
            .groups
            .iter()
            .filter(|(_, g)| g.level == 4)
            .map(|(c, g)| (c.as_str(), g.title(lang)))
            .collect();
        v.sort();
        v
    }

    pub fn title(&self, code: &str, lang: Lang) -> Option<&str> {
        self.groups.get(code).map(|g| g.title(lang))
    }

    /// "9112 Toimistojen, hotellien ja muiden tilojen siivoojat": how a chosen occupation
    /// is shown and typed back.
    pub fn label(&self, code: &str, lang: Lang) -> String {
        match self.title(code, lang) {
            Some(t) => format!("{code} {t}"),
            None => code.to_string(),
        }
    }

    /// The unit group a person means by what they typed: a code, a code followed by
    /// its title (as the picker fills in), a job title ("siivooja"), or a unit group's
    /// title in any language. None when it is none of these exactly.
    pub fn resolve(&self, typed: &str) -> Option<String> {
        let t = typed.trim();
        let first = t.split_whitespace().next().unwrap_or_default();
        if self.is_unit_group(first) {
            return Some(first.to_string());
        }
        let lower = t.to_lowercase();
        if lower.is_empty() {
            return None;
        }
        if let Some(j) = self.job_titles.iter().find(|j| j.title == lower) {
            return Some(j.isco.clone());
        }
        self.groups
            .iter()
            .filter(|(_, g)| g.level == 4)
            .find(|(_, g)| {
                [&g.fi, &g.sv, &g.en]
                    .iter()
                    .any(|x| x.to_lowercase() == lower)
            })
            .map(|(c, _)| c.clone())
            .or_else(|| {
                self.esco
                    .iter()
                    .find(|o| o.title_lower == lower)
                    .map(|o| o.isco.clone())
            })
    }

    /// Occupations matching `q`, best first: job titles of the reader's language (then
    /// the other), unit-group titles in any language, then ESCO's English titles and
    /// alternative labels. Within each, a match at the start ranks before one inside.
    pub fn search(&self, q: &str, lang: Lang, limit: usize) -> Vec<Hit> {
        let q = q.trim().to_lowercase();
        if q.chars().count() < 2 {
            return Vec::new();
        }
        let hit = |code: &str, occupation: &str, label: Option<String>| Hit {
            isco_title: self.title(code, lang).unwrap_or_default().to_string(),
            isco_code: code.to_string(),
            occupation: occupation.to_string(),
            matched_label: label,
        };
        // (rank, length, hit): lower is better.
        let mut scored: Vec<(u8, usize, Hit)> = Vec::new();
        let place = |text: &str| -> Option<u8> {
            if text == q {
                Some(0)
            } else if text.starts_with(&q) {
                Some(1)
            } else if text.contains(&q) {
                Some(2)
            } else {
                None
            }
        };
        for j in &self.job_titles {
            if let Some(p) = place(&j.title) {
                let own = if j.lang == lang { 0 } else { 3 };
                scored.push((p + own, j.title.len(), hit(&j.isco, &j.title, None)));
            }
        }
        for (code, g) in self.groups.iter().filter(|(_, g)| g.level == 4) {
            let best = [g.title(lang), &g.fi, &g.sv, &g.en]
                .iter()
                .filter_map(|t| place(&t.to_lowercase()))
                .min();
            if let Some(p) = best {
                scored.push((6 + p, g.title(lang).len(), hit(code, g.title(lang), None)));
            }
        }
        for o in &self.esco {
            let (rank, label) = if let Some(p) = place(&o.title_lower) {
                (9 + p, None)
            } else if let Some((_, label)) = o.alt_lower.iter().find(|(l, _)| l.contains(&q)) {
                (12, Some(label.clone()))
            } else {
                continue;
            };
            scored.push((rank, o.title.len(), hit(&o.isco, &o.title, label)));
        }
        scored.sort_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| a.2.occupation.cmp(&b.2.occupation))
        });
        // One line per unit group and wording.
        let mut seen = std::collections::HashSet::new();
        scored
            .into_iter()
            .map(|(_, _, h)| h)
            .filter(|h| seen.insert((h.isco_code.clone(), h.occupation.clone())))
            .take(limit)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finnish_and_swedish_job_titles_are_found() {
        for (q, lang, code) in [
            ("siivooja", Lang::Fi, "9112"),
            ("kokki", Lang::Fi, "5120"),
            ("städare", Lang::Sv, "9112"),
        ] {
            let hits = OCCUPATIONS.search(q, lang, 5);
            assert_eq!(
                hits.first().map(|h| h.isco_code.as_str()),
                Some(code),
                "{q}: {hits:?}"
            );
        }
        let garden = OCCUPATIONS.search("puutarha", Lang::Fi, 10);
        assert!(garden.iter().any(|h| h.isco_code == "9214"), "{garden:?}");
        let gardener = OCCUPATIONS.search("puutarhuri", Lang::Fi, 3);
        assert_eq!(gardener[0].isco_code, "6113", "{gardener:?}");
        // The unit group's title follows the reader's language.
        let fi = &OCCUPATIONS.search("siivooja", Lang::Fi, 1)[0];
        assert!(fi.isco_title.to_lowercase().contains("siivooj"), "{fi:?}");
        let sv = &OCCUPATIONS.search("siivooja", Lang::Sv, 1)[0];
        assert!(sv.isco_title.to_lowercase().contains("städ"), "{sv:?}");
        assert_eq!(OCCUPATIONS.resolve("siivooja").as_deref(), Some("9112"));
        assert_eq!(
            OCCUPATIONS.resolve("9112 Siivoojat").as_deref(),
            Some("9112")
        );
        assert_eq!(OCCUPATIONS.resolve("Kokit").as_deref(), Some("5120"));
        assert_eq!(OCCUPATIONS.resolve("no such job"), None);
    }

    #[test]
    fn every_unit_group_has_finnish_and_swedish_titles() {
        for (code, fi) in OCCUPATIONS.unit_groups(Lang::Fi) {
            let en = OCCUPATIONS.title(code, Lang::En).unwrap();
            let sv = OCCUPATIONS.title(code, Lang::Sv).unwrap();
            assert!(fi != en && sv != en, "{code}: {fi} / {sv} / {en}");
        }
        assert_eq!(OCCUPATIONS.unit_groups(Lang::Sv).len(), 436);
    }

    #[test]
    fn search_by_title_and_alternative_label() {
        let hits = OCCUPATIONS.search("barista", Lang::En, 5);
        assert_eq!(hits[0].occupation, "barista");
        assert_eq!(hits[0].isco_code, "5132");
        // "kitchen hand" is an alternative label, not a title.
        let hits = OCCUPATIONS.search("kitchen hand", Lang::En, 10);
        assert!(hits.iter().any(|h| h.isco_code == "9412"), "{hits:?}");
        assert!(OCCUPATIONS.search("x", Lang::En, 5).is_empty());
        assert!(OCCUPATIONS.is_unit_group("5132"));
        assert!(!OCCUPATIONS.is_unit_group("513"));
        assert!(!OCCUPATIONS.is_unit_group("9999"));
    }
}
