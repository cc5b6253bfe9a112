use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::follow_ups::{self, Action, FollowUpInput};
use crate::error::{AppError, FieldErrors};
use crate::web::api::registry::Registry;
use crate::web::api::{created, list_body};
use crate::web::extract::ApiUser;
use crate::web::json_body::Json;
use crate::web::query::Query;

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default)]
pub struct Params {
    /// A user id, "me" (the default) or "all".
    assignee: Option<String>,
}

pub async fn list(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: Query<Params>,
) -> Result<HttpResponse, AppError> {
    let mut e = FieldErrors::default();
    let assignee = follow_ups::assignee_param(&mut e, &actor, q.into_inner().assignee);
    e.into_result()?;
    let today = st.today();
    let items = st
        .pool
        .run(move |conn| follow_ups::list_open(conn, &actor, assignee, None, today))
        .await?;
    Ok(list_body(&items, None))
}

pub async fn create(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: Json<FollowUpInput>,
) -> Result<HttpResponse, AppError> {
    let (now, today, input) = (st.now(), st.today(), body.into_inner());
    let f = st
        .pool
        .tx(move |conn| {
            let row = follow_ups::create(conn, &actor, input, now)?;
            follow_ups::get(conn, &actor, row.id, today)
        })
        .await?;
    Ok(created(format!("/api/v1/follow-ups/{}", f.row.id), &f))
}

pub async fn get(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, today) = (id.into_inner(), st.today());
    Ok(HttpResponse::Ok().json(
        st.pool
            .run(move |conn| follow_ups::get(conn, &actor, id, today))
            .await?,
    ))
}

/// `{"action": "done" | "reopen" | "snooze" (with optional "until") | "reassign" (with "assignee_id")}`
pub async fn act(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: Json<Action>,
) -> Result<HttpResponse, AppError> {
    let (id, action, now, today, days) = (
        id.into_inner(),
        body.into_inner(),
        st.now(),
        st.today(),
        st.rules().snooze_days,
    );
    let f = st
        .pool
        .tx(move |conn| follow_ups::apply(conn, &actor, id, action, now, today, days))
        .await?;
    Ok(HttpResponse::Ok().json(f))
}

/// Follow-ups.
pub fn routes(r: &mut Registry) {
    use crate::domain::follow_ups::FollowUp;
    r.tag("Follow-ups");
    r.get("/follow-ups", list)
        .summary("Open and done follow-ups")
        .page::<FollowUp>();
    r.post("/follow-ups", create)
        .requires(&["employer_id", "title", "due_on"])
        .summary("Add a follow-up")
        .created::<FollowUp>()
        .header("Location", "The follow-up's address");
    r.get("/follow-ups/{id}", get)
        .summary("One follow-up")
        .ok::<FollowUp>();
    r.post("/follow-ups/{id}/actions", act)
        .summary("Mark done, reopen, snooze or reassign")
        .ok::<FollowUp>();
}
