use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::contact_days::{self, ContactDayInput, ContactDayPatch};
use crate::error::{AppError, FieldErrors, Msg};
use crate::mail::contact_day::Outbox;
use crate::web::api::registry::Registry;
use crate::web::api::{created, list_body};
use crate::web::extract::ApiUser;
use crate::web::json_body::Json;
use crate::web::query::Query;

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default)]
pub struct Range {
    from: Option<String>,
    to: Option<String>,
}

pub async fn list(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: Query<Range>,
) -> Result<HttpResponse, AppError> {
    let mut e = FieldErrors::default();
    let Range { from, to } = q.into_inner();
    let (from, to) = contact_days::range(&mut e, from, to, st.today());
    e.into_result()?;
    let items = st
        .pool
        .run(move |conn| contact_days::list(conn, &actor, from, to))
        .await?;
    Ok(list_body(&items, None))
}

pub async fn create(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: Json<ContactDayInput>,
) -> Result<HttpResponse, AppError> {
    let (now, input, rules) = (st.now(), body.into_inner(), st.rules());
    let d = st
        .pool
        .tx(move |conn| contact_days::create(conn, &actor, input, &Outbox, &rules, now))
        .await?;
    Ok(created(format!("/api/v1/contact-days/{}", d.row.id), &d))
}

pub async fn get(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        st.pool
            .run(move |conn| contact_days::get(conn, &actor, id))
            .await?,
    ))
}

pub async fn call_lists(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, rules) = (id.into_inner(), st.rules());
    Ok(HttpResponse::Ok().json(
        st.pool
            .tx(move |conn| contact_days::build_call_lists(conn, &actor, id, &rules))
            .await?,
    ))
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Assign {
    employer_id: Option<i64>,
    user_id: Option<i64>,
}

pub async fn assign(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: Json<Assign>,
) -> Result<HttpResponse, AppError> {
    let (id, a) = (id.into_inner(), body.into_inner());
    let mut e = FieldErrors::default();
    for (field, v) in [("employer_id", a.employer_id), ("user_id", a.user_id)] {
        if v.is_none() {
            e.add(field, Msg::new("error.required"));
        }
    }
    e.into_result()?;
    let (employer, user) = (
        a.employer_id.unwrap_or_default(),
        a.user_id.unwrap_or_default(),
    );
    Ok(HttpResponse::Ok().json(
        st.pool
            .tx(move |conn| contact_days::assign(conn, &actor, id, employer, user))
            .await?,
    ))
}

pub async fn cancel(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, now, rules) = (id.into_inner(), st.now(), st.rules());
    Ok(HttpResponse::Ok().json(
        st.pool
            .tx(move |conn| contact_days::cancel(conn, &actor, id, &Outbox, &rules, now))
            .await?,
    ))
}

/// Moves or edits the day; everyone is told.
pub async fn update(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: Json<ContactDayPatch>,
) -> Result<HttpResponse, AppError> {
    let (id, now, rules, patch) = (id.into_inner(), st.now(), st.rules(), body.into_inner());
    Ok(HttpResponse::Ok().json(
        st.pool
            .tx(move |conn| contact_days::update(conn, &actor, id, patch, &Outbox, &rules, now))
            .await?,
    ))
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Invite {
    user_ids: Vec<i64>,
}

pub async fn invite(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: Json<Invite>,
) -> Result<HttpResponse, AppError> {
    let (id, now, rules, ids) = (
        id.into_inner(),
        st.now(),
        st.rules(),
        body.into_inner().user_ids,
    );
    Ok(HttpResponse::Ok().json(
        st.pool
            .tx(move |conn| contact_days::invite(conn, &actor, id, &ids, &Outbox, &rules, now))
            .await?,
    ))
}

pub async fn join(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, now, rules) = (id.into_inner(), st.now(), st.rules());
    Ok(HttpResponse::Ok().json(
        st.pool
            .tx(move |conn| contact_days::join(conn, &actor, id, &Outbox, &rules, now))
            .await?,
    ))
}

pub async fn leave(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, now, rules) = (id.into_inner(), st.now(), st.rules());
    Ok(HttpResponse::Ok().json(
        st.pool
            .tx(move |conn| contact_days::leave(conn, &actor, id, &Outbox, &rules, now))
            .await?,
    ))
}

pub async fn summary(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(
        st.pool
            .run(move |conn| contact_days::summary(conn, &actor, id))
            .await?,
    ))
}

/// Contact days: planning, changes, call lists and the summary.
pub fn routes(r: &mut Registry) {
    use crate::domain::contact_days::{ContactDay, ContactDayRow, Summary};
    r.tag("Contact days");
    r.get("/contact-days", list)
        .summary("Contact days in a date range")
        .page::<ContactDayRow>();
    r.post("/contact-days", create)
        .requires(&["date", "place"])
        .summary("Plan a contact day (participants are invited by mail)")
        .created::<ContactDay>()
        .header("Location", "The contact day's address");
    r.get("/contact-days/{id}", get)
        .summary("One contact day")
        .ok::<ContactDay>();
    r.patch("/contact-days/{id}", update)
        .summary("Move or change a contact day; everyone is told")
        .ok::<ContactDay>();
    r.post("/contact-days/{id}/participants", invite)
        .requires(&["user_ids"])
        .summary("Invite colleagues")
        .ok::<ContactDay>();
    r.post("/contact-days/{id}/join", join)
        .summary("Join a contact day")
        .ok::<ContactDay>();
    r.post("/contact-days/{id}/leave", leave)
        .summary("Leave a contact day")
        .ok::<ContactDay>();
    r.post("/contact-days/{id}/call-lists", call_lists)
        .summary("Share the target employers between the participants")
        .ok::<ContactDay>();
    r.post("/contact-days/{id}/assign", assign)
        .requires(&["employer_id", "user_id"])
        .summary("Give one employer to one participant")
        .ok::<ContactDay>();
    r.post("/contact-days/{id}/cancel", cancel)
        .summary("Cancel a contact day; everyone is told")
        .ok::<ContactDay>();
    r.get("/contact-days/{id}/summary", summary)
        .summary("What the day achieved")
        .ok::<Summary>();
}
