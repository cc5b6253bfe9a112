//! A partner's member employers: linked by hand or imported from the partner's member
//! list (CSV: name, business id, municipality). Each row matches an employer by business
//! id, then by name and municipality, or creates one; a bad row is reported by its line
//! number and the good ones are stored.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{employers, partner_members as pm};
use crate::db::scope::{in_org, Owned};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::employers::Stage;
use crate::domain::partners::Via;
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
    member_change(conn, actor, partner, "member_added", employer, now)?;
    list(conn, actor, partner)
}

pub fn remove(
    conn: &mut DbConn,
    actor: &Actor,
    partner: i64,
    employer: i64,
    now: NaiveDateTime,
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
    member_change(conn, actor, partner, "member_removed", employer, now)
}

/// The partner's trail notes a member added or removed.
fn member_change(
    conn: &mut DbConn,
    actor: &Actor,
    partner: i64,
    what: &str,
    employer: i64,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    crate::domain::audit::record(
        conn,
        actor,
        crate::domain::audit::Event {
            action: crate::domain::audit::Action::Update,
            entity: crate::domain::audit::Entity::Partner,
            entity_id: Some(partner),
            changes: &[crate::domain::audit::Change::note(what, employer)],
            at: now,
        },
    )
}

/// What a member-list import did, in the shape the member import has always answered.
#[derive(Debug, Clone, Default)]
pub struct ImportResult {
    pub matched_by_business_id: usize,
    pub matched_by_name: usize,
    pub created: usize,
    /// Rows of employers that were members already (or repeated in the file).
    pub already_members: usize,
    /// The rows not imported, with why.
    pub rejected: Vec<crate::domain::imports::RowReport>,
}

impl ImportResult {
    pub fn matched(&self) -> usize {
        self.matched_by_business_id + self.matched_by_name
    }
}

/// Imports a member list through the import engine, writing the valid rows: employers
/// matched by business ID or by name (and municipality), created when new, and added to
/// the partner. A file without a name column is refused whole.
pub fn import(
    conn: &mut DbConn,
    actor: &Actor,
    partner: i64,
    bytes: &[u8],
    now: NaiveDateTime,
) -> Result<ImportResult, AppError> {
    use crate::domain::imports::{self, Kind, MatchedBy, Mode, Options, Outcome};
    let opts = Options {
        mode: Mode::ValidRows,
        dry_run: false,
        columns: Default::default(),
    };
    let done = imports::run(conn, actor, Kind::Members, Some(partner), bytes, &opts, now)?;
    let mut out = ImportResult {
        already_members: done.already_members,
        ..Default::default()
    };
    for r in done.report.rows {
        match (r.outcome, r.matched_by) {
            (Outcome::New, _) => out.created += 1,
            (Outcome::Existing, Some(MatchedBy::BusinessId)) => out.matched_by_business_id += 1,
            (Outcome::Existing, _) => out.matched_by_name += 1,
            (Outcome::Duplicate, _) => out.already_members += 1,
            (Outcome::Conflict | Outcome::Error, _) => out.rejected.push(r),
        }
    }
    Ok(out)
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
