//! Placements and the support given after them.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::placements::{self, PlacementInput, SupportInput};
use crate::error::{AppError, FieldErrors, Msg};
use crate::web::api::registry::Registry;
use crate::web::api::{created, list_body};
use crate::web::extract::ApiUser;
use crate::web::json_body::Json;
use crate::web::query::Query;

type Fields = serde_json::Map<String, serde_json::Value>;
#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default)]
pub struct PlacementQuery {
    client_id: Option<i64>,
}

pub async fn placements_list(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: Query<PlacementQuery>,
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
    body: Json<PlacementInput>,
) -> Result<HttpResponse, AppError> {
    let (now, input) = (st.now(), body.into_inner());
    let p = st
        .pool
        .tx(move |conn| placements::create(conn, &actor, input, now))
        .await?;
    let location = format!("/api/v1/placements/{}", p.id);
    // The profile should be updated after every job.
    let body = PlacementCreated {
        placement: p,
        profile_update_requested: true,
    };
    Ok(created(location, &body))
}

/// A new placement, with the reminder that the profile wants updating.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct PlacementCreated {
    #[serde(flatten)]
    placement: crate::domain::placements::Placement,
    profile_update_requested: bool,
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
    body: Json<Fields>,
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
    body: Json<SupportInput>,
) -> Result<HttpResponse, AppError> {
    let (id, now, input) = (id.into_inner(), st.now(), body.into_inner());
    let s = st
        .pool
        .tx(move |conn| placements::add_support(conn, &actor, id, input, now))
        .await?;
    // No Location: support contacts are read in the placement's support summary.
    Ok(HttpResponse::Created().json(&s))
}

/// Placements (jobs started) and follow-along support.
pub fn routes(r: &mut Registry) {
    use crate::domain::placements::{Placement, PlacementInput, SupportContact, SupportSummary};
    r.tag("Placements");
    r.get("/placements", placements_list)
        .requires(&["client_id"])
        .summary("A job seeker's jobs")
        .page::<Placement>();
    r.post("/placements", placement_create)
        .requires(&["client_id", "employer_id", "job_title", "starts_on"])
        .summary("Record a job start")
        .created::<PlacementCreated>()
        .header("Location", "The placement's address");
    r.get("/placements/{id}", placement_get)
        .summary("One placement")
        .ok::<Placement>();
    r.patch("/placements/{id}", placement_patch)
        .summary("Change a placement (merge patch)")
        .patch_of::<PlacementInput>()
        .ok::<Placement>();
    r.get("/placements/{id}/support", support_list)
        .summary("Follow-along support given, and whether it met the plan")
        .ok::<SupportSummary>();
    r.post("/placements/{id}/support", support_add)
        .requires(&["occurred_on"])
        .summary("Record a follow-along support contact")
        .created::<SupportContact>();
}
