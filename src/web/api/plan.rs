use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::plan::{self, PlanInput};
use crate::domain::week::Week;
use crate::error::{AppError, FieldErrors, Msg};
use crate::web::api::created;
use crate::web::extract::ApiUser;

type Json = serde_json::Map<String, serde_json::Value>;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WeekQuery {
    pub week: Option<String>,
    pub user: Option<String>,
}

/// The week asked for, or the current one.
pub fn parse_week(q: Option<&str>, today: chrono::NaiveDate) -> Result<Week, AppError> {
    match q.filter(|s| !s.is_empty()) {
        Some(w) => Week::parse(w).map_err(|m| AppError::Validation(FieldErrors::single("week", m))),
        None => Ok(Week::of(today)),
    }
}

pub async fn week(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: web::Query<WeekQuery>,
) -> Result<HttpResponse, AppError> {
    let week = parse_week(q.week.as_deref(), st.today())?;
    let user = match q.user.as_deref().filter(|s| !s.is_empty()) {
        Some(u) => u.parse().map_err(|_| {
            AppError::Validation(FieldErrors::single("user", Msg::new("error.choice")))
        })?,
        None => actor.user_id,
    };
    let (now, rules) = (st.now(), st.rules());
    Ok(HttpResponse::Ok().json(
        st.pool
            .tx(move |conn| plan::week(conn, &actor, user, week, now, &rules))
            .await?,
    ))
}

pub async fn team(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: web::Query<WeekQuery>,
) -> Result<HttpResponse, AppError> {
    let week = parse_week(q.week.as_deref(), st.today())?;
    let rules = st.rules();
    let members = st
        .pool
        .run(move |conn| plan::team_week(conn, &actor, week, &rules))
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "week": week.label(), "members": members })))
}

pub async fn create(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: web::Json<PlanInput>,
) -> Result<HttpResponse, AppError> {
    let (now, rules, input) = (st.now(), st.rules(), body.into_inner());
    let item = st
        .pool
        .tx(move |conn| plan::create(conn, &actor, input, now, &rules))
        .await?;
    Ok(created(
        format!("/api/v1/plan/items/{}", item.row.id),
        &item,
    ))
}

pub async fn get(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(st.pool.run(move |conn| plan::get(conn, &actor, id)).await?))
}

/// Move (new `planned_on`/`planned_time`) or edit a planned contact.
pub async fn patch(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: web::Json<Json>,
) -> Result<HttpResponse, AppError> {
    let (id, patch, now, rules) = (id.into_inner(), body.into_inner(), st.now(), st.rules());
    Ok(HttpResponse::Ok().json(
        st.pool
            .tx(move |conn| plan::patch(conn, &actor, id, patch, now, &rules))
            .await?,
    ))
}

pub async fn cancel(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, now) = (id.into_inner(), st.now());
    Ok(HttpResponse::Ok().json(
        st.pool
            .tx(move |conn| plan::cancel(conn, &actor, id, now))
            .await?,
    ))
}

/// The week plan and planned contacts.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/plan/week", web::get().to(week))
        .route("/plan/team", web::get().to(team))
        .route("/plan/items", web::post().to(create))
        .route("/plan/items/{id}", web::get().to(get))
        .route("/plan/items/{id}", web::patch().to(patch))
        .route("/plan/items/{id}/cancel", web::post().to(cancel));
}
