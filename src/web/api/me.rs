use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::auth;
use crate::error::AppError;
use crate::web::api::list_body;
use crate::web::api::registry::Registry;
use crate::web::extract::ApiUser;
use crate::web::json_body::Json;

/// `GET /me`: the caller.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct Me {
    id: i64,
    email: String,
    display_name: String,
    role: crate::domain::users::Role,
    team_id: Option<i64>,
    locale: Option<crate::i18n::Lang>,
    organisation: Organisation,
}

#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct Organisation {
    id: i64,
    name: String,
}

pub async fn me(ApiUser(a): ApiUser) -> HttpResponse {
    HttpResponse::Ok().json(Me {
        id: a.user_id,
        email: a.email,
        display_name: a.display_name,
        role: a.role,
        team_id: a.team_id,
        locale: a.locale,
        organisation: Organisation {
            id: a.org_id,
            name: a.org_name,
        },
    })
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

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewToken {
    name: String,
}

pub async fn create_token(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: Json<NewToken>,
) -> Result<HttpResponse, AppError> {
    let name = body.into_inner().name;
    let now = st.now();
    let (token, secret) = st
        .pool
        .run(move |conn| auth::create_token(conn, &actor, &name, now))
        .await?;
    // No Location: tokens are listed, never read one by one.
    Ok(HttpResponse::Created().json(NewTokenShown { token, secret }))
}

/// A new token with its secret, shown this once.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct NewTokenShown {
    #[serde(flatten)]
    token: auth::ApiToken,
    /// The secret to send as `Authorization: Bearer`; it cannot be read again.
    #[serde(rename = "token")]
    secret: String,
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

/// The caller and their API tokens.
pub fn routes(r: &mut Registry) {
    r.tag("Me");
    r.get("/me", me)
        .summary("Who the token belongs to")
        .ok::<Me>();
    r.get("/me/tokens", list_tokens)
        .summary("My API tokens")
        .page::<crate::domain::auth::ApiToken>();
    r.post("/me/tokens", create_token)
        .summary("Create an API token (its secret is shown only in this answer)")
        .created::<NewTokenShown>();
    r.delete("/me/tokens/{id}", revoke_token)
        .summary("Revoke an API token")
        .no_content();
}
