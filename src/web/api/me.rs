use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use crate::app::AppState;
use crate::domain::auth;
use crate::error::AppError;
use crate::web::api::{created, list_body};
use crate::web::extract::ApiUser;

pub async fn me(ApiUser(a): ApiUser) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "id": a.user_id,
        "email": a.email,
        "display_name": a.display_name,
        "role": a.role,
        "team_id": a.team_id,
        "locale": a.locale,
        "organisation": {"id": a.org_id, "name": a.org_name},
    }))
}

pub async fn list_tokens(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<HttpResponse, AppError> {
    let items = st
        .pool
        .run(move |conn| auth::list_tokens(conn, &actor))
        .await?;
    Ok(list_body(&items, None))
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct NewToken {
    name: String,
}

pub async fn create_token(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: web::Json<NewToken>,
) -> Result<HttpResponse, AppError> {
    let name = body.into_inner().name;
    let now = st.now();
    let (token, secret) = st
        .pool
        .run(move |conn| auth::create_token(conn, &actor, &name, now))
        .await?;
    let mut body = serde_json::to_value(&token).map_err(AppError::internal)?;
    body["token"] = json!(secret);
    Ok(created(format!("/api/v1/me/tokens/{}", token.id), &body))
}

pub async fn revoke_token(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let now = st.now();
    st.pool
        .run(move |conn| auth::revoke_token(conn, &actor, id, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `/me` and its tokens.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me", web::get().to(me))
        .route("/me/tokens", web::get().to(list_tokens))
        .route("/me/tokens", web::post().to(create_token))
        .route("/me/tokens/{id}", web::delete().to(revoke_token));
}
