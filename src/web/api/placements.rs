//! Placements and the support given after them.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use crate::app::AppState;
use crate::domain::placements::{self, PlacementInput, SupportInput};
use crate::error::{AppError, FieldErrors, Msg};
use crate::web::api::{created, list_body};
use crate::web::extract::ApiUser;

type Json = serde_json::Map<String, serde_json::Value>;
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PlacementQuery {
    client_id: Option<i64>,
}

pub async fn placements_list(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: web::Query<PlacementQuery>,
) -> Result<HttpResponse, AppError> {
    let Some(client) = q.client_id else {
        return Err(AppError::Validation(FieldErrors::single(
            "client_id",
            Msg::new("error.required"),
        )));
    };
    let items = st
        .pool
        .run(move |conn| placements::for_client(conn, &actor, client))
        .await?;
    Ok(list_body(&items, None))
}

pub async fn placement_create(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: web::Json<PlacementInput>,
) -> Result<HttpResponse, AppError> {
    let (now, input) = (st.now(), body.into_inner());
    let p = st
        .pool
        .tx(move |conn| placements::create(conn, &actor, input, now))
        .await?;
    let mut body = serde_json::to_value(&p).map_err(AppError::internal)?;
    // The profile should be updated after every job.
    body["profile_update_requested"] = json!(true);
    Ok(created(format!("/api/v1/placements/{}", p.id), &body))
}

pub async fn placement_get(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        st.pool
            .run(move |conn| placements::get(conn, &actor, id))
            .await?,
    ))
}

pub async fn placement_patch(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: web::Json<Json>,
) -> Result<HttpResponse, AppError> {
    let (id, patch, now) = (id.into_inner(), body.into_inner(), st.now());
    Ok(HttpResponse::Ok().json(
        st.pool
            .tx(move |conn| placements::patch(conn, &actor, id, patch, now))
            .await?,
    ))
}

pub async fn support_list(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        st.pool
            .run(move |conn| placements::support(conn, &actor, id))
            .await?,
    ))
}

pub async fn support_add(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: web::Json<SupportInput>,
) -> Result<HttpResponse, AppError> {
    let (id, now, input) = (id.into_inner(), st.now(), body.into_inner());
    let s = st
        .pool
        .tx(move |conn| placements::add_support(conn, &actor, id, input, now))
        .await?;
    Ok(created(format!("/api/v1/placements/{id}/support"), &s))
}

/// Placements and support after them.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/placements", web::get().to(placements_list))
        .route("/placements", web::post().to(placement_create))
        .route("/placements/{id}", web::get().to(placement_get))
        .route("/placements/{id}", web::patch().to(placement_patch))
        .route("/placements/{id}/support", web::get().to(support_list))
        .route("/placements/{id}/support", web::post().to(support_add));
}
