//! Throttles password guessing, per account (e-mail address: the login form and the
//! password-change form share the count) and per client address. The counts live in the database so every instance
//! shares them, and an attempt is reserved *before* the slow password check: parallel
//! guesses cannot all slip in while the first is still being verified.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::login_attempts as la;
use crate::db::{AsConn, DbConn};
use crate::db_run;
use crate::error::AppError;

/// How many failures a key may have within the lockout window.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_failures: u32,
    pub lockout_minutes: i64,
}

/// A shared office address (behind one proxy or NAT) gets more tries than one account.
const PER_CLIENT_FACTOR: u32 = 4;

/// What a login attempt is counted against.
#[derive(Debug, Clone)]
pub enum Key {
    Email(String),
    Client(String),
}

impl Key {
    fn text(&self) -> String {
        match self {
            // An address is at most 254 characters; longer input is not one.
            Self::Email(e) => format!(
                "email:{}",
                e.trim()
                    .to_lowercase()
                    .chars()
                    .take(254)
                    .collect::<String>()
            ),
            Self::Client(c) => format!("client:{c}"),
        }
    }

    fn limit(&self, limits: Limits) -> i32 {
        let factor = match self {
            Self::Client(_) => PER_CLIENT_FACTOR,
            _ => 1,
        };
        (limits.max_failures * factor) as i32
    }
}

/// Reserves one attempt on every key, all or none. Refused (`TooManyRequests` with
/// the seconds to wait) when any key has used up its tries.
pub fn reserve(
    conn: &mut DbConn,
    keys: &[Key],
    limits: Limits,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let window = Duration::minutes(limits.lockout_minutes.max(1));
    crate::db::transaction(conn, |tx| {
        // Counts whose window has passed are dropped, so the table stays small however
        // many addresses and accounts are tried.
        db_run!(tx.conn(), |c| diesel::delete(
            la::table.filter(la::last_at.lt(now - window))
        )
        .execute(c))?;
        for key in keys {
            let k = key.text();
            db_run!(tx.conn(), |c| diesel::insert_into(la::table)
                .values((la::key.eq(&k), la::failures.eq(0), la::last_at.eq(now)))
                .on_conflict_do_nothing()
                .execute(c))?;
            // The row lock (PostgreSQL) or the write lock (SQLite) makes this check
            // and the increment one step.
            let took = db_run!(tx.conn(), |c| diesel::update(
                la::table
                    .filter(la::key.eq(&k))
                    .filter(la::failures.lt(key.limit(limits)))
            )
            .set((la::failures.eq(la::failures + 1), la::last_at.eq(now)))
            .execute(c))?;
            if took == 0 {
                let last: NaiveDateTime = db_run!(tx.conn(), |c| la::table
                    .filter(la::key.eq(&k))
                    .select(la::last_at)
                    .first(c))?;
                let wait = (last + window - now).num_seconds().max(1);
                return Err(AppError::TooManyRequests {
                    retry_after_secs: wait,
                });
            }
        }
        Ok(())
    })
}

/// The password was right: the account's count starts again, and the client address
/// gets its reserved try back.
pub fn succeeded(conn: &mut DbConn, keys: &[Key]) -> Result<(), AppError> {
    for key in keys {
        let k = key.text();
        match key {
            Key::Client(_) => db_run!(conn, |c| diesel::update(
                la::table.filter(la::key.eq(&k)).filter(la::failures.gt(0))
            )
            .set(la::failures.eq(la::failures - 1))
            .execute(c))?,
            _ => db_run!(conn, |c| diesel::delete(la::table.filter(la::key.eq(&k)))
                .execute(c))?,
        };
    }
    Ok(())
}
