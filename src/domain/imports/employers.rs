//! Employer rows: each judged against the organisation's register (read once) and the
//! rows above it, then the new ones written in batches.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rows::{self, Cells};
use super::{
    company_form, name_key, same_form, Field, Mapping, MatchedBy, Outcome, Report, RowReport, Table,
};
use crate::db::schema::employers;
use crate::db::Tx;
use crate::db_run;
use crate::domain::closed_set::Choice;
use crate::domain::employers::{EmployerDraft, EmployerInput};
use crate::domain::reference::fold;
use crate::domain::users::Actor;
use crate::error::{AppError, Msg};

/// The fields an employer file may have, and the one it must.
pub const FIELDS: &[Field] = &[
    Field::Name,
    Field::BusinessId,
    Field::Municipality,
    Field::StreetAddress,
    Field::PostalCode,
    Field::Industry,
    Field::Website,
    Field::Description,
    Field::Tags,
];
pub const REQUIRED: &[Field] = &[Field::Name];

/// An earlier row of the file: its line and business ID.
type Seen = (usize, Option<String>);
/// How rows of one file repeat each other: name key, company form, place. The form is
/// part of it, so a row naming no form never stands for an Oy and a Ky both.
type SeenKey = (String, Option<&'static str>, Option<String>);

/// An employer already in the register.
struct Known {
    id: i64,
    name: String,
    business_id: Option<String>,
}

/// The register, indexed the ways a row can match it.
pub(super) struct Register {
    by_business_id: HashMap<String, usize>,
    by_name_and_place: HashMap<(String, String), Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
    all: Vec<Known>,
}

/// Which employer a contact or lead row names.
pub(super) enum Named {
    One(i64),
    Nobody,
    /// Several employers have the name (and no business ID or place tells them apart).
    Several,
}

impl Register {
    /// The employer a row names: by business ID, else by name (and municipality).
    pub(super) fn find(
        &self,
        business_id: Option<&str>,
        name: Option<&str>,
        municipality: Option<&str>,
    ) -> Named {
        if let Some(b) = business_id {
            return match self.by_business_id.get(b) {
                Some(k) => Named::One(self.all[*k].id),
                None => Named::Nobody,
            };
        }
        let Some(key) = name.map(name_key) else {
            return Named::Nobody;
        };
        let name = name.unwrap_or_default();
        let found = match municipality {
            Some(m) => self.by_name_and_place.get(&(key, m.to_string())),
            None => self.by_name.get(&key),
        };
        let candidates: Vec<&Known> = found
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|k| &self.all[*k])
            .filter(|k| same_form(&k.name, name))
            .collect();
        // Of several, the one written exactly so (a register's own export names it so).
        let exact: Vec<&Known> = candidates
            .iter()
            .copied()
            .filter(|k| fold(&k.name) == fold(name))
            .collect();
        match (candidates.as_slice(), exact.as_slice()) {
            ([], _) => Named::Nobody,
            ([k], _) | (_, [k]) => Named::One(k.id),
            _ => Named::Several,
        }
    }

    /// The name the register gives the employer with this business ID.
    pub(super) fn name_with_business_id(&self, business_id: &str) -> Option<&str> {
        self.by_business_id
            .get(business_id)
            .map(|k| self.all[*k].name.as_str())
    }

    pub(super) fn load(conn: &mut Tx<'_>, org: i64) -> Result<Self, AppError> {
        let rows: Vec<(i64, String, Option<String>, Option<String>)> =
            db_run!(conn, |c| employers::table
                .filter(employers::organisation_id.eq(org))
                .select((
                    employers::id,
                    employers::name,
                    employers::business_id,
                    employers::municipality_code,
                ))
                .order(employers::id)
                .load(c))?;
        let mut r = Register {
            by_business_id: HashMap::new(),
            by_name_and_place: HashMap::new(),
            by_name: HashMap::new(),
            all: Vec::with_capacity(rows.len()),
        };
        for (id, name, business_id, municipality) in rows {
            let i = r.all.len();
            let key = name_key(&name);
            if let Some(b) = &business_id {
                r.by_business_id.entry(b.clone()).or_insert(i);
            }
            if let Some(m) = municipality {
                r.by_name_and_place
                    .entry((key.clone(), m))
                    .or_default()
                    .push(i);
            }
            r.by_name.entry(key).or_default().push(i);
            r.all.push(Known {
                id,
                name,
                business_id,
            });
        }
        Ok(r)
    }
}

/// A row that will be written: its place in the report and what it holds.
pub struct NewEmployer {
    pub row: usize,
    pub draft: EmployerDraft,
}

/// The column of the field an input error names.
fn field_of(input_field: &str) -> Option<Field> {
    Some(match input_field {
        "name" => Field::Name,
        "business_id" => Field::BusinessId,
        "municipality_code" => Field::Municipality,
        "street_address" => Field::StreetAddress,
        "postal_code" => Field::PostalCode,
        "industry" => Field::Industry,
        "website" => Field::Website,
        "description" => Field::Description,
        "tags" => Field::Tags,
        _ => return None,
    })
}

/// Judges every row; answers the ones to write. Nothing is written here.
pub fn plan(
    conn: &mut Tx<'_>,
    actor: &Actor,
    table: &Table,
    mapping: &Mapping,
    report: &mut Report,
) -> Result<Vec<NewEmployer>, AppError> {
    let register = Register::load(conn, actor.org_id)?;
    let cells = Cells { table, mapping };
    // Municipality names are looked up once per distinct text.
    let mut places: HashMap<String, Option<String>> = HashMap::new();
    let mut seen_business_id: HashMap<String, usize> = HashMap::new();
    // (name key, place) → the first row with them: its line, business ID and name.
    let mut seen_name: HashMap<SeenKey, Seen> = HashMap::new();
    let mut new = Vec::new();
    for row in &table.rows {
        let cell = |f: Field| cells.get(row, f);
        let name = cell(Field::Name);
        let mut rep = RowReport::new(row.line, Outcome::Error, name.clone());
        let municipality = match rows::municipality(&cells, row, &mut places) {
            Ok(m) => m,
            Err((at, msg)) => {
                rep.cell = at;
                report.rows.push(rep.because(msg));
                continue;
            }
        };
        // A register's TOL code or a section's name is read as its section.
        let industry = match cell(Field::Industry) {
            None => None,
            Some(text) => match crate::domain::reference::Industry::from_text(&text) {
                Some(i) => Some(Choice::from_text(i.as_str())),
                None => {
                    rep.cell = Some((cells.header(Field::Industry), text));
                    report
                        .rows
                        .push(rep.because(Msg::new("error.import.industry")));
                    continue;
                }
            },
        };
        let input = EmployerInput {
            name: name.clone(),
            business_id: cell(Field::BusinessId),
            municipality_code: municipality.clone(),
            street_address: cell(Field::StreetAddress),
            postal_code: cell(Field::PostalCode),
            industry,
            website: cell(Field::Website),
            description: cell(Field::Description),
            tags: cell(Field::Tags)
                .map(|t| t.split([',', ';']).map(str::to_string).collect())
                .unwrap_or_default(),
            ..Default::default()
        };
        let draft = match input.parse() {
            Ok(d) => d,
            Err(errors) => {
                let (at, msg) = rows::first_problem(&cells, row, errors, field_of);
                rep.cell = at;
                report.rows.push(rep.because(msg));
                continue;
            }
        };
        let key = name_key(&draft.name);
        let bid = draft.business_id.as_ref().map(|b| b.as_str().to_string());
        // Repeats an earlier row of the file.
        let earlier = match &bid {
            Some(b) => seen_business_id.get(b).copied(),
            None => None,
        }
        .or_else(|| {
            seen_name
                .get(&(key.clone(), company_form(&draft.name), municipality.clone()))
                .filter(|(_, other)| other.is_none() || bid.is_none() || *other == bid)
                .map(|(line, _)| *line)
        });
        if let Some(line) = earlier {
            rep.outcome = Outcome::Duplicate;
            rep.duplicate_of = Some(line);
            report.rows.push(rep);
            continue;
        }
        if let Some(b) = &bid {
            seen_business_id.insert(b.clone(), row.line);
        }
        seen_name.insert(
            (key.clone(), company_form(&draft.name), municipality.clone()),
            (row.line, bid.clone()),
        );
        // In the register: by business ID first, then by name (and place).
        if let Some(k) = bid.as_ref().and_then(|b| register.by_business_id.get(b)) {
            let known = &register.all[*k];
            rep.id = Some(known.id);
            rep.matched_by = Some(MatchedBy::BusinessId);
            if name_key(&known.name) == key {
                rep.outcome = Outcome::Existing;
            } else {
                rep.outcome = Outcome::Conflict;
                rep.msg = Some(
                    Msg::new("error.import.business_id_other_name")
                        .arg("business_id", bid.clone().unwrap_or_default())
                        .arg("name", &known.name)
                        .arg("row_name", &draft.name),
                );
            }
            report.rows.push(rep);
            continue;
        }
        let same = |k: &&usize| same_form(&register.all[**k].name, &draft.name);
        let by_name: Vec<usize> = match &municipality {
            Some(m) => register
                .by_name_and_place
                .get(&(key.clone(), m.clone()))
                .map(Vec::as_slice)
                .unwrap_or(&[])
                .iter()
                .filter(same)
                .copied()
                .collect(),
            // Without a place only an unambiguous name matches.
            None => Some(
                register
                    .by_name
                    .get(&key)
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                    .iter()
                    .filter(same)
                    .copied()
                    .collect::<Vec<_>>(),
            )
            .filter(|v| v.len() == 1)
            .unwrap_or_default(),
        };
        if let Some(k) = by_name.first() {
            let known = &register.all[*k];
            rep.id = Some(known.id);
            rep.matched_by = Some(if municipality.is_some() {
                MatchedBy::NameAndMunicipality
            } else {
                MatchedBy::Name
            });
            match (&known.business_id, &bid) {
                (Some(theirs), Some(ours)) if theirs != ours => {
                    rep.outcome = Outcome::Conflict;
                    rep.msg = Some(
                        Msg::new("error.import.name_other_business_id")
                            .arg("name", &known.name)
                            .arg("business_id", theirs)
                            .arg("row_business_id", ours),
                    );
                }
                _ => rep.outcome = Outcome::Existing,
            }
            report.rows.push(rep);
            continue;
        }
        rep.outcome = Outcome::New;
        new.push(NewEmployer {
            row: report.rows.len(),
            draft,
        });
        report.rows.push(rep);
    }
    Ok(new)
}

/// Writes the new employers; their ids go into the report's rows.
pub fn apply(
    conn: &mut Tx<'_>,
    actor: &Actor,
    new: &[NewEmployer],
    report: &mut Report,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let drafts: Vec<&EmployerDraft> = new.iter().map(|n| &n.draft).collect();
    let ids = crate::domain::employers::service::insert_many(conn, actor, &drafts, now)?;
    for (n, id) in new.iter().zip(ids) {
        report.rows[n.row].id = Some(id);
    }
    report.counts.imported += new.len();
    Ok(())
}
