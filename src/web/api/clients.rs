use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use crate::app::AppState;
use crate::domain::clients::profile::{self, Profile};
use crate::domain::clients::{self, ClientInput, ClientParams};
use crate::domain::matching::find;
use crate::domain::placements::{self, PlacementInput, SupportInput};
use crate::domain::proposals::{self, ProposalInput};
use crate::error::{AppError, FieldErrors, Msg};
use crate::web::api::{created, list_body};
use crate::web::extract::{negotiate_lang, ApiUser};

type Json = serde_json::Map<String, serde_json::Value>;

pub async fn list(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: web::Query<ClientParams>,
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
    body: web::Json<ClientInput>,
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
    let (id, tz) = (id.into_inner(), st.settings.timezone);
    Ok(HttpResponse::Ok().json(
        st.pool
            .run(move |conn| clients::get(conn, &actor, id, tz))
            .await?,
    ))
}

pub async fn patch(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: web::Json<Json>,
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

pub async fn get_profile(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, tz) = (id.into_inner(), st.settings.timezone);
    let (version, p) = st
        .pool
        .run(move |conn| {
            clients::get(conn, &actor, id, tz)?;
            profile::current(conn, &actor, id)
        })
        .await?;
    let mut body = serde_json::to_value(&p).map_err(AppError::internal)?;
    body["version"] = json!(version);
    Ok(HttpResponse::Ok().json(body))
}

pub async fn put_profile(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: web::Json<Profile>,
) -> Result<HttpResponse, AppError> {
    let (id, p, now, tz) = (
        id.into_inner(),
        body.into_inner(),
        st.now(),
        st.settings.timezone,
    );
    let (version, p) = st
        .pool
        .tx(move |conn| {
            clients::get(conn, &actor, id, tz)?;
            profile::save(conn, &actor, id, p, now)
        })
        .await?;
    let mut body = serde_json::to_value(&p).map_err(AppError::internal)?;
    body["version"] = json!(version);
    Ok(HttpResponse::Ok().json(body))
}

pub async fn profile_history(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, tz) = (id.into_inner(), st.settings.timezone);
    let items = st
        .pool
        .run(move |conn| {
            clients::get(conn, &actor, id, tz)?;
            profile::history(conn, &actor, id)
        })
        .await?;
    Ok(list_body(&items, None))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

/// (offset, limit) from `cursor` (an offset) and `limit` (1-100, default 20).
fn page_of(q: &PageQuery) -> Result<(usize, usize), AppError> {
    let mut e = FieldErrors::default();
    let limit = crate::domain::validate::limit_param(&mut e, q.limit.clone(), 20, 100) as usize;
    let offset = match q.cursor.as_deref().filter(|s| !s.is_empty()) {
        Some(c) => c.parse::<usize>().unwrap_or_else(|_| {
            e.add("cursor", Msg::new("error.cursor"));
            0
        }),
        None => 0,
    };
    e.into_result()?;
    Ok((offset, limit))
}

async fn matches_page(
    st: web::Data<AppState>,
    actor: crate::domain::users::Actor,
    lang: crate::i18n::Lang,
    q: PageQuery,
    find: impl FnOnce(
            &mut crate::db::DbConn,
            &crate::domain::users::Actor,
            &crate::domain::matching::Weights,
        ) -> Result<Vec<crate::domain::matching::Match>, AppError>
        + Send
        + 'static,
) -> Result<HttpResponse, AppError> {
    let (offset, limit) = page_of(&q)?;
    let w = st.settings.weights;
    let (items, more) = st
        .pool
        .run(move |conn| {
            let all = find(conn, &actor, &w)?;
            let page: Vec<_> = all.iter().skip(offset).take(limit).cloned().collect();
            Ok((
                find::views(conn, &actor, &page, lang)?,
                all.len() > offset.saturating_add(limit),
            ))
        })
        .await?;
    Ok(list_body(
        &items,
        more.then(|| offset.saturating_add(limit).to_string()),
    ))
}

pub async fn client_matches(
    st: web::Data<AppState>,
    req: actix_web::HttpRequest,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, lang) = (
        id.into_inner(),
        negotiate_lang(&req, st.settings.default_lang),
    );
    let cache = st.lead_cache.clone();
    matches_page(st, actor, lang, q.into_inner(), move |conn, a, w| {
        find::for_client(conn, a, id, w, Some(&cache))
    })
    .await
}

pub async fn lead_matches(
    st: web::Data<AppState>,
    req: actix_web::HttpRequest,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, lang) = (
        id.into_inner(),
        negotiate_lang(&req, st.settings.default_lang),
    );
    matches_page(st, actor, lang, q.into_inner(), move |conn, a, w| {
        find::for_lead(conn, a, id, w)
    })
    .await
}

pub async fn propose(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: web::Json<ProposalInput>,
) -> Result<HttpResponse, AppError> {
    let (now, input) = (st.now(), body.into_inner());
    let p = st
        .pool
        .tx(move |conn| proposals::propose(conn, &actor, input, now))
        .await?;
    Ok(created(format!("/api/v1/proposals/{}", p.id), &p))
}

pub async fn answer(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: web::Json<ProposalInput>,
) -> Result<HttpResponse, AppError> {
    let (id, now, input) = (id.into_inner(), st.now(), body.into_inner());
    Ok(HttpResponse::Ok().json(
        st.pool
            .tx(move |conn| proposals::answer(conn, &actor, id, input, now))
            .await?,
    ))
}

pub async fn client_proposals(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, tz) = (id.into_inner(), st.settings.timezone);
    let items = st
        .pool
        .run(move |conn| {
            clients::get(conn, &actor, id, tz)?;
            proposals::for_client(conn, &actor, id)
        })
        .await?;
    Ok(list_body(&items, None))
}

/// The contact log entries made on the job seeker's behalf.
pub async fn client_contacts(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, tz) = (id.into_inner(), st.settings.timezone);
    let items: Vec<serde_json::Value> = st
        .pool
        .run(move |conn| {
            clients::get(conn, &actor, id, tz)?;
            Ok(clients::contacts_on_behalf(conn, &actor, id, 200)?
                .into_iter()
                .map(|x| {
                    json!({"id": x.id, "occurred_at": crate::domain::outreach::utc_string(x.occurred_at), "channel": x.channel, "purpose": x.purpose, "employer_id": x.employer_id, "employer_name": x.employer_name})
                })
                .collect())
        })
        .await?;
    Ok(list_body(&items, None))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PlacementQuery {
    client_id: Option<i64>,
}

pub async fn placements_list(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: web::Query<PlacementQuery>,
) -> Result<HttpResponse, AppError> {
    let Some(client) = q.client_id else {
        return Err(AppError::Validation(FieldErrors::single(
            "client_id",
            Msg::new("error.required"),
        )));
    };
    let items = st
        .pool
        .run(move |conn| placements::for_client(conn, &actor, client))
        .await?;
    Ok(list_body(&items, None))
}

pub async fn placement_create(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: web::Json<PlacementInput>,
) -> Result<HttpResponse, AppError> {
    let (now, input) = (st.now(), body.into_inner());
    let p = st
        .pool
        .tx(move |conn| placements::create(conn, &actor, input, now))
        .await?;
    let mut body = serde_json::to_value(&p).map_err(AppError::internal)?;
    // The profile should be updated after every job.
    body["profile_update_requested"] = json!(true);
    Ok(created(format!("/api/v1/placements/{}", p.id), &body))
}

pub async fn placement_get(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        st.pool
            .run(move |conn| placements::get(conn, &actor, id))
            .await?,
    ))
}

pub async fn placement_patch(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: web::Json<Json>,
) -> Result<HttpResponse, AppError> {
    let (id, patch, now) = (id.into_inner(), body.into_inner(), st.now());
    Ok(HttpResponse::Ok().json(
        st.pool
            .tx(move |conn| placements::patch(conn, &actor, id, patch, now))
            .await?,
    ))
}

pub async fn support_list(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        st.pool
            .run(move |conn| placements::support(conn, &actor, id))
            .await?,
    ))
}

pub async fn support_add(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: web::Json<SupportInput>,
) -> Result<HttpResponse, AppError> {
    let (id, now, input) = (id.into_inner(), st.now(), body.into_inner());
    let s = st
        .pool
        .tx(move |conn| placements::add_support(conn, &actor, id, input, now))
        .await?;
    Ok(created(format!("/api/v1/placements/{id}/support"), &s))
}
