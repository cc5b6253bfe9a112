//! The participants' call lists: built fairly, and reassigned by hand.

use std::collections::BTreeMap;

use chrono::Duration;
use diesel::prelude::*;

use super::{get, require_manager, ContactDay, DayStatus, Excluded, Target};
use crate::db::schema::{contact_day_targets as tgt, employers, outreach, planned_contacts};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::employers::Stage;
use crate::domain::users::{Actor, Role};
use crate::domain::Rules;
use crate::error::{AppError, FieldErrors, Msg};

/// Builds the call lists: the relationship owner keeps their employer, employers
/// contacted (or planned) within the collision window or marked do-not-contact are left
/// out with the reason, the rest go to whoever has the least expected effort so far (a
/// first contact counts double). No employer lands on two lists.
pub fn build_call_lists(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    rules: &Rules,
) -> Result<ContactDay, AppError> {
    let day = get(conn, actor, id)?;
    require_manager(actor, &day.row)?;
    if day.row.status == DayStatus::Cancelled {
        return Err(AppError::Conflict(FieldErrors::single(
            "status",
            Msg::new("error.day_cancelled"),
        )));
    }
    let people: Vec<i64> = day.participants.iter().map(|p| p.user_id).collect();
    if people.is_empty() {
        return Err(AppError::Validation(FieldErrors::single(
            "participant_ids",
            Msg::new("error.no_participants"),
        )));
    }
    let org = actor.org_id;
    let window = Duration::days(rules.collision_window_days);
    let start = crate::domain::week::local_midnight_utc(day.row.day, rules.tz);
    let ids: Vec<i64> = day.targets.iter().map(|t| t.employer_id).collect();
    let owners: Vec<(i64, Option<i64>)> = db_run!(conn, |c| employers::table
        .filter(employers::organisation_id.eq(org))
        .filter(employers::id.eq_any(&ids))
        .select((employers::id, employers::owner_id))
        .load(c))?;
    let recent: Vec<i64> = db_run!(conn, |c| outreach::table
        .filter(outreach::organisation_id.eq(org))
        .filter(outreach::employer_id.eq_any(&ids))
        .filter(outreach::occurred_at.ge(start - window))
        .filter(outreach::occurred_at.lt(start))
        .select(outreach::employer_id)
        .load(c))?;
    let planned: Vec<i64> = db_run!(conn, |c| planned_contacts::table
        .filter(planned_contacts::organisation_id.eq(org))
        .filter(planned_contacts::employer_id.eq_any(&ids))
        .filter(planned_contacts::status.eq(crate::domain::plan::PlanStatus::Planned))
        .filter(planned_contacts::planned_on.ge(day.row.day - window))
        .filter(planned_contacts::planned_on.le(day.row.day + window))
        .select(planned_contacts::employer_id)
        .load(c))?;
    let mut load: BTreeMap<i64, u32> = people.iter().map(|p| (*p, 0)).collect();
    let mut decided: Vec<(i64, Option<i64>, Option<Excluded>)> = Vec::new();
    let mut open: Vec<(&Target, u32)> = Vec::new();
    for t in &day.targets {
        let owner = owners
            .iter()
            .find(|o| o.0 == t.employer_id)
            .and_then(|o| o.1);
        let effort = if t.stage == Stage::NotContacted { 2 } else { 1 };
        if t.stage == Stage::DoNotContact {
            decided.push((t.employer_id, None, Some(Excluded::DoNotContact)));
        } else if recent.contains(&t.employer_id) {
            decided.push((t.employer_id, None, Some(Excluded::ContactedRecently)));
        } else if planned.contains(&t.employer_id) {
            decided.push((t.employer_id, None, Some(Excluded::PlannedByColleague)));
        } else if let Some(o) = owner.filter(|o| people.contains(o)) {
            *load.entry(o).or_default() += effort;
            decided.push((t.employer_id, Some(o), None));
        } else {
            open.push((t, effort));
        }
    }
    open.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.name.cmp(&b.0.name)));
    for (t, effort) in open {
        let who = *load
            .iter()
            .min_by_key(|(u, l)| (**l, **u))
            .map(|(u, _)| u)
            .unwrap_or(&people[0]);
        *load.entry(who).or_default() += effort;
        decided.push((t.employer_id, Some(who), None));
    }
    for (employer, who, why) in decided {
        db_run!(conn, |c| diesel::update(
            tgt::table
                .filter(tgt::contact_day_id.eq(id))
                .filter(tgt::organisation_id.eq(org))
                .filter(tgt::employer_id.eq(employer))
        )
        .set((tgt::assignee_id.eq(who), tgt::excluded_reason.eq(why)))
        .execute(c))?;
    }
    get(conn, actor, id)
}

/// The host (or a team lead) puts an employer on a participant's list: moved from
/// another list, or added during the day. A do-not-contact employer is refused.
pub fn assign(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    employer_id: i64,
    user_id: i64,
) -> Result<ContactDay, AppError> {
    actor.require_write()?;
    let day = get(conn, actor, id)?;
    if day.row.host_id != actor.user_id && !matches!(actor.role, Role::TeamLead | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    if !day.participants.iter().any(|p| p.user_id == user_id) {
        return Err(AppError::Validation(FieldErrors::single(
            "user_id",
            Msg::new("error.not_participant"),
        )));
    }
    if day.row.status == DayStatus::Cancelled {
        return Err(AppError::Conflict(FieldErrors::single(
            "status",
            Msg::new("error.day_cancelled"),
        )));
    }
    if !day.targets.iter().any(|t| t.employer_id == employer_id) {
        let stage: Option<Stage> = db_run!(conn, |c| employers::table
            .filter(employers::id.eq(employer_id))
            .filter(employers::organisation_id.eq(actor.org_id))
            .filter(employers::archived_at.is_null())
            .select(employers::stage)
            .first(c)
            .optional())?;
        match stage {
            None => {
                return Err(AppError::Validation(FieldErrors::single(
                    "employer_id",
                    Msg::new("error.unknown_employer"),
                )))
            }
            Some(Stage::DoNotContact) => crate::domain::employers::service::refuse_if_stopped(
                conn,
                actor.org_id,
                employer_id,
            )?,
            Some(_) => {}
        }
        db_run!(conn, |c| diesel::insert_into(tgt::table)
            .values((
                tgt::contact_day_id.eq(id),
                tgt::organisation_id.eq(actor.org_id),
                tgt::employer_id.eq(employer_id),
                tgt::assignee_id.eq(Some(user_id)),
            ))
            .execute(c))?;
        return get(conn, actor, id);
    }
    db_run!(conn, |c| diesel::update(
        tgt::table
            .filter(tgt::contact_day_id.eq(id))
            .filter(tgt::organisation_id.eq(actor.org_id))
            .filter(tgt::employer_id.eq(employer_id))
    )
    .set((
        tgt::assignee_id.eq(Some(user_id)),
        tgt::excluded_reason.eq(None::<Excluded>)
    ))
    .execute(c))?;
    get(conn, actor, id)
}
