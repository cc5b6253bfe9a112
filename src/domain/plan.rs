//! The weekly plan: planned visits and calls per day, follow-ups due, suggestions, and
//! the week's in-person contacts against the target.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::{employers, leads, outreach, planned_contacts, users};
use crate::db::{DbConn, Tx};
use crate::db_run;
use crate::domain::closed_set::Choice;
use crate::domain::contact_days::{ContactDayRow, DayStatus};
use crate::domain::employers::Stage;
use crate::domain::follow_ups::{self, FollowUp};
use crate::domain::leads::LeadStatus;
use crate::domain::outreach::guard::{self, Proposed};
use crate::domain::outreach::history;
use crate::domain::outreach::service::in_person_count;
use crate::domain::outreach::{parse_date, Channel, Purpose};
use crate::domain::users::{user_in_org, Actor};
use crate::domain::validate::{choice, optional_text};
use crate::domain::versioning::{self, Expected};
use crate::domain::week::{local_to_utc, Week};
use crate::domain::Rules;
use crate::error::{AppError, FieldErrors, Msg};

crate::closed_set! {
    /// Where a planned visit or call stands.
    pub enum PlanStatus ("plan_status") {
        Planned = "planned",
        Done = "done",
        Cancelled = "cancelled",
    }
}

#[derive(Debug, Clone, Serialize, Queryable, Selectable, schemars::JsonSchema)]
#[diesel(table_name = planned_contacts)]
pub struct PlannedRow {
    pub id: i64,
    pub specialist_id: i64,
    pub employer_id: i64,
    pub planned_on: NaiveDate,
    pub planned_time: Option<String>,
    pub channel: Channel,
    pub purpose: Purpose,
    pub note: Option<String>,
    pub status: PlanStatus,
    pub outreach_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Counts edits; a move names the version it started from (`domain::versioning`).
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PlanItem {
    #[serde(flatten)]
    pub row: PlannedRow,
    pub employer_name: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PlanInput {
    pub employer_id: Option<i64>,
    pub specialist_id: Option<i64>,
    #[schemars(extend("format" = "date"))]
    pub planned_on: Option<String>,
    #[schemars(regex(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub planned_time: Option<String>,
    pub channel: Option<Choice<Channel>>,
    pub purpose: Option<Choice<Purpose>>,
    pub note: Option<String>,
    #[serde(skip_serializing)]
    pub acknowledge_collisions: Option<bool>,
}

impl From<&PlanItem> for PlanInput {
    /// The item as an edit of itself: the base a patch is merged over.
    fn from(item: &PlanItem) -> Self {
        let r = &item.row;
        Self {
            employer_id: Some(r.employer_id),
            specialist_id: Some(r.specialist_id),
            planned_on: Some(r.planned_on.to_string()),
            planned_time: r.planned_time.clone(),
            channel: Some(Choice::Known(r.channel)),
            purpose: Some(Choice::Known(r.purpose)),
            note: r.note.clone(),
            acknowledge_collisions: None,
        }
    }
}

struct PlanDraft {
    employer_id: i64,
    specialist_id: i64,
    planned_on: NaiveDate,
    planned_time: Option<String>,
    channel: Channel,
    purpose: Option<Purpose>,
    note: Option<String>,
}

fn parse_time(s: &str) -> Option<String> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(s.trim(), "%H.%M"))
        .ok()
        .map(|t| t.format("%H:%M").to_string())
}

impl PlanInput {
    fn parse(self, actor: &Actor, today: NaiveDate) -> Result<PlanDraft, FieldErrors> {
        let mut e = FieldErrors::default();
        let planned_on = match self.planned_on.as_deref().filter(|s| !s.trim().is_empty()) {
            None => {
                e.add("planned_on", Msg::new("error.required"));
                today
            }
            Some(s) => match parse_date(s) {
                Some(d) if d < today - Duration::days(31) => {
                    e.add("planned_on", Msg::new("error.past_date"));
                    d
                }
                Some(d) => d,
                None => {
                    e.add("planned_on", Msg::new("error.date"));
                    today
                }
            },
        };
        let planned_time = match self
            .planned_time
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            None => None,
            Some(s) => parse_time(s).or_else(|| {
                e.add("planned_time", Msg::new("error.time"));
                None
            }),
        };
        let channel = choice(&mut e, "channel", self.channel).unwrap_or(Channel::InPerson);
        let purpose = choice(&mut e, "purpose", self.purpose);
        let note = optional_text(&mut e, "note", self.note, 1000);
        let employer_id = self.employer_id.unwrap_or_else(|| {
            e.add("employer_id", Msg::new("error.required"));
            0
        });
        if e.is_empty() {
            Ok(PlanDraft {
                employer_id,
                specialist_id: self.specialist_id.unwrap_or(actor.user_id),
                planned_on,
                planned_time,
                channel,
                purpose,
                note,
            })
        } else {
            Err(e)
        }
    }
}

fn noon_utc(day: NaiveDate, time: Option<&str>, rules: &Rules) -> NaiveDateTime {
    let t = time
        .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
        .unwrap_or(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
    local_to_utc(day.and_time(t), rules.tz)
}

fn employer_stage(
    conn: &mut DbConn,
    actor: &Actor,
    employer_id: i64,
) -> Result<Option<Stage>, AppError> {
    Ok(db_run!(conn, |c| employers::table
        .filter(employers::id.eq(employer_id))
        .filter(employers::organisation_id.eq(actor.org_id))
        .select(employers::stage)
        .first(c)
        .optional())?)
}

pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<PlanItem, AppError> {
    let found: Option<(PlannedRow, String)> = db_run!(conn, |c| planned_contacts::table
        .inner_join(employers::table)
        .filter(planned_contacts::id.eq(id))
        .filter(planned_contacts::organisation_id.eq(actor.org_id))
        .select((PlannedRow::as_select(), employers::name))
        .first(c)
        .optional())?;
    found
        .map(|(row, employer_name)| PlanItem { row, employer_name })
        .ok_or(AppError::NotFound)
}

/// Plans a visit or call.
pub fn create(
    conn: &mut Tx<'_>,
    actor: &Actor,
    input: PlanInput,
    now: NaiveDateTime,
    rules: &Rules,
) -> Result<PlanItem, AppError> {
    actor.require_write()?;
    let ack = input.acknowledge_collisions.unwrap_or(false);
    let today = crate::domain::week::utc_to_local(now, rules.tz).date();
    let d = input.parse(actor, today).map_err(AppError::Validation)?;
    let Some(stage) = employer_stage(conn, actor, d.employer_id)? else {
        return Err(AppError::Validation(FieldErrors::single(
            "employer_id",
            Msg::new("error.unknown_employer"),
        )));
    };
    if !user_in_org(conn, actor.org_id, d.specialist_id)? {
        return Err(AppError::Validation(FieldErrors::single(
            "specialist_id",
            Msg::new("error.unknown_user"),
        )));
    }
    // The stage is at hand; only a stopped employer costs the query for its reason.
    if stage == Stage::DoNotContact {
        crate::domain::employers::service::refuse_if_stopped(conn, actor.org_id, d.employer_id)?;
    }
    if !ack {
        let found = guard::check(conn, &proposed(actor, &d, None, rules))?;
        if !found.is_empty() {
            return Err(AppError::Collision(found));
        }
    }
    let purpose = match d.purpose {
        Some(p) => p,
        None => history::next_step(conn, actor.org_id, d.employer_id, stage)?.purpose(),
    };
    let id: i64 = db_run!(conn, |c| diesel::insert_into(planned_contacts::table)
        .values((
            planned_contacts::organisation_id.eq(actor.org_id),
            planned_contacts::specialist_id.eq(d.specialist_id),
            planned_contacts::employer_id.eq(d.employer_id),
            planned_contacts::planned_on.eq(d.planned_on),
            planned_contacts::planned_time.eq(&d.planned_time),
            planned_contacts::channel.eq(d.channel),
            planned_contacts::purpose.eq(purpose),
            planned_contacts::note.eq(&d.note),
            planned_contacts::status.eq(PlanStatus::Planned),
            planned_contacts::created_at.eq(now),
            planned_contacts::updated_at.eq(now),
        ))
        .returning(planned_contacts::id)
        .get_result(c))?;
    get(conn, actor, id)
}

fn proposed(actor: &Actor, d: &PlanDraft, except: Option<i64>, rules: &Rules) -> Proposed {
    Proposed {
        org_id: actor.org_id,
        employer_id: d.employer_id,
        specialist_id: d.specialist_id,
        at: noon_utc(d.planned_on, d.planned_time.as_deref(), rules),
        tz: rules.tz,
        window_days: rules.collision_window_days,
        except_outreach: None,
        except_plan: except,
    }
}

/// Moves or edits a planned contact (JSON merge patch over its fields).
pub fn patch(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    mut patch: serde_json::Map<String, serde_json::Value>,
    now: NaiveDateTime,
    rules: &Rules,
) -> Result<PlanItem, AppError> {
    actor.require_write()?;
    let current = get(conn, actor, id)?;
    actor.require_own(current.row.specialist_id)?;
    if current.row.status != PlanStatus::Planned {
        return Err(AppError::Conflict(FieldErrors::single(
            "status",
            Msg::new("error.plan_closed"),
        )));
    }
    let ack = patch
        .remove("acknowledge_collisions")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let expected = Expected::take_from(&mut patch)?;
    let base = PlanInput::from(&current);
    let input: PlanInput = crate::domain::validate::merge_patch(&base, patch)?;
    versioning::check(expected, current.row.version, &base, &input, &current)?;
    let today = crate::domain::week::utc_to_local(now, rules.tz).date();
    let mine = input.clone();
    let d = input.parse(actor, today).map_err(AppError::Validation)?;
    if employer_stage(conn, actor, d.employer_id)?.is_none() {
        return Err(AppError::Validation(FieldErrors::single(
            "employer_id",
            Msg::new("error.unknown_employer"),
        )));
    }
    if !user_in_org(conn, actor.org_id, d.specialist_id)? {
        return Err(AppError::Validation(FieldErrors::single(
            "specialist_id",
            Msg::new("error.unknown_user"),
        )));
    }
    let moved = d.planned_on != current.row.planned_on
        || d.employer_id != current.row.employer_id
        || d.specialist_id != current.row.specialist_id;
    if moved && !ack {
        let found = guard::check(conn, &proposed(actor, &d, Some(id), rules))?;
        if !found.is_empty() {
            return Err(AppError::Collision(found));
        }
    }
    let n = db_run!(conn, |c| diesel::update(
        planned_contacts::table
            .filter(planned_contacts::id.eq(id))
            .filter(planned_contacts::organisation_id.eq(actor.org_id))
            .filter(planned_contacts::version.eq(current.row.version))
    )
    .set((
        planned_contacts::version.eq(planned_contacts::version + 1),
        planned_contacts::employer_id.eq(d.employer_id),
        planned_contacts::specialist_id.eq(d.specialist_id),
        planned_contacts::planned_on.eq(d.planned_on),
        planned_contacts::planned_time.eq(&d.planned_time),
        planned_contacts::channel.eq(d.channel),
        planned_contacts::purpose.eq(d.purpose.unwrap_or(current.row.purpose)),
        planned_contacts::note.eq(&d.note),
        planned_contacts::updated_at.eq(now),
    ))
    .execute(c))?;
    let stored = get(conn, actor, id)?;
    if n == 0 {
        let theirs = PlanInput::from(&stored);
        return Err(versioning::stale(
            stored.row.version,
            &theirs,
            &mine,
            &stored,
        ));
    }
    Ok(stored)
}

pub fn cancel(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    now: NaiveDateTime,
) -> Result<PlanItem, AppError> {
    actor.require_write()?;
    let current = get(conn, actor, id)?;
    actor.require_own(current.row.specialist_id)?;
    if current.row.status == PlanStatus::Done {
        return Err(AppError::Conflict(FieldErrors::single(
            "status",
            Msg::new("error.plan_closed"),
        )));
    }
    // Cancelling twice changes nothing, so it is no new version either.
    if current.row.status == PlanStatus::Cancelled {
        return Ok(current);
    }
    db_run!(conn, |c| diesel::update(
        planned_contacts::table
            .filter(planned_contacts::id.eq(id))
            .filter(planned_contacts::organisation_id.eq(actor.org_id))
    )
    .set((
        planned_contacts::status.eq(PlanStatus::Cancelled),
        planned_contacts::updated_at.eq(now)
    ))
    .execute(c))?;
    get(conn, actor, id)
}

/// Links the logged entry to its plan (called by `outreach::service::create`).
pub fn mark_done(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    outreach_id: i64,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let current = get(conn, actor, id)?;
    actor.require_own(current.row.specialist_id)?;
    if current.row.status != PlanStatus::Planned {
        return Err(AppError::Conflict(FieldErrors::single(
            "planned_contact_id",
            Msg::new("error.plan_closed"),
        )));
    }
    db_run!(conn, |c| diesel::update(
        planned_contacts::table
            .filter(planned_contacts::id.eq(id))
            .filter(planned_contacts::organisation_id.eq(actor.org_id))
    )
    .set((
        planned_contacts::status.eq(PlanStatus::Done),
        planned_contacts::outreach_id.eq(Some(outreach_id)),
        planned_contacts::updated_at.eq(now)
    ))
    .execute(c))?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Day {
    pub date: NaiveDate,
    pub weekday: u32,
    pub planned: Vec<PlanItem>,
    /// Contacts logged that day that no plan item stands for (those show as done items).
    pub logged: Vec<Logged>,
    pub follow_ups: Vec<FollowUp>,
    /// Contact days the specialist hosts or takes part in, not cancelled.
    pub contact_days: Vec<ContactDayRow>,
}

/// A contact logged in the week, at its local time.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Logged {
    pub outreach_id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    pub at: NaiveDateTime,
    pub channel: Channel,
    pub purpose: Purpose,
    pub contact_day_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct WeekCount {
    pub week: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Counter {
    /// In-person contacts logged this week.
    pub count: i64,
    /// In-person visits still planned this week, from today on (missed ones not counted).
    pub planned: i64,
    pub target: i64,
    pub previous: Vec<WeekCount>,
}

#[derive(Debug, Clone, Serialize, Queryable, schemars::JsonSchema)]
pub struct QuietEmployer {
    pub employer_id: i64,
    pub name: String,
    pub stage: Stage,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StepEmployer {
    pub employer_id: i64,
    pub name: String,
    pub stage: Stage,
    pub step: history::NextStep,
}

#[derive(Debug, Clone, Serialize, Queryable, schemars::JsonSchema)]
pub struct OpenLead {
    pub lead_id: i64,
    pub title: String,
    pub employer_id: i64,
    pub employer_name: String,
    pub apply_by: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Suggestions {
    pub quiet_employers: Vec<QuietEmployer>,
    pub next_steps: Vec<StepEmployer>,
    pub leads_without_candidates: Vec<OpenLead>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct WeekPlan {
    pub week: String,
    pub user_id: i64,
    pub user_name: String,
    pub days: Vec<Day>,
    pub overdue_follow_ups: Vec<FollowUp>,
    pub in_person: Counter,
    pub suggestions: Suggestions,
}

const SUGGESTIONS: i64 = 8;

/// One specialist's week. Anyone in the organisation may look at a colleague's week.
pub fn week(
    conn: &mut DbConn,
    actor: &Actor,
    user_id: i64,
    week: Week,
    now: NaiveDateTime,
    rules: &Rules,
) -> Result<WeekPlan, AppError> {
    let user_name: String = db_run!(conn, |c| users::table
        .filter(users::id.eq(user_id))
        .filter(users::organisation_id.eq(actor.org_id))
        .select(users::display_name)
        .first(c)
        .optional())?
    .ok_or(AppError::NotFound)?;
    let today = crate::domain::week::utc_to_local(now, rules.tz).date();
    crate::domain::leads::expire_due(conn, actor.org_id, today, now)?;
    let days = week.days();
    let (first, last) = (days[0], days[6]);
    let items: Vec<(PlannedRow, String)> = db_run!(conn, |c| planned_contacts::table
        .inner_join(employers::table)
        .filter(planned_contacts::organisation_id.eq(actor.org_id))
        .filter(planned_contacts::specialist_id.eq(user_id))
        .filter(planned_contacts::planned_on.ge(first))
        .filter(planned_contacts::planned_on.le(last))
        .order((
            planned_contacts::planned_on.asc(),
            planned_contacts::planned_time.asc(),
            planned_contacts::id.asc()
        ))
        .select((PlannedRow::as_select(), employers::name))
        .load(c))?;
    let open = follow_ups::list_open(
        conn,
        actor,
        Some(user_id),
        Some(last + Duration::days(1)),
        today,
    )?;
    let overdue_follow_ups: Vec<FollowUp> = open
        .iter()
        // Everything due before today, also earlier days of this week.
        .filter(|f| f.row.due_on < today)
        .cloned()
        .collect();
    let (from, to) = week.utc_range(rules.tz);
    let logged = logged_in(conn, actor.org_id, user_id, from, to, rules)?;
    let contact_days: Vec<ContactDayRow> =
        crate::domain::contact_days::days_of(conn, actor.org_id, user_id, first, last)?
            .into_iter()
            .filter(|d| d.status != DayStatus::Cancelled)
            .collect();
    let planned = items
        .iter()
        .filter(|(r, _)| {
            r.status == PlanStatus::Planned
                && r.channel == Channel::InPerson
                && r.planned_on >= today
        })
        .count() as i64;
    let days = days
        .iter()
        .map(|d| Day {
            date: *d,
            weekday: d.weekday().number_from_monday(),
            planned: items
                .iter()
                .filter(|(r, _)| r.planned_on == *d)
                .map(|(row, n)| PlanItem {
                    row: row.clone(),
                    employer_name: n.clone(),
                })
                .collect(),
            logged: logged
                .iter()
                .filter(|l| l.at.date() == *d)
                .cloned()
                .collect(),
            follow_ups: open
                .iter()
                .filter(|f| f.row.due_on == *d)
                .cloned()
                .collect(),
            contact_days: contact_days
                .iter()
                .filter(|c| c.day == *d)
                .cloned()
                .collect(),
        })
        .collect();
    let count = in_person_count(conn, actor.org_id, user_id, from, to)?;
    let mut previous = Vec::new();
    let mut w = week;
    for _ in 0..4 {
        w = w.prev();
        let (f, t) = w.utc_range(rules.tz);
        previous.push(WeekCount {
            week: w.label(),
            count: in_person_count(conn, actor.org_id, user_id, f, t)?,
        });
    }
    let suggestions = suggestions(conn, actor, user_id, now, rules)?;
    Ok(WeekPlan {
        week: week.label(),
        user_id,
        user_name,
        days,
        overdue_follow_ups,
        in_person: Counter {
            count,
            planned,
            target: rules.weekly_target,
            previous,
        },
        suggestions,
    })
}

/// The specialist's contacts in [from, to) not logged from a plan item, local times.
fn logged_in(
    conn: &mut DbConn,
    org: i64,
    user_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
    rules: &Rules,
) -> Result<Vec<Logged>, AppError> {
    type Row = (
        i64,
        i64,
        String,
        NaiveDateTime,
        Channel,
        Purpose,
        Option<i64>,
    );
    let rows: Vec<Row> = db_run!(conn, |c| outreach::table
        .inner_join(employers::table)
        .filter(outreach::organisation_id.eq(org))
        .filter(outreach::specialist_id.eq(user_id))
        .filter(outreach::occurred_at.ge(from))
        .filter(outreach::occurred_at.lt(to))
        .filter(outreach::planned_contact_id.is_null())
        .order((outreach::occurred_at.asc(), outreach::id.asc()))
        .select((
            outreach::id,
            outreach::employer_id,
            employers::name,
            outreach::occurred_at,
            outreach::channel,
            outreach::purpose,
            outreach::contact_day_id,
        ))
        .load(c))?;
    Ok(rows
        .into_iter()
        .map(
            |(id, employer_id, employer_name, at, channel, purpose, contact_day_id)| Logged {
                outreach_id: id,
                employer_id,
                employer_name,
                at: crate::domain::week::utc_to_local(at, rules.tz),
                channel,
                purpose,
                contact_day_id,
            },
        )
        .collect())
}

fn suggestions(
    conn: &mut DbConn,
    actor: &Actor,
    user_id: i64,
    now: NaiveDateTime,
    rules: &Rules,
) -> Result<Suggestions, AppError> {
    let cutoff = now - Duration::days(rules.quiet_after_days);
    let org = actor.org_id;
    let quiet_employers: Vec<QuietEmployer> = db_run!(conn, |c| employers::table
        .filter(employers::organisation_id.eq(org))
        .filter(employers::owner_id.eq(user_id))
        .filter(employers::archived_at.is_null())
        .filter(employers::stage.eq_any(Stage::ONGOING))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            outreach::table
                .filter(outreach::organisation_id.eq(org))
                .filter(outreach::employer_id.eq(employers::id))
                .filter(outreach::occurred_at.ge(cutoff)),
        )))
        // Not quiet for long: a visit or call is already planned.
        .filter(diesel::dsl::not(diesel::dsl::exists(
            planned_contacts::table
                .filter(planned_contacts::organisation_id.eq(org))
                .filter(planned_contacts::employer_id.eq(employers::id))
                .filter(planned_contacts::status.eq(PlanStatus::Planned)),
        )))
        .order((employers::updated_at.asc(), employers::id.asc()))
        .limit(SUGGESTIONS)
        .select((employers::id, employers::name, employers::stage))
        .load(c))?;
    let early: Vec<(i64, String, Stage)> = db_run!(conn, |c| employers::table
        .filter(employers::organisation_id.eq(org))
        .filter(employers::owner_id.eq(user_id))
        .filter(employers::archived_at.is_null())
        .filter(employers::stage.eq_any([Stage::Introduced, Stage::LearningNeeds]))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            planned_contacts::table
                .filter(planned_contacts::organisation_id.eq(org))
                .filter(planned_contacts::employer_id.eq(employers::id))
                .filter(planned_contacts::status.eq(PlanStatus::Planned)),
        )))
        .order((employers::updated_at.asc(), employers::id.asc()))
        .limit(SUGGESTIONS)
        .select((employers::id, employers::name, employers::stage))
        .load(c))?;
    let mut next_steps = Vec::new();
    for (id, name, stage) in early {
        let step = history::next_step(conn, org, id, stage)?;
        next_steps.push(StepEmployer {
            employer_id: id,
            name,
            stage,
            step,
        });
    }
    let leads_without_candidates: Vec<OpenLead> = db_run!(conn, |c| leads::table
        .inner_join(employers::table)
        .filter(leads::organisation_id.eq(org))
        .filter(leads::status.eq(LeadStatus::Open))
        .order((leads::apply_by.asc(), leads::id.desc()))
        .limit(SUGGESTIONS)
        .select((
            leads::id,
            leads::title,
            leads::employer_id,
            employers::name,
            leads::apply_by
        ))
        .load(c))?;
    Ok(Suggestions {
        quiet_employers,
        next_steps,
        leads_without_candidates,
    })
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TeamMemberWeek {
    pub user_id: i64,
    pub name: String,
    pub planned_per_day: Vec<i64>,
    pub planned: Vec<PlanItem>,
    pub in_person: i64,
    pub target: i64,
}

/// The team's week on one page: everyone in the actor's team (or organisation).
pub fn team_week(
    conn: &mut DbConn,
    actor: &Actor,
    week: Week,
    rules: &Rules,
) -> Result<Vec<TeamMemberWeek>, AppError> {
    let members: Vec<(i64, String)> = db_run!(conn, |c| {
        let mut q = users::table
            .filter(users::organisation_id.eq(actor.org_id))
            .filter(users::active.eq(true))
            .filter(users::role.eq_any(crate::domain::users::Role::DEVELOPERS))
            .into_boxed::<Db>();
        if let Some(t) = actor.team_id {
            q = q.filter(users::team_id.eq(t));
        }
        q.order(users::display_name.asc())
            .select((users::id, users::display_name))
            .load(c)
    })?;
    let days = week.days();
    let (from, to) = week.utc_range(rules.tz);
    let mut out = Vec::new();
    for (uid, name) in members {
        let items: Vec<(PlannedRow, String)> = db_run!(conn, |c| planned_contacts::table
            .inner_join(employers::table)
            .filter(planned_contacts::organisation_id.eq(actor.org_id))
            .filter(planned_contacts::specialist_id.eq(uid))
            .filter(planned_contacts::planned_on.ge(days[0]))
            .filter(planned_contacts::planned_on.le(days[6]))
            .filter(planned_contacts::status.ne(PlanStatus::Cancelled))
            .order((
                planned_contacts::planned_on.asc(),
                planned_contacts::planned_time.asc()
            ))
            .select((PlannedRow::as_select(), employers::name))
            .load(c))?;
        let planned_per_day = days
            .iter()
            .map(|d| items.iter().filter(|(r, _)| r.planned_on == *d).count() as i64)
            .collect();
        out.push(TeamMemberWeek {
            user_id: uid,
            name,
            planned_per_day,
            planned: items
                .into_iter()
                .map(|(row, employer_name)| PlanItem { row, employer_name })
                .collect(),
            in_person: in_person_count(conn, actor.org_id, uid, from, to)?,
            target: rules.weekly_target,
        });
    }
    Ok(out)
}
