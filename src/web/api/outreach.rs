use actix_web::{web, HttpResponse};

use crate::app::AppState;
use crate::domain::outreach::service::{self, LogParams};
use crate::domain::outreach::timeline;
use crate::domain::outreach::OutreachInput;
use crate::error::AppError;
use crate::web::api::registry::Registry;
use crate::web::api::{created, list_body};
use crate::web::extract::ApiUser;
use crate::web::json_body::Json;
use crate::web::query::Query;

type Fields = serde_json::Map<String, serde_json::Value>;

pub async fn list(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: Query<LogParams>,
) -> Result<HttpResponse, AppError> {
    let rules = st.rules();
    let page = st
        .pool
        .run(move |conn| service::list(conn, &actor, q.into_inner(), &rules))
        .await?;
    Ok(list_body(&page.items, page.next))
}

#[derive(Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct DeletedParams {
    employer_id: Option<String>,
}

pub async fn deleted(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: Query<DeletedParams>,
) -> Result<HttpResponse, AppError> {
    let mut e = crate::error::FieldErrors::default();
    let employer =
        crate::domain::validate::id_param(&mut e, "employer_id", q.into_inner().employer_id);
    e.into_result()?;
    let items = st
        .pool
        .run(move |conn| crate::domain::outreach::deleted::list(conn, &actor, employer))
        .await?;
    Ok(HttpResponse::Ok().json(items))
}

pub async fn create(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: Json<OutreachInput>,
) -> Result<HttpResponse, AppError> {
    let (now, rules, input) = (st.now(), st.rules(), body.into_inner());
    let e = st
        .pool
        .tx(move |conn| service::create(conn, &actor, input, now, &rules))
        .await?;
    Ok(created(format!("/api/v1/outreach/{}", e.id), &e))
}

pub async fn get(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        st.pool
            .run(move |conn| service::get(conn, &actor, id))
            .await?,
    ))
}

pub async fn patch(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: Json<Fields>,
) -> Result<HttpResponse, AppError> {
    let (id, patch, now, rules) = (id.into_inner(), body.into_inner(), st.now(), st.rules());
    let e = st
        .pool
        .tx(move |conn| service::patch(conn, &actor, id, patch, now, &rules))
        .await?;
    Ok(HttpResponse::Ok().json(e))
}

pub async fn delete(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let now = st.now();
    st.pool
        .tx(move |conn| service::delete(conn, &actor, id, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn employer_timeline(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, today) = (id.into_inner(), st.today());
    Ok(HttpResponse::Ok().json(
        st.pool
            .run(move |conn| timeline::timeline(conn, &actor, id, today, 50))
            .await?,
    ))
}

/// The contact log and employer timelines.
pub fn routes(r: &mut Registry) {
    use crate::domain::outreach::{timeline::Timeline, Outreach, OutreachInput};
    r.tag("Contact log");
    r.get("/employers/{id}/timeline", employer_timeline)
        .summary("Everything that happened with an employer, newest first")
        .ok::<Timeline>();
    r.get("/outreach", list)
        .summary("Logged employer contacts")
        .page::<Outreach>();
    r.post("/outreach", create)
        .requires(&["employer_id"])
        .summary("Log an employer contact")
        .created::<Outreach>()
        .header("Location", "The entry's address");
    r.get("/outreach/deleted", deleted)
        .summary(
            "Deleted contact-log entries as they were, with who deleted them and when \
             (team leads and admins)",
        )
        .ok::<Vec<crate::domain::outreach::deleted::Deleted>>();
    r.get("/outreach/{id}", get)
        .summary("One logged contact")
        .ok::<Outreach>();
    r.patch("/outreach/{id}", patch)
        .summary("Change a logged contact (merge patch)")
        .patch_without::<OutreachInput>(&["found_lead"])
        .ok::<Outreach>();
    r.delete("/outreach/{id}", delete)
        .summary("Delete a logged contact")
        .no_content();
}
