//! Organisations, teams, users and roles; password hashing.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{organisations, teams, users};
use crate::db::{DbConn, Tx};
use crate::db_run;
use crate::domain::audit::{self, Action, Change, Entity};
use crate::domain::validate::is_email;
use crate::error::{AppError, FieldErrors, Msg};
use crate::i18n::Lang;

crate::closed_set! {
    /// What a user may do: admins and team leads run the team, viewers only read.
    pub enum Role ("role") {
        Admin = "admin",
        TeamLead = "team_lead",
        Specialist = "specialist",
        Viewer = "viewer",
    }
}

impl Role {
    /// Those who do job development: counted in the fidelity figures and the plan.
    pub const DEVELOPERS: [Role; 2] = [Role::Specialist, Role::TeamLead];
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub organisation_id: i64,
    pub team_id: Option<i64>,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub locale: Option<String>,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

/// The signed-in user, as every domain function that reads or writes sees them.
/// Every query is scoped by `org_id`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Actor {
    pub user_id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub team_id: Option<i64>,
    pub role: Role,
    pub email: String,
    pub display_name: String,
    pub locale: Option<Lang>,
}

impl Actor {
    pub fn can_write(&self) -> bool {
        self.role != Role::Viewer
    }

    /// Viewers read; everyone else may change the register.
    pub fn require_write(&self) -> Result<(), AppError> {
        if self.can_write() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Admins only: the whole organisation's data, users and settings.
    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// A specialist's own record (a logged contact, a planned visit) is theirs to change;
    /// a team lead or an admin may change anyone's. Colleagues read it.
    pub fn require_own(&self, owner_id: i64) -> Result<(), AppError> {
        self.require_write()?;
        if self.user_id == owner_id || matches!(self.role, Role::TeamLead | Role::Admin) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("password hashing: {e}")))
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

pub const MIN_PASSWORD_LEN: usize = 10;

/// The actor for an active user id.
pub fn load_actor(conn: &mut DbConn, user_id: i64) -> Result<Option<Actor>, AppError> {
    let row: Option<(UserRow, String)> = db_run!(conn, |c| users::table
        .inner_join(organisations::table)
        .filter(users::id.eq(user_id))
        .filter(users::active.eq(true))
        .select((UserRow::as_select(), organisations::name))
        .first(c)
        .optional())?;
    Ok(row.map(|(u, org_name)| actor_from(u, org_name)))
}

fn actor_from(u: UserRow, org_name: String) -> Actor {
    Actor {
        user_id: u.id,
        org_id: u.organisation_id,
        org_name,
        team_id: u.team_id,
        role: u.role,
        email: u.email,
        display_name: u.display_name,
        locale: u.locale.as_deref().and_then(Lang::parse),
    }
}

pub fn find_by_email(conn: &mut DbConn, email: &str) -> Result<Option<UserRow>, AppError> {
    let email = email.trim().to_lowercase();
    Ok(db_run!(conn, |c| users::table
        .filter(users::email.eq(&email))
        .select(UserRow::as_select())
        .first(c)
        .optional())?)
}

/// The user when the e-mail and password match an active account.
pub fn authenticate(
    conn: &mut DbConn,
    email: &str,
    password: &str,
) -> Result<Option<Actor>, AppError> {
    match find_by_email(conn, email)? {
        Some(u) if u.active && verify_password(&u.password_hash, password) => {
            load_actor(conn, u.id)
        }
        Some(_) => Ok(None),
        None => {
            // Spend the same time as a real check so timing does not tell which e-mails exist.
            let _ = verify_password(DUMMY_HASH, password);
            Ok(None)
        }
    }
}

const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$8BpD6wWdSGSWIrFsYdGCLuBFzQDCZK2z02r3u2ltrYM";

pub struct NewUser<'a> {
    pub org_name: &'a str,
    pub team_name: Option<&'a str>,
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password: &'a str,
}

fn find_or_create_org(conn: &mut DbConn, name: &str, now: NaiveDateTime) -> Result<i64, AppError> {
    let existing: Option<i64> = db_run!(conn, |c| organisations::table
        .filter(organisations::name.eq(name))
        .select(organisations::id)
        .first(c)
        .optional())?;
    if let Some(id) = existing {
        return Ok(id);
    }
    Ok(db_run!(conn, |c| diesel::insert_into(
        organisations::table
    )
    .values((
        organisations::name.eq(name),
        organisations::created_at.eq(now)
    ))
    .returning(organisations::id)
    .get_result(c))?)
}

fn find_or_create_team(
    conn: &mut DbConn,
    org_id: i64,
    name: &str,
    now: NaiveDateTime,
) -> Result<i64, AppError> {
    let existing: Option<i64> = db_run!(conn, |c| teams::table
        .filter(teams::organisation_id.eq(org_id))
        .filter(teams::name.eq(name))
        .select(teams::id)
        .first(c)
        .optional())?;
    if let Some(id) = existing {
        return Ok(id);
    }
    Ok(db_run!(conn, |c| diesel::insert_into(teams::table)
        .values((
            teams::organisation_id.eq(org_id),
            teams::name.eq(name),
            teams::created_at.eq(now)
        ))
        .returning(teams::id)
        .get_result(c))?)
}

/// Creates the user, and the organisation and team when missing.
pub fn create_user(conn: &mut Tx<'_>, new: &NewUser, now: NaiveDateTime) -> Result<i64, AppError> {
    let mut errors = FieldErrors::default();
    let email = new.email.trim().to_lowercase();
    if !is_email(&email) {
        errors.add("email", Msg::new("error.email"));
    }
    if new.password.chars().count() < MIN_PASSWORD_LEN {
        errors.add(
            "password",
            Msg::new("error.password_short").arg("min", MIN_PASSWORD_LEN),
        );
    }
    if new.org_name.trim().is_empty() {
        errors.add("org", Msg::new("error.required"));
    }
    errors.into_result()?;
    if find_by_email(conn, &email)?.is_some() {
        return Err(AppError::Conflict(FieldErrors::single(
            "email",
            Msg::new("error.email_taken"),
        )));
    }
    let org_id = find_or_create_org(conn, new.org_name.trim(), now)?;
    let team_id = match new.team_name.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Some(find_or_create_team(conn, org_id, t, now)?),
        None => None,
    };
    let hash = hash_password(new.password)?;
    let ts = now;
    let display = if new.display_name.trim().is_empty() {
        email.clone()
    } else {
        new.display_name.trim().to_string()
    };
    let id: i64 = db_run!(conn, |c| diesel::insert_into(users::table)
        .values((
            users::organisation_id.eq(org_id),
            users::team_id.eq(team_id),
            users::email.eq(&email),
            users::display_name.eq(&display),
            users::role.eq(new.role),
            users::password_hash.eq(&hash),
            users::active.eq(true),
            users::created_at.eq(ts),
            users::updated_at.eq(ts),
        ))
        .returning(users::id)
        .get_result(c))?;
    let changes = [
        Change::note("email", email.as_str()),
        Change::note("display_name", display.as_str()),
        Change::note("role", new.role.as_str()),
        Change::note("team_id", team_id),
    ];
    audit::append(
        conn,
        org_id,
        None,
        audit::Event {
            action: Action::Create,
            entity: Entity::User,
            entity_id: Some(id),
            changes: &changes,
            at: ts,
        },
    )?;
    Ok(id)
}

/// Changes the actor's password after checking the current one.
pub fn change_password(
    conn: &mut DbConn,
    actor: &Actor,
    current: &str,
    new: &str,
    repeat: &str,
    keep_session: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let row: UserRow = db_run!(conn, |c| users::table
        .filter(users::id.eq(actor.user_id))
        .filter(users::organisation_id.eq(actor.org_id))
        .select(UserRow::as_select())
        .first(c))?;
    let mut errors = FieldErrors::default();
    if !verify_password(&row.password_hash, current) {
        errors.add("current_password", Msg::new("error.password_wrong"));
    }
    if new.chars().count() < MIN_PASSWORD_LEN {
        errors.add(
            "new_password",
            Msg::new("error.password_short").arg("min", MIN_PASSWORD_LEN),
        );
    }
    if new != repeat {
        errors.add("repeat_password", Msg::new("error.password_mismatch"));
    }
    errors.into_result()?;
    replace_password(
        conn,
        (actor.org_id, actor.user_id),
        new,
        keep_session,
        Some(actor.user_id),
        now,
    )
}

/// Sets a user's password from the command line (after an organisation import, or a
/// forgotten one); the user is signed out everywhere.
pub fn set_password(
    conn: &mut DbConn,
    email: &str,
    password: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let user = find_by_email(conn, email)?.ok_or(AppError::NotFound)?;
    if password.chars().count() < MIN_PASSWORD_LEN {
        let mut errors = FieldErrors::default();
        errors.add(
            "password",
            Msg::new("error.password_short").arg("min", MIN_PASSWORD_LEN),
        );
        return Err(AppError::Validation(errors));
    }
    replace_password(
        conn,
        (user.organisation_id, user.id),
        password,
        None,
        None,
        now,
    )
}

/// Stores the new password's hash and ends every way in made with the old one: sessions
/// (but `keep_session`), API tokens and the calendar-feed address. `by` is None for the
/// command line.
fn replace_password(
    conn: &mut DbConn,
    (org_id, user_id): (i64, i64),
    new: &str,
    keep_session: Option<&str>,
    by: Option<i64>,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let hash = hash_password(new)?;
    db_run!(conn, |c| diesel::update(
        users::table.filter(users::id.eq(user_id))
    )
    .set((users::password_hash.eq(&hash), users::updated_at.eq(now)))
    .execute(c))?;
    // Whoever had the old password is signed out everywhere but here.
    let keep = keep_session
        .map(crate::domain::auth::sha256_hex)
        .unwrap_or_default();
    db_run!(conn, |c| diesel::delete(
        crate::db::schema::sessions::table
            .filter(crate::db::schema::sessions::user_id.eq(user_id))
            .filter(crate::db::schema::sessions::token_hash.ne(&keep))
    )
    .execute(c))?;
    // So do the programs holding API tokens made with the old password.
    db_run!(conn, |c| diesel::update(
        crate::db::schema::api_tokens::table
            .filter(crate::db::schema::api_tokens::user_id.eq(user_id))
            .filter(crate::db::schema::api_tokens::revoked_at.is_null())
    )
    .set(crate::db::schema::api_tokens::revoked_at.eq(Some(now)))
    .execute(c))?;
    // And the calendar-feed address (a new one is made when next asked for).
    db_run!(conn, |c| diesel::update(
        crate::db::schema::calendar_feeds::table
            .filter(crate::db::schema::calendar_feeds::user_id.eq(user_id))
            .filter(crate::db::schema::calendar_feeds::revoked_at.is_null())
    )
    .set(crate::db::schema::calendar_feeds::revoked_at.eq(Some(now)))
    .execute(c))?;
    // The trail says the password changed, never anything of it.
    let change = Change {
        field: "password".into(),
        old: serde_json::Value::Null,
        new: serde_json::Value::Null,
        private: true,
    };
    audit::append(
        conn,
        org_id,
        by,
        audit::Event {
            action: Action::Update,
            entity: Entity::User,
            entity_id: Some(user_id),
            changes: &[change],
            at: now,
        },
    )
}

pub fn set_locale(conn: &mut DbConn, actor: &Actor, lang: Lang) -> Result<(), AppError> {
    db_run!(conn, |c| diesel::update(
        users::table.filter(users::id.eq(actor.user_id))
    )
    .set(users::locale.eq(lang.code()))
    .execute(c))?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, Queryable, schemars::JsonSchema)]
pub struct UserSummary {
    pub id: i64,
    pub display_name: String,
    pub role: Role,
}

/// Active users of the actor's organisation, for owner pickers.
pub fn list_org_users(conn: &mut DbConn, org_id: i64) -> Result<Vec<UserSummary>, AppError> {
    Ok(db_run!(conn, |c| users::table
        .filter(users::organisation_id.eq(org_id))
        .filter(users::active.eq(true))
        .order((users::display_name.asc(), users::id.asc()))
        .select((users::id, users::display_name, users::role))
        .load(c))?)
}

/// True when `user_id` is an active user of `org_id`.
pub fn user_in_org(conn: &mut DbConn, org_id: i64, user_id: i64) -> Result<bool, AppError> {
    let n: i64 = db_run!(conn, |c| users::table
        .filter(users::organisation_id.eq(org_id))
        .filter(users::id.eq(user_id))
        .filter(users::active.eq(true))
        .count()
        .get_result(c))?;
    Ok(n > 0)
}

pub fn count_users(conn: &mut DbConn) -> Result<i64, AppError> {
    Ok(db_run!(conn, |c| users::table.count().get_result(c))?)
}

/// The organisation's teams (id, name), for scope pickers.
pub fn list_teams(conn: &mut DbConn, org_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    use crate::db::schema::teams;
    Ok(db_run!(conn, |c| teams::table
        .filter(teams::organisation_id.eq(org_id))
        .order(teams::name.asc())
        .select((teams::id, teams::name))
        .load(c))?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dummy_hash_parses() {
        assert!(argon2::PasswordHash::new(super::DUMMY_HASH).is_ok());
    }
}
