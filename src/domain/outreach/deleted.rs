//! Deleted contact-log entries, kept as they were: the author (or a team lead) may take
//! an entry out of the log, but a team lead can still see what it said and who removed it.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::Outreach;
use crate::db::schema::{deleted_outreach as d, employers, users};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::users::{Actor, Role};
use crate::error::AppError;

/// Keeps the entry as it is now, before it leaves the log.
pub fn keep(
    conn: &mut DbConn,
    actor: &Actor,
    entry: &Outreach,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let json = serde_json::to_string(entry).map_err(AppError::internal)?;
    db_run!(conn, |c| diesel::insert_into(d::table)
        .values((
            d::organisation_id.eq(actor.org_id),
            d::outreach_id.eq(entry.id),
            d::employer_id.eq(entry.employer_id),
            d::specialist_id.eq(entry.specialist_id),
            d::entry.eq(&json),
            d::deleted_by.eq(actor.user_id),
            d::deleted_at.eq(now),
        ))
        .execute(c))?;
    Ok(())
}

/// A deleted entry as a team lead reads it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Deleted {
    pub outreach_id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    pub deleted_by: Option<i64>,
    pub deleted_by_name: Option<String>,
    /// UTC, RFC 3339.
    pub deleted_at: String,
    /// The entry as it was when deleted.
    #[schemars(with = "serde_json::Value")]
    pub entry: serde_json::Value,
}

/// Deleted entries, newest first (team leads and admins), optionally of one employer.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    employer: Option<i64>,
) -> Result<Vec<Deleted>, AppError> {
    if !matches!(actor.role, Role::TeamLead | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    type Row = (i64, i64, String, Option<i64>, NaiveDateTime, String);
    let rows: Vec<(Row, Option<String>)> = db_run!(conn, |c| {
        let mut q = d::table
            .inner_join(employers::table.on(employers::id.eq(d::employer_id)))
            .left_join(users::table.on(users::id.nullable().eq(d::deleted_by)))
            .filter(d::organisation_id.eq(actor.org_id))
            .into_boxed::<Db>();
        if let Some(e) = employer {
            q = q.filter(d::employer_id.eq(e));
        }
        q.order((d::deleted_at.desc(), d::id.desc()))
            .limit(500)
            .select((
                (
                    d::outreach_id,
                    d::employer_id,
                    employers::name,
                    d::deleted_by,
                    d::deleted_at,
                    d::entry,
                ),
                users::display_name.nullable(),
            ))
            .load(c)
    })?;
    Ok(rows
        .into_iter()
        .map(
            |((outreach_id, employer_id, employer_name, by, at, entry), by_name)| Deleted {
                outreach_id,
                employer_id,
                employer_name,
                deleted_by: by,
                deleted_by_name: by_name,
                deleted_at: super::utc_string(at),
                entry: serde_json::from_str(&entry).unwrap_or_default(),
            },
        )
        .collect())
}
