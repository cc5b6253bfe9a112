//! Logging, reading, editing and listing contact log entries, scoped to the actor's
//! organisation. Logging also creates the follow-up for a next step, marks a planned
//! contact done, and moves the employer's stage forward.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::schema::{contacts, employers, outreach, outreach_clients, planned_contacts, users};
use crate::db::{DbConn, Tx};
use crate::db_run;
use crate::domain::audit::{self, Action, Entity, Privacy};
use crate::domain::closed_set::Choice;
use crate::domain::employers::list::{Cursor, Page};
use crate::domain::employers::service::{self as employer_service, record_event};
use crate::domain::employers::{EventKind, Stage};
use crate::domain::follow_ups;
use crate::domain::leads::{LeadInput, LeadSource};
use crate::domain::outreach::guard::{self, Proposed};
use crate::domain::outreach::history::{self, guess_visit_kind};
use crate::domain::outreach::{
    Channel, Outreach, OutreachDraft, OutreachInput, OutreachRow, Purpose,
};
use crate::domain::users::{user_in_org, Actor};
use crate::domain::validate::{choice, day_param, id_param};
use crate::domain::versioning;
use crate::domain::Rules;
use crate::error::{AppError, FieldErrors, Msg};

fn stage_rank(stage: Stage) -> Option<u8> {
    match stage {
        Stage::NotContacted => Some(0),
        Stage::Introduced => Some(1),
        Stage::LearningNeeds => Some(2),
        Stage::Active => Some(3),
        Stage::HiringPartner => Some(4),
        Stage::Paused | Stage::DoNotContact => None,
    }
}

/// The stage a contact shows the relationship has reached, if any.
fn stage_reached(channel: Channel, purpose: Purpose) -> Option<Stage> {
    match purpose {
        Purpose::LearnNeeds => Some(Stage::LearningNeeds),
        Purpose::PresentJobSeeker | Purpose::SupportWorker => Some(Stage::Active),
        Purpose::Introduce => Some(Stage::Introduced),
        _ if channel == Channel::InPerson => Some(Stage::Introduced),
        _ => None,
    }
}

/// Moves the stage forward (never back, never out of paused or do-not-contact).
fn advance_stage(
    conn: &mut DbConn,
    actor: &Actor,
    employer_id: i64,
    current: Stage,
    channel: Channel,
    purpose: Purpose,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    let Some(target) = stage_reached(channel, purpose) else {
        return Ok(());
    };
    match (stage_rank(current), stage_rank(target)) {
        (Some(from), Some(to)) if to > from => {
            db_run!(conn, |c| diesel::update(
                employers::table
                    .filter(employers::id.eq(employer_id))
                    .filter(employers::organisation_id.eq(actor.org_id))
            )
            .set((employers::stage.eq(target), employers::updated_at.eq(at)))
            .execute(c))?;
            let change = audit::Change {
                field: "stage".into(),
                old: current.as_str().into(),
                new: target.as_str().into(),
                private: false,
            };
            audit::record(
                conn,
                actor,
                audit::Event {
                    action: Action::Update,
                    entity: Entity::Employer,
                    entity_id: Some(employer_id),
                    changes: &[change],
                    at,
                },
            )?;
            record_event(
                conn,
                actor,
                employer_id,
                EventKind::Stage,
                &format!("{current}>{target}"),
                at,
            )
        }
        _ => Ok(()),
    }
}

/// Checks the references of a draft against the organisation's data.
fn check_references(
    conn: &mut DbConn,
    actor: &Actor,
    d: &OutreachDraft,
    specialist: i64,
    saved_day: Option<i64>,
    saved_clients: &[i64],
) -> Result<Stage, AppError> {
    let mut e = FieldErrors::default();
    let stage: Option<Stage> = db_run!(conn, |c| employers::table
        .filter(employers::id.eq(d.employer_id))
        .filter(employers::organisation_id.eq(actor.org_id))
        .select(employers::stage)
        .first(c)
        .optional())?;
    if stage.is_none() {
        e.add("employer_id", Msg::new("error.unknown_employer"));
    }
    if !user_in_org(conn, actor.org_id, specialist)? {
        e.add("specialist_id", Msg::new("error.unknown_user"));
    }
    if let Some(cid) = d.contact_id {
        let ok: i64 = db_run!(conn, |c| contacts::table
            .filter(contacts::id.eq(cid))
            .filter(contacts::organisation_id.eq(actor.org_id))
            .filter(contacts::employer_id.eq(d.employer_id))
            .count()
            .get_result(c))?;
        if ok == 0 {
            e.add("contact_id", Msg::new("error.unknown_contact"));
        }
    }
    if !d.client_ids.is_empty()
        && !crate::domain::clients::all_in_org(conn, actor.org_id, &d.client_ids)?
    {
        for (i, k) in d.client_ids.iter().enumerate() {
            if !crate::domain::clients::all_in_org(conn, actor.org_id, &[*k])? {
                e.add(&format!("client_ids.{i}"), Msg::new("error.unknown_client"));
            }
        }
    }
    // Contacting an employer about a job seeker needs their consent; an entry already
    // logged for them keeps them when the consent is withdrawn later.
    let new_clients: Vec<i64> = d
        .client_ids
        .iter()
        .copied()
        .filter(|k| !saved_clients.contains(k))
        .collect();
    let refused = crate::domain::clients::without_consent(conn, actor.org_id, &new_clients)?;
    for (i, k) in d.client_ids.iter().enumerate() {
        if refused.contains(k) {
            e.add(
                &format!("client_ids.{i}"),
                Msg::new("error.no_contact_consent"),
            );
        }
    }
    // A contact may name only an open day, but an entry keeps the day it was logged on
    // even if that day is cancelled later.
    if let Some(day) = d.contact_day_id.filter(|d| Some(*d) != saved_day) {
        if !crate::domain::contact_days::is_open(conn, actor.org_id, day)? {
            e.add("contact_day_id", Msg::new("error.unknown_contact_day"));
        } else if !crate::domain::contact_days::takes_part(conn, actor.org_id, day, specialist)? {
            // Only the day's own people count on its tally.
            e.add("contact_day_id", Msg::new("error.not_on_day"));
        }
    }
    if let Some(pid) = d.planned_contact_id {
        let ok: i64 = db_run!(conn, |c| planned_contacts::table
            .filter(planned_contacts::id.eq(pid))
            .filter(planned_contacts::organisation_id.eq(actor.org_id))
            .filter(planned_contacts::employer_id.eq(d.employer_id))
            .count()
            .get_result(c))?;
        if ok == 0 {
            e.add("planned_contact_id", Msg::new("error.unknown_plan"));
        }
    }
    e.into_result()?;
    Ok(stage.unwrap_or(Stage::NotContacted))
}

/// Logs a contact.
pub fn create(
    conn: &mut Tx<'_>,
    actor: &Actor,
    input: OutreachInput,
    now: NaiveDateTime,
    rules: &Rules,
) -> Result<Outreach, AppError> {
    actor.require_write()?;
    let d = input.parse(now, rules.tz).map_err(AppError::Validation)?;
    let specialist = d.specialist_id.unwrap_or(actor.user_id);
    let stage = check_references(conn, actor, &d, specialist, None, &[])?;
    // The stage is at hand; only a stopped employer costs the query for its reason.
    if stage == Stage::DoNotContact {
        employer_service::refuse_if_stopped(conn, actor.org_id, d.employer_id)?;
    }
    if !d.acknowledge_collisions {
        let found = guard::check(
            conn,
            &Proposed {
                org_id: actor.org_id,
                employer_id: d.employer_id,
                specialist_id: specialist,
                at: d.occurred_at,
                tz: rules.tz,
                window_days: rules.collision_window_days,
                except_outreach: None,
                except_plan: d.planned_contact_id,
            },
        )?;
        if !found.is_empty() {
            return Err(AppError::Collision(found));
        }
    }
    let previous =
        history::in_person_visits(conn, actor.org_id, d.employer_id, Some(d.occurred_at))?;
    let visit_kind = d.visit_kind.unwrap_or_else(|| guess_visit_kind(previous));
    let purpose = match d.purpose {
        Some(p) => p,
        None => history::next_step(conn, actor.org_id, d.employer_id, stage)?.purpose(),
    };
    let row: OutreachRow = db_run!(conn, |c| diesel::insert_into(outreach::table)
        .values((
            outreach::organisation_id.eq(actor.org_id),
            outreach::specialist_id.eq(specialist),
            outreach::employer_id.eq(d.employer_id),
            outreach::contact_id.eq(d.contact_id),
            outreach::occurred_at.eq(d.occurred_at),
            outreach::channel.eq(&d.channel),
            outreach::visit_kind.eq(&visit_kind),
            outreach::met_hiring_authority.eq(d.met_hiring_authority),
            outreach::on_behalf_of.eq(&d.on_behalf_of),
            outreach::client_present.eq(d.client_present),
            outreach::purpose.eq(&purpose),
            outreach::learned.eq(&d.learned),
            outreach::outcome.eq(&d.outcome),
            outreach::next_step.eq(&d.next_step),
            outreach::next_step_due.eq(d.next_step_due),
            outreach::planned_contact_id.eq(d.planned_contact_id),
            outreach::contact_day_id.eq(d.contact_day_id),
            outreach::result.eq(d.result),
            outreach::created_at.eq(now),
            outreach::updated_at.eq(now),
        ))
        .returning(OutreachRow::as_returning())
        .get_result(c))?;
    link_clients(conn, actor, row.id, &d.client_ids)?;
    if let Some(title) = &d.found_lead {
        let source = if d.contact_day_id.is_some() {
            LeadSource::ContactDay
        } else {
            LeadSource::EmployerContact
        };
        crate::domain::leads::create(
            conn,
            actor,
            LeadInput {
                employer_id: Some(d.employer_id),
                title: Some(title.clone()),
                source: Some(Choice::Known(source)),
                found_by: Some(specialist),
                outreach_id: Some(row.id),
                ..Default::default()
            },
            now,
        )
        .map_err(|e| match e {
            // The lead's own fields are named for this form.
            AppError::Validation(_) => AppError::Validation(FieldErrors::single(
                "found_lead",
                Msg::new("error.found_lead"),
            )),
            other => other,
        })?;
    }
    if let Some(pid) = d.planned_contact_id {
        crate::domain::plan::mark_done(conn, actor, pid, row.id, now)?;
    }
    if let (Some(step), Some(due)) = (&d.next_step, d.next_step_due) {
        follow_ups::create_for(
            conn,
            actor,
            row.employer_id,
            Some(row.id),
            specialist,
            step,
            due,
            now,
        )?;
    }
    advance_stage(
        conn,
        actor,
        row.employer_id,
        stage,
        row.channel,
        row.purpose,
        now,
    )?;
    let created = get(conn, actor, row.id)?;
    audit::changed(
        conn,
        actor,
        Action::Create,
        Entity::Outreach,
        created.id,
        None::<&Outreach>,
        Some(&created),
        FREE_TEXT,
        now,
    )?;
    Ok(created)
}

/// The entry's free text may speak of a job seeker: the trail says only "changed".
const FREE_TEXT: Privacy = Privacy::Fields(&["learned", "outcome", "next_step"]);

/// Replaces the job seekers an entry was made for.
fn link_clients(
    conn: &mut DbConn,
    actor: &Actor,
    outreach_id: i64,
    client_ids: &[i64],
) -> Result<(), AppError> {
    db_run!(conn, |c| diesel::delete(
        outreach_clients::table
            .filter(outreach_clients::outreach_id.eq(outreach_id))
            .filter(outreach_clients::organisation_id.eq(actor.org_id))
    )
    .execute(c))?;
    let mut ids = client_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let rows: Vec<_> = ids
        .iter()
        .map(|cid| {
            (
                outreach_clients::outreach_id.eq(outreach_id),
                outreach_clients::organisation_id.eq(actor.org_id),
                outreach_clients::client_id.eq(*cid),
            )
        })
        .collect();
    if !rows.is_empty() {
        db_run!(conn, |c| diesel::insert_into(outreach_clients::table)
            .values(&rows)
            .execute(c))?;
    }
    Ok(())
}

pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<Outreach, AppError> {
    let row: Option<OutreachRow> = db_run!(conn, |c| outreach::table
        .filter(outreach::id.eq(id))
        .filter(outreach::organisation_id.eq(actor.org_id))
        .select(OutreachRow::as_select())
        .first(c)
        .optional())?;
    let mut entry: Outreach = row.ok_or(AppError::NotFound)?.into();
    entry.client_ids = db_run!(conn, |c| outreach_clients::table
        .filter(outreach_clients::outreach_id.eq(id))
        .filter(outreach_clients::organisation_id.eq(actor.org_id))
        .select(outreach_clients::client_id)
        .load(c))?;
    Ok(entry)
}

/// Edits an entry with a JSON merge patch; the result is checked like a new entry,
/// and the collision guard looks again when the employer, time or person changed.
pub fn patch(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    patch: serde_json::Map<String, serde_json::Value>,
    now: NaiveDateTime,
    rules: &Rules,
) -> Result<Outreach, AppError> {
    actor.require_write()?;
    let current = get(conn, actor, id)?;
    actor.require_own(current.specialist_id)?;
    let acknowledged = patch
        .get("acknowledge_collisions")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    crate::domain::validate::refuse_create_only(&patch, &["found_lead"])?;
    let mut patch = patch;
    patch.remove("acknowledge_collisions");
    // A local time from a form is the same moment as the stored UTC one: compare alike.
    if let Some(at) = patch
        .get("occurred_at")
        .and_then(|v| v.as_str())
        .and_then(|s| crate::domain::outreach::parse_instant(s.trim(), rules.tz))
    {
        patch.insert(
            "occurred_at".into(),
            crate::domain::outreach::utc_string(at).into(),
        );
    }
    let theirs = OutreachInput::from_entry(&current);
    let edit = versioning::merge(patch, &theirs, current.version, &current)?;
    if edit.unchanged {
        return Ok(current);
    }
    let d = edit
        .input
        .clone()
        .parse(now, rules.tz)
        .map_err(AppError::Validation)?;
    let specialist = d.specialist_id.unwrap_or(actor.user_id);
    check_references(
        conn,
        actor,
        &d,
        specialist,
        current.contact_day_id,
        &current.client_ids,
    )?;
    // Forms keep minutes only: the same minute is not a move.
    let new_time = crate::domain::outreach::utc_string(d.occurred_at);
    let moved = d.employer_id != current.employer_id
        || specialist != current.specialist_id
        || new_time.get(..16) != current.occurred_at.get(..16);
    if moved && !acknowledged {
        let found = guard::check(
            conn,
            &Proposed {
                org_id: actor.org_id,
                employer_id: d.employer_id,
                specialist_id: specialist,
                at: d.occurred_at,
                tz: rules.tz,
                window_days: rules.collision_window_days,
                except_outreach: Some(id),
                except_plan: d.planned_contact_id,
            },
        )?;
        if !found.is_empty() {
            return Err(AppError::Collision(found));
        }
    }
    let rows = db_run!(conn, |c| diesel::update(
        outreach::table
            .filter(outreach::id.eq(id))
            .filter(outreach::organisation_id.eq(actor.org_id))
            .filter(outreach::version.eq(current.version))
    )
    .set((
        outreach::specialist_id.eq(specialist),
        outreach::employer_id.eq(d.employer_id),
        outreach::contact_id.eq(d.contact_id),
        outreach::occurred_at.eq(d.occurred_at),
        outreach::channel.eq(&d.channel),
        outreach::visit_kind.eq(d.visit_kind.unwrap_or(current.visit_kind)),
        outreach::met_hiring_authority.eq(d.met_hiring_authority),
        outreach::on_behalf_of.eq(&d.on_behalf_of),
        outreach::client_present.eq(d.client_present),
        outreach::purpose.eq(d.purpose.unwrap_or(current.purpose)),
        outreach::learned.eq(&d.learned),
        outreach::outcome.eq(&d.outcome),
        outreach::next_step.eq(&d.next_step),
        outreach::next_step_due.eq(d.next_step_due),
        outreach::result.eq(d.result),
        outreach::updated_at.eq(now),
    ))
    .execute(c))?;
    versioning::applied(rows, || match get(conn, actor, id) {
        Ok(now) => versioning::stale(
            now.version,
            &OutreachInput::from_entry(&now),
            &edit.input,
            &now,
        ),
        Err(e) => e,
    })?;
    link_clients(conn, actor, id, &d.client_ids)?;
    let after = get(conn, actor, id)?;
    audit::changed(
        conn,
        actor,
        Action::Update,
        Entity::Outreach,
        id,
        Some(&current),
        Some(&after),
        FREE_TEXT,
        now,
    )?;
    Ok(after)
}

/// Deletes an entry from the log; it is kept as it was among the deleted entries, which
/// team leads see, and the trail records who deleted it.
pub fn delete(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    actor.require_write()?;
    let current = get(conn, actor, id)?;
    actor.require_own(current.specialist_id)?;
    super::deleted::keep(conn, actor, &current, now)?;
    db_run!(conn, |c| diesel::delete(
        outreach::table
            .filter(outreach::id.eq(id))
            .filter(outreach::organisation_id.eq(actor.org_id))
    )
    .execute(c))?;
    audit::changed(
        conn,
        actor,
        Action::Delete,
        Entity::Outreach,
        id,
        Some(&current),
        None::<&Outreach>,
        FREE_TEXT,
        now,
    )?;
    Ok(())
}

/// Query parameters of the contact log, unchecked.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct LogParams {
    pub employer_id: Option<String>,
    pub specialist_id: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub channel: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

/// The log newest first, with keyset pages; `from`/`to` are local dates, inclusive.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    p: LogParams,
    rules: &Rules,
) -> Result<Page<Outreach>, AppError> {
    let mut e = FieldErrors::default();
    let employer = id_param(&mut e, "employer_id", p.employer_id);
    let specialist = id_param(&mut e, "specialist_id", p.specialist_id);
    let from = day_param(&mut e, "from", p.from)
        .map(|d| crate::domain::week::local_midnight_utc(d, rules.tz));
    let to = day_param(&mut e, "to", p.to)
        .map(|d| crate::domain::week::local_midnight_utc(d.succ_opt().unwrap_or(d), rules.tz));
    let channel: Option<Channel> = choice(&mut e, "channel", p.channel.map(Into::into));
    let cursor = match p.cursor.filter(|s| !s.is_empty()) {
        Some(c) => {
            let parsed = Cursor::decode(&c).and_then(|c| {
                NaiveDateTime::parse_from_str(&c.key, "%Y-%m-%dT%H:%M:%S%.f")
                    .ok()
                    .map(|t| (t, c.id))
            });
            if parsed.is_none() {
                e.add("cursor", Msg::new("error.cursor"));
            }
            parsed
        }
        None => None,
    };
    let limit = crate::domain::validate::limit_param(&mut e, p.limit, 50, 200);
    e.into_result()?;
    if let Some(eid) = employer {
        employer_service::get(conn, actor, eid)?;
    }
    let rows: Vec<(OutreachRow, String, String)> = db_run!(conn, |c| {
        let mut q = outreach::table
            .inner_join(employers::table)
            .inner_join(users::table)
            .into_boxed::<Db>()
            .filter(outreach::organisation_id.eq(actor.org_id));
        if let Some(eid) = employer {
            q = q.filter(outreach::employer_id.eq(eid));
        }
        if let Some(sid) = specialist {
            q = q.filter(outreach::specialist_id.eq(sid));
        }
        if let Some(f) = from {
            q = q.filter(outreach::occurred_at.ge(f));
        }
        if let Some(t) = to {
            q = q.filter(outreach::occurred_at.lt(t));
        }
        if let Some(ch) = &channel {
            q = q.filter(outreach::channel.eq(*ch));
        }
        if let Some((t, id)) = cursor {
            q = q.filter(
                outreach::occurred_at
                    .lt(t)
                    .or(outreach::occurred_at.eq(t).and(outreach::id.lt(id))),
            );
        }
        q.order((outreach::occurred_at.desc(), outreach::id.desc()))
            .limit(limit + 1)
            .select((
                OutreachRow::as_select(),
                employers::name,
                users::display_name,
            ))
            .load(c)
    })?;
    let more = rows.len() as i64 > limit;
    let items: Vec<Outreach> = rows
        .into_iter()
        .take(limit as usize)
        .map(|(row, employer, specialist)| Outreach {
            employer_name: Some(employer),
            specialist_name: Some(specialist),
            ..Outreach::from(row)
        })
        .collect();
    let next = if more {
        items.last().map(|l| {
            let t = NaiveDateTime::parse_from_str(&l.occurred_at, "%Y-%m-%dT%H:%M:%SZ")
                .unwrap_or_default();
            Cursor {
                key: t.format("%Y-%m-%dT%H:%M:%S%.f").to_string(),
                id: l.id,
            }
            .encode()
        })
    } else {
        None
    };
    let total = items.len() as i64;
    Ok(Page { items, next, total })
}

/// In-person employer contacts by a specialist in [from, to): every visit counts,
/// repeated visits to one employer included; calls and e-mails do not.
pub fn in_person_count(
    conn: &mut DbConn,
    org_id: i64,
    specialist_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<i64, AppError> {
    Ok(db_run!(conn, |c| outreach::table
        .filter(outreach::organisation_id.eq(org_id))
        .filter(outreach::specialist_id.eq(specialist_id))
        .filter(outreach::channel.eq(Channel::InPerson))
        .filter(outreach::occurred_at.ge(from))
        .filter(outreach::occurred_at.lt(to))
        .count()
        .get_result(c))?)
}
