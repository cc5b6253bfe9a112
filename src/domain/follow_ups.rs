//! Follow-ups: the next steps of contacts, as tasks on a specialist's list.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::{employers, follow_ups};
use crate::db::scope::{in_org, Owned};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::outreach::parse_date;
use crate::domain::users::{user_in_org, Actor};
use crate::domain::validate::required_text;
use crate::domain::versioning::{self, Expected};
use crate::error::{AppError, FieldErrors, Msg};

crate::closed_set! {
    pub enum FollowUpStatus ("follow_up_status") {
        Open = "open",
        Done = "done",
    }
}

#[derive(Debug, Clone, Serialize, Queryable, Selectable, schemars::JsonSchema)]
#[diesel(table_name = follow_ups)]
pub struct FollowUpRow {
    pub id: i64,
    pub employer_id: i64,
    pub outreach_id: Option<i64>,
    pub assignee_id: i64,
    pub title: String,
    pub due_on: NaiveDate,
    pub status: FollowUpStatus,
    pub done_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Counts saves; an edit names the version it started from (`domain::versioning`).
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FollowUp {
    #[serde(flatten)]
    pub row: FollowUpRow,
    pub employer_name: String,
    pub overdue: bool,
}

#[allow(clippy::too_many_arguments)]
pub fn create_for(
    conn: &mut DbConn,
    actor: &Actor,
    employer_id: i64,
    outreach_id: Option<i64>,
    assignee_id: i64,
    title: &str,
    due_on: NaiveDate,
    now: NaiveDateTime,
) -> Result<FollowUpRow, AppError> {
    Ok(db_run!(conn, |c| diesel::insert_into(follow_ups::table)
        .values((
            follow_ups::organisation_id.eq(actor.org_id),
            follow_ups::employer_id.eq(employer_id),
            follow_ups::outreach_id.eq(outreach_id),
            follow_ups::assignee_id.eq(assignee_id),
            follow_ups::title.eq(title),
            follow_ups::due_on.eq(due_on),
            follow_ups::status.eq(FollowUpStatus::Open),
            follow_ups::created_at.eq(now),
            follow_ups::updated_at.eq(now),
        ))
        .returning(FollowUpRow::as_returning())
        .get_result(c))?)
}

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct FollowUpInput {
    pub employer_id: Option<i64>,
    #[schemars(length(min = 1))]
    pub title: Option<String>,
    #[schemars(extend("format" = "date"))]
    pub due_on: Option<String>,
    pub assignee_id: Option<i64>,
}

/// A follow-up typed in by hand (not from a contact).
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    input: FollowUpInput,
    now: NaiveDateTime,
) -> Result<FollowUpRow, AppError> {
    actor.require_write()?;
    let mut e = FieldErrors::default();
    let title = required_text(&mut e, "title", input.title, 500);
    let due = match input.due_on.as_deref().and_then(parse_date) {
        Some(d) => d,
        None => {
            e.add("due_on", Msg::new("error.date"));
            now.date()
        }
    };
    let Some(employer_id) = input.employer_id else {
        e.add("employer_id", Msg::new("error.required"));
        return Err(AppError::Validation(e));
    };
    let assignee = input.assignee_id.unwrap_or(actor.user_id);
    if !user_in_org(conn, actor.org_id, assignee)? {
        e.add("assignee_id", Msg::new("error.unknown_user"));
    }
    // An unknown employer is bad input like any other reference (422, not 404).
    if !in_org(conn, Owned::Employer, actor.org_id, employer_id)? {
        e.add("employer_id", Msg::new("error.unknown_employer"));
    }
    e.into_result()?;
    create_for(conn, actor, employer_id, None, assignee, &title, due, now)
}

/// Whose follow-ups a list shows: "me" (the default, also empty) is the actor, "all" the
/// organisation (None), anything else a user id; other text is named in `e`.
pub fn assignee_param(e: &mut FieldErrors, actor: &Actor, v: Option<String>) -> Option<i64> {
    match v.as_deref().map(str::trim).unwrap_or("me") {
        "me" | "" => Some(actor.user_id),
        "all" => None,
        _ => crate::domain::validate::id_param(e, "assignee", v),
    }
}

/// Open follow-ups of one user (or all of the organisation), soonest first.
pub fn list_open(
    conn: &mut DbConn,
    actor: &Actor,
    assignee: Option<i64>,
    due_before: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Vec<FollowUp>, AppError> {
    let rows: Vec<(FollowUpRow, String)> = db_run!(conn, |c| {
        let mut q = follow_ups::table
            .inner_join(employers::table)
            .filter(follow_ups::organisation_id.eq(actor.org_id))
            .filter(follow_ups::status.eq(FollowUpStatus::Open))
            .into_boxed::<Db>();
        if let Some(a) = assignee {
            q = q.filter(follow_ups::assignee_id.eq(a));
        }
        if let Some(d) = due_before {
            q = q.filter(follow_ups::due_on.lt(d));
        }
        q.order((follow_ups::due_on.asc(), follow_ups::id.asc()))
            .limit(500)
            .select((FollowUpRow::as_select(), employers::name))
            .load(c)
    })?;
    Ok(rows
        .into_iter()
        .map(|(row, employer_name)| FollowUp {
            overdue: row.due_on < today,
            row,
            employer_name,
        })
        .collect())
}

pub fn get(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    today: NaiveDate,
) -> Result<FollowUp, AppError> {
    let found: Option<(FollowUpRow, String)> = db_run!(conn, |c| follow_ups::table
        .inner_join(employers::table)
        .filter(follow_ups::id.eq(id))
        .filter(follow_ups::organisation_id.eq(actor.org_id))
        .select((FollowUpRow::as_select(), employers::name))
        .first(c)
        .optional())?;
    let (row, employer_name) = found.ok_or(AppError::NotFound)?;
    Ok(FollowUp {
        overdue: row.status == FollowUpStatus::Open && row.due_on < today,
        row,
        employer_name,
    })
}

/// What can be done to a follow-up. Read through `ActionBody` (below): serde reads an
/// internally tagged enum from a buffer that loses the path of a wrong field.
#[derive(Debug, Clone, schemars::JsonSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    Done {
        /// The version this action started from; an older one answers 409 (absent: any).
        version: Option<i32>,
    },
    Reopen {
        version: Option<i32>,
    },
    Snooze {
        until: Option<String>,
        version: Option<i32>,
    },
    Reassign {
        assignee_id: i64,
        version: Option<i32>,
    },
}

/// An action as it arrives: every field the actions take, checked against the action.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionBody {
    action: ActionKind,
    #[serde(default)]
    until: Option<String>,
    #[serde(default)]
    assignee_id: Option<i64>,
    #[serde(default)]
    version: Option<i32>,
}

#[derive(Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
enum ActionKind {
    Done,
    Reopen,
    Snooze,
    Reassign,
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let b = ActionBody::deserialize(d)?;
        // serde's own words, which `json_input` names by field.
        let unknown = |f: &str| D::Error::custom(format!("unknown field `{f}`"));
        if b.until.is_some() && b.action != ActionKind::Snooze {
            return Err(unknown("until"));
        }
        if b.assignee_id.is_some() && b.action != ActionKind::Reassign {
            return Err(unknown("assignee_id"));
        }
        let version = b.version;
        Ok(match b.action {
            ActionKind::Done => Self::Done { version },
            ActionKind::Reopen => Self::Reopen { version },
            ActionKind::Snooze => Self::Snooze {
                until: b.until,
                version,
            },
            ActionKind::Reassign => Self::Reassign {
                assignee_id: b
                    .assignee_id
                    .ok_or_else(|| D::Error::custom("missing field `assignee_id`"))?,
                version,
            },
        })
    }
}

impl Action {
    fn version(&self) -> Option<i32> {
        match self {
            Self::Done { version }
            | Self::Reopen { version }
            | Self::Snooze { version, .. }
            | Self::Reassign { version, .. } => *version,
        }
    }
}

pub fn apply(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    action: Action,
    now: NaiveDateTime,
    today: NaiveDate,
    snooze_days: i64,
) -> Result<FollowUp, AppError> {
    actor.require_write()?;
    let current = get(conn, actor, id, today)?;
    // An action is intent, not a form of fields: a stale one shows the follow-up as it is.
    versioning::check(
        Expected(action.version()),
        current.row.version,
        &(),
        &(),
        &current,
    )?;
    let scope = follow_ups::table
        .filter(follow_ups::id.eq(id))
        .filter(follow_ups::organisation_id.eq(actor.org_id))
        .filter(follow_ups::version.eq(current.row.version));
    // Marking done what is done keeps when it was done.
    if matches!(action, Action::Done { .. }) && current.row.status == FollowUpStatus::Done {
        return Ok(current);
    }
    let rows = match action {
        Action::Done { .. } => db_run!(conn, |c| diesel::update(scope)
            .set((
                follow_ups::status.eq(FollowUpStatus::Done),
                follow_ups::done_at.eq(Some(now)),
                follow_ups::updated_at.eq(now)
            ))
            .execute(c))?,
        Action::Reopen { .. } => db_run!(conn, |c| diesel::update(scope)
            .set((
                follow_ups::status.eq(FollowUpStatus::Open),
                follow_ups::done_at.eq(None::<NaiveDateTime>),
                follow_ups::updated_at.eq(now)
            ))
            .execute(c))?,
        Action::Snooze { until, .. } => {
            let due = match until.as_deref().filter(|s| !s.trim().is_empty()) {
                Some(s) => parse_date(s).ok_or_else(|| {
                    AppError::Validation(FieldErrors::single("until", Msg::new("error.date")))
                })?,
                None => today.max(current.row.due_on) + Duration::days(snooze_days),
            };
            if due < today {
                return Err(AppError::Validation(FieldErrors::single(
                    "until",
                    Msg::new("error.past_date"),
                )));
            }
            db_run!(conn, |c| diesel::update(scope)
                .set((follow_ups::due_on.eq(due), follow_ups::updated_at.eq(now)))
                .execute(c))?
        }
        Action::Reassign { assignee_id, .. } => {
            if !user_in_org(conn, actor.org_id, assignee_id)? {
                return Err(AppError::Validation(FieldErrors::single(
                    "assignee_id",
                    Msg::new("error.unknown_user"),
                )));
            }
            db_run!(conn, |c| diesel::update(scope)
                .set((
                    follow_ups::assignee_id.eq(assignee_id),
                    follow_ups::updated_at.eq(now)
                ))
                .execute(c))?
        }
    };
    versioning::applied(rows, || match get(conn, actor, id, today) {
        Ok(now) => versioning::stale(now.row.version, &(), &(), &now),
        Err(e) => e,
    })?;
    get(conn, actor, id, today)
}
