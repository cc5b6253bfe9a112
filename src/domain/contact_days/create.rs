//! Planning a contact day: the input checked, the day (or series) written, everyone invited.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;

use super::{get, time, ContactDay, DayStatus};
use crate::db::schema::{
    contact_day_participants as part, contact_day_series as series, contact_day_targets as tgt,
    contact_days as days, employers,
};
use crate::db::{DbConn, Tx};
use crate::db_run;
use crate::domain::notices::{Kind, Notice, Notifier};
use crate::domain::outreach::parse_date;
use crate::domain::partners::members;
use crate::domain::recurrence::Recurrence;
use crate::domain::users::{user_in_org, Actor};
use crate::domain::validate::{optional_text, required_text};
use crate::domain::Rules;
use crate::error::{AppError, FieldErrors, Msg};

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ContactDayInput {
    #[schemars(extend("format" = "date"))]
    pub date: Option<String>,
    #[schemars(regex(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub starts_at: Option<String>,
    #[schemars(regex(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub ends_at: Option<String>,
    pub place: Option<String>,
    pub theme: Option<String>,
    pub participant_ids: Vec<i64>,
    pub target_employer_ids: Vec<i64>,
    /// Repeats the day: an RRULE such as `FREQ=MONTHLY;BYDAY=1TU;COUNT=6`.
    pub rrule: Option<String>,
    /// A partner whose member list the day works through: its members become targets
    /// and its name the theme (unless one is given).
    pub partner_id: Option<i64>,
}
/// Plans a contact day with its participants and target employers: the input is
/// checked, the day (or the series of days) written, and everyone invited.
pub fn create(
    conn: &mut Tx<'_>,
    actor: &Actor,
    input: ContactDayInput,
    notify: &dyn Notifier,
    rules: &Rules,
    now: NaiveDateTime,
) -> Result<ContactDay, AppError> {
    actor.require_write()?;
    let plan = check(conn, actor, input, now)?;
    let (first, whole_series) = write(conn, actor, &plan, now)?;
    let day = get(conn, actor, first)?;
    // One invitation for the whole series (RRULE), or for the one day.
    notify.day_notice(
        conn,
        rules,
        Notice {
            day: &day.row,
            kind: Kind::DayInvitation,
            to: &plan.people,
            was: None,
            dedupe_prefix: None,
            whole_series,
        },
        now,
    )?;
    Ok(day)
}

/// A checked plan: every value valid and every id the organisation's.
struct Plan {
    dates: Vec<NaiveDate>,
    starts: String,
    ends: String,
    place: String,
    theme: Option<String>,
    people: Vec<i64>,
    targets: Vec<i64>,
    recurrence: Option<Recurrence>,
}

fn check(
    conn: &mut DbConn,
    actor: &Actor,
    input: ContactDayInput,
    now: NaiveDateTime,
) -> Result<Plan, AppError> {
    let mut e = FieldErrors::default();
    let day = match input.date.as_deref().and_then(parse_date) {
        Some(d) => d,
        None => {
            e.add("date", Msg::new("error.date"));
            now.date()
        }
    };
    let starts = time(&mut e, "starts_at", input.starts_at, "09:00");
    let ends = time(&mut e, "ends_at", input.ends_at, "15:00");
    if ends <= starts {
        e.add("ends_at", Msg::new("error.end_before_start"));
    }
    let place = required_text(&mut e, "place", input.place, 200);
    let mut theme = optional_text(&mut e, "theme", input.theme, 300);
    let mut people = input.participant_ids.clone();
    people.sort_unstable();
    people.dedup();
    for (i, p) in input.participant_ids.iter().enumerate() {
        if !user_in_org(conn, actor.org_id, *p)? {
            e.add(
                &format!("participant_ids.{i}"),
                Msg::new("error.unknown_user"),
            );
        }
    }
    let mut targets = input.target_employer_ids.clone();
    if let Some(p) = input.partner_id {
        match crate::domain::partners::row(conn, actor, p) {
            Ok(partner) => {
                targets.extend(members::employer_ids(conn, actor.org_id, p)?);
                theme = theme.or(Some(partner.name));
            }
            Err(AppError::NotFound) => e.add("partner_id", Msg::new("error.unknown_partner")),
            Err(other) => return Err(other),
        }
    }
    targets.sort_unstable();
    targets.dedup();
    if !employers_exist(conn, actor.org_id, &targets)? {
        // Which of the given ones (a partner's members exist by construction).
        for (i, t) in input.target_employer_ids.iter().enumerate() {
            if !employers_exist(conn, actor.org_id, &[*t])? {
                e.add(
                    &format!("target_employer_ids.{i}"),
                    Msg::new("error.unknown_employer"),
                );
            }
        }
    }
    let recurrence = match input.rrule.as_deref().filter(|s| !s.trim().is_empty()) {
        None => None,
        Some(r) => match Recurrence::parse(r) {
            Ok(r) => Some(r),
            Err(key) => {
                e.add("rrule", Msg::new(key));
                None
            }
        },
    };
    let dates = match &recurrence {
        Some(r) => r.dates(day),
        None => vec![day],
    };
    if dates.is_empty() {
        e.add("rrule", Msg::new("rrule.empty"));
    }
    e.into_result()?;
    Ok(Plan {
        dates,
        starts: starts.format("%H:%M").to_string(),
        ends: ends.format("%H:%M").to_string(),
        place,
        theme,
        people,
        targets,
        recurrence,
    })
}

/// True when every id is a live employer of the organisation.
fn employers_exist(conn: &mut DbConn, org: i64, ids: &[i64]) -> Result<bool, AppError> {
    let known: i64 = db_run!(conn, |c| employers::table
        .filter(employers::organisation_id.eq(org))
        .filter(employers::id.eq_any(ids))
        .filter(employers::archived_at.is_null())
        .count()
        .get_result(c))?;
    Ok(known as usize == ids.len())
}

/// Writes the series (when the day repeats) and each day with its people and targets;
/// answers the first day's id and whether a series was written.
fn write(
    conn: &mut Tx<'_>,
    actor: &Actor,
    plan: &Plan,
    now: NaiveDateTime,
) -> Result<(i64, bool), AppError> {
    let Plan {
        dates,
        starts,
        ends,
        place,
        theme,
        people,
        targets,
        recurrence,
    } = plan;
    let series_id: Option<i64> = match recurrence {
        None => None,
        Some(r) => Some(db_run!(conn, |c| diesel::insert_into(series::table)
            .values((
                series::organisation_id.eq(actor.org_id),
                series::host_id.eq(actor.user_id),
                series::rrule.eq(r.to_rrule()),
                series::first_day.eq(dates[0]),
                series::starts_at.eq(starts),
                series::ends_at.eq(ends),
                series::place.eq(place),
                series::theme.eq(theme),
                series::sequence.eq(0),
                series::created_at.eq(now),
                series::updated_at.eq(now),
            ))
            .returning(series::id)
            .get_result(c))?),
    };
    let mut first = None;
    for date in dates {
        let rid = series_id.map(|_| crate::domain::calendar_series::recurrence_id(*date, starts));
        let id: i64 = db_run!(conn, |c| diesel::insert_into(days::table)
            .values((
                days::organisation_id.eq(actor.org_id),
                days::host_id.eq(actor.user_id),
                days::day.eq(date),
                days::starts_at.eq(starts),
                days::ends_at.eq(ends),
                days::place.eq(place),
                days::theme.eq(theme),
                days::status.eq(DayStatus::Planned),
                days::created_at.eq(now),
                days::updated_at.eq(now),
                days::series_id.eq(series_id),
                days::recurrence_id.eq(&rid),
            ))
            .returning(days::id)
            .get_result(c))?;
        first.get_or_insert(id);
        let prows: Vec<_> = people
            .iter()
            .map(|u| {
                (
                    part::contact_day_id.eq(id),
                    part::organisation_id.eq(actor.org_id),
                    part::user_id.eq(*u),
                )
            })
            .collect();
        let trows: Vec<_> = targets
            .iter()
            .map(|t| {
                (
                    tgt::contact_day_id.eq(id),
                    tgt::organisation_id.eq(actor.org_id),
                    tgt::employer_id.eq(*t),
                )
            })
            .collect();
        if !prows.is_empty() {
            db_run!(conn, |c| diesel::insert_into(part::table)
                .values(&prows)
                .execute(c))?;
        }
        if !trows.is_empty() {
            db_run!(conn, |c| diesel::insert_into(tgt::table)
                .values(&trows)
                .execute(c))?;
        }
    }
    Ok((first.unwrap_or_default(), series_id.is_some()))
}
