//! Matches both ways: leads for a job seeker and job seekers for a lead.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::matching::find;
use crate::error::{AppError, FieldErrors, Msg};
use crate::web::api::list_body;
use crate::web::extract::{negotiate_lang, ApiUser};

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

/// Matches both ways.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/leads/{id}/matches", web::get().to(lead_matches))
        .route("/clients/{id}/matches", web::get().to(client_matches));
}
