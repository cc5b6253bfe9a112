//! Matches for one job seeker (leads) or one lead (job seekers), within the organisation.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{clients, employers, leads};
use crate::db::scope::{in_org, Owned};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::matching::cache::LeadCache;
use crate::domain::matching::load::{open_leads, seekers};
use crate::domain::matching::{evaluate, rank, Kind, Match, Weights};
use crate::domain::users::Actor;
use crate::error::AppError;
use crate::i18n::{self, Lang};

#[derive(Debug, Clone, Serialize)]
pub struct ReasonView {
    pub kind: Kind,
    pub code: &'static str,
    pub share: f64,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatchView {
    pub lead_id: i64,
    pub client_id: i64,
    pub score: f64,
    pub reasons: Vec<ReasonView>,
    pub lead_title: String,
    pub employer_id: i64,
    pub employer_name: String,
    pub client_name: String,
}

pub fn translate(m: &Match, lang: Lang) -> Vec<ReasonView> {
    m.reasons
        .iter()
        .map(|r| {
            let args: Vec<(&str, String)> = r
                .args
                .iter()
                .map(|(k, v)| match *k {
                    // Municipalities travel as codes and read as names.
                    "place" => (
                        *k,
                        crate::domain::reference::MUNICIPALITIES
                            .get(v)
                            .map(|m| m.name(lang).to_string())
                            .unwrap_or_else(|| v.clone()),
                    ),
                    _ => (*k, v.clone()),
                })
                .collect();
            ReasonView {
                kind: r.kind,
                code: r.code,
                share: r.share,
                text: i18n::t_args(lang, &format!("match.{}", r.code), &args),
            }
        })
        .collect()
}

/// All matches for a job seeker, best first; the leads come from `cache` when given.
pub fn for_client(
    conn: &mut DbConn,
    actor: &Actor,
    client_id: i64,
    w: &Weights,
    cache: Option<&LeadCache>,
) -> Result<Vec<Match>, AppError> {
    if !in_org(conn, Owned::Client, actor.org_id, client_id)? {
        return Err(AppError::NotFound);
    }
    let Some(seeker) = seekers(conn, actor.org_id, Some(client_id))?.pop() else {
        return Ok(Vec::new());
    };
    let leads = match cache {
        Some(c) => c.open_leads(conn, actor.org_id)?,
        None => std::sync::Arc::new(open_leads(conn, actor.org_id, None)?),
    };
    Ok(rank(
        leads
            .iter()
            .filter_map(|l| evaluate(&seeker, l, w))
            .collect(),
    ))
}

/// All job seekers a lead matches, best first.
pub fn for_lead(
    conn: &mut DbConn,
    actor: &Actor,
    lead_id: i64,
    w: &Weights,
) -> Result<Vec<Match>, AppError> {
    let Some(lead) = open_leads(conn, actor.org_id, Some(lead_id))?.pop() else {
        return Err(AppError::NotFound);
    };
    let people = seekers(conn, actor.org_id, None)?;
    Ok(rank(
        people
            .iter()
            .filter_map(|s| evaluate(s, &lead, w))
            .collect(),
    ))
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
    let client_names: Vec<(i64, String)> = db_run!(conn, |c| clients::table
        .filter(clients::organisation_id.eq(actor.org_id))
        .filter(clients::id.eq_any(&client_ids))
        .select((clients::id, clients::display_name))
        .load(c))?;
    Ok(page
        .iter()
        .map(|m| {
            let l = lead_names.iter().find(|l| l.0 == m.lead_id);
            MatchView {
                lead_id: m.lead_id,
                client_id: m.client_id,
                score: m.score,
                reasons: translate(m, lang),
                lead_title: l.map(|l| l.1.clone()).unwrap_or_default(),
                employer_id: l.map(|l| l.2).unwrap_or_default(),
                employer_name: l.map(|l| l.3.clone()).unwrap_or_default(),
                client_name: client_names
                    .iter()
                    .find(|c| c.0 == m.client_id)
                    .map(|c| c.1.clone())
                    .unwrap_or_default(),
            }
        })
        .collect())
}
