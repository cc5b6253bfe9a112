//! Changing a planned day: cancelling, moving, inviting, joining and leaving.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::{everyone_but, get, require_manager, row, time, ContactDay, ContactDayRow, DayStatus};
use crate::db::schema::{
    contact_day_participants as part, contact_day_series as series, contact_day_targets as tgt,
    contact_days as days,
};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::notices::{Kind, Notice, Notifier};
use crate::domain::outreach::parse_date;
use crate::domain::users::{user_in_org, Actor};
use crate::domain::validate::{optional_text, required_text};
use crate::domain::versioning::{self, Expected};
use crate::domain::Rules;
use crate::error::{AppError, FieldErrors, Msg};

/// Cancels the day; everyone is told (METHOD:CANCEL). Cancelling twice changes nothing.
pub fn cancel(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    notify: &dyn Notifier,
    rules: &Rules,
    now: NaiveDateTime,
) -> Result<ContactDay, AppError> {
    let current = row(conn, actor, id)?;
    require_manager(actor, &current)?;
    if current.status == DayStatus::Cancelled {
        return get(conn, actor, id);
    }
    db_run!(conn, |c| diesel::update(
        days::table
            .filter(days::id.eq(id))
            .filter(days::organisation_id.eq(actor.org_id))
    )
    .set((
        days::status.eq(DayStatus::Cancelled),
        days::updated_at.eq(now),
        days::sequence.eq(current.sequence + 1),
    ))
    .execute(c))?;
    if let Some(sid) = current.series_id {
        // The series' EXDATE list changes: calendars need a higher SEQUENCE.
        db_run!(conn, |c| diesel::update(
            series::table
                .filter(series::id.eq(sid))
                .filter(series::organisation_id.eq(actor.org_id))
        )
        .set((
            series::sequence.eq(series::sequence + 1),
            series::updated_at.eq(now)
        ))
        .execute(c))?;
    }
    let day = get(conn, actor, id)?;
    let to = everyone_but(&day, actor);
    notify.day_notice(
        conn,
        rules,
        Notice::about(&day.row, Kind::DayCancellation, &to, None),
        now,
    )?;
    Ok(day)
}

/// What moving a day may change; absent fields keep their value.
#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ContactDayPatch {
    #[schemars(extend("format" = "date"))]
    pub date: Option<String>,
    #[schemars(regex(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub starts_at: Option<String>,
    #[schemars(regex(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub ends_at: Option<String>,
    pub place: Option<String>,
    pub theme: Option<String>,
    /// The version this edit started from; an older one answers 409 (absent: any).
    pub version: Option<i32>,
}

/// Moves or edits a planned day (host, team lead or admin); everyone is told with an
/// update (METHOD:REQUEST, SEQUENCE raised) that shows what it was.
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    patch: ContactDayPatch,
    notify: &dyn Notifier,
    rules: &Rules,
    now: NaiveDateTime,
) -> Result<ContactDay, AppError> {
    let was = row(conn, actor, id)?;
    require_manager(actor, &was)?;
    if was.status == DayStatus::Cancelled {
        return Err(AppError::Conflict(FieldErrors::single(
            "status",
            Msg::new("error.day_cancelled"),
        )));
    }
    let expected = Expected(patch.version);
    let mine = ContactDayPatch {
        version: None,
        ..patch.clone()
    };
    // The stored day in the edit's shape, for the fields the edit sends.
    let stored = |d: &ContactDayRow| ContactDayPatch {
        date: mine.date.as_ref().and(Some(d.day.to_string())),
        starts_at: mine.starts_at.as_ref().and(Some(d.starts_at.clone())),
        ends_at: mine.ends_at.as_ref().and(Some(d.ends_at.clone())),
        place: mine.place.as_ref().and(Some(d.place.clone())),
        theme: mine.theme.as_ref().and(d.theme.clone()),
        version: None,
    };
    if expected.0.is_some_and(|v| v != was.version) {
        let now_day = get(conn, actor, id)?;
        return Err(versioning::stale(
            was.version,
            &stored(&was),
            &mine,
            &now_day,
        ));
    }
    let mut e = FieldErrors::default();
    let day = match patch.date.as_deref() {
        None => was.day,
        Some(s) => parse_date(s).unwrap_or_else(|| {
            e.add("date", Msg::new("error.date"));
            was.day
        }),
    };
    let starts = time(&mut e, "starts_at", patch.starts_at, &was.starts_at);
    let ends = time(&mut e, "ends_at", patch.ends_at, &was.ends_at);
    if ends <= starts {
        e.add("ends_at", Msg::new("error.end_before_start"));
    }
    let place = match patch.place {
        None => was.place.clone(),
        some => required_text(&mut e, "place", some, 200),
    };
    let theme = match patch.theme {
        None => was.theme.clone(),
        some => optional_text(&mut e, "theme", some, 300),
    };
    e.into_result()?;
    let (starts, ends) = (
        starts.format("%H:%M").to_string(),
        ends.format("%H:%M").to_string(),
    );
    let changed = day != was.day
        || starts != was.starts_at
        || ends != was.ends_at
        || place != was.place
        || theme != was.theme;
    if !changed {
        return get(conn, actor, id);
    }
    let rows = db_run!(conn, |c| diesel::update(
        days::table
            .filter(days::id.eq(id))
            .filter(days::organisation_id.eq(actor.org_id))
            .filter(days::version.eq(was.version))
    )
    .set((
        days::day.eq(day),
        days::starts_at.eq(&starts),
        days::ends_at.eq(&ends),
        days::place.eq(&place),
        days::theme.eq(&theme),
        days::updated_at.eq(now),
        days::sequence.eq(was.sequence + 1),
    ))
    .execute(c))?;
    versioning::applied(rows, || match get(conn, actor, id) {
        Ok(now) => versioning::stale(now.row.version, &stored(&now.row), &mine, &now),
        Err(e) => e,
    })?;
    let d = get(conn, actor, id)?;
    let to = everyone_but(&d, actor);
    notify.day_notice(
        conn,
        rules,
        Notice::about(&d.row, Kind::DayUpdate, &to, Some(&was)),
        now,
    )?;
    Ok(d)
}

fn add_participants(
    conn: &mut DbConn,
    org: i64,
    day: &ContactDay,
    ids: &[i64],
) -> Result<Vec<i64>, AppError> {
    let new: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|u| !day.participants.iter().any(|p| p.user_id == *u))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for u in &new {
        db_run!(conn, |c| diesel::insert_into(part::table)
            .values((
                part::contact_day_id.eq(day.row.id),
                part::organisation_id.eq(org),
                part::user_id.eq(*u),
            ))
            .execute(c))?;
    }
    Ok(new)
}

fn require_planned(day: &ContactDayRow) -> Result<(), AppError> {
    if day.status == DayStatus::Cancelled {
        return Err(AppError::Conflict(FieldErrors::single(
            "status",
            Msg::new("error.day_cancelled"),
        )));
    }
    Ok(())
}

/// The host (or a team lead) invites colleagues; each new participant gets the
/// invitation with the .ics.
pub fn invite(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    user_ids: &[i64],
    notify: &dyn Notifier,
    rules: &Rules,
    now: NaiveDateTime,
) -> Result<ContactDay, AppError> {
    let day = get(conn, actor, id)?;
    require_manager(actor, &day.row)?;
    require_planned(&day.row)?;
    if user_ids.is_empty() {
        return Err(AppError::Validation(FieldErrors::single(
            "user_ids",
            Msg::new("error.no_participants"),
        )));
    }
    let mut e = FieldErrors::default();
    for (i, u) in user_ids.iter().enumerate() {
        if !user_in_org(conn, actor.org_id, *u)? {
            e.add(&format!("user_ids.{i}"), Msg::new("error.unknown_user"));
        }
    }
    e.into_result()?;
    add_and_invite(conn, actor, &day, user_ids, notify, rules, now)
}

/// Adds the people not yet taking part and sends them the invitation.
fn add_and_invite(
    conn: &mut DbConn,
    actor: &Actor,
    day: &ContactDay,
    user_ids: &[i64],
    notify: &dyn Notifier,
    rules: &Rules,
    now: NaiveDateTime,
) -> Result<ContactDay, AppError> {
    let new = add_participants(conn, actor.org_id, day, user_ids)?;
    let d = get(conn, actor, day.row.id)?;
    notify.day_notice(
        conn,
        rules,
        Notice::about(&d.row, Kind::DayInvitation, &new, None),
        now,
    )?;
    Ok(d)
}

/// A specialist signs up for a planned day and gets the invitation for their calendar.
pub fn join(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    notify: &dyn Notifier,
    rules: &Rules,
    now: NaiveDateTime,
) -> Result<ContactDay, AppError> {
    actor.require_write()?;
    let day = get(conn, actor, id)?;
    require_planned(&day.row)?;
    add_and_invite(conn, actor, &day, &[actor.user_id], notify, rules, now)
}

/// A participant leaves: their employers go back unassigned (the host rebuilds or
/// reassigns), and their calendar gets the cancellation.
pub fn leave(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    notify: &dyn Notifier,
    rules: &Rules,
    now: NaiveDateTime,
) -> Result<ContactDay, AppError> {
    actor.require_write()?;
    let day = get(conn, actor, id)?;
    require_planned(&day.row)?;
    if !day.participants.iter().any(|p| p.user_id == actor.user_id) {
        return Ok(day);
    }
    let org = actor.org_id;
    let me = actor.user_id;
    db_run!(conn, |c| diesel::delete(
        part::table
            .filter(part::organisation_id.eq(org))
            .filter(part::contact_day_id.eq(id))
            .filter(part::user_id.eq(me))
    )
    .execute(c))?;
    db_run!(conn, |c| diesel::update(
        tgt::table
            .filter(tgt::organisation_id.eq(org))
            .filter(tgt::contact_day_id.eq(id))
            .filter(tgt::assignee_id.eq(Some(me)))
    )
    .set(tgt::assignee_id.eq(None::<i64>))
    .execute(c))?;
    let d = get(conn, actor, id)?;
    notify.day_notice(
        conn,
        rules,
        Notice::about(&d.row, Kind::DayCancellation, &[me], None),
        now,
    )?;
    Ok(d)
}
