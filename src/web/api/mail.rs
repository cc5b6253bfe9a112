//! The caller's e-mail switches, and the organisation's outbox for admins and team leads.

use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};

use crate::app::AppState;
use crate::error::AppError;
use crate::mail::outbox;
use crate::web::api::list_body;
use crate::web::extract::ApiUser;

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
    body: web::Json<BTreeMap<String, bool>>,
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
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/mail", web::get().to(preferences))
        .route("/me/mail", web::put().to(set_preferences))
        .route("/outbox", web::get().to(outbox));
}
