//! Organisation-scoped reference checks: how ids in requests are checked, so that
//! another organisation's id reads as unknown, never as someone else's record.

use diesel::prelude::*;

use crate::db::schema::{clients, employers, partners, teams};
use crate::db::DbConn;
use crate::db_run;
use crate::error::AppError;

/// The kinds of record a request may refer to by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owned {
    Client,
    Employer,
    Team,
    Partner,
}

/// True when the organisation has a record of this kind with this id.
pub fn in_org(conn: &mut DbConn, what: Owned, org: i64, id: i64) -> Result<bool, AppError> {
    // One query shape for each table; diesel needs the table at compile time.
    macro_rules! count {
        ($t:ident) => {
            db_run!(conn, |c| $t::table
                .filter($t::id.eq(id))
                .filter($t::organisation_id.eq(org))
                .count()
                .get_result::<i64>(c))?
        };
    }
    let n = match what {
        Owned::Client => count!(clients),
        Owned::Employer => count!(employers),
        Owned::Team => count!(teams),
        Owned::Partner => count!(partners),
    };
    Ok(n > 0)
}

/// A reference a request must carry: the id when the organisation has it, None when it
/// is missing or not the organisation's (the caller then names the field).
pub fn known(
    conn: &mut DbConn,
    what: Owned,
    org: i64,
    id: Option<i64>,
) -> Result<Option<i64>, AppError> {
    match id {
        Some(id) if in_org(conn, what, org, id)? => Ok(Some(id)),
        _ => Ok(None),
    }
}
