use actix_web::{web, HttpResponse};

use crate::app::AppState;
use crate::domain::employers::list::{self, ListParams};
use crate::domain::employers::{service, EmployerInput};
use crate::error::AppError;
use crate::web::api::{created, list_body};
use crate::web::extract::ApiUser;

type Json = serde_json::Map<String, serde_json::Value>;

pub async fn list(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let q = params.into_inner().parse(st.settings.page_size)?;
    let page = st
        .pool
        .run(move |conn| list::list(conn, &actor, &q))
        .await?;
    let mut resp = list_body(&page.items, page.next);
    resp.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("x-total-count"),
        page.total.into(),
    );
    Ok(resp)
}

pub async fn create(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: web::Json<EmployerInput>,
) -> Result<HttpResponse, AppError> {
    let input = body.into_inner();
    let now = st.now();
    let e = st
        .pool
        .tx(move |conn| service::create(conn, &actor, input, now))
        .await?;
    Ok(created(format!("/api/v1/employers/{}", e.id), &e))
}

pub async fn get(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let e = st
        .pool
        .run(move |conn| service::get(conn, &actor, id))
        .await?;
    Ok(HttpResponse::Ok().json(e))
}

pub async fn patch(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: web::Json<Json>,
) -> Result<HttpResponse, AppError> {
    let (id, patch) = (id.into_inner(), body.into_inner());
    let now = st.now();
    let e = st
        .pool
        .tx(move |conn| service::patch(conn, &actor, id, patch, now))
        .await?;
    Ok(HttpResponse::Ok().json(e))
}

/// DELETE archives: the employer leaves the lists, its history stays.
pub async fn archive(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let now = st.now();
    st.pool
        .tx(move |conn| service::archive(conn, &actor, id, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Employers.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/employers", web::get().to(list))
        .route("/employers", web::post().to(create))
        .route("/employers/{id}", web::get().to(get))
        .route("/employers/{id}", web::patch().to(patch))
        .route("/employers/{id}", web::delete().to(archive));
}
