//! Joint events with a partner (breakfast meetings, member evenings, recruitment fairs):
//! typed in or taken from the partner's imported calendar; who of us attended; each
//! employer met there is an ordinary contact log entry with channel "event", and leads
//! found from those entries count for the event.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::{
    employers, events as imported, leads, outreach, partner_event_attendees as att,
    partner_events as pe, users,
};
use crate::db::{DbConn, Tx};
use crate::db_run;
use crate::domain::closed_set::Choice;
use crate::domain::outreach::{parse_date, service as outreach_service, OutreachInput};
use crate::domain::users::{user_in_org, Actor};
use crate::domain::validate::{optional_text, required_text};
use crate::domain::Rules;
use crate::error::{AppError, FieldErrors, Msg};

#[derive(Debug, Clone, Serialize, Queryable, Selectable, schemars::JsonSchema)]
#[schemars(rename = "PartnerEventRow")]
#[diesel(table_name = pe)]
pub struct EventRow {
    pub id: i64,
    pub partner_id: i64,
    pub title: String,
    pub held_on: NaiveDate,
    pub place: Option<String>,
    pub notes: Option<String>,
    pub imported_event_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Met {
    pub outreach_id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    pub specialist_id: i64,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PartnerEvent")]
pub struct Event {
    #[serde(flatten)]
    pub row: EventRow,
    /// (user id, name)
    pub attendees: Vec<(i64, String)>,
    pub employers_met: Vec<Met>,
    /// (lead id, title)
    pub leads: Vec<(i64, String)>,
}

/// An imported calendar event: summary, start (UTC), all-day date, location.
type Imported = (
    String,
    Option<NaiveDateTime>,
    Option<NaiveDate>,
    Option<String>,
);

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EventInput {
    #[schemars(length(min = 1))]
    pub title: Option<String>,
    #[schemars(extend("format" = "date"))]
    pub held_on: Option<String>,
    pub place: Option<String>,
    pub notes: Option<String>,
    pub attendee_ids: Vec<i64>,
    /// An event imported from the partner's calendar: title, date and place come from it.
    pub imported_event_id: Option<i64>,
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    partner: i64,
    input: EventInput,
    rules: &Rules,
    now: NaiveDateTime,
) -> Result<Event, AppError> {
    actor.require_write()?;
    super::row(conn, actor, partner)?;
    let mut e = FieldErrors::default();
    let from_calendar: Option<Imported> = match input.imported_event_id {
        None => None,
        Some(id) => {
            let found = db_run!(conn, |c| imported::table
                .filter(imported::id.eq(id))
                .filter(imported::organisation_id.eq(actor.org_id))
                .select((
                    imported::summary,
                    imported::starts_at,
                    imported::start_date,
                    imported::location
                ))
                .first(c)
                .optional())?;
            if found.is_none() {
                e.add("imported_event_id", Msg::new("error.unknown_event"));
            }
            found
        }
    };
    let title = match (
        &from_calendar,
        input.title.as_deref().filter(|t| !t.trim().is_empty()),
    ) {
        (Some((t, ..)), None) => t.clone(),
        (_, given) => required_text(&mut e, "title", given.map(str::to_string), 300),
    };
    let held_on = match (
        &from_calendar,
        input.held_on.as_deref().filter(|t| !t.trim().is_empty()),
    ) {
        (Some((_, at, day, _)), None) => at
            .map(|t| crate::domain::week::utc_to_local(t, rules.tz).date())
            .or(*day)
            .unwrap_or(now.date()),
        (_, Some(s)) => parse_date(s).unwrap_or_else(|| {
            e.add("held_on", Msg::new("error.date"));
            now.date()
        }),
        (None, None) => {
            e.add("held_on", Msg::new("error.required"));
            now.date()
        }
    };
    let place = optional_text(&mut e, "place", input.place, 300)
        .or_else(|| from_calendar.as_ref().and_then(|f| f.3.clone()));
    let notes = optional_text(&mut e, "notes", input.notes, 4000);
    for u in &input.attendee_ids {
        if !user_in_org(conn, actor.org_id, *u)? {
            e.add("attendee_ids", Msg::new("error.unknown_user"));
            break;
        }
    }
    e.into_result()?;
    let id: i64 = db_run!(conn, |c| diesel::insert_into(pe::table)
        .values((
            pe::organisation_id.eq(actor.org_id),
            pe::partner_id.eq(partner),
            pe::title.eq(&title),
            pe::held_on.eq(held_on),
            pe::place.eq(&place),
            pe::notes.eq(&notes),
            pe::imported_event_id.eq(input.imported_event_id),
            pe::created_at.eq(now),
            pe::updated_at.eq(now),
        ))
        .returning(pe::id)
        .get_result(c))?;
    let mut people = input.attendee_ids.clone();
    people.sort_unstable();
    people.dedup();
    for u in people {
        db_run!(conn, |c| diesel::insert_into(att::table)
            .values((
                att::partner_event_id.eq(id),
                att::organisation_id.eq(actor.org_id),
                att::user_id.eq(u),
            ))
            .execute(c))?;
    }
    get(conn, actor, partner, id)
}

fn row(conn: &mut DbConn, actor: &Actor, partner: i64, id: i64) -> Result<EventRow, AppError> {
    db_run!(conn, |c| pe::table
        .filter(pe::id.eq(id))
        .filter(pe::partner_id.eq(partner))
        .filter(pe::organisation_id.eq(actor.org_id))
        .select(EventRow::as_select())
        .first(c)
        .optional())?
    .ok_or(AppError::NotFound)
}

pub fn get(conn: &mut DbConn, actor: &Actor, partner: i64, id: i64) -> Result<Event, AppError> {
    let r = row(conn, actor, partner, id)?;
    let org = actor.org_id;
    let attendees: Vec<(i64, String)> = db_run!(conn, |c| att::table
        .inner_join(users::table.on(users::id.eq(att::user_id)))
        .filter(att::organisation_id.eq(org))
        .filter(att::partner_event_id.eq(id))
        .order(users::display_name.asc())
        .select((users::id, users::display_name))
        .load(c))?;
    let met: Vec<(i64, i64, String, i64)> = db_run!(conn, |c| outreach::table
        .inner_join(employers::table)
        .filter(outreach::organisation_id.eq(org))
        .filter(outreach::partner_event_id.eq(Some(id)))
        .order(employers::name_lower.asc())
        .select((
            outreach::id,
            employers::id,
            employers::name,
            outreach::specialist_id
        ))
        .load(c))?;
    let ids: Vec<i64> = met.iter().map(|m| m.0).collect();
    let found: Vec<(i64, String)> = db_run!(conn, |c| leads::table
        .filter(leads::organisation_id.eq(org))
        .filter(leads::outreach_id.eq_any(&ids))
        .select((leads::id, leads::title))
        .load(c))?;
    Ok(Event {
        row: r,
        attendees,
        employers_met: met
            .into_iter()
            .map(
                |(outreach_id, employer_id, employer_name, specialist_id)| Met {
                    outreach_id,
                    employer_id,
                    employer_name,
                    specialist_id,
                },
            )
            .collect(),
        leads: found,
    })
}

pub fn list(conn: &mut DbConn, actor: &Actor, partner: i64) -> Result<Vec<EventRow>, AppError> {
    super::row(conn, actor, partner)?;
    let org = actor.org_id;
    Ok(db_run!(conn, |c| pe::table
        .filter(pe::organisation_id.eq(org))
        .filter(pe::partner_id.eq(partner))
        .order((pe::held_on.desc(), pe::id.desc()))
        .select(EventRow::as_select())
        .load(c))?)
}

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MetInput {
    pub employer_id: Option<i64>,
    pub specialist_id: Option<i64>,
    pub learned: Option<String>,
    pub next_step: Option<String>,
    #[schemars(extend("format" = "date"))]
    pub next_step_due: Option<String>,
}

/// Logs an employer met at the event: a contact log entry with channel "event" on the
/// event's day, and the employer attributed to the partner (via event) if it has none.
pub fn met(
    conn: &mut Tx<'_>,
    actor: &Actor,
    partner: i64,
    id: i64,
    input: MetInput,
    rules: &Rules,
    now: NaiveDateTime,
) -> Result<Event, AppError> {
    let ev = row(conn, actor, partner, id)?;
    let noon = ev
        .held_on
        .and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
    let entry = outreach_service::create(
        conn,
        actor,
        OutreachInput {
            occurred_at: Some(noon.format("%Y-%m-%dT%H:%M").to_string()),
            specialist_id: input.specialist_id,
            employer_id: input.employer_id,
            channel: Some(Choice::Known(crate::domain::outreach::Channel::Event)),
            learned: input.learned,
            next_step: input.next_step,
            next_step_due: input.next_step_due,
            // Meeting at a partner's event is not a visit a colleague could collide with.
            acknowledge_collisions: Some(true),
            ..Default::default()
        },
        now,
        rules,
    )?;
    let org = actor.org_id;
    db_run!(conn, |c| diesel::update(
        outreach::table
            .filter(outreach::id.eq(entry.id))
            .filter(outreach::organisation_id.eq(org))
    )
    .set(outreach::partner_event_id.eq(Some(id)))
    .execute(c))?;
    // Came through the event: from the event's day on.
    let since = crate::domain::week::local_midnight_utc(ev.held_on, rules.tz);
    super::members::attribute(
        conn,
        org,
        entry.employer_id,
        partner,
        super::Via::Event,
        since.min(now),
    )?;
    get(conn, actor, partner, id)
}
