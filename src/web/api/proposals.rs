//! Proposing a job seeker for a lead, and the answer.

use actix_web::{web, HttpResponse};

use crate::app::AppState;
use crate::domain::clients::{self};
use crate::domain::proposals::{self, ProposalAnswer, ProposalInput};
use crate::error::AppError;
use crate::web::api::list_body;
use crate::web::api::registry::Registry;
use crate::web::extract::ApiUser;
use crate::web::json_body::Json;

pub async fn propose(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: Json<ProposalInput>,
) -> Result<HttpResponse, AppError> {
    let (now, input) = (st.now(), body.into_inner());
    let p = st
        .pool
        .tx(move |conn| proposals::propose(conn, &actor, input, now))
        .await?;
    // No Location: proposals are read in the job seeker's list; PATCH answers one.
    Ok(HttpResponse::Created().json(&p))
}

pub async fn answer(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: Json<ProposalAnswer>,
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

/// Job seekers proposed for leads.
pub fn routes(r: &mut Registry) {
    use crate::domain::proposals::Proposal;
    r.tag("Matches");
    r.get("/clients/{id}/proposals", client_proposals)
        .summary("The leads a job seeker was proposed for")
        .page::<Proposal>();
    r.post("/proposals", propose)
        .requires(&["lead_id", "client_id"])
        .summary("Propose a job seeker for a lead")
        .created::<Proposal>();
    r.patch("/proposals/{id}", answer)
        .requires(&["status"])
        .summary("Record how a proposal went")
        .ok::<Proposal>();
}
