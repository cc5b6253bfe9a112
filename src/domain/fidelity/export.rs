//! The contact log as a reviewer reads it, for exports: date, specialist, employer, how,
//! why, what was learnt, next step. Job seekers appear only as pseudonymous ids.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{employers, outreach, outreach_clients, users};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::outreach::{Channel, OnBehalf, Purpose, VisitKind};
use crate::domain::users::Actor;
use crate::domain::week::{local_midnight_utc, utc_to_local};
use crate::error::AppError;

use super::{Period, Scope};

#[derive(Debug, Clone)]
pub struct LogRow {
    pub date: String,
    pub time: String,
    pub specialist: String,
    pub employer: String,
    pub channel: Channel,
    pub visit_kind: VisitKind,
    pub met_hiring_authority: bool,
    pub on_behalf_of: OnBehalf,
    /// "J-12 J-40": pseudonymous, never names.
    pub job_seekers: String,
    pub purpose: Purpose,
    pub learned: String,
    pub next_step: String,
    pub planned: bool,
}

/// A job seeker as exports and the review pack name them.
pub fn pseudonym(client_id: i64) -> String {
    format!("J-{client_id}")
}

type Row = (
    i64,
    NaiveDateTime,
    String,
    String,
    Channel,
    VisitKind,
    bool,
    OnBehalf,
    Purpose,
    Option<String>,
    Option<String>,
    Option<i64>,
);

pub fn contact_log(
    conn: &mut DbConn,
    actor: &Actor,
    scope: Scope,
    period: Period,
    tz: chrono_tz::Tz,
) -> Result<Vec<LogRow>, AppError> {
    let people = super::load::specialists(conn, actor, scope)?;
    let org = actor.org_id;
    let (start, end) = (
        local_midnight_utc(period.from, tz),
        local_midnight_utc(period.to + Duration::days(1), tz),
    );
    let rows: Vec<Row> = db_run!(conn, |c| outreach::table
        .inner_join(employers::table)
        .inner_join(users::table)
        .filter(outreach::organisation_id.eq(org))
        .filter(outreach::specialist_id.eq_any(&people))
        .filter(outreach::occurred_at.ge(start))
        .filter(outreach::occurred_at.lt(end))
        .order((outreach::occurred_at.asc(), outreach::id.asc()))
        .select((
            outreach::id,
            outreach::occurred_at,
            users::display_name,
            employers::name,
            outreach::channel,
            outreach::visit_kind,
            outreach::met_hiring_authority,
            outreach::on_behalf_of,
            outreach::purpose,
            outreach::learned,
            outreach::next_step,
            outreach::planned_contact_id,
        ))
        .load(c))?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let links: Vec<(i64, i64)> = db_run!(conn, |c| outreach_clients::table
        .filter(outreach_clients::organisation_id.eq(org))
        .filter(outreach_clients::outreach_id.eq_any(&ids))
        .order(outreach_clients::client_id.asc())
        .select((outreach_clients::outreach_id, outreach_clients::client_id))
        .load(c))?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let local = utc_to_local(r.1, tz);
            LogRow {
                date: local.format("%Y-%m-%d").to_string(),
                time: local.format("%H:%M").to_string(),
                specialist: r.2,
                employer: r.3,
                channel: r.4,
                visit_kind: r.5,
                met_hiring_authority: r.6,
                on_behalf_of: r.7,
                job_seekers: links
                    .iter()
                    .filter(|l| l.0 == r.0)
                    .map(|l| pseudonym(l.1))
                    .collect::<Vec<_>>()
                    .join(" "),
                purpose: r.8,
                learned: r.9.unwrap_or_default(),
                next_step: r.10.unwrap_or_default(),
                planned: r.11.is_some(),
            }
        })
        .collect())
}
