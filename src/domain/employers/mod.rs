//! The employer register: employers, their relationship stage and owner.

mod bulk_pg;
pub mod duplicates;
pub mod export;
pub mod list;
pub mod merge;
pub mod service;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::employers;
use crate::domain::business_id::BusinessId;
use crate::domain::closed_set::Choice;
use crate::domain::partners::Via;
use crate::domain::reference::{Industry, SizeClass, MUNICIPALITIES};
use crate::domain::validate::{choice, optional_text, optional_url, required_text};
use crate::error::{FieldErrors, Msg};

crate::closed_set! {
    /// How far the relationship with an employer has come.
    pub enum Stage ("stage") {
        NotContacted = "not_contacted",
        Introduced = "introduced",
        LearningNeeds = "learning_needs",
        Active = "active",
        HiringPartner = "hiring_partner",
        Paused = "paused",
        DoNotContact = "do_not_contact",
    }
}

crate::closed_set! {
    /// What an employer's history (its timeline) notes besides contacts.
    pub enum EventKind ("timeline") {
        /// A stage change; the detail is "from>to", or the first stage alone.
        Stage = "stage",
    }
}

/// A new employer has not been contacted yet.
impl Default for Stage {
    fn default() -> Self {
        Stage::NotContacted
    }
}

impl Stage {
    /// Stages of an ongoing relationship (the weekly plan's "gone quiet" list).
    pub const ONGOING: [Stage; 4] = [
        Stage::Introduced,
        Stage::LearningNeeds,
        Stage::Active,
        Stage::HiringPartner,
    ];
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = employers)]
pub struct EmployerRow {
    pub id: i64,
    pub organisation_id: i64,
    pub name: String,
    pub business_id: Option<String>,
    pub industry: Option<Industry>,
    pub size_class: Option<SizeClass>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub municipality_code: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub tags: String,
    pub owner_id: Option<i64>,
    pub stage: Stage,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub archived_at: Option<NaiveDateTime>,
    pub contact_interval_days: Option<i32>,
    pub partner_id: Option<i64>,
    pub partner_via: Option<Via>,
    pub do_not_contact_reason: Option<String>,
    pub version: i32,
}

/// An employer as the API shows it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Employer {
    pub id: i64,
    pub name: String,
    pub business_id: Option<String>,
    pub industry: Option<Industry>,
    pub size_class: Option<SizeClass>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub municipality_code: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub owner_id: Option<i64>,
    pub stage: Stage,
    /// "Contact at most every N days": the collision guard respects it.
    pub contact_interval_days: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub archived_at: Option<NaiveDateTime>,
    /// The partner organisation the employer came through, and how (referral, event,
    /// member_list). Set once; the first partner keeps it.
    pub partner_id: Option<i64>,
    pub partner_via: Option<Via>,
    /// Why the employer must not be contacted (set while the stage is do-not-contact).
    pub do_not_contact_reason: Option<String>,
    /// Counts saves; an edit names the version it started from (`domain::versioning`).
    pub version: i32,
}

impl From<EmployerRow> for Employer {
    fn from(r: EmployerRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            business_id: r.business_id,
            industry: r.industry,
            size_class: r.size_class,
            street_address: r.street_address,
            postal_code: r.postal_code,
            municipality_code: r.municipality_code,
            website: r.website,
            description: r.description,
            tags: split_tags(&r.tags),
            owner_id: r.owner_id,
            stage: r.stage,
            contact_interval_days: r.contact_interval_days,
            created_at: r.created_at,
            updated_at: r.updated_at,
            archived_at: r.archived_at,
            partner_id: r.partner_id,
            partner_via: r.partner_via,
            do_not_contact_reason: r.do_not_contact_reason,
            version: r.version,
        }
    }
}

/// Tags are stored as `,a,b,` so one LIKE finds a whole tag.
pub fn join_tags(tags: &[String]) -> String {
    if tags.is_empty() {
        String::new()
    } else {
        format!(",{},", tags.join(","))
    }
}

pub fn split_tags(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// What a request may say about an employer, unchecked. The API's JSON and the
/// page's form both become this.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EmployerInput {
    #[schemars(length(min = 1))]
    pub name: Option<String>,
    pub business_id: Option<String>,
    pub industry: Option<Choice<Industry>>,
    pub size_class: Option<Choice<SizeClass>>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub municipality_code: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub owner_id: Option<i64>,
    pub stage: Option<Choice<Stage>>,
    pub contact_interval_days: Option<i32>,
    /// Required with the do-not-contact stage; dropped with any other.
    pub do_not_contact_reason: Option<String>,
    /// Create although employers in the register look like this one (they were shown).
    #[serde(skip_serializing)]
    pub acknowledge_duplicates: Option<bool>,
}

impl From<&Employer> for EmployerInput {
    fn from(e: &Employer) -> Self {
        Self {
            name: Some(e.name.clone()),
            business_id: e.business_id.clone(),
            industry: e.industry.map(Choice::Known),
            size_class: e.size_class.map(Choice::Known),
            street_address: e.street_address.clone(),
            postal_code: e.postal_code.clone(),
            municipality_code: e.municipality_code.clone(),
            website: e.website.clone(),
            description: e.description.clone(),
            tags: e.tags.clone(),
            owner_id: e.owner_id,
            stage: Some(Choice::Known(e.stage)),
            contact_interval_days: e.contact_interval_days,
            do_not_contact_reason: e.do_not_contact_reason.clone(),
            acknowledge_duplicates: None,
        }
    }
}

/// A checked employer: every field holds a valid value.
#[derive(Debug, Clone, PartialEq)]
pub struct EmployerDraft {
    pub name: String,
    pub business_id: Option<BusinessId>,
    pub industry: Option<Industry>,
    pub size_class: Option<SizeClass>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub municipality_code: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub owner_id: Option<i64>,
    pub stage: Stage,
    pub contact_interval_days: Option<i32>,
    /// Some exactly when the stage is do-not-contact.
    pub do_not_contact_reason: Option<String>,
}

fn one_of(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<String>,
    ok: impl Fn(&str) -> bool,
) -> Option<String> {
    let v = value
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())?;
    if !ok(&v) {
        errors.add(field, Msg::new("error.choice"));
    }
    Some(v)
}

impl EmployerInput {
    pub fn parse(self) -> Result<EmployerDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = required_text(&mut e, "name", self.name, 200);
        let business_id = match optional_text(&mut e, "business_id", self.business_id, 20) {
            Some(s) => match BusinessId::parse(&s) {
                Ok(id) => Some(id),
                Err(msg) => {
                    e.add("business_id", msg);
                    None
                }
            },
            None => None,
        };
        // Sections are letters; a lower-case one is forgiven.
        let industry = self.industry.map(|c| match c {
            Choice::Other(t) => Choice::from_text(&t.to_uppercase()),
            known => known,
        });
        let industry = choice(&mut e, "industry", industry);
        let size_class = choice(&mut e, "size_class", self.size_class);
        let street_address = optional_text(&mut e, "street_address", self.street_address, 200);
        let postal_code = optional_text(&mut e, "postal_code", self.postal_code, 10);
        if let Some(p) = &postal_code {
            if p.len() != 5 || !p.chars().all(|c| c.is_ascii_digit()) {
                e.add("postal_code", Msg::new("error.postal_code"));
            }
        }
        let municipality_code = one_of(&mut e, "municipality_code", self.municipality_code, |s| {
            MUNICIPALITIES.get(s).is_some()
        });
        let website = optional_url(&mut e, "website", self.website);
        let description = optional_text(&mut e, "description", self.description, 5000);
        let mut tags: Vec<String> = Vec::new();
        for t in self.tags {
            let t = t.trim().to_lowercase();
            if t.is_empty() || tags.contains(&t) {
                continue;
            }
            if t.chars().count() > 40 || t.contains(',') {
                e.add("tags", Msg::new("error.tag").arg("tag", &t));
            }
            tags.push(t);
        }
        if tags.len() > 20 {
            e.add("tags", Msg::new("error.too_many_tags").arg("max", 20));
        }
        if self
            .contact_interval_days
            .is_some_and(|d| !(1..=365).contains(&d))
        {
            e.add(
                "contact_interval_days",
                Msg::new("error.range").arg("min", 1).arg("max", 365),
            );
        }
        let stage = choice(&mut e, "stage", self.stage).unwrap_or(Stage::NotContacted);
        let reason = optional_text(
            &mut e,
            "do_not_contact_reason",
            self.do_not_contact_reason,
            1000,
        );
        // A stop says why; another stage keeps no stale reason.
        let do_not_contact_reason = match stage {
            Stage::DoNotContact if reason.is_none() => {
                e.add("do_not_contact_reason", Msg::new("error.dnc_reason"));
                None
            }
            Stage::DoNotContact => reason,
            _ => None,
        };
        if e.is_empty() {
            Ok(EmployerDraft {
                name,
                business_id,
                industry,
                size_class,
                street_address,
                postal_code,
                municipality_code,
                website,
                description,
                tags,
                owner_id: self.owner_id,
                stage,
                contact_interval_days: self.contact_interval_days,
                do_not_contact_reason,
            })
        } else {
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_valid_input_parses() {
        let d = EmployerInput {
            name: Some("  Kahvila Aamu Oy ".into()),
            business_id: Some("1572860-0".into()),
            industry: Some("i".into()),
            size_class: Some("1-9".into()),
            postal_code: Some("33100".into()),
            municipality_code: Some("837".into()),
            website: Some("aamu.fi".into()),
            tags: vec!["Kahvila".into(), "kahvila".into(), " ".into()],
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(d.name, "Kahvila Aamu Oy");
        assert_eq!(d.industry, Some(Industry::I));
        assert_eq!(d.tags, vec!["kahvila"]);
        assert_eq!(d.stage, Stage::NotContacted);
        assert_eq!(d.website.as_deref(), Some("https://aamu.fi"));
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = EmployerInput {
            name: Some(" ".into()),
            business_id: Some("1572860-1".into()),
            industry: Some("Z".into()),
            size_class: Some("huge".into()),
            postal_code: Some("331".into()),
            municipality_code: Some("999".into()),
            stage: Some("friends".into()),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = e.0.keys().cloned().collect();
        assert_eq!(
            fields,
            [
                "business_id",
                "industry",
                "municipality_code",
                "name",
                "postal_code",
                "size_class",
                "stage"
            ]
        );
    }
}
