//! Cookie sessions and personal API tokens. Only SHA-256 hashes of the secrets are
//! stored, so a copy of the database gives no way in.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::schema::{api_tokens, sessions};
use crate::db::DbConn;
use crate::db_run;
use crate::domain::users::{load_actor, Actor};
use crate::error::{AppError, FieldErrors, Msg};

/// `bytes` random bytes as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_hex(s: &str) -> String {
    sha256_hex_bytes(s.as_bytes())
}

pub fn sha256_hex_bytes(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Starts a session; answers the secret for the cookie.
pub fn create_session(
    conn: &mut DbConn,
    actor: &Actor,
    hours: i64,
    now: NaiveDateTime,
) -> Result<String, AppError> {
    let secret = random_hex(32);
    let ts = now;
    db_run!(conn, |c| diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(sha256_hex(&secret)),
            sessions::organisation_id.eq(actor.org_id),
            sessions::user_id.eq(actor.user_id),
            sessions::created_at.eq(ts),
            sessions::expires_at.eq(ts + Duration::hours(hours)),
        ))
        .execute(c))?;
    Ok(secret)
}

pub fn actor_for_session(
    conn: &mut DbConn,
    secret: &str,
    now: NaiveDateTime,
) -> Result<Option<Actor>, AppError> {
    let user_id: Option<i64> = db_run!(conn, |c| sessions::table
        .filter(sessions::token_hash.eq(sha256_hex(secret)))
        .filter(sessions::expires_at.gt(now))
        .select(sessions::user_id)
        .first(c)
        .optional())?;
    match user_id {
        Some(id) => load_actor(conn, id),
        None => Ok(None),
    }
}

pub fn end_session(conn: &mut DbConn, secret: &str, now: NaiveDateTime) -> Result<(), AppError> {
    let ts = now;
    db_run!(conn, |c| diesel::delete(
        sessions::table.filter(
            sessions::token_hash
                .eq(sha256_hex(secret))
                .or(sessions::expires_at.lt(ts))
        )
    )
    .execute(c))?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, Queryable, Selectable, schemars::JsonSchema)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub token_prefix: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

pub const TOKEN_PREFIX: &str = "pf_";

/// Issues a token for the actor; the plaintext is answered once and never stored.
pub fn create_token(
    conn: &mut DbConn,
    actor: &Actor,
    name: &str,
    now: NaiveDateTime,
) -> Result<(ApiToken, String), AppError> {
    let name = name.trim();
    if name.chars().count() > 100 {
        return Err(AppError::Validation(FieldErrors::single(
            "name",
            Msg::new("error.too_long").arg("max", 100),
        )));
    }
    let name = if name.is_empty() { "API" } else { name };
    let secret = format!("{TOKEN_PREFIX}{}", random_hex(24));
    let prefix: String = secret.chars().take(TOKEN_PREFIX.len() + 6).collect();
    let token = db_run!(conn, |c| diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::organisation_id.eq(actor.org_id),
            api_tokens::user_id.eq(actor.user_id),
            api_tokens::name.eq(name),
            api_tokens::token_hash.eq(sha256_hex(&secret)),
            api_tokens::token_prefix.eq(&prefix),
            api_tokens::created_at.eq(now),
        ))
        .returning(ApiToken::as_returning())
        .get_result(c))?;
    Ok((token, secret))
}

pub fn actor_for_token(
    conn: &mut DbConn,
    secret: &str,
    now: NaiveDateTime,
) -> Result<Option<Actor>, AppError> {
    let found: Option<(i64, i64)> = db_run!(conn, |c| api_tokens::table
        .filter(api_tokens::token_hash.eq(sha256_hex(secret)))
        .filter(api_tokens::revoked_at.is_null())
        .select((api_tokens::id, api_tokens::user_id))
        .first(c)
        .optional())?;
    let Some((token_id, user_id)) = found else {
        return Ok(None);
    };
    db_run!(conn, |c| diesel::update(
        api_tokens::table.filter(api_tokens::id.eq(token_id))
    )
    .set(api_tokens::last_used_at.eq(now))
    .execute(c))?;
    load_actor(conn, user_id)
}

/// The actor's own tokens, newest first (revoked ones included, marked).
pub fn list_tokens(conn: &mut DbConn, actor: &Actor) -> Result<Vec<ApiToken>, AppError> {
    Ok(db_run!(conn, |c| api_tokens::table
        .filter(api_tokens::organisation_id.eq(actor.org_id))
        .filter(api_tokens::user_id.eq(actor.user_id))
        .order(api_tokens::id.desc())
        .select(ApiToken::as_select())
        .load(c))?)
}

/// Revokes one of the actor's own tokens; anyone else's id is NotFound.
pub fn revoke_token(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let n = db_run!(conn, |c| diesel::update(
        api_tokens::table
            .filter(api_tokens::id.eq(id))
            .filter(api_tokens::organisation_id.eq(actor.org_id))
            .filter(api_tokens::user_id.eq(actor.user_id))
            .filter(api_tokens::revoked_at.is_null())
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(c))?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
