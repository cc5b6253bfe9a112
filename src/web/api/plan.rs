use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::plan::{self, PlanInput};
use crate::domain::week::Week;
use crate::error::{AppError, FieldErrors, Msg};
use crate::web::api::created;
use crate::web::api::registry::Registry;
use crate::web::extract::ApiUser;
use crate::web::json_body::Json;
use crate::web::query::Query;

type Fields = serde_json::Map<String, serde_json::Value>;

#[derive(Deserialize, Default, schemars::JsonSchema)]
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
    q: Query<WeekQuery>,
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
    q: Query<WeekQuery>,
) -> Result<HttpResponse, AppError> {
    let week = parse_week(q.week.as_deref(), st.today())?;
    let rules = st.rules();
    let members = st
        .pool
        .run(move |conn| plan::team_week(conn, &actor, week, &rules))
        .await?;
    Ok(HttpResponse::Ok().json(TeamWeek {
        week: week.label(),
        members,
    }))
}

/// The team's week, one entry per member.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct TeamWeek {
    /// ISO week, `2026-W48`.
    week: String,
    members: Vec<crate::domain::plan::TeamMemberWeek>,
}

pub async fn create(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: Json<PlanInput>,
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
    body: Json<Fields>,
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

/// The weekly plan and planned contacts.
pub fn routes(r: &mut Registry) {
    use crate::domain::plan::{PlanInput, PlanItem, WeekPlan};
    r.tag("Week plan");
    r.get("/plan/week", week)
        .summary("A specialist's week: planned, logged, follow-ups, suggestions")
        .ok::<WeekPlan>();
    r.get("/plan/team", team)
        .summary("The team's planned contacts for a week")
        .ok::<TeamWeek>();
    r.post("/plan/items", create)
        .requires(&["employer_id", "planned_on"])
        .summary("Plan an employer contact")
        .created::<PlanItem>()
        .header("Location", "The planned contact's address");
    r.get("/plan/items/{id}", get)
        .summary("One planned contact")
        .ok::<PlanItem>();
    r.patch("/plan/items/{id}", patch)
        .summary("Move or change a planned contact (merge patch)")
        .patch_of::<PlanInput>()
        .ok::<PlanItem>();
    r.post("/plan/items/{id}/cancel", cancel)
        .summary("Cancel a planned contact")
        .ok::<PlanItem>();
}
