//! Creating, reading, changing and archiving employers, always within the actor's
//! organisation: another organisation's id is NotFound, exactly like a missing one.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::employers;
use crate::db::{DbConn, Tx};
use crate::db_run;
use crate::domain::audit::{self, Action, Entity, Privacy};
use crate::domain::employers::{
    join_tags, Employer, EmployerDraft, EmployerInput, EmployerRow, EventKind, Stage,
};
use crate::domain::reference::{Industry, SizeClass};
use crate::domain::users::{user_in_org, Actor, Role};
use crate::domain::validate::merge_patch;
use crate::domain::versioning::{self, Expected};
use crate::error::{AppError, FieldErrors, Msg};

pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<Employer, AppError> {
    let row: Option<EmployerRow> = db_run!(conn, |c| employers::table
        .filter(employers::id.eq(id))
        .filter(employers::organisation_id.eq(actor.org_id))
        .select(EmployerRow::as_select())
        .first(c)
        .optional())?;
    row.map(Employer::from).ok_or(AppError::NotFound)
}

/// Checks what needs the database: the owner belongs to the organisation and the
/// business id is not already in its register.
fn check_against_register(
    conn: &mut DbConn,
    actor: &Actor,
    draft: &EmployerDraft,
    except_id: Option<i64>,
) -> Result<(), AppError> {
    if let Some(owner) = draft.owner_id {
        if !user_in_org(conn, actor.org_id, owner)? {
            return Err(AppError::Validation(FieldErrors::single(
                "owner_id",
                Msg::new("error.unknown_user"),
            )));
        }
    }
    if let Some(bid) = &draft.business_id {
        let bid = bid.as_str().to_string();
        let holders: Vec<(i64, String)> = db_run!(conn, |c| employers::table
            .filter(employers::organisation_id.eq(actor.org_id))
            .filter(employers::business_id.eq(&bid))
            .select((employers::id, employers::name))
            .order(employers::id)
            .load(c))?;
        let taken = holders.into_iter().find(|(id, _)| Some(*id) != except_id);
        if let Some((_, name)) = taken {
            return Err(AppError::Conflict(FieldErrors::single(
                "business_id",
                Msg::new("error.business_id.taken").arg("name", name),
            )));
        }
    }
    Ok(())
}

/// The stored columns a draft sets, for both insert and update. An absent value is
/// written as NULL, not DEFAULT, so SQLite takes a chunk of rows as one statement
/// (with DEFAULT diesel would insert them one by one).
#[derive(Insertable, AsChangeset)]
#[diesel(
    table_name = employers,
    treat_none_as_null = true,
    treat_none_as_default_value = false
)]
struct EmployerValues<'a> {
    name: &'a str,
    name_lower: String,
    business_id: Option<&'a str>,
    industry: Option<Industry>,
    size_class: Option<SizeClass>,
    street_address: Option<&'a str>,
    postal_code: Option<&'a str>,
    municipality_code: Option<&'a str>,
    website: Option<&'a str>,
    description: Option<&'a str>,
    tags: String,
    owner_id: Option<i64>,
    stage: Stage,
    contact_interval_days: Option<i32>,
    do_not_contact_reason: Option<&'a str>,
    updated_at: NaiveDateTime,
}

impl<'a> EmployerValues<'a> {
    fn of(d: &'a EmployerDraft, updated_at: NaiveDateTime) -> Self {
        Self {
            name: &d.name,
            name_lower: d.name.to_lowercase(),
            business_id: d.business_id.as_ref().map(|b| b.as_str()),
            industry: d.industry,
            size_class: d.size_class,
            street_address: d.street_address.as_deref(),
            postal_code: d.postal_code.as_deref(),
            municipality_code: d.municipality_code.as_deref(),
            website: d.website.as_deref(),
            description: d.description.as_deref(),
            tags: join_tags(&d.tags),
            owner_id: d.owner_id,
            stage: d.stage,
            contact_interval_days: d.contact_interval_days,
            do_not_contact_reason: d.do_not_contact_reason.as_deref(),
            updated_at,
        }
    }
}

/// Creates an employer, with its first history event.
pub fn create(
    conn: &mut Tx<'_>,
    actor: &Actor,
    input: EmployerInput,
    now: NaiveDateTime,
) -> Result<Employer, AppError> {
    actor.require_write()?;
    let acknowledged = input.acknowledge_duplicates == Some(true);
    let draft = input.parse().map_err(AppError::Validation)?;
    check_against_register(conn, actor, &draft, None)?;
    if !acknowledged {
        let likely = super::duplicates::likely(conn, actor, &draft)?;
        if !likely.is_empty() {
            return Err(AppError::Duplicates(likely));
        }
    }
    let ts = now;
    let row: EmployerRow = db_run!(conn, |c| diesel::insert_into(employers::table)
        .values((
            EmployerValues::of(&draft, ts),
            employers::organisation_id.eq(actor.org_id),
            employers::created_at.eq(ts),
        ))
        .returning(EmployerRow::as_returning())
        .get_result(c))?;
    record_event(
        conn,
        actor,
        row.id,
        EventKind::Stage,
        row.stage.as_str(),
        ts,
    )?;
    tracing::debug!(employer_id = row.id, "employer created");
    let created: Employer = row.into();
    audit::changed(
        conn,
        actor,
        Action::Create,
        Entity::Employer,
        created.id,
        None::<&Employer>,
        Some(&created),
        Privacy::Open,
        ts,
    )?;
    Ok(created)
}

/// Rows per INSERT statement: under both databases' limits on bound values.
const INSERT_CHUNK: usize = 1000;

/// Writes many checked drafts at once (an import), each with its first stage in the
/// history; answers their ids in the drafts' order. The caller has checked them against
/// the register.
pub fn insert_many(
    conn: &mut Tx<'_>,
    actor: &Actor,
    drafts: &[&EmployerDraft],
    now: NaiveDateTime,
) -> Result<Vec<i64>, AppError> {
    use crate::db::schema::employer_events as ev;
    use std::collections::{HashMap, VecDeque};
    actor.require_write()?;
    if let crate::db::DbConn::Postgres(c) = crate::db::AsConn::conn(conn) {
        return Ok(super::bulk_pg::insert_many(
            c,
            actor.org_id,
            actor.user_id,
            drafts,
            join_tags,
            now,
        )?);
    }
    type Key = (String, Option<String>, Option<String>);
    let key_of = |d: &EmployerDraft| -> Key {
        (
            d.name.clone(),
            d.business_id.as_ref().map(|b| b.as_str().to_string()),
            d.municipality_code.clone(),
        )
    };
    let mut ids = vec![0i64; drafts.len()];
    for (chunk_no, chunk) in drafts.chunks(INSERT_CHUNK).enumerate() {
        let values: Vec<_> = chunk
            .iter()
            .map(|d| {
                (
                    EmployerValues::of(d, now),
                    employers::organisation_id.eq(actor.org_id),
                    employers::created_at.eq(now),
                )
            })
            .collect();
        type Written = (i64, String, Option<String>, Option<String>, Stage);
        let written: Vec<Written> = db_run!(conn, |c| diesel::insert_into(employers::table)
            .values(&values)
            .returning((
                employers::id,
                employers::name,
                employers::business_id,
                employers::municipality_code,
                employers::stage,
            ))
            .get_results(c))?;
        // RETURNING promises no order: rows are matched to drafts by what they hold.
        let mut waiting: HashMap<Key, VecDeque<usize>> = HashMap::new();
        for (i, d) in chunk.iter().enumerate() {
            waiting
                .entry(key_of(d))
                .or_default()
                .push_back(chunk_no * INSERT_CHUNK + i);
        }
        let mut events = Vec::with_capacity(written.len());
        for (id, name, bid, muni, stage) in written {
            let i = waiting
                .get_mut(&(name, bid, muni))
                .and_then(VecDeque::pop_front)
                .ok_or_else(|| AppError::internal("an inserted employer matches no draft"))?;
            ids[i] = id;
            events.push((
                ev::organisation_id.eq(actor.org_id),
                ev::employer_id.eq(id),
                ev::user_id.eq(actor.user_id),
                ev::kind.eq(EventKind::Stage),
                ev::detail.eq(stage.as_str()),
                ev::occurred_at.eq(now),
            ));
        }
        db_run!(conn, |c| diesel::insert_into(ev::table)
            .values(&events)
            .execute(c))?;
    }
    Ok(ids)
}

/// Replaces every editable field, noting a stage change in the history; refused as
/// stale when someone saved since `expected`.
pub fn update(
    conn: &mut Tx<'_>,
    actor: &Actor,
    id: i64,
    input: EmployerInput,
    expected: Expected,
    now: NaiveDateTime,
) -> Result<Employer, AppError> {
    actor.require_write()?;
    let before = get(conn, actor, id)?;
    let theirs = EmployerInput::from(&before);
    versioning::check(expected, before.version, &theirs, &input, &before)?;
    let mine = input.clone();
    let draft = input.parse().map_err(AppError::Validation)?;
    // A save that changes nothing is no new version (others' edits stay valid).
    if theirs.parse().as_ref() == Ok(&draft) {
        return Ok(before);
    }
    check_against_register(conn, actor, &draft, Some(id))?;
    // Only a team lead (or an admin) lifts a do-not-contact stop.
    let lifts = before.stage == Stage::DoNotContact && draft.stage != Stage::DoNotContact;
    if lifts && !matches!(actor.role, Role::TeamLead | Role::Admin) {
        return Err(AppError::Conflict(FieldErrors::single(
            "stage",
            Msg::new("error.dnc_lift"),
        )));
    }
    if before.stage != draft.stage {
        let detail = format!("{}>{}", before.stage, draft.stage);
        record_event(conn, actor, id, EventKind::Stage, &detail, now)?;
    }
    // The version read above is the one replaced: a save that won in between (on
    // PostgreSQL) leaves no row to update.
    let row: Option<EmployerRow> = db_run!(conn, |c| diesel::update(
        employers::table
            .filter(employers::id.eq(id))
            .filter(employers::organisation_id.eq(actor.org_id))
            .filter(employers::version.eq(before.version))
    )
    .set((
        EmployerValues::of(&draft, now),
        employers::version.eq(employers::version + 1),
    ))
    .returning(EmployerRow::as_returning())
    .get_result(c)
    .optional())?;
    match row {
        Some(row) => {
            let after: Employer = row.into();
            audit::changed(
                conn,
                actor,
                Action::Update,
                Entity::Employer,
                id,
                Some(&before),
                Some(&after),
                Privacy::Open,
                now,
            )?;
            Ok(after)
        }
        None => {
            let now_stored = get(conn, actor, id)?;
            let theirs = EmployerInput::from(&now_stored);
            Err(versioning::stale(
                now_stored.version,
                &theirs,
                &mine,
                &now_stored,
            ))
        }
    }
}

/// Applies a JSON merge patch (RFC 7396): fields present replace, `null` clears,
/// absent fields stay. The result is checked like a new employer.
pub fn patch(
    conn: &mut Tx<'_>,
    actor: &Actor,
    id: i64,
    mut patch: serde_json::Map<String, serde_json::Value>,
    now: NaiveDateTime,
) -> Result<Employer, AppError> {
    actor.require_write()?;
    crate::domain::validate::refuse_create_only(&patch, &["acknowledge_duplicates"])?;
    let expected = Expected::take_from(&mut patch)?;
    let current = get(conn, actor, id)?;
    let input = merge_patch(&EmployerInput::from(&current), patch)?;
    update(conn, actor, id, input, expected, now)
}

fn set_archived(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    archived: bool,
    now: NaiveDateTime,
) -> Result<Employer, AppError> {
    actor.require_write()?;
    let before = get(conn, actor, id)?;
    if before.archived_at.is_some() == archived {
        return Ok(before);
    }
    let ts = now;
    let row: EmployerRow = db_run!(conn, |c| diesel::update(
        employers::table
            .filter(employers::id.eq(id))
            .filter(employers::organisation_id.eq(actor.org_id))
    )
    .set((
        employers::archived_at.eq(if archived { Some(ts) } else { None }),
        employers::updated_at.eq(ts)
    ))
    .returning(EmployerRow::as_returning())
    .get_result(c))?;
    audit::record(
        conn,
        actor,
        audit::Event {
            action: if archived {
                Action::Archive
            } else {
                Action::Restore
            },
            entity: Entity::Employer,
            entity_id: Some(id),
            changes: &[],
            at: ts,
        },
    )?;
    Ok(row.into())
}

/// Archiving hides the employer from lists and keeps its history.
pub fn archive(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    now: NaiveDateTime,
) -> Result<Employer, AppError> {
    set_archived(conn, actor, id, true, now)
}

pub fn restore(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    now: NaiveDateTime,
) -> Result<Employer, AppError> {
    set_archived(conn, actor, id, false, now)
}

/// A do-not-contact employer is a stop: no contact is logged or planned with it until a
/// team lead lifts the stop. The refusal names the recorded reason.
pub fn refuse_if_stopped(conn: &mut DbConn, org: i64, employer_id: i64) -> Result<(), AppError> {
    let found: Option<(Stage, Option<String>)> = db_run!(conn, |c| employers::table
        .filter(employers::id.eq(employer_id))
        .filter(employers::organisation_id.eq(org))
        .select((employers::stage, employers::do_not_contact_reason))
        .first(c)
        .optional())?;
    match found {
        Some((Stage::DoNotContact, reason)) => Err(AppError::Conflict(FieldErrors::single(
            "employer_id",
            // The message ends the sentence itself: "… keväällä.. " otherwise.
            Msg::new("error.do_not_contact").arg(
                "reason",
                reason
                    .as_deref()
                    .map(|r| r.trim().trim_end_matches(['.', '!']).to_string())
                    .unwrap_or_else(|| "–".into()),
            ),
        ))),
        _ => Ok(()),
    }
}

/// Notes a change in the employer's history (its timeline): kind "stage" with the
/// detail "from>to" (or just the first stage).
pub fn record_event(
    conn: &mut DbConn,
    actor: &Actor,
    employer_id: i64,
    kind: EventKind,
    detail: &str,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    use crate::db::schema::employer_events as ev;
    db_run!(conn, |c| diesel::insert_into(ev::table)
        .values((
            ev::organisation_id.eq(actor.org_id),
            ev::employer_id.eq(employer_id),
            ev::user_id.eq(actor.user_id),
            ev::kind.eq(kind),
            ev::detail.eq(detail),
            ev::occurred_at.eq(at),
        ))
        .execute(c))?;
    Ok(())
}
