//! The caller's e-mail switches, and the organisation's outbox for admins and team leads.

use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};

use crate::app::AppState;
use crate::error::AppError;
use crate::mail::outbox;
use crate::web::api::list_body;
use crate::web::api::registry::Registry;
use crate::web::extract::ApiUser;
use crate::web::json_body::Json;

pub async fn preferences(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<HttpResponse, AppError> {
    let items = st
        .pool
        .run(move |conn| outbox::preferences(conn, &actor))
        .await?;
    Ok(list_body(&items, None))
}

/// `{"weekly_digest": false, ...}`: kinds named are switched, the rest kept.
pub async fn set_preferences(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: Json<BTreeMap<String, bool>>,
) -> Result<HttpResponse, AppError> {
    let changes: Vec<(String, bool)> = body.into_inner().into_iter().collect();
    let items = st
        .pool
        .tx(move |conn| outbox::set_preferences(conn, &actor, &changes))
        .await?;
    Ok(list_body(&items, None))
}

pub async fn outbox(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<HttpResponse, AppError> {
    let items = st
        .pool
        .run(move |conn| outbox::recent(conn, &actor, 100))
        .await?;
    Ok(list_body(&items, None))
}

/// Mail preferences and the outbox.
pub fn routes(r: &mut Registry) {
    r.tag("Mail");
    r.get("/me/mail", preferences)
        .summary("Which mails I receive")
        .page::<crate::mail::outbox::Preference>();
    r.put("/me/mail", set_preferences)
        .summary("Turn mails on or off, by kind")
        .page::<crate::mail::outbox::Preference>();
    r.get("/outbox", outbox)
        .summary("The organisation's latest outgoing mail (team lead, admin)")
        .page::<crate::mail::outbox::OutboxRow>();
}
