use actix_web::{web, HttpResponse};

use crate::app::AppState;
use crate::domain::contacts::{self, ContactInput};
use crate::error::AppError;
use crate::web::api::registry::Registry;
use crate::web::api::{created, list_body};
use crate::web::extract::ApiUser;
use crate::web::json_body::Json;

type Fields = serde_json::Map<String, serde_json::Value>;

pub async fn list(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let items = st
        .pool
        .run(move |conn| contacts::list_for_employer(conn, &actor, id))
        .await?;
    Ok(list_body(&items, None))
}

pub async fn create(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: Json<ContactInput>,
) -> Result<HttpResponse, AppError> {
    let (id, input) = (id.into_inner(), body.into_inner());
    let now = st.now();
    let c = st
        .pool
        .tx(move |conn| contacts::create(conn, &actor, id, input, now))
        .await?;
    Ok(created(format!("/api/v1/contacts/{}", c.id), &c))
}

pub async fn get(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let c = st
        .pool
        .run(move |conn| contacts::get(conn, &actor, id))
        .await?;
    Ok(HttpResponse::Ok().json(c))
}

pub async fn patch(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: Json<Fields>,
) -> Result<HttpResponse, AppError> {
    let (id, patch) = (id.into_inner(), body.into_inner());
    let now = st.now();
    let c = st
        .pool
        .tx(move |conn| contacts::patch(conn, &actor, id, patch, now))
        .await?;
    Ok(HttpResponse::Ok().json(c))
}

pub async fn delete(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let now = st.now();
    st.pool
        .tx(move |conn| contacts::delete(conn, &actor, id, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Employers' contact people.
pub fn routes(r: &mut Registry) {
    use crate::domain::contacts::{Contact, ContactInput};
    r.tag("Contact people");
    r.get("/employers/{id}/contacts", list)
        .summary("An employer's contact people")
        .page::<Contact>();
    r.post("/employers/{id}/contacts", create)
        .requires(&["name"])
        .summary("Add a contact person")
        .created::<Contact>()
        .header("Location", "The contact person's address");
    r.get("/contacts/{id}", get)
        .summary("One contact person")
        .ok::<Contact>();
    r.patch("/contacts/{id}", patch)
        .summary("Change a contact person (merge patch)")
        .patch_of::<ContactInput>()
        .ok::<Contact>();
    r.delete("/contacts/{id}", delete)
        .summary("Remove a contact person")
        .no_content();
}
