//! Job lead rows: each names its employer (business ID, or name and municipality) and a
//! job title; an open lead the employer already has under the same title is existing,
//! one repeated in the file a duplicate. Dates as offices write them (24.11.2026 or
//! 2026-11-24); hours as a number or a range ("20-30").

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::employers::Register;
use super::rows::{self, Cells};
use super::{name_key, Field, Mapping, Outcome, Report, RowReport, Table};
use crate::db::schema::leads;
use crate::db::Tx;
use crate::db_run;
use crate::domain::leads::{LeadInput, LeadStatus};
use crate::domain::users::Actor;
use crate::error::{AppError, Msg};

pub const FIELDS: &[Field] = &[
    Field::Employer,
    Field::BusinessId,
    Field::Municipality,
    Field::JobTitle,
    Field::Description,
    Field::HoursMin,
    Field::HoursMax,
    Field::ApplyBy,
    Field::StartsOn,
    Field::Wage,
];
pub const REQUIRED: &[Field] = &[Field::JobTitle];

pub struct NewLead {
    pub row: usize,
    pub input: LeadInput,
}

fn field_of(input_field: &str) -> Option<Field> {
    Some(match input_field {
        "title" => Field::JobTitle,
        "description" => Field::Description,
        "hours_min" => Field::HoursMin,
        "hours_max" => Field::HoursMax,
        "apply_by" => Field::ApplyBy,
        "starts_on" => Field::StartsOn,
        "wage" => Field::Wage,
        "municipality_code" => Field::Municipality,
        _ => return None,
    })
}

/// "20", "20 h", "20-30", "20–30 h/vk", "37,5": the hours, or None where the text
/// holds none. Hours are whole: 37,5 (the Finnish full-time week) is kept as 38.
fn hours(text: &str) -> Option<(i32, Option<i32>)> {
    let numbers: Vec<i32> = text
        .split(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .map(|s| s.trim_matches([',', '.']))
        .filter(|s| !s.is_empty())
        .map(|s| s.replace(',', ".").parse::<f64>().map(|h| h.round() as i32))
        .collect::<Result<_, _>>()
        .ok()?;
    match numbers.as_slice() {
        [one] => Some((*one, None)),
        [lo, hi] => Some((*lo, Some(*hi))),
        _ => None,
    }
}

/// The open leads each employer has, by title.
fn open_leads(conn: &mut Tx<'_>, org: i64) -> Result<HashMap<(i64, String), i64>, AppError> {
    let mut live = LeadStatus::OPEN.to_vec();
    live.push(LeadStatus::Interviewing);
    let rows: Vec<(i64, i64, String)> = db_run!(conn, |c| leads::table
        .filter(leads::organisation_id.eq(org))
        .filter(leads::status.eq_any(&live))
        .select((leads::id, leads::employer_id, leads::title))
        .load(c))?;
    Ok(rows
        .into_iter()
        .map(|(id, employer, title)| ((employer, name_key(&title)), id))
        .collect())
}

pub fn plan(
    conn: &mut Tx<'_>,
    actor: &Actor,
    table: &Table,
    mapping: &Mapping,
    report: &mut Report,
) -> Result<Vec<NewLead>, AppError> {
    let register = Register::load(conn, actor.org_id)?;
    let known = open_leads(conn, actor.org_id)?;
    let cells = Cells { table, mapping };
    let mut places = HashMap::new();
    let mut seen: HashMap<(i64, String), usize> = HashMap::new();
    let mut new = Vec::new();
    for row in &table.rows {
        let title = cells.get(row, Field::JobTitle);
        let mut rep = RowReport::new(row.line, Outcome::Error, title.clone());
        let place = rows::municipality(&cells, row, &mut places);
        let found = place.clone().and_then(|m| {
            // A lead's municipality is where the job is; the employer is found by
            // business ID or by name alone when the place does not single it out.
            rows::employer(&cells, row, &register, m.as_deref())
                .or_else(|_| rows::employer(&cells, row, &register, None))
        });
        let (employer_id, municipality) = match (found, place) {
            (Ok(id), Ok(m)) => (id, m),
            (Err((cell, msg)), _) | (_, Err((cell, msg))) => {
                rep.cell = cell;
                report.rows.push(rep.because(msg));
                continue;
            }
        };
        let mut hours_min = None;
        let mut hours_max = None;
        for f in [Field::HoursMin, Field::HoursMax] {
            let Some(text) = cells.get(row, f) else {
                continue;
            };
            match (f, hours(&text)) {
                (_, None) => {
                    rep.cell = Some((cells.header(f), text));
                    rep.msg = Some(Msg::new("error.number"));
                    break;
                }
                (Field::HoursMax, Some((lo, Some(hi)))) => {
                    hours_min = hours_min.or(Some(lo));
                    hours_max = Some(hi);
                }
                (Field::HoursMax, Some((h, None))) => hours_max = Some(h),
                (_, Some((h, _))) => hours_min = Some(h),
            }
        }
        if rep.msg.is_some() {
            report.rows.push(rep);
            continue;
        }
        let input = LeadInput {
            employer_id: Some(employer_id),
            title,
            description: cells.get(row, Field::Description),
            hours_min,
            hours_max,
            municipality_code: municipality,
            wage: cells.get(row, Field::Wage),
            starts_on: cells.get(row, Field::StartsOn),
            apply_by: cells.get(row, Field::ApplyBy),
            found_by: Some(actor.user_id),
            ..Default::default()
        };
        let draft = match input.clone().parse(actor) {
            Ok(d) => d,
            Err(errors) => {
                let (cell, msg) = rows::first_problem(&cells, row, errors, field_of);
                rep.cell = cell;
                report.rows.push(rep.because(msg));
                continue;
            }
        };
        let key = (employer_id, name_key(&draft.title));
        let Some(rep) = rows::settle(rep, &[key], &mut seen, &known, report) else {
            continue;
        };
        new.push(NewLead {
            row: report.rows.len(),
            input,
        });
        report.rows.push(rep);
    }
    Ok(new)
}

/// Creates the leads as a person would (a partner's employer's lead counts for the
/// partner).
pub fn apply(
    conn: &mut Tx<'_>,
    actor: &Actor,
    new: &[NewLead],
    report: &mut Report,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    for n in new {
        let lead = crate::domain::leads::create(conn, actor, n.input.clone(), now)?;
        report.rows[n.row].id = Some(lead.id);
    }
    report.counts.imported += new.len();
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn hours_as_offices_write_them() {
        use super::hours;
        assert_eq!(hours("20"), Some((20, None)));
        assert_eq!(hours("20 h/vk"), Some((20, None)));
        assert_eq!(hours("20-30"), Some((20, Some(30))));
        assert_eq!(hours("20–30 h"), Some((20, Some(30))));
        assert_eq!(hours("paljon"), None);
        assert_eq!(hours("37,5"), Some((38, None)));
        assert_eq!(hours("37.5 h/vk"), Some((38, None)));
        assert_eq!(hours("25-37,5"), Some((25, Some(38))));
    }
}
