//! Job seekers: the caseload, each job seeker, and contacts made on their behalf.

use actix_web::{web, HttpResponse};

use crate::app::AppState;
use crate::domain::clients::gdpr;
use crate::domain::clients::{self, ClientInput, ClientParams};
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
    q: Query<ClientParams>,
) -> Result<HttpResponse, AppError> {
    let items = st
        .pool
        .run(move |conn| clients::list(conn, &actor, q.into_inner()))
        .await?;
    Ok(list_body(&items, None))
}

pub async fn create(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: Json<ClientInput>,
) -> Result<HttpResponse, AppError> {
    let (now, tz, input) = (st.now(), st.settings.timezone, body.into_inner());
    let c = st
        .pool
        .tx(move |conn| clients::create(conn, &actor, input, now, tz))
        .await?;
    Ok(created(format!("/api/v1/clients/{}", c.row.id), &c))
}

pub async fn get(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, tz, now) = (id.into_inner(), st.settings.timezone, st.now());
    // Opening a job seeker's record is recorded in the audit trail (a write).
    Ok(HttpResponse::Ok().json(
        st.pool
            .tx(move |conn| clients::open(conn, &actor, id, now, tz))
            .await?,
    ))
}

pub async fn patch(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: Json<Fields>,
) -> Result<HttpResponse, AppError> {
    let (id, patch, now, tz) = (
        id.into_inner(),
        body.into_inner(),
        st.now(),
        st.settings.timezone,
    );
    Ok(HttpResponse::Ok().json(
        st.pool
            .tx(move |conn| clients::patch(conn, &actor, id, patch, now, tz))
            .await?,
    ))
}

pub async fn caseload(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<HttpResponse, AppError> {
    let limit = st.settings.caseload_limit;
    let items = st
        .pool
        .run(move |conn| clients::caseloads(conn, &actor, limit))
        .await?;
    Ok(list_body(&items, None))
}

/// A contact log entry made on a job seeker's behalf.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct ClientContact {
    id: i64,
    /// UTC, RFC 3339.
    occurred_at: String,
    channel: crate::domain::outreach::Channel,
    purpose: crate::domain::outreach::Purpose,
    employer_id: i64,
    employer_name: String,
}

/// The contact log entries made on the job seeker's behalf.
pub async fn client_contacts(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, tz) = (id.into_inner(), st.settings.timezone);
    let items: Vec<ClientContact> = st
        .pool
        .run(move |conn| {
            clients::get(conn, &actor, id, tz)?;
            Ok(clients::contacts_on_behalf(conn, &actor, id, 200)?
                .into_iter()
                .map(|x| ClientContact {
                    id: x.id,
                    occurred_at: crate::domain::outreach::utc_string(x.occurred_at),
                    channel: x.channel,
                    purpose: x.purpose,
                    employer_id: x.employer_id,
                    employer_name: x.employer_name,
                })
                .collect())
        })
        .await?;
    Ok(list_body(&items, None))
}

/// Job seekers and the caseload.
/// `GET /api/v1/clients/{id}/export`: everything held about the job seeker (their
/// right of access), machine-readable; the page `/clients/{id}/export` prints it.
pub async fn export(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, tz, now) = (id.into_inner(), st.settings.timezone, st.now());
    let copy = st
        .pool
        .tx(move |conn| gdpr::export(conn, &actor, id, now, tz))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"job-seeker-{id}.json\""),
        ))
        .json(copy))
}

/// `POST /api/v1/clients/{id}/erase`: admins erase identity and free text; the
/// anonymous counts stay.
pub async fn erase(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, tz, now) = (id.into_inner(), st.settings.timezone, st.now());
    let erased = st
        .pool
        .tx(move |conn| gdpr::erase(conn, &actor, id, now, tz))
        .await?;
    st.pool.run(crate::db::checkpoint).await?;
    Ok(HttpResponse::Ok().json(erased))
}

pub fn routes(r: &mut Registry) {
    use crate::domain::clients::{Caseload, Client, ClientInput, ClientRow};
    r.tag("Job seekers");
    r.get("/clients", list)
        .summary("Job seekers")
        .page::<ClientRow>();
    r.post("/clients", create)
        .requires(&["display_name"])
        .summary("Add a job seeker")
        .created::<Client>()
        .header("Location", "The job seeker's address");
    r.get("/clients/{id}", get)
        .summary("One job seeker")
        .ok::<Client>();
    r.patch("/clients/{id}", patch)
        .summary("Change a job seeker (merge patch)")
        .patch_of::<ClientInput>()
        .ok::<Client>();
    r.get("/clients/{id}/export", export)
        .summary(
            "Everything held about the job seeker: the record, every profile version, \
             placements, proposals, contacts on their behalf and who opened or changed the \
             record (their right of access)",
        )
        .ok::<gdpr::ClientExport>();
    r.post("/clients/{id}/erase", erase)
        .summary(
            "Erase the job seeker's identity and free text (admins); dates, statuses and \
             structured choices stay, so the anonymous figures do not change",
        )
        .ok::<Client>();
    r.get("/clients/{id}/contacts", client_contacts)
        .summary("Employer contacts made on the job seeker's behalf")
        .page::<ClientContact>();
    r.get("/caseload", caseload)
        .summary("Each specialist's active caseload against the limit")
        .page::<Caseload>();
}
