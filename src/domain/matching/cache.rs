//! The organisation's open leads, prepared for matching, kept in memory between
//! requests. Loading them is most of the cost of a match request; a cheap fingerprint
//! (the newest change to the organisation's leads and employers, the number of leads
//! and of open ones) decides whether the copy is still current, so writes by any process, through
//! any code path, are seen on the next request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{employers, leads};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::matching::load::open_leads;
use crate::domain::matching::LeadFacts;
use crate::error::AppError;

type Fingerprint = (Option<NaiveDateTime>, i64, i64, Option<NaiveDateTime>);

/// An organisation's open leads as they were when the fingerprint was taken.
type Entry = (Fingerprint, Arc<Vec<LeadFacts>>);

#[derive(Default)]
pub struct LeadCache {
    orgs: Mutex<HashMap<i64, Entry>>,
}

fn fingerprint(conn: &mut DbConn, org: i64) -> Result<Fingerprint, AppError> {
    let (newest_lead, count): (Option<NaiveDateTime>, i64) = db_run!(conn, |c| leads::table
        .filter(leads::organisation_id.eq(org))
        .select((
            diesel::dsl::max(leads::updated_at),
            diesel::dsl::count_star()
        ))
        .first(c))?;
    let open: i64 = db_run!(conn, |c| leads::table
        .filter(leads::organisation_id.eq(org))
        .filter(leads::status.eq_any(crate::domain::leads::LeadStatus::OPEN))
        .count()
        .get_result(c))?;
    let newest_employer: Option<NaiveDateTime> = db_run!(conn, |c| employers::table
        .filter(employers::organisation_id.eq(org))
        .select(diesel::dsl::max(employers::updated_at))
        .first(c))?;
    Ok((newest_lead, count, open, newest_employer))
}

impl LeadCache {
    /// The open leads of `org`, from memory when nothing changed since they were read.
    pub fn open_leads(&self, conn: &mut DbConn, org: i64) -> Result<Arc<Vec<LeadFacts>>, AppError> {
        let fp = fingerprint(conn, org)?;
        if let Some((seen, leads)) = self
            .orgs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&org)
        {
            if *seen == fp {
                return Ok(leads.clone());
            }
        }
        let fresh = Arc::new(open_leads(conn, org, None)?);
        self.orgs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(org, (fp, fresh.clone()));
        Ok(fresh)
    }
}
