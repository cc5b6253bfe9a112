//! Partner calendars imported from a URL on a schedule: the outbox worker fetches the
//! due ones (http or https, 20 s, 10 MB at most) and imports them as an upload would, so
//! a re-fetch updates events by UID. A failure is kept on the subscription and retried at
//! the next interval; a file that cannot be read imports nothing.

use std::time::Duration as StdDuration;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::calendar_subscriptions as subs;
use crate::db::{DbConn, DbPool};
use crate::db_run;
use crate::domain::users::{load_actor, Actor};
use crate::error::{AppError, FieldErrors, Msg};

const MAX_BYTES: u64 = 10 * 1024 * 1024;

#[derive(Debug, Clone, Serialize, Queryable, Selectable, schemars::JsonSchema)]
#[diesel(table_name = subs)]
pub struct Subscription {
    pub id: i64,
    pub url: String,
    pub partner_id: Option<i64>,
    pub interval_minutes: i32,
    pub next_fetch_at: NaiveDateTime,
    pub last_fetched_at: Option<NaiveDateTime>,
    pub last_result: Option<String>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SubscriptionInput {
    pub url: Option<String>,
    pub interval_minutes: Option<i32>,
    pub partner_id: Option<i64>,
}

/// Adds a subscription, fetched for the first time by the next worker pass.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    input: SubscriptionInput,
    now: NaiveDateTime,
) -> Result<Subscription, AppError> {
    actor.require_write()?;
    let mut e = FieldErrors::default();
    let url = input.url.unwrap_or_default().trim().to_string();
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || url.len() > 2000
        || url.contains(char::is_whitespace)
    {
        e.add("url", Msg::new("error.calendar_url"));
    }
    let interval = input.interval_minutes.unwrap_or(360);
    if !(15..=7 * 24 * 60).contains(&interval) {
        e.add("interval_minutes", Msg::new("error.calendar_interval"));
    }
    if let Some(p) = input.partner_id {
        if !crate::db::scope::in_org(conn, crate::db::scope::Owned::Partner, actor.org_id, p)? {
            e.add("partner_id", Msg::new("error.unknown_partner"));
        }
    }
    e.into_result()?;
    let id: i64 = db_run!(conn, |c| diesel::insert_into(subs::table)
        .values((
            subs::organisation_id.eq(actor.org_id),
            subs::created_by.eq(actor.user_id),
            subs::url.eq(&url),
            subs::partner_id.eq(input.partner_id),
            subs::interval_minutes.eq(interval),
            subs::next_fetch_at.eq(now),
            subs::created_at.eq(now),
        ))
        .returning(subs::id)
        .get_result(c))?;
    get(conn, actor, id)
}

pub fn get(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<Subscription, AppError> {
    db_run!(conn, |c| subs::table
        .filter(subs::id.eq(id))
        .filter(subs::organisation_id.eq(actor.org_id))
        .select(Subscription::as_select())
        .first(c)
        .optional())?
    .ok_or(AppError::NotFound)
}

/// The organisation's subscriptions, their last outcome in the reader's language.
pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    lang: crate::i18n::Lang,
) -> Result<Vec<Subscription>, AppError> {
    let mut items: Vec<Subscription> = db_run!(conn, |c| subs::table
        .filter(subs::organisation_id.eq(actor.org_id))
        .order(subs::id.asc())
        .select(Subscription::as_select())
        .load(c))?;
    for s in &mut items {
        for text in [&mut s.last_result, &mut s.last_error]
            .into_iter()
            .flatten()
        {
            *text = crate::error::stored_text(text, lang);
        }
    }
    Ok(items)
}

/// Why a fetch came to nothing, as a message (a refused file names its line).
fn message_of(e: AppError) -> Msg {
    match e {
        AppError::Validation(mut f) => {
            f.0.pop_first()
                .and_then(|(_, mut msgs)| msgs.pop())
                .unwrap_or_else(|| Msg::new("error.validation.detail"))
        }
        other => Msg::new("error.ics.fetch").arg("detail", other.to_string()),
    }
}

pub fn delete(conn: &mut DbConn, actor: &Actor, id: i64) -> Result<(), AppError> {
    actor.require_write()?;
    let n = db_run!(conn, |c| diesel::delete(
        subs::table
            .filter(subs::id.eq(id))
            .filter(subs::organisation_id.eq(actor.org_id))
    )
    .execute(c))?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

fn fetch(url: &str, reach: &crate::net::Reach) -> Result<String, Msg> {
    // The network's own words (refused, timed out, 404) are technical: kept as detail.
    let failed = |detail: String| Msg::new("error.ics.fetch").arg("detail", detail);
    let agent = crate::net::guarded_agent(reach.clone(), StdDuration::from_secs(20));
    let mut resp = agent.get(url).call().map_err(|e| match e {
        ureq::Error::Io(io) => failed(io.to_string()),
        other => failed(other.to_string()),
    })?;
    resp.body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_string()
        .map_err(|e| failed(e.to_string()))
}

/// Fetches and imports every due subscription; answers how many were fetched.
pub fn fetch_due(
    pool: &DbPool,
    tz: chrono_tz::Tz,
    now: NaiveDateTime,
    reach: &crate::net::Reach,
) -> Result<usize, AppError> {
    let due: Vec<(i64, i64, String, i32, Option<i64>)> = {
        let mut conn = pool.get()?;
        db_run!(&mut conn, |c| subs::table
            .filter(subs::next_fetch_at.le(now))
            .order(subs::next_fetch_at.asc())
            .limit(20)
            .select((
                subs::id,
                subs::created_by,
                subs::url,
                subs::interval_minutes,
                subs::partner_id
            ))
            .load(c))?
    };
    for (id, owner, url, interval, partner) in &due {
        // The network call and the parse happen before a connection is taken.
        let fetched = fetch(url, reach)
            .and_then(|text| crate::domain::calendar_import::read(&text, tz).map_err(message_of));
        let mut conn = pool.get()?;
        let outcome = (|| {
            let actor = load_actor(&mut conn, *owner)
                .and_then(|a| a.ok_or(AppError::NotFound))
                .map_err(message_of)?;
            match fetched {
                Ok(file) => {
                    crate::domain::calendar_import::import(&mut conn, &actor, file, *partner, now)
                        .map(|n| {
                            Msg::new("error.ics.result")
                                .arg("created", n.created)
                                .arg("updated", n.updated)
                                .arg("skipped", n.skipped)
                        })
                        .map_err(message_of)
                }
                Err(why) => Err(why),
            }
        })();
        // Kept as messages: the API shows them in each reader's language.
        let (result, error) = match outcome {
            Ok(r) => (Some(r.to_stored()), None),
            Err(why) => (None, Some(why.to_stored())),
        };
        let next = now + Duration::minutes(*interval as i64);
        db_run!(&mut conn, |c| diesel::update(
            subs::table.filter(subs::id.eq(*id))
        )
        .set((
            subs::next_fetch_at.eq(next),
            subs::last_fetched_at.eq(Some(now)),
            subs::last_result.eq(&result),
            subs::last_error.eq(&error),
        ))
        .execute(c))?;
    }
    Ok(due.len())
}
