//! The team meeting agenda e-mailed to each team member the day before the meeting, once
//! per team and week.

use chrono::{Duration, Timelike};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{teams, users};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::fidelity::agenda::{agenda, meeting_day, AgendaCtx};
use crate::domain::users::load_actor;
use crate::domain::week::{utc_to_local, Week};
use crate::error::AppError;
use crate::i18n;
use crate::mail::outbox::{enqueue, payload_of, recipients, Kind, NewMail};

pub fn schedule(conn: &mut DbConn, a: &AgendaCtx, send_hour: u32) -> Result<usize, AppError> {
    let local = utc_to_local(a.now, a.rules.tz);
    let tomorrow = local.date() + Duration::days(1);
    let week = Week::of(tomorrow);
    if local.hour() < send_hour || meeting_day(week, a.weekday) != tomorrow {
        return Ok(0);
    }
    let all: Vec<(i64, i64)> = db_run!(conn, |c| teams::table
        .select((teams::id, teams::organisation_id))
        .load(c))?;
    let mut n = 0;
    for (team, org) in all {
        let prefix = format!("team_agenda:{team}:{}", week.label());
        if crate::mail::digest::already(conn, &prefix)? {
            continue;
        }
        let members: Vec<i64> = db_run!(conn, |c| users::table
            .filter(users::organisation_id.eq(org))
            .filter(users::team_id.eq(Some(team)))
            .filter(users::active.eq(true))
            .filter(users::role.eq_any(crate::domain::users::Role::DEVELOPERS))
            .order(users::id.asc())
            .select(users::id)
            .load(c))?;
        let Some(first) = members.first() else {
            continue;
        };
        let Some(actor) = load_actor(conn, *first)? else {
            continue;
        };
        let ag = agenda(conn, &actor, team, week, a)?;
        for r in recipients(conn, org, &members, a.rules.default_lang)? {
            let leads = ag.new_leads.iter().map(|l| AgendaLead {
                title: &l.title,
                employer: &l.employer,
                fits: l
                    .matches
                    .iter()
                    .map(|m| m.0.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
            let payload = payload_of(&AgendaMessage {
                date: i18n::format_date(r.lang, ag.meeting_on),
                leads: leads.collect(),
                waiting: ag.waiting.len(),
                follow_ups: ag.follow_ups.len(),
                n_leads: ag.new_leads.len(),
                link: format!("/agenda?team_id={team}&week={}", week.label()),
            });
            let user = r.user_id;
            if enqueue(
                conn,
                NewMail {
                    org_id: org,
                    kind: Kind::TeamAgenda,
                    to: r,
                    payload,
                    ics: None,
                    dedupe_key: Some(format!("{prefix}:{user}")),
                },
                a.now,
            )? {
                n += 1;
            }
        }
    }
    Ok(n)
}

/// The team's weekly agenda mail: new leads with who fits, and what waits.
#[derive(Serialize)]
struct AgendaMessage<'a> {
    date: String,
    leads: Vec<AgendaLead<'a>>,
    waiting: usize,
    follow_ups: usize,
    n_leads: usize,
    link: String,
}

#[derive(Serialize)]
struct AgendaLead<'a> {
    title: &'a str,
    employer: &'a str,
    fits: String,
}
