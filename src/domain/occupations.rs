//! Occupations: ISCO-08 groups and ESCO occupations (European Commission, ESCO v1.1),
//! searchable by title and alternative labels, for job leads and job wishes.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
struct GroupRow {
    code: String,
    level: u8,
    title_en: String,
}

#[derive(Debug, Deserialize)]
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

pub struct Occupations {
    groups: HashMap<String, (u8, String)>,
    esco: Vec<Occupation>,
}

pub static OCCUPATIONS: LazyLock<Occupations> = LazyLock::new(|| {
    let mut groups = HashMap::new();
    let mut r = csv::Reader::from_reader(include_str!("../../data/isco08-groups.csv").as_bytes());
    for row in r.deserialize::<GroupRow>().flatten() {
        groups.insert(row.code, (row.level, row.title_en));
    }
    let mut r =
        csv::Reader::from_reader(include_str!("../../data/esco-occupations.csv").as_bytes());
    let esco = r
        .deserialize::<EscoRow>()
        .flatten()
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
    Occupations { groups, esco }
});

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    pub isco_code: String,
    pub isco_title: String,
    pub occupation: String,
    /// The alternative label that matched, when it was not the title.
    pub matched_label: Option<String>,
}

impl Occupations {
    /// True for a 4-digit ISCO-08 unit group.
    pub fn is_unit_group(&self, code: &str) -> bool {
        self.groups.get(code).is_some_and(|(level, _)| *level == 4)
    }

    /// Every ISCO-08 unit group, by code, for pickers.
    pub fn unit_groups(&self) -> Vec<(&str, &str)> {
        let mut v: Vec<(&str, &str)> = self
            .groups
            .iter()
            .filter(|(_, (l, _))| *l == 4)
            .map(|(c, (_, t))| (c.as_str(), t.as_str()))
            .collect();
        v.sort();
        v
    }

    pub fn title(&self, code: &str) -> Option<&str> {
        self.groups.get(code).map(|(_, t)| t.as_str())
    }

    /// Occupations whose title or an alternative label contains `q`: title prefix
    /// matches first, then title matches, then label matches.
    pub fn search(&self, q: &str, limit: usize) -> Vec<Hit> {
        let q = q.trim().to_lowercase();
        if q.chars().count() < 2 {
            return Vec::new();
        }
        let mut scored: Vec<(u8, usize, Hit)> = Vec::new();
        for o in &self.esco {
            let (rank, label) = if o.title_lower.starts_with(&q) {
                (0, None)
            } else if o.title_lower.contains(&q) {
                (1, None)
            } else if let Some((_, label)) = o.alt_lower.iter().find(|(l, _)| l.contains(&q)) {
                (2, Some(label.clone()))
            } else {
                continue;
            };
            scored.push((
                rank,
                o.title.len(),
                Hit {
                    isco_title: self.title(&o.isco).unwrap_or_default().to_string(),
                    isco_code: o.isco.clone(),
                    occupation: o.title.clone(),
                    matched_label: label,
                },
            ));
        }
        scored.sort_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| a.2.occupation.cmp(&b.2.occupation))
        });
        scored.into_iter().take(limit).map(|(_, _, h)| h).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_by_title_and_alternative_label() {
        let hits = OCCUPATIONS.search("barista", 5);
        assert_eq!(hits[0].occupation, "barista");
        assert_eq!(hits[0].isco_code, "5132");
        // "kitchen hand" is an alternative label, not a title.
        let hits = OCCUPATIONS.search("kitchen hand", 10);
        assert!(hits.iter().any(|h| h.isco_code == "9412"), "{hits:?}");
        assert!(OCCUPATIONS.search("x", 5).is_empty());
        assert!(OCCUPATIONS.is_unit_group("5132"));
        assert!(!OCCUPATIONS.is_unit_group("513"));
        assert!(!OCCUPATIONS.is_unit_group("9999"));
    }
}
