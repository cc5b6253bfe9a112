//! The employer's timeline: contacts, leads, stage changes and follow-ups, newest
//! first, with the next planned step and the step the IPS way suggests.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{
    contacts, employer_events, follow_ups, leads, outreach, planned_contacts, users,
};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::employers::service as employer_service;
use crate::domain::follow_ups::FollowUpStatus;
use crate::domain::outreach::history::{self, NextStep};
use crate::domain::outreach::{utc_string, OutreachRow};
use crate::domain::users::Actor;
use crate::error::AppError;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TimelineItem")]
pub struct Item {
    /// contact, lead, stage or follow_up
    pub kind: &'static str,
    pub id: i64,
    /// UTC instant, for sorting and display.
    #[serde(serialize_with = "ser_utc")]
    #[schemars(with = "chrono::DateTime<chrono::Utc>")]
    pub at: NaiveDateTime,
    pub who: Option<String>,
    pub title: String,
    pub detail: serde_json::Value,
}

fn ser_utc<S: serde::Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&utc_string(*t))
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Planned {
    /// plan or follow_up
    pub kind: &'static str,
    pub id: i64,
    pub on: NaiveDate,
    pub who: String,
    pub what: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Timeline {
    pub employer_id: i64,
    pub items: Vec<Item>,
    pub next_planned: Option<Planned>,
    pub suggested_step: NextStep,
    pub in_person_visits: i64,
}

/// The newest `limit` items of each kind, merged.
pub fn timeline(
    conn: &mut DbConn,
    actor: &Actor,
    employer_id: i64,
    today: NaiveDate,
    limit: i64,
) -> Result<Timeline, AppError> {
    let employer = employer_service::get(conn, actor, employer_id)?;
    let org = actor.org_id;
    let entries: Vec<(OutreachRow, String, Option<String>)> = db_run!(conn, |c| outreach::table
        .inner_join(users::table)
        .left_join(contacts::table.on(contacts::id.nullable().eq(outreach::contact_id)))
        .filter(outreach::organisation_id.eq(org))
        .filter(outreach::employer_id.eq(employer_id))
        .order((outreach::occurred_at.desc(), outreach::id.desc()))
        .limit(limit)
        .select((
            OutreachRow::as_select(),
            users::display_name,
            contacts::name.nullable()
        ))
        .load(c))?;
    let mut items: Vec<Item> = entries
        .into_iter()
        .map(|(o, who, contact)| Item {
            kind: "contact",
            id: o.id,
            at: o.occurred_at,
            who: Some(who),
            title: o.purpose.to_string(),
            detail: serde_json::json!({
                "channel": o.channel, "visit_kind": o.visit_kind, "purpose": o.purpose, "contact": contact,
                "specialist_id": o.specialist_id,
                "met_hiring_authority": o.met_hiring_authority, "client_present": o.client_present,
                "learned": o.learned, "outcome": o.outcome, "next_step": o.next_step, "next_step_due": o.next_step_due,
            }),
        })
        .collect();
    let found_leads: Vec<(i64, NaiveDateTime, String, String, Option<String>)> =
        db_run!(conn, |c| leads::table
            .left_join(users::table.on(users::id.nullable().eq(leads::found_by)))
            .filter(leads::organisation_id.eq(org))
            .filter(leads::employer_id.eq(employer_id))
            .order((leads::created_at.desc(), leads::id.desc()))
            .limit(limit)
            .select((
                leads::id,
                leads::created_at,
                leads::title,
                leads::status,
                users::display_name.nullable()
            ))
            .load(c))?;
    items.extend(
        found_leads
            .into_iter()
            .map(|(id, at, title, status, who)| Item {
                kind: "lead",
                id,
                at,
                who,
                title,
                detail: serde_json::json!({ "status": status }),
            }),
    );
    let events: Vec<(i64, NaiveDateTime, String, Option<String>)> =
        db_run!(conn, |c| employer_events::table
            .left_join(users::table.on(users::id.nullable().eq(employer_events::user_id)))
            .filter(employer_events::organisation_id.eq(org))
            .filter(employer_events::employer_id.eq(employer_id))
            .filter(employer_events::kind.eq(crate::domain::employers::EventKind::Stage))
            .order((
                employer_events::occurred_at.desc(),
                employer_events::id.desc()
            ))
            .limit(limit)
            .select((
                employer_events::id,
                employer_events::occurred_at,
                employer_events::detail,
                users::display_name.nullable()
            ))
            .load(c))?;
    items.extend(events.into_iter().map(|(id, at, detail, who)| {
        let (from, to) = detail
            .split_once('>')
            .map(|(a, b)| (Some(a.to_string()), b.to_string()))
            .unwrap_or((None, detail));
        Item {
            kind: "stage",
            id,
            at,
            who,
            title: to.clone(),
            detail: serde_json::json!({ "from": from, "to": to }),
        }
    }));
    let tasks: Vec<(
        i64,
        NaiveDateTime,
        String,
        NaiveDate,
        FollowUpStatus,
        String,
    )> = db_run!(conn, |c| follow_ups::table
        .inner_join(users::table.on(users::id.eq(follow_ups::assignee_id)))
        .filter(follow_ups::organisation_id.eq(org))
        .filter(follow_ups::employer_id.eq(employer_id))
        .order((follow_ups::created_at.desc(), follow_ups::id.desc()))
        .limit(limit)
        .select((
            follow_ups::id,
            follow_ups::created_at,
            follow_ups::title,
            follow_ups::due_on,
            follow_ups::status,
            users::display_name
        ))
        .load(c))?;
    let next_task = tasks
        .iter()
        .filter(|t| t.4 == FollowUpStatus::Open)
        .min_by_key(|t| t.3)
        .map(|t| Planned {
            kind: "follow_up",
            id: t.0,
            on: t.3,
            who: t.5.clone(),
            what: t.2.clone(),
        });
    items.extend(tasks.into_iter().map(|(id, at, title, due, status, who)| Item {
        kind: "follow_up",
        id,
        at,
        who: Some(who),
        title,
        detail: serde_json::json!({ "due_on": due, "status": status, "overdue": status == FollowUpStatus::Open && due < today }),
    }));
    items.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
    items.truncate(limit as usize);
    let next_plan: Option<(i64, NaiveDate, String, String)> =
        db_run!(conn, |c| planned_contacts::table
            .inner_join(users::table.on(users::id.eq(planned_contacts::specialist_id)))
            .filter(planned_contacts::organisation_id.eq(org))
            .filter(planned_contacts::employer_id.eq(employer_id))
            .filter(planned_contacts::status.eq(crate::domain::plan::PlanStatus::Planned))
            .filter(planned_contacts::planned_on.ge(today))
            .order((
                planned_contacts::planned_on.asc(),
                planned_contacts::id.asc()
            ))
            .select((
                planned_contacts::id,
                planned_contacts::planned_on,
                users::display_name,
                planned_contacts::purpose
            ))
            .first(c)
            .optional())?;
    let plan = next_plan.map(|(id, on, who, what)| Planned {
        kind: "plan",
        id,
        on,
        who,
        what,
    });
    let next_planned = match (plan, next_task) {
        (Some(p), Some(t)) => Some(if t.on < p.on { t } else { p }),
        (p, t) => p.or(t),
    };
    let suggested_step = history::next_step(conn, org, employer_id, employer.stage)?;
    let in_person_visits = history::in_person_visits(conn, org, employer_id, None)?;
    Ok(Timeline {
        employer_id,
        items,
        next_planned,
        suggested_step,
        in_person_visits,
    })
}
