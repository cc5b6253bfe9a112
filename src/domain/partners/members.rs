//! A partner's member employers: linked by hand or imported from the partner's member
//! list (CSV: name, business id, municipality). Each row matches an employer by business
//! id, then by name and municipality, or creates one; a bad row is reported by its line
//! number and the good ones are stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{employers, partner_members as pm};
use crate::db::scope::{in_org, Owned};
use crate::db::{DbConn, Tx};
use crate::db_run;
use crate::domain::business_id::BusinessId;
use crate::domain::employers::{service as employer_service, EmployerInput, Stage};
use crate::domain::partners::Via;
use crate::domain::reference::MUNICIPALITIES;
use crate::domain::users::Actor;
use crate::error::{AppError, Msg};

pub fn count(conn: &mut DbConn, org: i64, partner: i64) -> Result<i64, AppError> {
    Ok(db_run!(conn, |c| pm::table
        .filter(pm::organisation_id.eq(org))
        .filter(pm::partner_id.eq(partner))
        .count()
        .get_result(c))?)
}

crate::closed_set! {
    /// How an employer joined a partner's member list.
    pub enum MemberSource ("partners.source") {
        Manual = "manual",
        /// Matched from an imported member list.
        MemberList = "member_list",
        /// Created by an imported member list (we did not know them).
        MemberListNew = "member_list_new",
    }
}

/// A member as the partner page shows it: do we know them, and how far along are we.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Member {
    pub employer_id: i64,
    pub name: String,
    pub business_id: Option<String>,
    pub municipality_code: Option<String>,
    pub stage: Stage,
    pub owner_id: Option<i64>,
    pub source: MemberSource,
    pub added_at: NaiveDateTime,
    /// False for employers the member list created (we did not know them).
    pub known_before: bool,
}

type MemberRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Stage,
    Option<i64>,
    MemberSource,
    NaiveDateTime,
);

pub fn list(conn: &mut DbConn, actor: &Actor, partner: i64) -> Result<Vec<Member>, AppError> {
    super::row(conn, actor, partner)?;
    let org = actor.org_id;
    let rows: Vec<MemberRow> = db_run!(conn, |c| pm::table
        .inner_join(employers::table)
        .filter(pm::organisation_id.eq(org))
        .filter(pm::partner_id.eq(partner))
        .order(employers::name_lower.asc())
        .select((
            employers::id,
            employers::name,
            employers::business_id,
            employers::municipality_code,
            employers::stage,
            employers::owner_id,
            pm::source,
            pm::added_at,
        ))
        .load(c))?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, bid, muni, stage, owner, source, added)| Member {
                employer_id: id,
                name,
                business_id: bid,
                municipality_code: muni,
                known_before: source != MemberSource::MemberListNew,
                stage,
                owner_id: owner,
                source,
                added_at: added,
            },
        )
        .collect())
}

/// Links an employer to the partner (once) and attributes the employer to the partner
/// when nobody else has it yet: the first partner an employer came through keeps it.
pub fn link(
    conn: &mut DbConn,
    org: i64,
    partner: i64,
    employer: i64,
    source: MemberSource,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let n = db_run!(conn, |c| diesel::insert_into(pm::table)
        .values((
            pm::organisation_id.eq(org),
            pm::partner_id.eq(partner),
            pm::employer_id.eq(employer),
            pm::source.eq(source),
            pm::added_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    attribute(conn, org, employer, partner, Via::MemberList, now)?;
    Ok(n > 0)
}

/// Sets the employer's partner if it has none. Answers whether it did.
pub fn attribute(
    conn: &mut DbConn,
    org: i64,
    employer: i64,
    partner: i64,
    via: Via,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let n = db_run!(conn, |c| diesel::update(
        employers::table
            .filter(employers::id.eq(employer))
            .filter(employers::organisation_id.eq(org))
            .filter(employers::partner_id.is_null())
    )
    .set((
        employers::partner_id.eq(Some(partner)),
        employers::partner_via.eq(Some(via)),
        employers::partner_since.eq(Some(now)),
    ))
    .execute(c))?;
    Ok(n > 0)
}

/// The partner an employer is attributed to, for leads and placements made with it.
pub fn partner_of(conn: &mut DbConn, org: i64, employer: i64) -> Result<Option<i64>, AppError> {
    Ok(db_run!(conn, |c| employers::table
        .filter(employers::id.eq(employer))
        .filter(employers::organisation_id.eq(org))
        .select(employers::partner_id)
        .first::<Option<i64>>(c)
        .optional())?
    .flatten())
}

pub fn add(
    conn: &mut DbConn,
    actor: &Actor,
    partner: i64,
    employer: i64,
    now: NaiveDateTime,
) -> Result<Vec<Member>, AppError> {
    actor.require_write()?;
    super::row(conn, actor, partner)?;
    if !in_org(conn, Owned::Employer, actor.org_id, employer)? {
        return Err(AppError::Validation(crate::error::FieldErrors::single(
            "employer_id",
            Msg::new("error.unknown_employer"),
        )));
    }
    link(
        conn,
        actor.org_id,
        partner,
        employer,
        MemberSource::Manual,
        now,
    )?;
    list(conn, actor, partner)
}

pub fn remove(
    conn: &mut DbConn,
    actor: &Actor,
    partner: i64,
    employer: i64,
) -> Result<(), AppError> {
    actor.require_write()?;
    super::row(conn, actor, partner)?;
    let org = actor.org_id;
    db_run!(conn, |c| diesel::delete(
        pm::table
            .filter(pm::organisation_id.eq(org))
            .filter(pm::partner_id.eq(partner))
            .filter(pm::employer_id.eq(employer))
    )
    .execute(c))?;
    Ok(())
}

#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct ImportResult {
    pub matched_by_business_id: usize,
    pub matched_by_name: usize,
    pub created: usize,
    /// Rows of employers that were members already.
    pub already_members: usize,
    /// (line number in the file, why)
    #[serde(skip)]
    pub rejected: Vec<(usize, Msg)>,
}

impl ImportResult {
    pub fn matched(&self) -> usize {
        self.matched_by_business_id + self.matched_by_name
    }
}

/// The columns we read, by header name (Finnish or English, any case).
struct Columns {
    name: usize,
    business_id: Option<usize>,
    municipality: Option<usize>,
}

fn columns(headers: &csv::StringRecord) -> Option<Columns> {
    let find = |names: &[&str]| {
        headers.iter().position(|h| {
            let h = h.trim().trim_start_matches('\u{feff}').to_lowercase();
            names.contains(&h.as_str())
        })
    };
    Some(Columns {
        name: find(&["name", "nimi", "yritys", "company", "yrityksen nimi"])?,
        business_id: find(&[
            "business_id",
            "business id",
            "y-tunnus",
            "ytunnus",
            "y_tunnus",
        ]),
        municipality: find(&["municipality", "kunta", "kotikunta", "municipality_code"]),
    })
}

/// Imports a member list. Good rows are stored even when others are rejected; a file
/// without a name column is a validation error and stores nothing.
pub fn import(
    conn: &mut DbConn,
    actor: &Actor,
    partner: i64,
    text: &str,
    now: NaiveDateTime,
) -> Result<ImportResult, AppError> {
    actor.require_write()?;
    super::row(conn, actor, partner)?;
    // The text rule every input passes.
    if let Some(why) = crate::domain::validate::file_problem(text) {
        return Err(AppError::BadBody(why));
    }
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| AppError::BadBody(format!("line 1: {e}")))?
        .clone();
    let cols = columns(&headers).ok_or_else(|| {
        AppError::Validation(crate::error::FieldErrors::single(
            "file",
            Msg::new("error.member.no_name_column"),
        ))
    })?;
    let org = actor.org_id;
    // Read every row first (no database), so a file over the cap changes nothing.
    let rows: Vec<(usize, Option<csv::StringRecord>)> = reader
        .records()
        .enumerate()
        .map(|(i, record)| {
            let line = record
                .as_ref()
                .ok()
                .and_then(|r| r.position())
                .map(|p| p.line() as usize)
                .unwrap_or(i + 2);
            (line, record.ok())
        })
        .collect();
    if rows.len() > MAX_IMPORT_ROWS {
        return Err(AppError::Validation(crate::error::FieldErrors::single(
            "file",
            Msg::new("error.member.too_many_rows").arg("max", MAX_IMPORT_ROWS),
        )));
    }
    let mut out = ImportResult::default();
    // Each batch is its own transaction, so a long file does not hold SQLite's write
    // lock (or PostgreSQL's row locks) while colleagues save.
    for batch in rows.chunks(IMPORT_BATCH) {
        crate::db::transaction(conn, |tx| {
            for (line, record) in batch {
                match record {
                    Some(r) => import_row(tx, actor, org, partner, &cols, r, *line, now, &mut out)?,
                    None => out
                        .rejected
                        .push((*line, Msg::new("error.member.unreadable"))),
                }
            }
            Ok(())
        })?;
        // SQLite's waiting writers poll for the lock (every 100 ms at most); without a
        // pause the import would take it back before any of them looked.
        if matches!(conn, DbConn::Sqlite(_)) {
            std::thread::sleep(SQLITE_YIELD);
        }
    }
    Ok(out)
}

/// Longer than SQLite's longest wait between two tries for the write lock.
const SQLITE_YIELD: std::time::Duration = std::time::Duration::from_millis(120);

/// Rows per transaction in a member import.
const IMPORT_BATCH: usize = 500;
/// The most rows one file may have.
pub const MAX_IMPORT_ROWS: usize = 50_000;

/// One member row: matched by business id, then by name and municipality, or created.
#[allow(clippy::too_many_arguments)]
fn import_row(
    conn: &mut Tx<'_>,
    actor: &Actor,
    org: i64,
    partner: i64,
    cols: &Columns,
    record: &csv::StringRecord,
    line: usize,
    now: NaiveDateTime,
    out: &mut ImportResult,
) -> Result<(), AppError> {
    let cell = |i: Option<usize>| {
        i.and_then(|i| record.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let name = cell(Some(cols.name));
    let bid_raw = cell(cols.business_id);
    let muni_raw = cell(cols.municipality);
    if name.is_none() && bid_raw.is_none() {
        if record.iter().all(|c| c.trim().is_empty()) {
            return Ok(());
        }
        out.rejected.push((line, Msg::new("error.member.no_name")));
        return Ok(());
    }
    let bid = match bid_raw.as_deref().map(BusinessId::parse) {
        None => None,
        Some(Ok(b)) => Some(b.as_str().to_string()),
        Some(Err(m)) => {
            out.rejected.push((line, m));
            return Ok(());
        }
    };
    let muni = match muni_raw.as_deref() {
        None => None,
        Some(m) => match MUNICIPALITIES.find(m) {
            Some(m) => Some(m.code.clone()),
            None => {
                out.rejected
                    .push((line, Msg::new("error.member.municipality").arg("value", m)));
                return Ok(());
            }
        },
    };
    let by_bid: Option<i64> = match &bid {
        None => None,
        Some(b) => db_run!(conn, |c| employers::table
            .filter(employers::organisation_id.eq(org))
            .filter(employers::business_id.eq(b))
            .select(employers::id)
            .first(c)
            .optional())?,
    };
    let by_name: Option<i64> = match (&by_bid, &name) {
        (None, Some(n)) => {
            let lower = n.to_lowercase();
            let found: Vec<(i64, Option<String>)> = db_run!(conn, |c| employers::table
                .filter(employers::organisation_id.eq(org))
                .filter(employers::name_lower.eq(&lower))
                .select((employers::id, employers::municipality_code))
                .load(c))?;
            match &muni {
                Some(m) => found
                    .iter()
                    .find(|f| f.1.as_deref() == Some(m.as_str()))
                    .map(|f| f.0),
                // Without a municipality only an unambiguous name matches.
                None if found.len() == 1 => Some(found[0].0),
                None => None,
            }
        }
        _ => None,
    };
    let mut source = MemberSource::MemberList;
    let employer = match (by_bid, by_name) {
        (Some(id), _) => {
            out.matched_by_business_id += 1;
            id
        }
        (None, Some(id)) => {
            out.matched_by_name += 1;
            id
        }
        (None, None) => {
            let Some(n) = name.clone() else {
                out.rejected.push((line, Msg::new("error.member.no_name")));
                return Ok(());
            };
            let input = EmployerInput {
                name: Some(n),
                business_id: bid.clone(),
                municipality_code: muni.clone(),
                ..Default::default()
            };
            match employer_service::create(conn, actor, input, now) {
                Ok(e) => {
                    out.created += 1;
                    source = MemberSource::MemberListNew;
                    e.id
                }
                Err(AppError::Validation(f)) | Err(AppError::Conflict(f)) => {
                    let m =
                        f.0.into_values()
                            .flatten()
                            .next()
                            .unwrap_or(Msg::new("error.member.unreadable"));
                    out.rejected.push((line, m));
                    return Ok(());
                }
                Err(e) => return Err(e),
            }
        }
    };
    if !link(conn, org, partner, employer, source, now)? {
        out.already_members += 1;
    }
    Ok(())
}

/// An employer the partner referred to us: attributed to the partner unless another
/// partner already has it (409, naming nobody outside the organisation).
pub fn refer(
    conn: &mut DbConn,
    actor: &Actor,
    partner: i64,
    employer: i64,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    actor.require_write()?;
    super::row(conn, actor, partner)?;
    if !in_org(conn, Owned::Employer, actor.org_id, employer)? {
        return Err(AppError::Validation(crate::error::FieldErrors::single(
            "employer_id",
            Msg::new("error.unknown_employer"),
        )));
    }
    match partner_of(conn, actor.org_id, employer)? {
        Some(p) if p == partner => Ok(()),
        Some(_) => Err(AppError::Conflict(crate::error::FieldErrors::single(
            "employer_id",
            Msg::new("error.partner_attributed"),
        ))),
        None => {
            attribute(conn, actor.org_id, employer, partner, Via::Referral, now)?;
            Ok(())
        }
    }
}

/// The live employers on a partner's member list (a contact day works through them).
pub fn employer_ids(conn: &mut DbConn, org: i64, partner: i64) -> Result<Vec<i64>, AppError> {
    Ok(db_run!(conn, |c| pm::table
        .inner_join(employers::table)
        .filter(pm::organisation_id.eq(org))
        .filter(pm::partner_id.eq(partner))
        .filter(employers::archived_at.is_null())
        .select(employers::id)
        .load(c))?)
}
