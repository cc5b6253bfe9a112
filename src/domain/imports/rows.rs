//! Reading one row's cells by field, and finding the employer a contact person's or a
//! lead's row names. Shared by the contact and lead imports.

use std::collections::HashMap;

use super::employers::{Named, Register};
use super::{Field, Mapping, Table};
use crate::domain::reference::MUNICIPALITIES;
use crate::error::{FieldErrors, Msg};

/// The table and which column holds which field.
pub struct Cells<'a> {
    pub table: &'a Table,
    pub mapping: &'a Mapping,
}

impl Cells<'_> {
    /// The row's trimmed text for `f`; None when the column is missing or the cell empty.
    pub fn get(&self, row: &super::table::Row, f: Field) -> Option<String> {
        self.mapping
            .column(f)
            .and_then(|i| row.cells.get(i))
            // Our own exports write formula-like text with an apostrophe: read it as it was.
            .map(|s| crate::domain::spreadsheet::restore_cell(s.trim()).into_owned())
            .filter(|s| !s.is_empty())
    }

    /// The header of the column holding `f`, as the file writes it.
    pub fn header(&self, f: Field) -> String {
        self.mapping
            .column(f)
            .map(|i| self.table.headers[i].clone())
            .unwrap_or_else(|| f.as_str().to_string())
    }
}

/// Why a row was refused: the column and value it is about, and the message.
pub type Refusal = (Option<(String, String)>, Msg);

/// A municipality named by code or name (Swedish names too), looked up once per text.
pub fn municipality(
    cells: &Cells<'_>,
    row: &super::table::Row,
    places: &mut HashMap<String, Option<String>>,
) -> Result<Option<String>, Refusal> {
    let Some(text) = cells.get(row, Field::Municipality) else {
        return Ok(None);
    };
    let code = places
        .entry(text.clone())
        .or_insert_with(|| MUNICIPALITIES.find(&text).map(|m| m.code.clone()))
        .clone();
    match code {
        Some(c) => Ok(Some(c)),
        None => Err((
            Some((cells.header(Field::Municipality), text)),
            Msg::new("error.import.municipality"),
        )),
    }
}

/// The employer the row names, by business ID or by name (and municipality).
pub fn employer(
    cells: &Cells<'_>,
    row: &super::table::Row,
    register: &Register,
    municipality: Option<&str>,
) -> Result<i64, Refusal> {
    let bid = cells.get(row, Field::BusinessId);
    let name = cells.get(row, Field::Employer);
    let bid = match bid {
        Some(b) => match crate::domain::business_id::BusinessId::parse(&b) {
            Ok(b) => Some(b.as_str().to_string()),
            Err(m) => return Err((Some((cells.header(Field::BusinessId), b)), m)),
        },
        None => None,
    };
    let (column, value) = match (&bid, &name) {
        (Some(b), _) => (cells.header(Field::BusinessId), b.clone()),
        (None, Some(n)) => (cells.header(Field::Employer), n.clone()),
        (None, None) => {
            return Err((
                Some((cells.header(Field::Employer), String::new())),
                Msg::new("error.required"),
            ))
        }
    };
    // A business ID and a name that belong to two different employers: the row is
    // wrong about one of them, and guessing which would file the person or lead wrongly.
    if let (Some(b), Some(n)) = (&bid, &name) {
        if let Some(known) = register.name_with_business_id(b) {
            if super::name_key(known) != super::name_key(n) {
                return Err((
                    Some((cells.header(Field::Employer), n.clone())),
                    Msg::new("error.import.business_id_other_name")
                        .arg("business_id", b)
                        .arg("name", known)
                        .arg("row_name", n),
                ));
            }
        }
    }
    match register.find(bid.as_deref(), name.as_deref(), municipality) {
        Named::One(id) => Ok(id),
        Named::Nobody => Err((Some((column, value)), Msg::new("error.import.no_employer"))),
        Named::Several => Err((
            Some((column, value)),
            Msg::new("error.import.several_employers"),
        )),
    }
}

/// The first message of checked input, with the column it is about.
pub fn first_problem(
    cells: &Cells<'_>,
    row: &super::table::Row,
    errors: FieldErrors,
    field_of: impl Fn(&str) -> Option<Field>,
) -> Refusal {
    let Some((field, msgs)) = errors.0.into_iter().next() else {
        return (None, Msg::new("error.import.row"));
    };
    let cell = field_of(&field).map(|f| (cells.header(f), cells.get(row, f).unwrap_or_default()));
    let msg = msgs
        .into_iter()
        .next()
        .unwrap_or(Msg::new("error.import.row"));
    (cell, msg)
}

/// Judges a valid row by its keys against the rows above it (`seen`, which it joins)
/// and the register (`known`): a repeat, a record already there, or new. Answers
/// whether the row is new; the report row is filled in and pushed unless it is.
pub fn settle<K: std::hash::Hash + Eq + Clone>(
    mut rep: super::RowReport,
    keys: &[K],
    seen: &mut HashMap<K, usize>,
    known: &HashMap<K, i64>,
    report: &mut super::Report,
) -> Option<super::RowReport> {
    if let Some(line) = keys.iter().find_map(|k| seen.get(k)) {
        rep.outcome = super::Outcome::Duplicate;
        rep.duplicate_of = Some(*line);
        report.rows.push(rep);
        return None;
    }
    for k in keys {
        seen.insert(k.clone(), rep.line);
    }
    if let Some(id) = keys.iter().find_map(|k| known.get(k)) {
        rep.outcome = super::Outcome::Existing;
        rep.id = Some(*id);
        report.rows.push(rep);
        return None;
    }
    rep.outcome = super::Outcome::New;
    Some(rep)
}
