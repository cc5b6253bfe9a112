//! Merging a duplicate employer into the one that stays: every record that points at the
//! duplicate (contact people, the contact log, leads, the plan, follow-ups, placements,
//! partner memberships, contact-day lists, profiles that avoid it) moves to the survivor
//! in one transaction; the survivor takes the duplicate's facts where its own are empty;
//! the merge is kept (old address, what moved) and written to the audit trail.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::service::{get, update};
use super::{Employer, EmployerInput};
use crate::db::schema::{
    client_profiles, contact_day_targets, contacts, deleted_outreach, employer_events,
    employer_merges, employers, follow_ups, leads, outreach, partner_members, placements,
    planned_contacts,
};
use crate::db::{DbConn, Tx};
use crate::db_run;
use crate::domain::audit::{self, Action, Change, Entity, Privacy};
use crate::domain::users::{Actor, Role};
use crate::domain::versioning::Expected;
use crate::error::{AppError, FieldErrors, Msg};

/// The body of a merge: which employer goes into this one.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MergeInput {
    /// The duplicate; it is gone after the merge, its records belong to this employer.
    pub duplicate_id: Option<i64>,
}

/// What a merge did.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Merged {
    pub employer: Employer,
    pub merged_id: i64,
    pub merged_name: String,
    /// Records moved to the survivor, by kind.
    pub moved: BTreeMap<String, usize>,
    /// The survivor's fields that were empty and took the duplicate's value.
    pub filled: Vec<String>,
}

/// Moves `table.employer_id` from one employer to the other, counting the rows.
macro_rules! move_rows {
    ($conn:expr, $org:expr, $from:expr, $to:expr, $table:ident) => {
        db_run!($conn, |c| diesel::update(
            $table::table
                .filter($table::organisation_id.eq($org))
                .filter($table::employer_id.eq($from))
        )
        .set($table::employer_id.eq($to))
        .execute(c))?
    };
}

fn fill<T: Clone>(mine: &mut Option<T>, theirs: &Option<T>, name: &str, filled: &mut Vec<String>) {
    if mine.is_none() && theirs.is_some() {
        *mine = theirs.clone();
        filled.push(name.to_string());
    }
}

/// Deletes the duplicate's rows in a list (`$list`: a contact day, a partner) that
/// holds an employer once, where the survivor is listed already.
macro_rules! drop_where_survivor_listed {
    ($conn:expr, $org:expr, $dup:expr, $survivor:expr, $t:ident, $list:ident) => {{
        let lists: Vec<i64> = db_run!($conn, |c| $t::table
            .filter($t::organisation_id.eq($org))
            .filter($t::employer_id.eq($survivor))
            .select($t::$list)
            .load(c))?;
        db_run!($conn, |c| diesel::delete(
            $t::table
                .filter($t::organisation_id.eq($org))
                .filter($t::employer_id.eq($dup))
                .filter($t::$list.eq_any(&lists))
        )
        .execute(c))?;
    }};
}

/// Merges `duplicate` into `survivor` (team leads and admins).
pub fn merge(
    conn: &mut Tx<'_>,
    actor: &Actor,
    survivor: i64,
    input: MergeInput,
    now: NaiveDateTime,
) -> Result<Merged, AppError> {
    if !matches!(actor.role, Role::TeamLead | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let Some(dup) = input.duplicate_id else {
        return Err(AppError::Validation(FieldErrors::single(
            "duplicate_id",
            Msg::new("error.required"),
        )));
    };
    if dup == survivor {
        return Err(AppError::Validation(FieldErrors::single(
            "duplicate_id",
            Msg::new("error.merge_self"),
        )));
    }
    let s = get(conn, actor, survivor)?;
    let d = get(conn, actor, dup).map_err(|e| match e {
        AppError::NotFound => AppError::Validation(FieldErrors::single(
            "duplicate_id",
            Msg::new("error.choice"),
        )),
        other => other,
    })?;
    if let (Some(a), Some(b)) = (&s.business_id, &d.business_id) {
        if a != b {
            return Err(AppError::Conflict(FieldErrors::single(
                "duplicate_id",
                Msg::new("error.merge_business_ids").arg("a", a).arg("b", b),
            )));
        }
    }
    let org = actor.org_id;
    let mut moved = BTreeMap::new();
    // Lists that hold an employer once: the duplicate's place goes where the survivor
    // is already listed.
    drop_where_survivor_listed!(
        conn,
        org,
        dup,
        survivor,
        contact_day_targets,
        contact_day_id
    );
    drop_where_survivor_listed!(conn, org, dup, survivor, partner_members, partner_id);
    for (kind, n) in [
        ("contacts", move_rows!(conn, org, dup, survivor, contacts)),
        (
            "contact_log",
            move_rows!(conn, org, dup, survivor, outreach),
        ),
        (
            "deleted_contact_log",
            move_rows!(conn, org, dup, survivor, deleted_outreach),
        ),
        ("leads", move_rows!(conn, org, dup, survivor, leads)),
        (
            "plan",
            move_rows!(conn, org, dup, survivor, planned_contacts),
        ),
        (
            "follow_ups",
            move_rows!(conn, org, dup, survivor, follow_ups),
        ),
        (
            "placements",
            move_rows!(conn, org, dup, survivor, placements),
        ),
        (
            "partner_memberships",
            move_rows!(conn, org, dup, survivor, partner_members),
        ),
        (
            "contact_days",
            move_rows!(conn, org, dup, survivor, contact_day_targets),
        ),
        (
            "history",
            move_rows!(conn, org, dup, survivor, employer_events),
        ),
    ] {
        moved.insert(kind.to_string(), n);
    }
    moved.insert(
        "profiles".into(),
        repoint_profiles(conn, org, dup, survivor)?,
    );
    db_run!(conn, |c| diesel::delete(
        employers::table
            .filter(employers::organisation_id.eq(org))
            .filter(employers::id.eq(dup))
    )
    .execute(c))?;
    // The survivor takes what it did not know.
    let mut input = EmployerInput::from(&s);
    let theirs = EmployerInput::from(&d);
    let mut filled = Vec::new();
    fill(
        &mut input.business_id,
        &theirs.business_id,
        "business_id",
        &mut filled,
    );
    fill(
        &mut input.industry,
        &theirs.industry,
        "industry",
        &mut filled,
    );
    fill(
        &mut input.size_class,
        &theirs.size_class,
        "size_class",
        &mut filled,
    );
    fill(
        &mut input.street_address,
        &theirs.street_address,
        "street_address",
        &mut filled,
    );
    fill(
        &mut input.postal_code,
        &theirs.postal_code,
        "postal_code",
        &mut filled,
    );
    fill(
        &mut input.municipality_code,
        &theirs.municipality_code,
        "municipality_code",
        &mut filled,
    );
    fill(&mut input.website, &theirs.website, "website", &mut filled);
    fill(
        &mut input.description,
        &theirs.description,
        "description",
        &mut filled,
    );
    fill(
        &mut input.owner_id,
        &theirs.owner_id,
        "owner_id",
        &mut filled,
    );
    fill(
        &mut input.contact_interval_days,
        &theirs.contact_interval_days,
        "contact_interval_days",
        &mut filled,
    );
    // The survivor takes the duplicate's stage where its own says less (never a stop).
    if s.stage == super::Stage::NotContacted
        && d.stage != super::Stage::DoNotContact
        && d.stage != s.stage
    {
        input.stage = theirs.stage.clone();
        filled.push("stage".into());
    }
    for t in &theirs.tags {
        if !input.tags.contains(t) {
            input.tags.push(t.clone());
            if !filled.iter().any(|f| f == "tags") {
                filled.push("tags".into());
            }
        }
    }
    if s.partner_id.is_none() && d.partner_id.is_some() {
        db_run!(conn, |c| diesel::update(
            employers::table
                .filter(employers::organisation_id.eq(org))
                .filter(employers::id.eq(survivor))
        )
        .set((
            employers::partner_id.eq(d.partner_id),
            employers::partner_via.eq(d.partner_via),
        ))
        .execute(c))?;
        filled.push("partner_id".into());
    }
    let employer = if filled.iter().any(|f| f != "partner_id") {
        update(conn, actor, survivor, input, Expected(None), now)?
    } else {
        get(conn, actor, survivor)?
    };
    let moved_json = serde_json::to_string(&moved).map_err(AppError::internal)?;
    let merged_json = serde_json::to_string(&d).map_err(AppError::internal)?;
    db_run!(conn, |c| diesel::insert_into(employer_merges::table)
        .values((
            employer_merges::organisation_id.eq(org),
            employer_merges::merged_id.eq(dup),
            employer_merges::merged_name.eq(&d.name),
            employer_merges::into_id.eq(survivor),
            employer_merges::merged.eq(&merged_json),
            employer_merges::moved.eq(&moved_json),
            employer_merges::merged_by.eq(actor.user_id),
            employer_merges::merged_at.eq(now),
        ))
        .execute(c))?;
    let mut changes = vec![
        Change::note("merged_id", dup),
        Change::note("merged_name", d.name.as_str()),
    ];
    changes.extend(
        moved
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| Change::note(&format!("moved.{k}"), *n)),
    );
    if !filled.is_empty() {
        changes.push(Change::note("filled", filled.clone()));
    }
    audit::record(
        conn,
        actor,
        audit::Event {
            action: Action::Merge,
            entity: Entity::Employer,
            entity_id: Some(survivor),
            changes: &changes,
            at: now,
        },
    )?;
    // The duplicate's own trail ends with what it held and where it went.
    let mut gone = audit::diff(Some(&d), None::<&Employer>, Privacy::Open);
    gone.push(Change::note("into_id", survivor));
    audit::record(
        conn,
        actor,
        audit::Event {
            action: Action::Merge,
            entity: Entity::Employer,
            entity_id: Some(dup),
            changes: &gone,
            at: now,
        },
    )?;
    Ok(Merged {
        employer,
        merged_id: dup,
        merged_name: d.name,
        moved,
        filled,
    })
}

/// Profiles that avoid the duplicate avoid the survivor instead (every version, so the
/// history reads the same).
fn repoint_profiles(conn: &mut DbConn, org: i64, from: i64, to: i64) -> Result<usize, AppError> {
    let rows: Vec<(i64, String)> = db_run!(conn, |c| client_profiles::table
        .filter(client_profiles::organisation_id.eq(org))
        .filter(client_profiles::data.like("%avoid_employer_ids%"))
        .select((client_profiles::id, client_profiles::data))
        .load(c))?;
    let mut n = 0;
    for (id, data) in rows {
        let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&data) else {
            continue;
        };
        let Some(ids) = v
            .get_mut("avoid_employer_ids")
            .and_then(|a| a.as_array_mut())
        else {
            continue;
        };
        if !ids.iter().any(|x| x.as_i64() == Some(from)) {
            continue;
        }
        let mut new: Vec<i64> = ids
            .iter()
            .filter_map(|x| x.as_i64())
            .map(|x| if x == from { to } else { x })
            .collect();
        new.dedup();
        new.sort_unstable();
        new.dedup();
        *ids = new.into_iter().map(serde_json::Value::from).collect();
        let text = serde_json::to_string(&v).map_err(AppError::internal)?;
        db_run!(conn, |c| diesel::update(
            client_profiles::table.filter(client_profiles::id.eq(id))
        )
        .set(client_profiles::data.eq(&text))
        .execute(c))?;
        n += 1;
    }
    Ok(n)
}

/// Where a merged employer went, for its old address.
pub fn merged_into(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<Option<i64>, AppError> {
    Ok(db_run!(conn, |c| employer_merges::table
        .filter(employer_merges::organisation_id.eq(actor.org_id))
        .filter(employer_merges::merged_id.eq(id))
        .order(employer_merges::id.desc())
        .select(employer_merges::into_id)
        .first(c)
        .optional())?)
}
