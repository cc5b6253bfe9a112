//! Proposing a job seeker for a lead, the answer, and the lead's matching job seekers.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::matching::{find, text, Kind};
use crate::domain::proposals::{self, ProposalAnswer, ProposalInput};
use crate::error::AppError;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::field::Field;
use crate::web::pages::filled;
use crate::web::render::{see_other, PageCtx};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProposeForm {
    lead_id: Field<i64>,
}

pub async fn propose(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(f): SafeForm<ProposeForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now) = (id.into_inner(), ctx.state.now());
    let input = ProposalInput {
        lead_id: f.lead_id.value(),
        client_id: Some(id),
        ..Default::default()
    };
    match ctx
        .state
        .pool
        .tx(move |conn| proposals::propose(conn, &actor, input, now))
        .await
    {
        Ok(_) => Ok(see_other(
            &format!("/clients/{id}#proposals"),
            Some("flash.proposed"),
        )),
        // No consent: say so, the job seeker's page is where it is recorded.
        Err(AppError::Validation(e))
            if e.0
                .values()
                .flatten()
                .any(|m| m.key == "error.no_contact_consent") =>
        {
            Ok(see_other(
                &format!("/clients/{id}#proposals"),
                Some("flash.propose_no_consent"),
            ))
        }
        Err(AppError::Validation(_) | AppError::Conflict(_)) => Ok(see_other(
            &format!("/clients/{id}#proposals"),
            Some("flash.propose_failed"),
        )),
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    status: String,
    reason: String,
}

pub async fn answer(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(f): SafeForm<AnswerForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now) = (id.into_inner(), ctx.state.now());
    let input = ProposalAnswer {
        status: Some(f.status.into()),
        reason: filled(&f.reason),
    };
    let p = ctx
        .state
        .pool
        .tx(move |conn| proposals::answer(conn, &actor, id, input, now))
        .await?;
    Ok(see_other(
        &format!("/clients/{}#proposals", p.client_id),
        Some("flash.answer_saved"),
    ))
}

/// The job seekers a lead fits, best first, with reasons; propose from here.
pub async fn lead_matches(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, a, m, lang) = (
        id.into_inner(),
        actor.clone(),
        ctx.state.settings.matching,
        ctx.lang,
    );
    let (lead, views, props) = ctx
        .state
        .pool
        .run(move |conn| {
            let lead = crate::domain::leads::get(conn, &a, id)?;
            let all = find::for_lead(conn, &a, id, &m)?;
            let top: Vec<_> = all.into_iter().take(30).collect();
            let props = proposals::named(conn, &a, proposals::Of::Lead(id))?;
            Ok((lead, find::views(conn, &a, &top, lang)?, props))
        })
        .await?;
    let rows: Vec<SeekerLine> = views
        .iter()
        .map(|m| {
            let of = |k: Kind| {
                m.reasons
                    .iter()
                    .filter(|r| r.kind == k)
                    .map(|r| r.text.clone())
                    .collect()
            };
            SeekerLine {
                client_id: m.client_id,
                name: m.client_name.clone(),
                specialist: m.specialist_name.clone(),
                score: format!("{:.0}", m.score),
                fits: of(Kind::Fits),
                missing: of(Kind::Missing),
                relaxed: of(Kind::Relaxed),
            }
        })
        .collect();
    let already = props
        .iter()
        .map(|p| ProposedLine {
            client_id: p.proposal.client_id,
            name: p.client_name.clone(),
            specialist: p.specialist_name.clone(),
            status: ctx.t(p.proposal.status.label_key()),
        })
        .collect();
    ctx.ok(
        "clients/lead_matches",
        &ctx.t("matches.for_lead"),
        LeadMatchesView {
            nav_leads: true,
            lead: LeadName {
                id: lead.id,
                title: lead.title.clone(),
                employer: lead.employer_name.clone(),
                employer_id: lead.employer_id,
            },
            rows,
            min_score: text::points(ctx.lang, m.min_score),
            already,
            can_write: actor.can_write(),
        },
    )
}

#[derive(Serialize)]
struct LeadMatchesView {
    nav_leads: bool,
    lead: LeadName,
    rows: Vec<SeekerLine>,
    /// The cut-off, as the reader writes numbers.
    min_score: String,
    already: Vec<ProposedLine>,
    can_write: bool,
}

/// A job seeker already proposed for the lead, with their specialist and the answer.
#[derive(Serialize)]
struct ProposedLine {
    client_id: i64,
    name: String,
    specialist: String,
    status: String,
}

#[derive(Serialize)]
struct LeadName {
    id: i64,
    title: String,
    employer: String,
    employer_id: i64,
}

/// A job seeker the lead fits, with the reasons by kind.
#[derive(Serialize)]
struct SeekerLine {
    client_id: i64,
    name: String,
    /// The job seeker's employment specialist.
    specialist: String,
    score: String,
    fits: Vec<String>,
    missing: Vec<String>,
    relaxed: Vec<String>,
}

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/clients/{id}/propose", web::post().to(propose))
        .route("/proposals/{id}", web::post().to(answer))
        .route("/leads/{id}/matches", web::get().to(lead_matches));
}
