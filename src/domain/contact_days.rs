//! Employer contact days: a team contacts employers together on one day. The day builds
//! each participant's call list, and contacts logged from the lists count on a live tally.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::{
    contact_day_participants as part, contact_day_series as series, contact_day_targets as tgt,
    contact_days as days, employers, leads, outreach, planned_contacts, users,
};
use crate::db::{DbConn, Tx};
use crate::db_run;
use crate::domain::employers::Stage;
use crate::domain::notices::{Kind, Notice, Notifier};
use crate::domain::outreach::parse_date;
use crate::domain::recurrence::Recurrence;
use crate::domain::users::{user_in_org, Actor, Role};
use crate::domain::validate::{optional_text, required_text};
use crate::domain::Rules;
use crate::error::{AppError, FieldErrors, Msg};

crate::closed_set! {
    pub enum DayStatus ("days.status") {
        Planned = "planned",
        Cancelled = "cancelled",
    }
}

crate::closed_set! {
    /// Why an employer was left off the call lists.
    pub enum Excluded ("days.reason") {
        DoNotContact = "do_not_contact",
        ContactedRecently = "contacted_recently",
        PlannedByColleague = "planned_by_colleague",
    }
}

#[derive(Debug, Clone, Serialize, Queryable, Selectable)]
#[diesel(table_name = days)]
pub struct ContactDayRow {
    pub id: i64,
    #[serde(skip)]
    pub organisation_id: i64,
    pub host_id: i64,
    pub day: NaiveDate,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub theme: Option<String>,
    pub status: DayStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Raised on every change, for the calendars' SEQUENCE.
    pub sequence: i32,
    /// The series this day is an occurrence of, and which occurrence (local start).
    pub series_id: Option<i64>,
    pub recurrence_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContactDayInput {
    pub date: Option<String>,
    pub starts_at: Option<String>,
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

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub user_id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub employer_id: i64,
    pub name: String,
    pub stage: Stage,
    pub assignee_id: Option<i64>,
    pub excluded_reason: Option<Excluded>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    pub contacts: i64,
    pub meetings_booked: i64,
    pub leads_found: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactDay {
    #[serde(flatten)]
    pub row: ContactDayRow,
    pub participants: Vec<Person>,
    pub targets: Vec<Target>,
    /// Per participant (user id) and in total.
    pub tally: BTreeMap<i64, Tally>,
    pub total: Tally,
}

fn time(e: &mut FieldErrors, field: &str, v: Option<String>, default: &str) -> NaiveTime {
    let v = v
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| default.to_string());
    NaiveTime::parse_from_str(v.trim(), "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(v.trim(), "%H.%M"))
        .unwrap_or_else(|_| {
            e.add(field, Msg::new("error.time"));
            NaiveTime::MIN
        })
}

/// Plans a contact day with its participants and target employers.
pub fn create(
    conn: &mut Tx<'_>,
    actor: &Actor,
    input: ContactDayInput,
    notify: &dyn Notifier,
    rules: &Rules,
    now: NaiveDateTime,
) -> Result<ContactDay, AppError> {
    actor.require_write()?;
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
    let theme = optional_text(&mut e, "theme", input.theme, 300);
    let mut people = input.participant_ids.clone();
    people.sort_unstable();
    people.dedup();
    for p in &people {
        if !user_in_org(conn, actor.org_id, *p)? {
            e.add("participant_ids", Msg::new("error.unknown_user"));
            break;
        }
    }
    let mut targets = input.target_employer_ids.clone();
    let mut theme = theme;
    if let Some(p) = input.partner_id {
        match crate::domain::partners::row(conn, actor, p) {
            Ok(partner) => {
                let org = actor.org_id;
                let members: Vec<i64> =
                    db_run!(conn, |c| crate::db::schema::partner_members::table
                        .inner_join(employers::table)
                        .filter(crate::db::schema::partner_members::organisation_id.eq(org))
                        .filter(crate::db::schema::partner_members::partner_id.eq(p))
                        .filter(employers::archived_at.is_null())
                        .select(employers::id)
                        .load(c))?;
                targets.extend(members);
                theme = theme.or(Some(partner.name));
            }
            Err(AppError::NotFound) => e.add("partner_id", Msg::new("error.unknown_partner")),
            Err(other) => return Err(other),
        }
    }
    targets.sort_unstable();
    targets.dedup();
    let known: i64 = db_run!(conn, |c| employers::table
        .filter(employers::organisation_id.eq(actor.org_id))
        .filter(employers::id.eq_any(&targets))
        .filter(employers::archived_at.is_null())
        .count()
        .get_result(c))?;
    if known as usize != targets.len() {
        e.add("target_employer_ids", Msg::new("error.unknown_employer"));
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
    let (starts, ends) = (
        starts.format("%H:%M").to_string(),
        ends.format("%H:%M").to_string(),
    );
    let series_id: Option<i64> = match &recurrence {
        None => None,
        Some(r) => Some(db_run!(conn, |c| diesel::insert_into(series::table)
            .values((
                series::organisation_id.eq(actor.org_id),
                series::host_id.eq(actor.user_id),
                series::rrule.eq(r.to_rrule()),
                series::first_day.eq(dates[0]),
                series::starts_at.eq(&starts),
                series::ends_at.eq(&ends),
                series::place.eq(&place),
                series::theme.eq(&theme),
                series::sequence.eq(0),
                series::created_at.eq(now),
                series::updated_at.eq(now),
            ))
            .returning(series::id)
            .get_result(c))?),
    };
    let mut first = None;
    for date in &dates {
        let rid = series_id.map(|_| crate::domain::calendar_series::recurrence_id(*date, &starts));
        let id: i64 = db_run!(conn, |c| diesel::insert_into(days::table)
            .values((
                days::organisation_id.eq(actor.org_id),
                days::host_id.eq(actor.user_id),
                days::day.eq(date),
                days::starts_at.eq(&starts),
                days::ends_at.eq(&ends),
                days::place.eq(&place),
                days::theme.eq(&theme),
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
    let day = get(conn, actor, first.unwrap_or_default())?;
    // One invitation for the whole series (RRULE), or for the one day.
    notify.day_notice(
        conn,
        rules,
        Notice {
            day: &day.row,
            kind: Kind::DayInvitation,
            to: &people,
            was: None,
            dedupe_prefix: None,
            whole_series: series_id.is_some(),
        },
        now,
    )?;
    Ok(day)
}

/// Everyone who should hear of a change: the participants and the host, but not the
/// person who made it.
fn everyone_but(day: &ContactDay, actor: &Actor) -> Vec<i64> {
    let mut to: Vec<i64> = day.participants.iter().map(|p| p.user_id).collect();
    to.push(day.row.host_id);
    to.sort_unstable();
    to.dedup();
    to.retain(|u| *u != actor.user_id);
    to
}

fn row(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<ContactDayRow, AppError> {
    db_run!(conn, |c| days::table
        .filter(days::id.eq(id))
        .filter(days::organisation_id.eq(actor.org_id))
        .select(ContactDayRow::as_select())
        .first(c)
        .optional())?
    .ok_or(AppError::NotFound)
}

/// employer id, name, stage, caller, reason left out
type TargetRow = (i64, String, Stage, Option<i64>, Option<Excluded>);

/// The day with its people, lists and tally.
pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<ContactDay, AppError> {
    let r = row(conn, actor, id)?;
    let org = actor.org_id;
    let participants: Vec<(i64, String)> = db_run!(conn, |c| part::table
        .inner_join(users::table.on(users::id.eq(part::user_id)))
        .filter(part::organisation_id.eq(org))
        .filter(part::contact_day_id.eq(id))
        .order(users::display_name.asc())
        .select((users::id, users::display_name))
        .load(c))?;
    let targets: Vec<TargetRow> = db_run!(conn, |c| tgt::table
        .inner_join(employers::table)
        .filter(tgt::organisation_id.eq(org))
        .filter(tgt::contact_day_id.eq(id))
        .order(employers::name_lower.asc())
        .select((
            employers::id,
            employers::name,
            employers::stage,
            tgt::assignee_id,
            tgt::excluded_reason
        ))
        .load(c))?;
    let logged: Vec<(i64, i64, Option<NaiveDate>)> = db_run!(conn, |c| outreach::table
        .filter(outreach::organisation_id.eq(org))
        .filter(outreach::contact_day_id.eq(Some(id)))
        .select((
            outreach::id,
            outreach::specialist_id,
            outreach::next_step_due
        ))
        .load(c))?;
    let ids: Vec<i64> = logged.iter().map(|l| l.0).collect();
    let lead_from: Vec<Option<i64>> = db_run!(conn, |c| leads::table
        .filter(leads::organisation_id.eq(org))
        .filter(leads::outreach_id.eq_any(&ids))
        .select(leads::outreach_id)
        .load(c))?;
    let mut tally: BTreeMap<i64, Tally> = participants
        .iter()
        .map(|(u, _)| (*u, Tally::default()))
        .collect();
    let mut total = Tally::default();
    for (oid, who, next_due) in &logged {
        let t = tally.entry(*who).or_default();
        let found = lead_from.iter().filter(|l| **l == Some(*oid)).count() as i64;
        t.contacts += 1;
        total.contacts += 1;
        if next_due.is_some() {
            t.meetings_booked += 1;
            total.meetings_booked += 1;
        }
        t.leads_found += found;
        total.leads_found += found;
    }
    Ok(ContactDay {
        row: r,
        participants: participants
            .into_iter()
            .map(|(user_id, name)| Person { user_id, name })
            .collect(),
        targets: targets
            .into_iter()
            .map(
                |(employer_id, name, stage, assignee_id, excluded_reason)| Target {
                    employer_id,
                    name,
                    stage,
                    assignee_id,
                    excluded_reason,
                },
            )
            .collect(),
        tally,
        total,
    })
}

/// The organisation's contact days around a date range.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ContactDayRow>, AppError> {
    Ok(db_run!(conn, |c| days::table
        .filter(days::organisation_id.eq(actor.org_id))
        .filter(days::day.ge(from))
        .filter(days::day.le(to))
        .order((days::day.asc(), days::id.asc()))
        .select(ContactDayRow::as_select())
        .load(c))?)
}

/// Cancelling, rebuilding and reassigning belong to the host, a team lead or an admin.
fn require_manager(actor: &Actor, day: &ContactDayRow) -> Result<(), AppError> {
    actor.require_write()?;
    if day.host_id != actor.user_id && !matches!(actor.role, Role::TeamLead | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

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

/// The host (or a team lead) moves one employer to another participant's list.
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
    if !day.targets.iter().any(|t| t.employer_id == employer_id) {
        return Err(AppError::Validation(FieldErrors::single(
            "employer_id",
            Msg::new("error.unknown_employer"),
        )));
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
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContactDayPatch {
    pub date: Option<String>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub place: Option<String>,
    pub theme: Option<String>,
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
    db_run!(conn, |c| diesel::update(
        days::table
            .filter(days::id.eq(id))
            .filter(days::organisation_id.eq(actor.org_id))
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
    for u in user_ids {
        if !user_in_org(conn, actor.org_id, *u)? {
            return Err(AppError::Validation(FieldErrors::single(
                "user_ids",
                Msg::new("error.unknown_user"),
            )));
        }
    }
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

/// True when the day is the organisation's and still planned (contacts may name it).
pub fn is_open(conn: &mut DbConn, org: i64, id: i64) -> Result<bool, AppError> {
    let n: i64 = db_run!(conn, |c| days::table
        .filter(days::id.eq(id))
        .filter(days::organisation_id.eq(org))
        .filter(days::status.eq(DayStatus::Planned))
        .count()
        .get_result(c))?;
    Ok(n > 0)
}

/// The days a user hosts or takes part in, within [from, to] (cancelled ones too, so
/// calendars can drop them).
pub fn days_of(
    conn: &mut DbConn,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ContactDayRow>, AppError> {
    let mine: Vec<i64> = db_run!(conn, |c| part::table
        .filter(part::organisation_id.eq(actor.org_id))
        .filter(part::user_id.eq(actor.user_id))
        .select(part::contact_day_id)
        .load(c))?;
    Ok(db_run!(conn, |c| days::table
        .filter(days::organisation_id.eq(actor.org_id))
        .filter(days::id.eq_any(&mine).or(days::host_id.eq(actor.user_id)))
        .filter(days::day.ge(from))
        .filter(days::day.le(to))
        .order((days::day.asc(), days::id.asc()))
        .select(ContactDayRow::as_select())
        .load(c))?)
}

/// The bare day, for its .ics.
pub fn row_of(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<ContactDayRow, AppError> {
    row(conn, actor, id)
}

#[derive(Debug, Clone, Serialize)]
pub struct Earlier {
    pub contact_day_id: i64,
    pub day: NaiveDate,
    pub contacts: i64,
}

/// What a day produced, for the after-day summary.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub total: Tally,
    /// (lead id, title, employer name)
    pub leads: Vec<(i64, String, String)>,
    /// (follow-up title, due date, employer name)
    pub follow_ups: Vec<(String, NaiveDate, String)>,
    /// Employers on the lists that nobody reached: to revisit.
    pub not_reached: Vec<(i64, String)>,
    /// The organisation's five earlier days that took place, newest first.
    pub earlier: Vec<Earlier>,
}

pub fn summary(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<Summary, AppError> {
    use crate::db::schema::follow_ups;
    let day = get(conn, actor, id)?;
    let org = actor.org_id;
    let logged: Vec<(i64, i64)> = db_run!(conn, |c| outreach::table
        .filter(outreach::organisation_id.eq(org))
        .filter(outreach::contact_day_id.eq(Some(id)))
        .select((outreach::id, outreach::employer_id))
        .load(c))?;
    let ids: Vec<i64> = logged.iter().map(|l| l.0).collect();
    let found: Vec<(i64, String, String)> = db_run!(conn, |c| leads::table
        .inner_join(employers::table)
        .filter(leads::organisation_id.eq(org))
        .filter(leads::outreach_id.eq_any(&ids))
        .select((leads::id, leads::title, employers::name))
        .load(c))?;
    let tasks: Vec<(String, NaiveDate, String)> = db_run!(conn, |c| follow_ups::table
        .inner_join(employers::table)
        .filter(follow_ups::organisation_id.eq(org))
        .filter(follow_ups::outreach_id.eq_any(&ids))
        .order(follow_ups::due_on.asc())
        .select((follow_ups::title, follow_ups::due_on, employers::name))
        .load(c))?;
    let reached: Vec<i64> = logged.iter().map(|l| l.1).collect();
    let not_reached = day
        .targets
        .iter()
        .filter(|t| t.assignee_id.is_some() && !reached.contains(&t.employer_id))
        .map(|t| (t.employer_id, t.name.clone()))
        .collect();
    let earlier_days: Vec<(i64, NaiveDate)> = db_run!(conn, |c| days::table
        .filter(days::organisation_id.eq(org))
        .filter(days::status.eq(DayStatus::Planned))
        .filter(days::day.lt(day.row.day))
        .order(days::day.desc())
        .limit(5)
        .select((days::id, days::day))
        .load(c))?;
    let mut earlier = Vec::new();
    for (eid, d) in earlier_days {
        let n: i64 = db_run!(conn, |c| outreach::table
            .filter(outreach::organisation_id.eq(org))
            .filter(outreach::contact_day_id.eq(Some(eid)))
            .count()
            .get_result(c))?;
        earlier.push(Earlier {
            contact_day_id: eid,
            day: d,
            contacts: n,
        });
    }
    Ok(Summary {
        total: day.total,
        leads: found,
        follow_ups: tasks,
        not_reached,
        earlier,
    })
}
