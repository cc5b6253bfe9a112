//! Reading the audit trail: admins only, newest first, filtered by record, person,
//! action and day.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Action, Change, Entity};
use crate::db::schema::{audit_events, users};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::users::Actor;
use crate::domain::validate::{choice, day_param, id_param, limit_param};
use crate::domain::Rules;
use crate::error::{AppError, FieldErrors};

/// Query parameters of the trail, unchecked.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct AuditParams {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub user_id: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

/// One event as read.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AuditEntry {
    pub id: i64,
    /// UTC, RFC 3339.
    pub occurred_at: String,
    /// None for the background worker (retention, for example).
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub changes: Vec<Change>,
}

type Row = (
    i64,
    Option<i64>,
    String,
    String,
    Option<i64>,
    String,
    NaiveDateTime,
);

/// The columns an [`AuditEntry`] is read from (a [`Row`] and who).
macro_rules! entry_columns {
    () => {
        (
            (
                audit_events::id,
                audit_events::user_id,
                audit_events::action,
                audit_events::entity,
                audit_events::entity_id,
                audit_events::changes,
                audit_events::occurred_at,
            ),
            users::display_name.nullable(),
        )
    };
}

fn entry(
    ((id, user_id, action, entity, entity_id, changes, at), user_name): (Row, Option<String>),
) -> AuditEntry {
    AuditEntry {
        id,
        occurred_at: at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        user_id,
        user_name,
        action,
        entity,
        entity_id,
        changes: serde_json::from_str(&changes).unwrap_or_default(),
    }
}

/// Every event about one record, oldest first (for a person's copy of their data).
pub fn about(
    conn: &mut DbConn,
    org: i64,
    entity: Entity,
    id: i64,
) -> Result<Vec<AuditEntry>, AppError> {
    let rows: Vec<(Row, Option<String>)> = db_run!(conn, |c| audit_events::table
        .left_join(users::table.on(users::id.nullable().eq(audit_events::user_id)))
        .filter(audit_events::organisation_id.eq(org))
        .filter(audit_events::entity.eq(entity.as_str()))
        .filter(audit_events::entity_id.eq(id))
        .order(audit_events::id.asc())
        .select(entry_columns!())
        .load(c))?;
    Ok(rows.into_iter().map(entry).collect())
}

/// A page of the trail (newest first) and the cursor of the next.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    p: AuditParams,
    rules: &Rules,
) -> Result<(Vec<AuditEntry>, Option<String>), AppError> {
    actor.require_admin()?;
    let mut e = FieldErrors::default();
    let entity: Option<Entity> = choice(&mut e, "entity", p.entity.map(Into::into));
    let action: Option<Action> = choice(&mut e, "action", p.action.map(Into::into));
    let entity_id = id_param(&mut e, "entity_id", p.entity_id);
    let user_id = id_param(&mut e, "user_id", p.user_id);
    let cursor = id_param(&mut e, "cursor", p.cursor);
    let from = day_param(&mut e, "from", p.from)
        .map(|d| crate::domain::week::local_midnight_utc(d, rules.tz));
    let to = day_param(&mut e, "to", p.to)
        .map(|d| crate::domain::week::local_midnight_utc(d.succ_opt().unwrap_or(d), rules.tz));
    let limit = limit_param(&mut e, p.limit, 100, 200);
    e.into_result()?;
    let rows: Vec<(Row, Option<String>)> = db_run!(conn, |c| {
        let mut q = audit_events::table
            .left_join(users::table.on(users::id.nullable().eq(audit_events::user_id)))
            .into_boxed::<Db>()
            .filter(audit_events::organisation_id.eq(actor.org_id));
        if let Some(en) = entity {
            q = q.filter(audit_events::entity.eq(en.as_str()));
        }
        if let Some(a) = action {
            q = q.filter(audit_events::action.eq(a.as_str()));
        }
        if let Some(id) = entity_id {
            q = q.filter(audit_events::entity_id.eq(id));
        }
        if let Some(u) = user_id {
            q = q.filter(audit_events::user_id.eq(u));
        }
        if let Some(f) = from {
            q = q.filter(audit_events::occurred_at.ge(f));
        }
        if let Some(t) = to {
            q = q.filter(audit_events::occurred_at.lt(t));
        }
        if let Some(cur) = cursor {
            q = q.filter(audit_events::id.lt(cur));
        }
        q.order(audit_events::id.desc())
            .limit(limit + 1)
            .select(entry_columns!())
            .load(c)
    })?;
    let more = rows.len() as i64 > limit;
    let items: Vec<AuditEntry> = rows.into_iter().take(limit as usize).map(entry).collect();
    let next = if more {
        items.last().map(|i| i.id.to_string())
    } else {
        None
    };
    Ok((items, next))
}
