use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::domain::leads::{self, LeadInput, LeadParams};
use crate::domain::occupations::OCCUPATIONS;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::web::api::registry::Registry;
use crate::web::api::{created, list_body};
use crate::web::extract::{negotiate_lang, ApiUser};
use crate::web::json_body::Json;
use crate::web::query::Query;

type Fields = serde_json::Map<String, serde_json::Value>;

pub async fn list(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: Query<LeadParams>,
) -> Result<HttpResponse, AppError> {
    let (today, now) = (st.today(), st.now());
    let page = st
        .pool
        .tx(move |conn| leads::list(conn, &actor, q.into_inner(), today, now))
        .await?;
    Ok(list_body(&page.items, page.next))
}

pub async fn create(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: Json<LeadInput>,
) -> Result<HttpResponse, AppError> {
    let (now, input) = (st.now(), body.into_inner());
    let l = st
        .pool
        .tx(move |conn| leads::create(conn, &actor, input, now))
        .await?;
    Ok(created(format!("/api/v1/leads/{}", l.id), &l))
}

pub async fn get(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, today, now) = (id.into_inner(), st.today(), st.now());
    let lead = st
        .pool
        .tx(move |conn| {
            leads::expire_due(conn, actor.org_id, today, now)?;
            leads::get(conn, &actor, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(lead))
}

pub async fn patch(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: Json<Fields>,
) -> Result<HttpResponse, AppError> {
    let (id, patch, now) = (id.into_inner(), body.into_inner(), st.now());
    Ok(HttpResponse::Ok().json(
        st.pool
            .tx(move |conn| leads::patch(conn, &actor, id, patch, now))
            .await?,
    ))
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default)]
pub struct OccupationQuery {
    q: String,
    /// fi, sv or en; else the caller's language.
    lang: Option<String>,
}

/// ISCO-08 unit groups by Finnish or Swedish job title, unit-group title, or ESCO
/// occupation title or alternative label; titles in the caller's language.
pub async fn occupations(
    req: HttpRequest,
    st: web::Data<AppState>,
    _: ApiUser,
    q: Query<OccupationQuery>,
) -> HttpResponse {
    let lang = q
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_else(|| negotiate_lang(&req, st.settings.default_lang));
    HttpResponse::Ok().json(OccupationPage {
        items: OCCUPATIONS.search(&q.q, lang, 20),
        next: None,
    })
}

#[derive(Serialize, schemars::JsonSchema)]
struct OccupationPage {
    items: Vec<crate::domain::occupations::Hit>,
    next: Option<String>,
}

/// Job leads and the occupation search.
pub fn routes(r: &mut Registry) {
    use crate::domain::leads::{Lead, LeadInput};
    r.tag("Job leads");
    r.get("/leads", list).summary("Job leads").page::<Lead>();
    r.post("/leads", create)
        .requires(&["employer_id", "title"])
        .summary("Add a job lead")
        .created::<Lead>()
        .header("Location", "The lead's address");
    r.get("/leads/{id}", get)
        .summary("One job lead")
        .ok::<Lead>();
    r.patch("/leads/{id}", patch)
        .summary("Change a job lead (merge patch)")
        .patch_of::<LeadInput>()
        .ok::<Lead>();
    r.get("/occupations", occupations)
        .summary("Occupations (ISCO) whose name matches, in fi, sv or en")
        .ok::<OccupationPage>();
}
