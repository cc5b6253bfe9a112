//! Review packs: a secret, expiring link to a period's fidelity figures, outcomes and
//! contact log for a peer-review team without an account. Made and revoked by team leads
//! and admins; the pack names no job seeker (pseudonymous ids only).

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::review_packs as rp;
use crate::db::DbConn;
use crate::db_run;
use crate::domain::auth::random_hex;
use crate::domain::users::{load_actor, Actor, Role};
use crate::error::{AppError, FieldErrors, Msg};

use super::{Period, Scope};

#[derive(Debug, Clone, Serialize, Queryable, Selectable, schemars::JsonSchema)]
#[diesel(table_name = rp)]
pub struct Pack {
    pub id: i64,
    #[serde(skip)]
    pub organisation_id: i64,
    #[serde(skip)]
    pub created_by: i64,
    #[serde(skip)]
    pub secret: String,
    pub team_id: Option<i64>,
    pub specialist_id: Option<i64>,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl Pack {
    pub fn scope(&self) -> Scope {
        match (self.team_id, self.specialist_id) {
            (Some(t), _) => Scope::Team(t),
            (None, Some(s)) => Scope::Specialist(s),
            (None, None) => Scope::Organisation,
        }
    }

    pub fn period(&self) -> Period {
        Period {
            from: self.period_from,
            to: self.period_to,
        }
    }

    /// The address path of the pack.
    pub fn path(&self) -> String {
        format!("/review/{}", self.secret)
    }
}

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PackInput {
    #[schemars(extend("format" = "date"))]
    pub from: Option<String>,
    #[schemars(extend("format" = "date"))]
    pub to: Option<String>,
    pub team_id: Option<i64>,
    pub specialist_id: Option<i64>,
    /// How long the link works (1-90 days, default 30).
    pub days_valid: Option<i64>,
}

fn require_lead(actor: &Actor) -> Result<(), AppError> {
    if matches!(actor.role, Role::TeamLead | Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    period: Period,
    scope: Scope,
    days_valid: Option<i64>,
    now: NaiveDateTime,
) -> Result<Pack, AppError> {
    require_lead(actor)?;
    let days = days_valid.unwrap_or(30);
    if !(1..=90).contains(&days) {
        return Err(AppError::Validation(FieldErrors::single(
            "days_valid",
            Msg::new("error.days_valid"),
        )));
    }
    // The scope must be the organisation's (another's team or user reads as unknown).
    super::load::specialists(conn, actor, scope)?;
    let (team, specialist) = match scope {
        Scope::Organisation => (None, None),
        Scope::Team(t) => (Some(t), None),
        Scope::Specialist(s) => (None, Some(s)),
    };
    let pack: Pack = db_run!(conn, |c| diesel::insert_into(rp::table)
        .values((
            rp::organisation_id.eq(actor.org_id),
            rp::created_by.eq(actor.user_id),
            rp::secret.eq(random_hex(24)),
            rp::team_id.eq(team),
            rp::specialist_id.eq(specialist),
            rp::period_from.eq(period.from),
            rp::period_to.eq(period.to),
            rp::expires_at.eq(now + Duration::days(days)),
            rp::created_at.eq(now),
        ))
        .returning(Pack::as_returning())
        .get_result(c))?;
    Ok(pack)
}

pub fn list(conn: &mut DbConn, actor: &Actor) -> Result<Vec<Pack>, AppError> {
    require_lead(actor)?;
    Ok(db_run!(conn, |c| rp::table
        .filter(rp::organisation_id.eq(actor.org_id))
        .order(rp::id.desc())
        .limit(100)
        .select(Pack::as_select())
        .load(c))?)
}

pub fn revoke(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    require_lead(actor)?;
    let n = db_run!(conn, |c| diesel::update(
        rp::table
            .filter(rp::id.eq(id))
            .filter(rp::organisation_id.eq(actor.org_id))
    )
    .set(rp::revoked_at.eq(Some(now)))
    .execute(c))?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// The pack behind a live secret, and the person who made it (whose organisation it
/// reads); a revoked, expired or unknown secret is NotFound.
pub fn open(
    conn: &mut DbConn,
    secret: &str,
    now: NaiveDateTime,
) -> Result<(Pack, Actor), AppError> {
    let pack: Pack = db_run!(conn, |c| rp::table
        .filter(rp::secret.eq(secret))
        .filter(rp::revoked_at.is_null())
        .filter(rp::expires_at.gt(now))
        .select(Pack::as_select())
        .first(c)
        .optional())?
    .ok_or(AppError::NotFound)?;
    let actor = load_actor(conn, pack.created_by)?.ok_or(AppError::NotFound)?;
    if actor.org_id != pack.organisation_id {
        return Err(AppError::NotFound);
    }
    Ok((pack, actor))
}
