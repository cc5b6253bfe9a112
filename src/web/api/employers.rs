use actix_web::{web, HttpResponse};

use crate::app::AppState;
use crate::domain::employers::list::{self, ListParams};
use crate::domain::employers::{service, EmployerInput};
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
    params: Query<ListParams>,
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
    body: Json<EmployerInput>,
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
    body: Json<Fields>,
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

/// Brings an archived employer back to the lists.
pub async fn restore(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, now) = (id.into_inner(), st.now());
    let e = st
        .pool
        .tx(move |conn| service::restore(conn, &actor, id, now))
        .await?;
    Ok(HttpResponse::Ok().json(e))
}

/// Merges another employer (a duplicate) into this one.
pub async fn merge(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: Json<crate::domain::employers::merge::MergeInput>,
) -> Result<HttpResponse, AppError> {
    let (id, now, input) = (id.into_inner(), st.now(), body.into_inner());
    let m = st
        .pool
        .tx(move |conn| crate::domain::employers::merge::merge(conn, &actor, id, input, now))
        .await?;
    Ok(HttpResponse::Ok().json(m))
}

/// Likely duplicate pairs in the register.
pub async fn duplicate_pairs(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<HttpResponse, AppError> {
    let pairs = st
        .pool
        .run(move |conn| crate::domain::employers::duplicates::pairs(conn, &actor))
        .await?;
    Ok(HttpResponse::Ok().json(pairs))
}

/// Employers.
pub fn routes(r: &mut Registry) {
    use crate::domain::employers::{Employer, EmployerInput};
    r.tag("Employers");
    r.get("/employers", list)
        .summary("Employers, filtered and sorted")
        .page::<Employer>()
        .header("X-Total-Count", "How many employers match the filters");
    r.post("/employers", create)
        .requires(&["name"])
        .summary("Add an employer")
        .created::<Employer>()
        .header("Location", "The employer's address");
    r.get("/employers/duplicates", duplicate_pairs)
        .summary(
            "Pairs of employers in the register that are likely one (same or nearly the same \
             name, same website, a contact person with the same e-mail or phone), with the \
             reason; two different business IDs are never paired",
        )
        .ok::<Vec<crate::domain::employers::duplicates::Pair>>();
    r.get("/employers/{id}", get)
        .summary("One employer")
        .ok::<Employer>();
    r.patch("/employers/{id}", patch)
        .summary("Change an employer (merge patch; `null` clears a field)")
        .patch_without::<EmployerInput>(&["acknowledge_duplicates"])
        .ok::<Employer>();
    r.delete("/employers/{id}", archive)
        .summary("Archive an employer (its history stays)")
        .no_content();
    r.post("/employers/{id}/merge", merge)
        .requires(&["duplicate_id"])
        .summary(
            "Merge a duplicate into this employer (team leads and admins): its contact \
             people, contact log, leads, plan, follow-ups, placements, partner memberships \
             and contact-day lists move here in one transaction; empty fields take its \
             values; the merge is kept in the audit trail",
        )
        .ok::<crate::domain::employers::merge::Merged>();
    r.post("/employers/{id}/restore", restore)
        .summary("Bring an archived employer back to the lists")
        .ok::<Employer>();
}
