//! Contact person rows: each names its employer (business ID, or name and municipality)
//! and a person; a person the employer already has (same name, or same e-mail) is
//! existing, a person repeated in the file a duplicate.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::employers::Register;
use super::rows::{self, Cells};
use super::{name_key, Field, Mapping, Outcome, Report, RowReport, Table};
use crate::db::schema::contacts;
use crate::db::Tx;
use crate::db_run;
use crate::domain::contacts::{ContactDraft, ContactInput};
use crate::domain::users::Actor;
use crate::error::AppError;

pub const FIELDS: &[Field] = &[
    Field::Employer,
    Field::BusinessId,
    Field::Municipality,
    Field::Person,
    Field::Role,
    Field::Phone,
    Field::Email,
    Field::Description,
];
pub const REQUIRED: &[Field] = &[Field::Person];

pub struct NewContact {
    pub row: usize,
    pub employer_id: i64,
    pub draft: ContactDraft,
}

fn field_of(input_field: &str) -> Option<Field> {
    Some(match input_field {
        "name" => Field::Person,
        "title" => Field::Role,
        "phone" => Field::Phone,
        "email" => Field::Email,
        "notes" => Field::Description,
        _ => return None,
    })
}

/// The people each employer has: by name and by e-mail.
fn people(conn: &mut Tx<'_>, org: i64) -> Result<HashMap<(i64, String), i64>, AppError> {
    let rows: Vec<(i64, i64, String, Option<String>)> = db_run!(conn, |c| contacts::table
        .filter(contacts::organisation_id.eq(org))
        .select((
            contacts::id,
            contacts::employer_id,
            contacts::name,
            contacts::email
        ))
        .load(c))?;
    let mut out = HashMap::new();
    for (id, employer, name, email) in rows {
        out.insert((employer, name_key(&name)), id);
        if let Some(e) = email {
            out.insert((employer, e.to_lowercase()), id);
        }
    }
    Ok(out)
}

pub fn plan(
    conn: &mut Tx<'_>,
    actor: &Actor,
    table: &Table,
    mapping: &Mapping,
    report: &mut Report,
) -> Result<Vec<NewContact>, AppError> {
    let register = Register::load(conn, actor.org_id)?;
    let known = people(conn, actor.org_id)?;
    let cells = Cells { table, mapping };
    let mut places = HashMap::new();
    let mut seen: HashMap<(i64, String), usize> = HashMap::new();
    let mut new = Vec::new();
    for row in &table.rows {
        let name = cells.get(row, Field::Person);
        let mut rep = RowReport::new(row.line, Outcome::Error, name.clone());
        let found = rows::municipality(&cells, row, &mut places)
            .and_then(|m| rows::employer(&cells, row, &register, m.as_deref()));
        let employer_id = match found {
            Ok(id) => id,
            Err((cell, msg)) => {
                rep.cell = cell;
                report.rows.push(rep.because(msg));
                continue;
            }
        };
        let input = ContactInput {
            name,
            title: cells.get(row, Field::Role),
            phone: cells.get(row, Field::Phone),
            email: cells.get(row, Field::Email),
            notes: cells.get(row, Field::Description),
            ..Default::default()
        };
        let draft = match input.parse() {
            Ok(d) => d,
            Err(errors) => {
                let (cell, msg) = rows::first_problem(&cells, row, errors, field_of);
                rep.cell = cell;
                report.rows.push(rep.because(msg));
                continue;
            }
        };
        let keys: Vec<(i64, String)> = std::iter::once((employer_id, name_key(&draft.name)))
            .chain(draft.email.iter().map(|e| (employer_id, e.to_lowercase())))
            .collect();
        let Some(rep) = rows::settle(rep, &keys, &mut seen, &known, report) else {
            continue;
        };
        new.push(NewContact {
            row: report.rows.len(),
            employer_id,
            draft,
        });
        report.rows.push(rep);
    }
    Ok(new)
}

pub fn apply(
    conn: &mut Tx<'_>,
    actor: &Actor,
    new: &[NewContact],
    report: &mut Report,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    for n in new {
        let id: i64 = db_run!(conn, |c| diesel::insert_into(contacts::table)
            .values((
                contacts::organisation_id.eq(actor.org_id),
                contacts::employer_id.eq(n.employer_id),
                &n.draft,
                contacts::created_at.eq(now),
                contacts::updated_at.eq(now),
            ))
            .returning(contacts::id)
            .get_result(c))?;
        report.rows[n.row].id = Some(id);
    }
    report.counts.imported += new.len();
    Ok(())
}
