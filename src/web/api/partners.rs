//! Partner organisations: the partner, its member employers (with the CSV import),
//! agreements, joint events, referrals and the quarterly report.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use crate::app::AppState;
use crate::domain::partners::{
    self, agreements, events, members,
    report::{self, Quarter},
    PartnerInput,
};
use crate::error::{AppError, FieldErrors};
use crate::web::api::{created, list_body};
use crate::web::extract::{negotiate_lang, ApiUser};

type Json = serde_json::Map<String, serde_json::Value>;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    status: Option<String>,
}

pub async fn list(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let status = q.into_inner().status;
    let items = st
        .pool
        .run(move |conn| partners::list(conn, &actor, status.as_deref()))
        .await?;
    Ok(list_body(&items, None))
}

pub async fn create(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: web::Json<PartnerInput>,
) -> Result<HttpResponse, AppError> {
    let (now, input) = (st.now(), body.into_inner());
    let p = st
        .pool
        .tx(move |conn| partners::create(conn, &actor, input, now))
        .await?;
    Ok(created(format!("/api/v1/partners/{}", p.row.id), &p))
}

pub async fn get(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let p = st
        .pool
        .run(move |conn| partners::get(conn, &actor, id))
        .await?;
    Ok(HttpResponse::Ok().json(p))
}

pub async fn patch(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: web::Json<Json>,
) -> Result<HttpResponse, AppError> {
    let (id, now, body) = (id.into_inner(), st.now(), body.into_inner());
    let p = st
        .pool
        .tx(move |conn| partners::patch(conn, &actor, id, body, now))
        .await?;
    Ok(HttpResponse::Ok().json(p))
}

/// Ends the partnership (it stays, with what it produced).
pub async fn end(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, now) = (id.into_inner(), st.now());
    let p = st
        .pool
        .tx(move |conn| partners::end(conn, &actor, id, now))
        .await?;
    Ok(HttpResponse::Ok().json(p))
}

pub async fn members(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let items = st
        .pool
        .run(move |conn| members::list(conn, &actor, id))
        .await?;
    Ok(list_body(&items, None))
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct EmployerRef {
    employer_id: i64,
}

pub async fn add_member(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: web::Json<EmployerRef>,
) -> Result<HttpResponse, AppError> {
    let (id, now, e) = (id.into_inner(), st.now(), body.employer_id);
    let items = st
        .pool
        .tx(move |conn| members::add(conn, &actor, id, e, now))
        .await?;
    Ok(list_body(&items, None))
}

pub async fn remove_member(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (id, e) = path.into_inner();
    st.pool
        .tx(move |conn| members::remove(conn, &actor, id, e))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/v1/partners/{id}/members/import` with the CSV as the body.
pub async fn import_members(
    st: web::Data<AppState>,
    req: HttpRequest,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| AppError::BadBody("line 1: the file is not UTF-8 text".into()))?;
    let (id, now) = (id.into_inner(), st.now());
    let lang = negotiate_lang(&req, st.settings.default_lang);
    let r = st
        .pool
        .run(move |conn| members::import(conn, &actor, id, &text, now))
        .await?;
    Ok(HttpResponse::Ok().json(json!({
        "matched": r.matched(),
        "matched_by_business_id": r.matched_by_business_id,
        "matched_by_name": r.matched_by_name,
        "created": r.created,
        "already_members": r.already_members,
        "rejected": r.rejected.iter().map(|(line, m)| json!({"line": line, "reason": m.text(lang)})).collect::<Vec<_>>(),
    })))
}

pub async fn refer(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: web::Json<EmployerRef>,
) -> Result<HttpResponse, AppError> {
    let (id, e, now) = (id.into_inner(), body.employer_id, st.now());
    st.pool
        .tx(move |conn| members::refer(conn, &actor, id, e, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn agreements(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let items = st
        .pool
        .run(move |conn| agreements::list(conn, &actor, id))
        .await?;
    Ok(list_body(&items, None))
}

pub async fn add_agreement(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: web::Json<agreements::AgreementInput>,
) -> Result<HttpResponse, AppError> {
    let (id, now, input) = (id.into_inner(), st.now(), body.into_inner());
    let a = st
        .pool
        .tx(move |conn| agreements::create(conn, &actor, id, input, now))
        .await?;
    Ok(created(
        format!("/api/v1/partners/{id}/agreements/{}", a.row.id),
        &a,
    ))
}

pub async fn delete_agreement(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (id, a) = path.into_inner();
    st.pool
        .tx(move |conn| agreements::delete(conn, &actor, id, a))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn events(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let items = st
        .pool
        .run(move |conn| events::list(conn, &actor, id))
        .await?;
    Ok(list_body(&items, None))
}

pub async fn add_event(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: web::Json<events::EventInput>,
) -> Result<HttpResponse, AppError> {
    let (id, now, rules, input) = (id.into_inner(), st.now(), st.rules(), body.into_inner());
    let e = st
        .pool
        .tx(move |conn| events::create(conn, &actor, id, input, &rules, now))
        .await?;
    Ok(created(
        format!("/api/v1/partners/{id}/events/{}", e.row.id),
        &e,
    ))
}

pub async fn event(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (id, e) = path.into_inner();
    let ev = st
        .pool
        .run(move |conn| events::get(conn, &actor, id, e))
        .await?;
    Ok(HttpResponse::Ok().json(ev))
}

/// An employer met at the event (a contact log entry with channel "event").
pub async fn met(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    path: web::Path<(i64, i64)>,
    body: web::Json<events::MetInput>,
) -> Result<HttpResponse, AppError> {
    let ((id, e), now, rules, input) = (path.into_inner(), st.now(), st.rules(), body.into_inner());
    let ev = st
        .pool
        .tx(move |conn| events::met(conn, &actor, id, e, input, &rules, now))
        .await?;
    Ok(HttpResponse::Ok().json(ev))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReportQuery {
    quarter: Option<String>,
}

pub async fn report(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    let quarter = match q.into_inner().quarter {
        None => Quarter::of(st.today()),
        Some(s) => Quarter::parse(&s)
            .map_err(|m| AppError::Validation(FieldErrors::single("quarter", m)))?,
    };
    let (id, tz) = (id.into_inner(), st.settings.timezone);
    let r = st
        .pool
        .run(move |conn| report::quarter(conn, &actor, id, quarter, tz))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}

/// Partner organisations: members, referrals, agreements, events and the report.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/partners", web::get().to(list))
        .route("/partners", web::post().to(create))
        .route("/partners/{id}", web::get().to(get))
        .route("/partners/{id}", web::patch().to(patch))
        .route("/partners/{id}", web::delete().to(end))
        .route("/partners/{id}/members", web::get().to(members))
        .route("/partners/{id}/members", web::post().to(add_member))
        .route(
            "/partners/{id}/members/import",
            web::post().to(import_members),
        )
        .route(
            "/partners/{id}/members/{employer_id}",
            web::delete().to(remove_member),
        )
        .route("/partners/{id}/referrals", web::post().to(refer))
        .route("/partners/{id}/agreements", web::get().to(agreements))
        .route("/partners/{id}/agreements", web::post().to(add_agreement))
        .route(
            "/partners/{id}/agreements/{aid}",
            web::delete().to(delete_agreement),
        )
        .route("/partners/{id}/events", web::get().to(events))
        .route("/partners/{id}/events", web::post().to(add_event))
        .route("/partners/{id}/events/{eid}", web::get().to(event))
        .route("/partners/{id}/events/{eid}/employers", web::post().to(met))
        .route("/partners/{id}/report", web::get().to(report));
}
