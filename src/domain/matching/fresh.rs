//! New matches for a specialist's own job seekers: leads found in the last seven days
//! that pass the cut-off, best first. The weekly digest mails them; the week page shows
//! them on the specialist's home.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{clients, employers, leads};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::matching::cache::LeadCache;
use crate::domain::matching::find::among;
use crate::domain::matching::MatchSettings;
use crate::domain::users::Actor;
use crate::error::AppError;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FreshMatch {
    pub lead_id: i64,
    pub client_id: i64,
    /// Rounded to whole points.
    pub score: i64,
    pub client: String,
    pub title: String,
    pub employer: String,
}

/// At most `limit`; a job seeker already proposed for a lead is not offered it again.
pub fn for_my_seekers(
    conn: &mut DbConn,
    actor: &Actor,
    m: &MatchSettings,
    cache: Option<&LeadCache>,
    now: NaiveDateTime,
    limit: usize,
) -> Result<Vec<FreshMatch>, AppError> {
    let fresh: Vec<(i64, String, String)> = db_run!(conn, |c| leads::table
        .inner_join(employers::table)
        .filter(leads::organisation_id.eq(actor.org_id))
        .filter(leads::created_at.ge(now - Duration::days(7)))
        .filter(leads::status.eq_any(crate::domain::leads::LeadStatus::OPEN))
        .select((leads::id, leads::title, employers::name))
        .load(c))?;
    if fresh.is_empty() {
        return Ok(Vec::new());
    }
    let mine: Vec<(i64, String)> = db_run!(conn, |c| clients::table
        .filter(clients::organisation_id.eq(actor.org_id))
        .filter(clients::specialist_id.eq(actor.user_id))
        .filter(clients::status.eq_any(crate::domain::clients::ClientStatus::ACTIVE))
        .select((clients::id, clients::display_name))
        .load(c))?;
    let client_ids: Vec<i64> = mine.iter().map(|c| c.0).collect();
    let lead_ids: Vec<i64> = fresh.iter().map(|l| l.0).collect();
    let hits = among(conn, actor, &client_ids, &lead_ids, m, cache)?;
    Ok(hits
        .iter()
        .filter_map(|hit| {
            let (_, title, employer) = fresh.iter().find(|l| l.0 == hit.lead_id)?;
            let (_, client) = mine.iter().find(|c| c.0 == hit.client_id)?;
            Some(FreshMatch {
                lead_id: hit.lead_id,
                client_id: hit.client_id,
                score: hit.score.round() as i64,
                client: client.clone(),
                title: title.clone(),
                employer: employer.clone(),
            })
        })
        .take(limit)
        .collect())
}
