//! The audit trail, read-only: there is no route that writes, changes or removes it.

use actix_web::{web, HttpResponse};

use crate::app::AppState;
use crate::domain::audit::list::{self, AuditEntry, AuditParams};
use crate::error::AppError;
use crate::web::api::list_body;
use crate::web::api::registry::Registry;
use crate::web::extract::ApiUser;
use crate::web::query::Query;

/// `GET /api/v1/audit`: admins read the trail, newest first.
pub async fn list(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: Query<AuditParams>,
) -> Result<HttpResponse, AppError> {
    let rules = st.rules();
    let (items, next) = st
        .pool
        .run(move |conn| list::list(conn, &actor, q.into_inner(), &rules))
        .await?;
    Ok(list_body(&items, next))
}

pub fn routes(r: &mut Registry) {
    r.tag("Audit trail");
    r.get("/audit", list)
        .summary(
            "Who created, changed, deleted, merged, imported, exported, erased or opened \
             what, and when, with the fields changed (admins). Job seekers' names and free \
             text appear only as changed (`private`).",
        )
        .page::<AuditEntry>();
}
