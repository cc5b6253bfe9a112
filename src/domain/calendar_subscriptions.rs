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

#[derive(Debug, Clone, Serialize, Queryable, Selectable)]
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

#[derive(Debug, Clone, Default, Deserialize)]
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

pub fn list(conn: &mut DbConn, actor: &Actor) -> Result<Vec<Subscription>, AppError> {
    Ok(db_run!(conn, |c| subs::table
        .filter(subs::organisation_id.eq(actor.org_id))
        .order(subs::id.asc())
        .select(Subscription::as_select())
        .load(c))?)
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

/// True for addresses inside a private network or this machine: loopback, private ranges,
/// link-local, unique-local, unspecified, broadcast.
pub fn is_internal(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1]) // CGNAT
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_internal(IpAddr::V4(v4));
            }
            let seg = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (seg & 0xfe00) == 0xfc00 // unique local
                || (seg & 0xffc0) == 0xfe80 // link local
        }
    }
}

/// The host and port of an http(s) address.
fn host_port(url: &str) -> Option<(String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let default = if scheme.eq_ignore_ascii_case("https") {
        443
    } else {
        80
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        let port = after
            .strip_prefix(':')
            .and_then(|p| p.parse().ok())
            .unwrap_or(default);
        return Some((host.to_string(), port));
    }
    match authority.rsplit_once(':') {
        Some((h, p)) => Some((h.to_string(), p.parse().ok()?)),
        None => Some((authority.to_string(), default)),
    }
}

/// Refuses addresses that resolve into a private network or this machine, so the fetcher
/// cannot be pointed at internal services (unless the setting allows it, as in tests).
fn check_address(url: &str) -> Result<(), String> {
    use std::net::ToSocketAddrs;
    let (host, port) = host_port(url).ok_or_else(|| format!("unreadable address {url}"))?;
    let addrs: Vec<_> = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(|e| format!("{host}: {e}"))?
        .collect();
    if addrs.is_empty() || addrs.iter().any(|a| is_internal(a.ip())) {
        return Err(format!(
            "{host} is an internal address; only public calendars are fetched"
        ));
    }
    Ok(())
}

fn fetch(url: &str, allow_internal: bool) -> Result<String, String> {
    if !allow_internal {
        check_address(url)?;
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(StdDuration::from_secs(20)))
        .build()
        .into();
    let mut resp = agent.get(url).call().map_err(|e| e.to_string())?;
    resp.body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_string()
        .map_err(|e| e.to_string())
}

/// Fetches and imports every due subscription; answers how many were fetched.
pub fn fetch_due(
    pool: &DbPool,
    tz: chrono_tz::Tz,
    now: NaiveDateTime,
    allow_internal: bool,
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
        // The network call happens outside any transaction.
        let fetched = fetch(url, allow_internal);
        let mut conn = pool.get()?;
        let outcome = crate::db::transaction(&mut conn, |c| {
            let actor = load_actor(c, *owner)?.ok_or(AppError::NotFound)?;
            match &fetched {
                Ok(text) => crate::domain::calendar_import::import(
                    c, &actor, text, *partner, tz, now,
                )
                .map(|n| {
                    format!(
                        "created {}, updated {}, skipped {}",
                        n.created, n.updated, n.skipped
                    )
                }),
                Err(e) => Err(AppError::BadBody(e.clone())),
            }
        });
        let (result, error) = match outcome {
            Ok(r) => (Some(r), None),
            Err(AppError::BadBody(why)) => (None, Some(why)),
            Err(e) => (None, Some(e.to_string())),
        };
        let next = now + Duration::minutes(*interval as i64);
        db_run!(&mut conn, |c| diesel::update(
            subs::table.filter(subs::id.eq(*id))
        )
        .set((
            subs::next_fetch_at.eq(next),
            subs::last_fetched_at.eq(Some(now)),
            subs::last_result.eq(&result),
            subs::last_error.eq(error
                .as_ref()
                .map(|e| e.chars().take(500).collect::<String>())),
        ))
        .execute(c))?;
    }
    Ok(due.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_recognised() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.1.1",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(is_internal(a.parse().unwrap()), "{a}");
        }
        for a in ["93.184.216.34", "8.8.8.8", "2a00:1450:4010::1"] {
            assert!(!is_internal(a.parse().unwrap()), "{a}");
        }
        assert_eq!(
            host_port("https://example.fi/a.ics"),
            Some(("example.fi".into(), 443))
        );
        assert_eq!(
            host_port("http://u:p@127.0.0.1:8080/x?y"),
            Some(("127.0.0.1".into(), 8080))
        );
        assert_eq!(host_port("http://[::1]:81/"), Some(("::1".into(), 81)));
        assert!(check_address("http://127.0.0.1:9/x.ics").is_err());
    }
}
