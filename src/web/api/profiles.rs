//! The vocational profile: the current version, a new version, and the history.

use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::app::AppState;
use crate::domain::clients::profile::{self, Profile};
use crate::domain::clients::{self};
use crate::domain::versioning::Expected;
use crate::error::AppError;
use crate::web::api::list_body;
use crate::web::extract::ApiUser;

pub async fn get_profile(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, tz) = (id.into_inner(), st.settings.timezone);
    let (version, p) = st
        .pool
        .run(move |conn| {
            clients::get(conn, &actor, id, tz)?;
            profile::current(conn, &actor, id)
        })
        .await?;
    let mut body = serde_json::to_value(&p).map_err(AppError::internal)?;
    body["version"] = json!(version);
    Ok(HttpResponse::Ok().json(body))
}

pub async fn put_profile(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: web::Json<serde_json::Map<String, serde_json::Value>>,
) -> Result<HttpResponse, AppError> {
    // The body is the profile as GET answers it: `version` says which one it replaces.
    let mut body = body.into_inner();
    let expected = Expected::take_from(&mut body)?;
    let p: Profile = serde_json::from_value(serde_json::Value::Object(body))
        .map_err(|e| AppError::BadBody(e.to_string()))?;
    let (id, now, tz) = (id.into_inner(), st.now(), st.settings.timezone);
    let (version, p) = st
        .pool
        .tx(move |conn| {
            clients::get(conn, &actor, id, tz)?;
            profile::save(conn, &actor, id, p, expected, now)
        })
        .await?;
    let mut body = serde_json::to_value(&p).map_err(AppError::internal)?;
    body["version"] = json!(version);
    Ok(HttpResponse::Ok().json(body))
}

pub async fn profile_history(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, tz) = (id.into_inner(), st.settings.timezone);
    let items = st
        .pool
        .run(move |conn| {
            clients::get(conn, &actor, id, tz)?;
            profile::history(conn, &actor, id)
        })
        .await?;
    Ok(list_body(&items, None))
}

/// Vocational profiles.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/clients/{id}/profile", web::get().to(get_profile))
        .route("/clients/{id}/profile", web::put().to(put_profile))
        .route(
            "/clients/{id}/profile/history",
            web::get().to(profile_history),
        );
}
