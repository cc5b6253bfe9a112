//! The audit trail: every change to employers, contact people, the contact log, leads,
//! job seekers, profiles, placements, partners and users, every merge, import, export and
//! erasure, and every opening of a job seeker's record, with who, when and the fields
//! changed. Rows are only ever added (the database refuses updates and deletes).
//!
//! Job seekers' identity and free text are written as "changed", never as values, so the
//! trail holds nothing an erasure would have to remove.

pub mod list;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::db::schema::audit_events;
use crate::db::DbConn;
use crate::db_run;
use crate::domain::users::Actor;
use crate::error::AppError;

crate::closed_set! {
    /// What was done.
    pub enum Action ("audit.action") {
        Create = "create",
        Update = "update",
        Delete = "delete",
        Archive = "archive",
        Restore = "restore",
        Merge = "merge",
        Import = "import",
        Export = "export",
        Erase = "erase",
        Anonymise = "anonymise",
        View = "view",
    }
}

crate::closed_set! {
    /// To what kind of record.
    pub enum Entity ("audit.entity") {
        Employer = "employer",
        Contact = "contact",
        Outreach = "outreach",
        Lead = "lead",
        Client = "client",
        Profile = "profile",
        Placement = "placement",
        Partner = "partner",
        User = "user",
        Organisation = "organisation",
    }
}

/// One field's change. `private` changes carry no values: they are job seekers'
/// identity or free text, recorded only as "changed".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Change {
    pub field: String,
    #[serde(default)]
    pub old: Value,
    #[serde(default)]
    pub new: Value,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub private: bool,
}

impl Change {
    /// A fact about the event that is not a field (counts of an import, the merged
    /// record's id, an export's filters).
    pub fn note(field: &str, value: impl Into<Value>) -> Self {
        Change {
            field: field.into(),
            old: Value::Null,
            new: value.into(),
            private: false,
        }
    }
}

/// Which fields of a record are written only as "changed".
#[derive(Debug, Clone, Copy)]
pub enum Privacy {
    /// Every field holds values.
    Open,
    /// These fields are identity or free text.
    Fields(&'static [&'static str]),
    /// The whole record is (a vocational profile).
    All,
}

impl Privacy {
    fn hides(self, field: &str) -> bool {
        match self {
            Privacy::Open => false,
            Privacy::Fields(f) => f.contains(&field),
            Privacy::All => true,
        }
    }
}

/// Bookkeeping fields that change with every save and say nothing themselves.
const IGNORED: &[&str] = &[
    "id",
    "organisation_id",
    "version",
    "created_at",
    "updated_at",
    "employer_name",
    "specialist_name",
    "owner_name",
];

fn fields(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// The fields that differ between two serialisations of a record, in name order; a
/// created record is the difference from nothing, a deleted one the difference to nothing.
pub fn diff<B: Serialize, A: Serialize>(
    before: Option<&B>,
    after: Option<&A>,
    privacy: Privacy,
) -> Vec<Change> {
    let b = fields(
        before
            .map(serde_json::to_value)
            .transpose()
            .ok()
            .flatten()
            .unwrap_or_default(),
    );
    let a = fields(
        after
            .map(serde_json::to_value)
            .transpose()
            .ok()
            .flatten()
            .unwrap_or_default(),
    );
    let mut names: Vec<&String> = b.keys().chain(a.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|n| !IGNORED.contains(&n.as_str()))
        .filter_map(|n| {
            let old = b.get(n).cloned().unwrap_or(Value::Null);
            let new = a.get(n).cloned().unwrap_or(Value::Null);
            if old == new || (empty(&old) && empty(&new)) {
                return None;
            }
            Some(if privacy.hides(n) {
                Change {
                    field: n.clone(),
                    old: Value::Null,
                    new: Value::Null,
                    private: true,
                }
            } else {
                Change {
                    field: n.clone(),
                    old,
                    new,
                    private: false,
                }
            })
        })
        .collect()
}

/// One event to append.
pub struct Event<'a> {
    pub action: Action,
    pub entity: Entity,
    pub entity_id: Option<i64>,
    pub changes: &'a [Change],
    pub at: NaiveDateTime,
}

/// Appends an event by the actor. Called inside the transaction of the change it
/// records, so a change without its record (or the reverse) is never stored.
pub fn record(conn: &mut DbConn, actor: &Actor, e: Event<'_>) -> Result<(), AppError> {
    append(conn, actor.org_id, Some(actor.user_id), e)
}

/// Appends an event; `user` is None for the background worker.
pub fn append(
    conn: &mut DbConn,
    org: i64,
    user: Option<i64>,
    e: Event<'_>,
) -> Result<(), AppError> {
    let changes = serde_json::to_string(e.changes).map_err(AppError::internal)?;
    db_run!(conn, |c| diesel::insert_into(audit_events::table)
        .values((
            audit_events::organisation_id.eq(org),
            audit_events::user_id.eq(user),
            audit_events::action.eq(e.action.as_str()),
            audit_events::entity.eq(e.entity.as_str()),
            audit_events::entity_id.eq(e.entity_id),
            audit_events::changes.eq(&changes),
            audit_events::occurred_at.eq(e.at),
        ))
        .execute(c))?;
    Ok(())
}

/// Records a change from `before` to `after` (either None for create and delete); a
/// save that changed no field is not recorded.
#[allow(clippy::too_many_arguments)]
pub fn changed<B: Serialize, A: Serialize>(
    conn: &mut DbConn,
    actor: &Actor,
    action: Action,
    entity: Entity,
    id: i64,
    before: Option<&B>,
    after: Option<&A>,
    privacy: Privacy,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    let changes = diff(before, after, privacy);
    if changes.is_empty() && action == Action::Update {
        return Ok(());
    }
    record(
        conn,
        actor,
        Event {
            action,
            entity,
            entity_id: Some(id),
            changes: &changes,
            at,
        },
    )
}

/// Records a download: what list, with which filters, how many records.
pub fn exported(
    conn: &mut DbConn,
    actor: &Actor,
    entity: Entity,
    filters: &str,
    count: usize,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    let changes = [
        Change::note("filters", filters),
        Change::note("records", count),
    ];
    record(
        conn,
        actor,
        Event {
            action: Action::Export,
            entity,
            entity_id: None,
            changes: &changes,
            at,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_names_changed_fields_and_hides_private_ones() {
        let before =
            json!({"id": 1, "version": 3, "name": "Kauppa Oy", "notes": "old", "tags": []});
        let after =
            json!({"id": 1, "version": 4, "name": "Kauppa Oy Ab", "notes": "new", "tags": null});
        let d = diff(Some(&before), Some(&after), Privacy::Fields(&["notes"]));
        assert_eq!(
            d,
            vec![
                Change {
                    field: "name".into(),
                    old: json!("Kauppa Oy"),
                    new: json!("Kauppa Oy Ab"),
                    private: false
                },
                Change {
                    field: "notes".into(),
                    old: Value::Null,
                    new: Value::Null,
                    private: true
                },
            ]
        );
    }

    #[test]
    fn creation_lists_the_filled_fields() {
        let after = json!({"id": 9, "name": "A", "website": null, "stage": "active"});
        let d = diff(None::<&Value>, Some(&after), Privacy::All);
        assert_eq!(
            d.iter().map(|c| c.field.as_str()).collect::<Vec<_>>(),
            ["name", "stage"]
        );
        assert!(d.iter().all(|c| c.private && c.new.is_null()));
    }
}
