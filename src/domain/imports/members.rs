//! A partner's member list: employer rows judged as in an employer import; the new
//! employers are created and every row's employer becomes a member (once).

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::employers::{self as employer_rows, NewEmployer};
use super::{Mapping, Outcome, Report, Table};
use crate::db::schema::{employers, partner_members as pm};
use crate::db::Tx;
use crate::db_run;
use crate::domain::partners::members::MemberSource;
use crate::domain::partners::Via;
use crate::domain::users::Actor;
use crate::error::AppError;

const CHUNK: usize = 1000;

pub fn plan(
    conn: &mut Tx<'_>,
    actor: &Actor,
    partner: i64,
    table: &Table,
    mapping: &Mapping,
    report: &mut Report,
) -> Result<Vec<NewEmployer>, AppError> {
    actor.require_write()?;
    crate::domain::partners::row(conn, actor, partner)?;
    employer_rows::plan(conn, actor, table, mapping, report)
}

/// Creates the new employers and adds every matched or created one to the partner;
/// answers how many rows' employers were members already.
pub fn apply(
    conn: &mut Tx<'_>,
    actor: &Actor,
    partner: i64,
    new: &[NewEmployer],
    report: &mut Report,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let org = actor.org_id;
    employer_rows::apply(conn, actor, new, report, now)?;
    report.counts.imported = 0;
    let created: HashSet<usize> = new.iter().map(|n| n.row).collect();
    let before: HashSet<i64> = db_run!(conn, |c| pm::table
        .filter(pm::organisation_id.eq(org))
        .filter(pm::partner_id.eq(partner))
        .select(pm::employer_id)
        .load::<i64>(c))?
    .into_iter()
    .collect();
    let mut already = 0;
    let mut adding: Vec<(i64, MemberSource)> = Vec::new();
    let mut seen = HashSet::new();
    for (i, r) in report.rows.iter().enumerate() {
        let Some(id) =
            r.id.filter(|_| matches!(r.outcome, Outcome::New | Outcome::Existing))
        else {
            continue;
        };
        if before.contains(&id) || !seen.insert(id) {
            already += 1;
            continue;
        }
        let source = if created.contains(&i) {
            MemberSource::MemberListNew
        } else {
            MemberSource::MemberList
        };
        adding.push((id, source));
    }
    for chunk in adding.chunks(CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(id, source)| {
                (
                    pm::organisation_id.eq(org),
                    pm::partner_id.eq(partner),
                    pm::employer_id.eq(*id),
                    pm::source.eq(*source),
                    pm::added_at.eq(now),
                )
            })
            .collect();
        db_run!(conn, |c| diesel::insert_into(pm::table)
            .values(&rows)
            .execute(c))?;
        // The first partner an employer came through keeps it.
        let ids: Vec<i64> = chunk.iter().map(|(id, _)| *id).collect();
        db_run!(conn, |c| diesel::update(
            employers::table
                .filter(employers::organisation_id.eq(org))
                .filter(employers::id.eq_any(&ids))
                .filter(employers::partner_id.is_null())
        )
        .set((
            employers::partner_id.eq(Some(partner)),
            employers::partner_via.eq(Some(Via::MemberList)),
            employers::partner_since.eq(Some(now)),
        ))
        .execute(c))?;
    }
    report.counts.imported = adding.len();
    Ok(already)
}
