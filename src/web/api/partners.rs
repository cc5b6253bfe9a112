//! Partner organisations: the partner, its member employers (with the CSV import),
//! agreements, joint events, referrals and the quarterly report.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::partners::{
    self, agreements, events, members,
    report::{self, Quarter},
    PartnerInput,
};
use crate::error::{AppError, FieldErrors};
use crate::web::api::registry::Registry;
use crate::web::api::{created, list_body};
use crate::web::extract::{negotiate_lang, ApiUser};
use crate::web::json_body::Json;
use crate::web::query::Query;

type Fields = serde_json::Map<String, serde_json::Value>;

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default)]
pub struct ListQuery {
    status: Option<String>,
}

pub async fn list(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: Query<ListQuery>,
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
    body: Json<PartnerInput>,
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
    body: Json<Fields>,
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

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EmployerRef {
    employer_id: i64,
}

pub async fn add_member(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: Json<EmployerRef>,
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
    let now = st.now();
    st.pool
        .tx(move |conn| members::remove(conn, &actor, id, e, now))
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
    let (id, now) = (id.into_inner(), st.now());
    let lang = negotiate_lang(&req, st.settings.default_lang);
    let r = st
        .pool
        .run(move |conn| members::import(conn, &actor, id, &body, now))
        .await?;
    Ok(HttpResponse::Ok().json(MemberImport {
        matched: r.matched(),
        matched_by_business_id: r.matched_by_business_id,
        matched_by_name: r.matched_by_name,
        created: r.created,
        already_members: r.already_members,
        rejected: r
            .rejected
            .iter()
            .map(|r| Rejected {
                line: r.line,
                reason: r.text(lang).unwrap_or_default(),
            })
            .collect(),
    }))
}

/// What a member list import did.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct MemberImport {
    matched: usize,
    matched_by_business_id: usize,
    matched_by_name: usize,
    created: usize,
    already_members: usize,
    rejected: Vec<Rejected>,
}

/// A row left out: its line in the file, and why.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct Rejected {
    line: usize,
    reason: String,
}

pub async fn refer(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: Json<EmployerRef>,
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
    body: Json<agreements::AgreementInput>,
) -> Result<HttpResponse, AppError> {
    let (id, now, input) = (id.into_inner(), st.now(), body.into_inner());
    let a = st
        .pool
        .tx(move |conn| agreements::create(conn, &actor, id, input, now))
        .await?;
    // No Location: agreements are read in the partner's list, not one by one.
    Ok(HttpResponse::Created().json(&a))
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
    body: Json<events::EventInput>,
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
    body: Json<events::MetInput>,
) -> Result<HttpResponse, AppError> {
    let ((id, e), now, rules, input) = (path.into_inner(), st.now(), st.rules(), body.into_inner());
    let ev = st
        .pool
        .tx(move |conn| events::met(conn, &actor, id, e, input, &rules, now))
        .await?;
    Ok(HttpResponse::Ok().json(ev))
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default)]
pub struct ReportQuery {
    quarter: Option<String>,
}

pub async fn report(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    q: Query<ReportQuery>,
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
pub fn routes(r: &mut Registry) {
    use crate::domain::partners::{
        agreements::Agreement, events::Event, events::EventRow, members::Member, report::Report,
        Partner, PartnerInput, PartnerRow,
    };
    r.tag("Partners");
    r.get("/partners", list)
        .summary("Partner organisations")
        .page::<PartnerRow>();
    r.post("/partners", create)
        .requires(&["name", "kind"])
        .summary("Add a partner organisation")
        .created::<Partner>()
        .header("Location", "The partner's address");
    r.get("/partners/{id}", get)
        .summary("One partner")
        .ok::<Partner>();
    r.patch("/partners/{id}", patch)
        .summary("Change a partner (merge patch)")
        .patch_of::<PartnerInput>()
        .ok::<Partner>();
    r.delete("/partners/{id}", end)
        .summary("End the partnership (the partner stays, as ended)")
        .ok::<Partner>();
    r.get("/partners/{id}/members", members)
        .summary("The partner's member employers")
        .page::<Member>();
    r.post("/partners/{id}/members", add_member)
        .requires(&["employer_id"])
        .summary("Add an employer as a member; answers the whole list")
        .page::<Member>();
    r.post("/partners/{id}/members/import", import_members)
        .summary("Import a member list (CSV; see /imports/members for the preview and modes)")
        .raw_body("text/csv")
        .ok::<MemberImport>();
    r.delete("/partners/{id}/members/{employer_id}", remove_member)
        .summary("Remove a member")
        .no_content();
    r.post("/partners/{id}/referrals", refer)
        .requires(&["employer_id"])
        .summary("Record an employer the partner referred")
        .no_content();
    r.get("/partners/{id}/agreements", agreements)
        .summary("Cooperation agreements")
        .page::<Agreement>();
    r.post("/partners/{id}/agreements", add_agreement)
        .requires(&["summary", "starts_on"])
        .summary("Add an agreement")
        .created::<Agreement>();
    r.delete("/partners/{id}/agreements/{aid}", delete_agreement)
        .summary("Remove an agreement")
        .no_content();
    r.get("/partners/{id}/events", events)
        .summary("Joint events")
        .page::<EventRow>();
    r.post("/partners/{id}/events", add_event)
        .requires(&["held_on", "title"])
        .summary("Add a joint event")
        .created::<Event>()
        .header("Location", "The event's address");
    r.get("/partners/{id}/events/{eid}", event)
        .summary("One event")
        .ok::<Event>();
    r.post("/partners/{id}/events/{eid}/employers", met)
        .requires(&["employer_id"])
        .summary("Record an employer met at the event (a contact log entry)")
        .ok::<Event>();
    r.get("/partners/{id}/report", report)
        .summary("The quarter's report for the partner")
        .ok::<Report>();
}
