//! Matches both ways: leads for a job seeker and job seekers for a lead, at the cut-off
//! (`matching.min_score`, or the request's `min_score`).

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::matching::{find, MatchSettings};
use crate::error::{AppError, FieldErrors, Msg};
use crate::web::api::list_body;
use crate::web::api::registry::Registry;
use crate::web::extract::{negotiate_lang, ApiUser};
use crate::web::query::Query;

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default)]
pub struct PageQuery {
    limit: Option<String>,
    cursor: Option<String>,
    min_score: Option<String>,
}

/// The request's cut-off: `min_score` from 0 (every pair no hard rule excludes) to the
/// top of the scale, else the setting.
fn cut_off(e: &mut FieldErrors, q: &PageQuery, m: &MatchSettings) -> f64 {
    let top = m.weights.total();
    match q
        .min_score
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => m.min_score,
        Some(v) => match v.replace(',', ".").parse::<f64>() {
            Ok(x) if (0.0..=top).contains(&x) => x,
            _ => {
                e.add(
                    "min_score",
                    Msg::new("error.range").arg("min", 0).arg("max", top),
                );
                m.min_score
            }
        },
    }
}

/// (offset, limit) from `cursor` (an offset) and `limit` (1-100, default 20), and the
/// settings with the request's cut-off.
fn page_of(q: &PageQuery, m: &MatchSettings) -> Result<(usize, usize, MatchSettings), AppError> {
    let mut e = FieldErrors::default();
    let settings = MatchSettings {
        min_score: cut_off(&mut e, q, m),
        ..*m
    };
    let limit = crate::domain::validate::limit_param(&mut e, q.limit.clone(), 20, 100) as usize;
    let offset = match q.cursor.as_deref().filter(|s| !s.is_empty()) {
        Some(c) => c.parse::<usize>().unwrap_or_else(|_| {
            e.add("cursor", Msg::new("error.cursor"));
            0
        }),
        None => 0,
    };
    e.into_result()?;
    Ok((offset, limit, settings))
}

async fn matches_page(
    st: web::Data<AppState>,
    actor: crate::domain::users::Actor,
    lang: crate::i18n::Lang,
    q: PageQuery,
    find: impl FnOnce(
            &mut crate::db::DbConn,
            &crate::domain::users::Actor,
            &MatchSettings,
        ) -> Result<Vec<crate::domain::matching::Match>, AppError>
        + Send
        + 'static,
) -> Result<HttpResponse, AppError> {
    let (offset, limit, m) = page_of(&q, &st.settings.matching)?;
    let (items, more) = st
        .pool
        .run(move |conn| {
            let all = find(conn, &actor, &m)?;
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
    q: Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, lang) = (
        id.into_inner(),
        negotiate_lang(&req, st.settings.default_lang),
    );
    let cache = st.lead_cache.clone();
    matches_page(st, actor, lang, q.into_inner(), move |conn, a, m| {
        find::for_client(conn, a, id, m, Some(&cache))
    })
    .await
}

pub async fn lead_matches(
    st: web::Data<AppState>,
    req: actix_web::HttpRequest,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    q: Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, lang) = (
        id.into_inner(),
        negotiate_lang(&req, st.settings.default_lang),
    );
    matches_page(st, actor, lang, q.into_inner(), move |conn, a, m| {
        find::for_lead(conn, a, id, m)
    })
    .await
}

/// Matches between open jobs and job seekers, with reasons.
pub fn routes(r: &mut Registry) {
    use crate::domain::matching::find::MatchView;
    r.tag("Matches");
    r.get("/leads/{id}/matches", lead_matches)
        .summary("Job seekers who fit a lead, best first, with reasons")
        .page::<MatchView>();
    r.get("/clients/{id}/matches", client_matches)
        .summary("Open leads that fit a job seeker, best first, with reasons")
        .page::<MatchView>();
}
