//! Matches for one job seeker (leads) or one lead (job seekers), within the organisation:
//! only those that pass the cut-off (`listed`), and never a pair already proposed.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{clients, employers, leads, users};
use crate::db::scope::{in_org, Owned};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::matching::cache::LeadCache;
use crate::domain::matching::load::{histories, open_leads, seekers, Who};
use crate::domain::matching::text::{self, ReasonView};
use crate::domain::matching::{
    could_list, evaluate, listed, rank, LeadFacts, Match, MatchSettings, Seeker,
};
use crate::domain::proposals::{self, Of};
use crate::domain::users::Actor;
use crate::error::AppError;
use crate::i18n::Lang;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MatchView {
    pub lead_id: i64,
    pub client_id: i64,
    pub score: f64,
    pub reasons: Vec<ReasonView>,
    pub lead_title: String,
    pub employer_id: i64,
    pub employer_name: String,
    pub client_name: String,
    /// The job seeker's employment specialist.
    pub specialist_id: i64,
    pub specialist_name: String,
}

/// The listed matches of `people` × `leads`, best first, leaving out proposed pairs. The
/// employers' history is loaded once for the batch, and only for the employers of pairs
/// that could reach the cut-off with it.
fn judge(
    conn: &mut DbConn,
    org: i64,
    people: &[Seeker],
    leads: &[LeadFacts],
    proposed: &HashSet<(i64, i64)>,
    m: &MatchSettings,
) -> Result<Vec<Match>, AppError> {
    let w = &m.weights;
    let mut maybe: Vec<(usize, usize)> = Vec::new();
    for (i, s) in people.iter().enumerate() {
        for (j, l) in leads.iter().enumerate() {
            if proposed.contains(&(l.lead_id, s.client_id)) {
                continue;
            }
            if evaluate(s, l, w).is_some_and(|x| could_list(&x, m.min_score, w)) {
                maybe.push((i, j));
            }
        }
    }
    let mut employers: Vec<i64> = maybe.iter().map(|&(_, j)| leads[j].employer_id).collect();
    employers.sort_unstable();
    employers.dedup();
    let known = histories(conn, org, &employers, m.tz)?;
    let mut told: HashMap<usize, LeadFacts> = HashMap::new();
    for &(_, j) in &maybe {
        if let Some(h) = known.get(&leads[j].employer_id) {
            told.entry(j).or_insert_with(|| LeadFacts {
                history: h.clone(),
                ..leads[j].clone()
            });
        }
    }
    Ok(rank(
        maybe
            .into_iter()
            .filter_map(|(i, j)| evaluate(&people[i], told.get(&j).unwrap_or(&leads[j]), w))
            .filter(|x| listed(x, m.min_score))
            .collect(),
    ))
}

/// The listed matches for a job seeker, best first; the leads come from `cache` when given.
pub fn for_client(
    conn: &mut DbConn,
    actor: &Actor,
    client_id: i64,
    m: &MatchSettings,
    cache: Option<&LeadCache>,
) -> Result<Vec<Match>, AppError> {
    if !in_org(conn, Owned::Client, actor.org_id, client_id)? {
        return Err(AppError::NotFound);
    }
    let people = seekers(conn, actor.org_id, Who::One(client_id))?;
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let leads = match cache {
        Some(c) => c.open_leads(conn, actor.org_id)?,
        None => std::sync::Arc::new(open_leads(conn, actor.org_id, None)?),
    };
    let proposed = proposals::pairs(conn, actor.org_id, Of::Client(client_id))?;
    judge(conn, actor.org_id, &people, &leads, &proposed, m)
}

/// The listed job seekers for a lead, best first.
pub fn for_lead(
    conn: &mut DbConn,
    actor: &Actor,
    lead_id: i64,
    m: &MatchSettings,
) -> Result<Vec<Match>, AppError> {
    let lead = open_leads(conn, actor.org_id, Some(lead_id))?;
    if lead.is_empty() {
        return Err(AppError::NotFound);
    }
    let people = seekers(conn, actor.org_id, Who::Searching)?;
    let proposed = proposals::pairs(conn, actor.org_id, Of::Lead(lead_id))?;
    judge(conn, actor.org_id, &people, &lead, &proposed, m)
}

/// The listed matches between these job seekers (whatever their status) and these open
/// leads of the actor's organisation, best first: the weekly digest's new matches.
pub fn among(
    conn: &mut DbConn,
    actor: &Actor,
    client_ids: &[i64],
    lead_ids: &[i64],
    m: &MatchSettings,
    cache: Option<&LeadCache>,
) -> Result<Vec<Match>, AppError> {
    if client_ids.is_empty() || lead_ids.is_empty() {
        return Ok(Vec::new());
    }
    let people = seekers(conn, actor.org_id, Who::These(client_ids))?;
    let all = match cache {
        Some(c) => c.open_leads(conn, actor.org_id)?,
        None => std::sync::Arc::new(open_leads(conn, actor.org_id, None)?),
    };
    let leads: Vec<LeadFacts> = all
        .iter()
        .filter(|l| lead_ids.contains(&l.lead_id))
        .cloned()
        .collect();
    let proposed = proposals::pairs(conn, actor.org_id, Of::Clients(client_ids))?;
    judge(conn, actor.org_id, &people, &leads, &proposed, m)
}

/// A page of matches with the names people read.
pub fn views(
    conn: &mut DbConn,
    actor: &Actor,
    page: &[Match],
    lang: Lang,
) -> Result<Vec<MatchView>, AppError> {
    let lead_ids: Vec<i64> = page.iter().map(|m| m.lead_id).collect();
    let client_ids: Vec<i64> = page.iter().map(|m| m.client_id).collect();
    let lead_names: Vec<(i64, String, i64, String)> = db_run!(conn, |c| leads::table
        .inner_join(employers::table)
        .filter(leads::organisation_id.eq(actor.org_id))
        .filter(leads::id.eq_any(&lead_ids))
        .select((leads::id, leads::title, employers::id, employers::name))
        .load(c))?;
    let client_names: Vec<(i64, String, i64)> = db_run!(conn, |c| clients::table
        .filter(clients::organisation_id.eq(actor.org_id))
        .filter(clients::id.eq_any(&client_ids))
        .select((clients::id, clients::display_name, clients::specialist_id))
        .load(c))?;
    let specialist_ids: Vec<i64> = client_names.iter().map(|c| c.2).collect();
    let specialists: HashMap<i64, String> = db_run!(conn, |c| users::table
        .filter(users::organisation_id.eq(actor.org_id))
        .filter(users::id.eq_any(&specialist_ids))
        .select((users::id, users::display_name))
        .load::<(i64, String)>(c))?
    .into_iter()
    .collect();
    Ok(page
        .iter()
        .map(|m| {
            let l = lead_names.iter().find(|l| l.0 == m.lead_id);
            let c = client_names.iter().find(|c| c.0 == m.client_id);
            let specialist_id = c.map(|c| c.2).unwrap_or_default();
            MatchView {
                lead_id: m.lead_id,
                client_id: m.client_id,
                score: m.score,
                reasons: text::reasons(m, lang),
                lead_title: l.map(|l| l.1.clone()).unwrap_or_default(),
                employer_id: l.map(|l| l.2).unwrap_or_default(),
                employer_name: l.map(|l| l.3.clone()).unwrap_or_default(),
                client_name: c.map(|c| c.1.clone()).unwrap_or_default(),
                specialist_id,
                specialist_name: specialists.get(&specialist_id).cloned().unwrap_or_default(),
            }
        })
        .collect())
}
