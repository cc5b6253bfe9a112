//! A job seeker's rights over their data: a copy of everything held about them, and
//! erasure. Erasure removes identity and free text and keeps what the anonymous figures
//! need (dates, statuses, structured preferences, placements' terms), so fidelity and
//! outcome figures do not change. Closed job seekers are erased after the configured
//! number of months by the background worker (retention).

use chrono::{Months, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::profile::{self, Profile, Version};
use super::{get, Client, ClientStatus, ContactOnBehalf};
use crate::db::schema::{
    client_profiles, clients, deleted_outreach, follow_ups, lead_proposals, leads, outreach,
    outreach_clients, placements, support_contacts,
};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::audit::{self, list::AuditEntry, Action, Entity};
use crate::domain::placements::{Placement, SupportSummary};
use crate::domain::proposals::{self, Named, Of};
use crate::domain::users::Actor;
use crate::error::AppError;

/// What replaces an erased person's name where colleagues wrote it in free text.
pub const REDACTED: &str = "[***]";

/// Everything held about one job seeker.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ClientExport {
    /// UTC, RFC 3339.
    pub exported_at: String,
    pub client: Client,
    /// Every saved version of the vocational profile, newest first.
    pub profile_versions: Vec<Version>,
    pub placements: Vec<(Placement, SupportSummary)>,
    pub proposals: Vec<Named>,
    /// Employer contacts made on their behalf, with what was written about them.
    pub contacts_on_behalf: Vec<ContactAboutThem>,
    /// Who opened or changed the record, and when (the audit trail about them).
    pub record_access: Vec<AuditEntry>,
}

/// A contact-log entry made on the job seeker's behalf, as their copy shows it.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ContactAboutThem {
    #[serde(flatten)]
    pub entry: ContactOnBehalf,
    pub learned: Option<String>,
    pub outcome: Option<String>,
    pub next_step: Option<String>,
}

/// A copy of everything about the job seeker (their specialist's team, team leads and
/// admins); the copy itself is recorded in the trail.
pub fn export(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    now: NaiveDateTime,
    tz: chrono_tz::Tz,
) -> Result<ClientExport, AppError> {
    let client = get(conn, actor, id, tz)?;
    let profile_versions = profile::history(conn, actor, id)?;
    let places = crate::domain::placements::for_client(conn, actor, id)?;
    let placements = crate::domain::placements::with_support(conn, actor, places)?;
    let proposals = proposals::named(conn, actor, Of::Client(id))?;
    let entries = super::contacts_on_behalf(conn, actor, id, i64::MAX)?;
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    type Texts = (i64, Option<String>, Option<String>, Option<String>);
    let texts: Vec<Texts> = db_run!(conn, |c| outreach::table
        .filter(outreach::organisation_id.eq(actor.org_id))
        .filter(outreach::id.eq_any(&ids))
        .select((
            outreach::id,
            outreach::learned,
            outreach::outcome,
            outreach::next_step
        ))
        .load(c))?;
    let contacts_on_behalf = entries
        .into_iter()
        .map(|entry| {
            let t = texts.iter().find(|t| t.0 == entry.id);
            ContactAboutThem {
                learned: t.and_then(|t| t.1.clone()),
                outcome: t.and_then(|t| t.2.clone()),
                next_step: t.and_then(|t| t.3.clone()),
                entry,
            }
        })
        .collect();
    // Who opened or changed the record, the profile or their jobs.
    let mut record_access = audit::list::about(conn, actor.org_id, Entity::Client, id)?;
    record_access.extend(audit::list::about(conn, actor.org_id, Entity::Profile, id)?);
    for (p, _) in &placements {
        record_access.extend(audit::list::about(
            conn,
            actor.org_id,
            Entity::Placement,
            p.id,
        )?);
    }
    record_access.sort_by_key(|a| a.id);
    audit::record(
        conn,
        actor,
        audit::Event {
            action: Action::Export,
            entity: Entity::Client,
            entity_id: Some(id),
            changes: &[],
            at: now,
        },
    )?;
    Ok(ClientExport {
        exported_at: now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        client,
        profile_versions,
        placements,
        proposals,
        contacts_on_behalf,
        record_access,
    })
}

/// Erases a job seeker on request (admins).
pub fn erase(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    now: NaiveDateTime,
    tz: chrono_tz::Tz,
) -> Result<Client, AppError> {
    actor.require_admin()?;
    get(conn, actor, id, tz)?;
    scrub(
        conn,
        actor.org_id,
        Some(actor.user_id),
        id,
        Action::Erase,
        now,
    )?;
    get(conn, actor, id, tz)
}

/// Keeps the profile's structured choices (what matching and the figures read) and
/// drops every word the person or a specialist wrote.
fn structured_only(p: Profile) -> Profile {
    Profile {
        occupations: p.occupations,
        industries_wanted: p.industries_wanted,
        industries_avoided: p.industries_avoided,
        avoid_employer_ids: p.avoid_employer_ids,
        hours_min: p.hours_min,
        hours_max: p.hours_max,
        days: p.days,
        shifts: p.shifts,
        home_municipality_code: p.home_municipality_code,
        work_municipality_codes: p.work_municipality_codes,
        max_commute_km: p.max_commute_km,
        earliest_start: p.earliest_start,
        ..Profile::default()
    }
}

/// `text` with every occurrence of `name` (any case) replaced, or None when absent.
pub fn redact(text: &str, name: &str) -> Option<String> {
    let needle: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut found) = (0, false);
    while i < chars.len() {
        let mut j = i;
        let mut k = 0;
        while j < chars.len() && k < needle.len() {
            let low: Vec<char> = chars[j].to_lowercase().collect();
            if needle[k..].starts_with(&low) {
                k += low.len();
                j += 1;
            } else {
                break;
            }
        }
        if k == needle.len() {
            out.push_str(REDACTED);
            i = j;
            found = true;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    found.then_some(out)
}

/// The name, then its parts, each long enough to search for.
fn name_parts(name: &str) -> Vec<String> {
    let whole = name.trim().to_string();
    let mut parts = vec![whole.clone()];
    for p in whole.split(|c: char| c.is_whitespace() || c == '-') {
        let p = p.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
        if !parts.contains(&p) {
            parts.push(p);
        }
    }
    parts.retain(|p| p.chars().count() >= MIN_REDACT_CHARS);
    parts
}

/// Names shorter than this are not searched for in colleagues' text: "Ai" would blank
/// half the log.
const MIN_REDACT_CHARS: usize = 3;

/// Replaces the names in one free-text column of the given rows; answers how many changed.
macro_rules! redact_rows {
    ($conn:expr, $org:expr, $names:expr, $ids:expr, $table:ident, $col:ident) => {{
        let rows: Vec<(i64, Option<String>)> = db_run!($conn, |c| $table::table
            .filter($table::organisation_id.eq($org))
            .filter($table::id.eq_any($ids))
            .select(($table::id, $table::$col.nullable()))
            .load(c))?;
        let mut changed = 0usize;
        for (rid, text) in rows {
            let Some(mut t) = text else { continue };
            let mut hit = false;
            for name in $names {
                if let Some(new) = redact(&t, name) {
                    t = new;
                    hit = true;
                }
            }
            if hit {
                db_run!($conn, |c| diesel::update(
                    $table::table
                        .filter($table::id.eq(rid))
                        .filter($table::organisation_id.eq($org))
                )
                .set($table::$col.eq(t.clone()))
                .execute(c))?;
                changed += 1;
            }
        }
        changed
    }};
}

/// Removes identity and free text; `action` is Erase (on request) or Anonymise
/// (retention). Does nothing to a record already erased.
fn scrub(
    conn: &mut DbConn,
    org: i64,
    user: Option<i64>,
    id: i64,
    action: Action,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let found: Option<(String, String)> = db_run!(conn, |c| clients::table
        .filter(clients::id.eq(id))
        .filter(clients::organisation_id.eq(org))
        .filter(clients::erased_at.is_null())
        .select((clients::display_name, clients::former_names))
        .first(c)
        .optional())?;
    let Some((name, former)) = found else {
        return Ok(false);
    };
    // The record itself: identity and the disclosure note go; dates and statuses stay.
    let n = db_run!(conn, |c| diesel::update(
        clients::table
            .filter(clients::id.eq(id))
            .filter(clients::organisation_id.eq(org))
            .filter(clients::erased_at.is_null())
    )
    .set((
        clients::display_name.eq(format!("#{id}")),
        clients::disclosure_notes.eq(None::<String>),
        clients::former_names.eq(""),
        // Nobody is presented to an employer on an erased person's behalf any more.
        clients::consent_to_contact_employers.eq(false),
        clients::erased_at.eq(Some(now)),
        clients::updated_at.eq(now),
    ))
    .execute(c))?;
    if n == 0 {
        return Ok(false); // another instance erased it in between
    }
    let versions: Vec<(i64, String)> = db_run!(conn, |c| client_profiles::table
        .filter(client_profiles::organisation_id.eq(org))
        .filter(client_profiles::client_id.eq(id))
        .select((client_profiles::id, client_profiles::data))
        .load(c))?;
    for (vid, data) in versions {
        let p: Profile = serde_json::from_str(&data).unwrap_or_default();
        let kept = serde_json::to_string(&structured_only(p)).map_err(AppError::internal)?;
        db_run!(conn, |c| diesel::update(
            client_profiles::table.filter(client_profiles::id.eq(vid))
        )
        .set(client_profiles::data.eq(&kept))
        .execute(c))?;
    }
    let place_ids: Vec<i64> = db_run!(conn, |c| placements::table
        .filter(placements::organisation_id.eq(org))
        .filter(placements::client_id.eq(id))
        .select(placements::id)
        .load(c))?;
    db_run!(conn, |c| diesel::update(
        placements::table
            .filter(placements::organisation_id.eq(org))
            .filter(placements::client_id.eq(id))
    )
    .set((
        placements::end_reason.eq(None::<String>),
        placements::wage.eq(None::<String>),
    ))
    .execute(c))?;
    db_run!(conn, |c| diesel::update(
        support_contacts::table
            .filter(support_contacts::organisation_id.eq(org))
            .filter(support_contacts::placement_id.eq_any(&place_ids))
    )
    .set(support_contacts::note.eq(None::<String>))
    .execute(c))?;
    db_run!(conn, |c| diesel::update(
        lead_proposals::table
            .filter(lead_proposals::organisation_id.eq(org))
            .filter(lead_proposals::client_id.eq(id))
    )
    .set(lead_proposals::reason.eq(None::<String>))
    .execute(c))?;
    // Where colleagues wrote the name in the log, the plan, follow-ups or leads.
    // Where colleagues wrote a name of theirs (now or earlier; whole, then each part) in
    // the records about them: contacts made on their behalf, the follow-ups and deleted
    // entries of those, and leads they were proposed for. Other records are not touched:
    // another person may have the same first name.
    let mut names = Vec::new();
    for n in std::iter::once(name.as_str()).chain(former.lines()) {
        for p in name_parts(n) {
            if !names.contains(&p) {
                names.push(p);
            }
        }
    }
    let logged: Vec<i64> = db_run!(conn, |c| outreach_clients::table
        .filter(outreach_clients::organisation_id.eq(org))
        .filter(outreach_clients::client_id.eq(id))
        .select(outreach_clients::outreach_id)
        .load(c))?;
    let follow: Vec<i64> = db_run!(conn, |c| follow_ups::table
        .filter(follow_ups::organisation_id.eq(org))
        .filter(follow_ups::outreach_id.eq_any(&logged))
        .select(follow_ups::id)
        .load(c))?;
    let proposed: Vec<i64> = db_run!(conn, |c| lead_proposals::table
        .filter(lead_proposals::organisation_id.eq(org))
        .filter(lead_proposals::client_id.eq(id))
        .select(lead_proposals::lead_id)
        .load(c))?;
    let kept: Vec<(i64, String)> = db_run!(conn, |c| deleted_outreach::table
        .filter(deleted_outreach::organisation_id.eq(org))
        .select((deleted_outreach::id, deleted_outreach::entry))
        .load(c))?;
    let gone: Vec<i64> = kept
        .into_iter()
        .filter(|(_, entry)| {
            serde_json::from_str::<serde_json::Value>(entry)
                .ok()
                .and_then(|v| v["client_ids"].as_array().cloned())
                .is_some_and(|ids| ids.iter().any(|x| x.as_i64() == Some(id)))
        })
        .map(|(i, _)| i)
        .collect();
    let names = &names;
    let mut redacted = std::collections::BTreeMap::new();
    redacted.insert(
        "contact_log",
        redact_rows!(conn, org, names, &logged, outreach, learned)
            + redact_rows!(conn, org, names, &logged, outreach, outcome)
            + redact_rows!(conn, org, names, &logged, outreach, next_step),
    );
    redacted.insert(
        "follow_ups",
        redact_rows!(conn, org, names, &follow, follow_ups, title),
    );
    redacted.insert(
        "leads",
        redact_rows!(conn, org, names, &proposed, leads, description)
            + redact_rows!(conn, org, names, &proposed, leads, requirements),
    );
    redacted.insert(
        "deleted_contact_log",
        redact_rows!(conn, org, names, &gone, deleted_outreach, entry),
    );
    redacted.retain(|_, n| *n > 0);
    let changes = [
        audit::Change::note(
            "removed",
            vec![
                "display_name",
                "disclosure_notes",
                "profile_text",
                "placement_end_reasons_and_wages",
                "support_notes",
                "proposal_reasons",
            ],
        ),
        audit::Change::note(
            "name_replaced_in",
            serde_json::to_value(&redacted).unwrap_or_default(),
        ),
    ];
    audit::append(
        conn,
        org,
        user,
        audit::Event {
            action,
            entity: Entity::Client,
            entity_id: Some(id),
            changes: &changes,
            at: now,
        },
    )?;
    Ok(true)
}

/// Retention: closed job seekers whose record has not changed for `months` are
/// anonymised; answers how many. `months` 0 keeps everyone.
pub fn retention(conn: &mut DbConn, months: u32, now: NaiveDateTime) -> Result<usize, AppError> {
    if months == 0 {
        return Ok(0);
    }
    let Some(before) = now.checked_sub_months(Months::new(months)) else {
        return Ok(0);
    };
    let due: Vec<(i64, i64)> = db_run!(conn, |c| clients::table
        .filter(clients::status.eq(ClientStatus::Closed))
        .filter(clients::erased_at.is_null())
        .filter(clients::updated_at.lt(before))
        .order(clients::id.asc())
        .limit(500)
        .select((clients::organisation_id, clients::id))
        .load(c))?;
    let mut done = 0;
    for (org, id) in due {
        let erased =
            crate::db::transaction(conn, |tx| scrub(tx, org, None, id, Action::Anonymise, now))?;
        if erased {
            done += 1;
        }
    }
    if done > 0 {
        crate::db::checkpoint(conn)?;
        tracing::info!(
            anonymised = done,
            months,
            "retention: closed job seekers anonymised"
        );
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redacts_any_case_and_keeps_the_rest() {
        assert_eq!(
            redact("Kävin Äijälän kanssa; ÄIJÄLÄ kiinnostui.", "Äijälä").as_deref(),
            Some("Kävin [***]n kanssa; [***] kiinnostui.")
        );
        assert_eq!(redact("ei mainintaa", "Äijälä"), None);
        assert_eq!(
            super::name_parts(" Tuulikki  Äijälä-Ek "),
            ["Tuulikki  Äijälä-Ek", "Tuulikki", "Äijälä"]
        );
    }
}
