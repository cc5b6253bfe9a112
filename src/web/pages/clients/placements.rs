//! Recording a placement and the support given after it.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::clients::Disclosure;
use crate::domain::closed_set::Choice;
use crate::domain::placements::{self, EmploymentType, PlacementInput, SupportInput};
use crate::error::{AppError, FieldErrors};
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::field::Field;
use crate::web::pages::{filled, views};
use crate::web::render::{see_other, submit, Messages, Opt, PageCtx};

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct PlacementForm {
    client_id: Field<i64>,
    employer_id: Field<i64>,
    lead_id: Field<i64>,
    job_title: String,
    isco_code: String,
    hours_per_week: Field<i32>,
    wage: String,
    starts_on: String,
    employment_type: String,
    competitive: String,
    disclosure: String,
}

#[derive(Serialize)]
struct PlacementView<'a> {
    nav_clients: bool,
    form: &'a PlacementForm,
    errors: Messages,
    has_errors: bool,
    types: Vec<Opt>,
    disclosures: Vec<Opt>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PlacementQuery {
    client_id: String,
    lead_id: String,
}

async fn render_placement(
    ctx: &PageCtx,
    form: &PlacementForm,
    errors: Option<FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let sel = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    ctx.ok(
        "clients/placement",
        &ctx.t("placements.new"),
        PlacementView {
            nav_clients: true,
            form,
            errors: ctx.errors(errors.as_ref()),
            has_errors: errors.is_some(),
            types: views::choice_options::<EmploymentType>(
                ctx,
                Some(sel(&form.employment_type).as_deref().unwrap_or("permanent")),
            ),
            disclosures: views::choice_options::<Disclosure>(
                ctx,
                Some(sel(&form.disclosure).as_deref().unwrap_or("none")),
            ),
        },
    )
}

pub async fn placement_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<PlacementQuery>,
) -> Result<HttpResponse, AppError> {
    actor.require_write()?;
    let ctx = PageCtx::from_req(&req)?;
    let mut form = PlacementForm {
        client_id: Field::parse(&q.client_id),
        starts_on: ctx.state.today().to_string(),
        competitive: "on".into(),
        ..Default::default()
    };
    if let Ok(lead_id) = q.lead_id.parse::<i64>() {
        let a = actor.clone();
        let lead = ctx
            .state
            .pool
            .run(move |conn| crate::domain::leads::get(conn, &a, lead_id))
            .await?;
        form.lead_id = Field::Value(lead.id);
        form.employer_id = Field::Value(lead.employer_id);
        form.job_title = lead.title.clone();
        form.isco_code = lead.isco_code.clone().unwrap_or_default();
    }
    render_placement(&ctx, &form, None).await
}

pub async fn placement_create(
    req: HttpRequest,
    PageUser(actor): PageUser,
    SafeForm(f): SafeForm<PlacementForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let now = ctx.state.now();
    let result = match f.to_input() {
        Err(e) => Err(e),
        Ok(input) => {
            ctx.state
                .pool
                .tx(move |conn| placements::create(conn, &actor, input, now))
                .await
        }
    };
    submit(
        result,
        // A new job: the profile asks for an update.
        |p| {
            see_other(
                &format!("/clients/{}/profile", p.client_id),
                Some("flash.placement_saved"),
            )
        },
        |e| render_placement(&ctx, &f, Some(e)),
    )
    .await
}

impl PlacementForm {
    fn to_input(&self) -> Result<PlacementInput, AppError> {
        let mut e = FieldErrors::default();
        let client_id = self
            .client_id
            .read(&mut e, "client_id", "error.unknown_client");
        let employer_id = self
            .employer_id
            .read(&mut e, "employer_id", "error.unknown_employer");
        let lead_id = self.lead_id.read(&mut e, "lead_id", "error.unknown_lead");
        let hours_per_week = self
            .hours_per_week
            .read(&mut e, "hours_per_week", "error.number");
        e.into_result()?;
        Ok(PlacementInput {
            client_id,
            employer_id,
            lead_id,
            job_title: filled(&self.job_title),
            isco_code: filled(&self.isco_code),
            hours_per_week,
            wage: filled(&self.wage),
            starts_on: filled(&self.starts_on),
            ends_on: None,
            end_reason: None,
            employment_type: filled(&self.employment_type).map(Choice::from),
            competitive: Some(!self.competitive.is_empty()),
            disclosure: filled(&self.disclosure).map(Choice::from),
        })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SupportForm {
    occurred_on: String,
    with_whom: String,
    channel: String,
    note: String,
}

pub async fn support_add(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(f): SafeForm<SupportForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now) = (id.into_inner(), ctx.state.now());
    let input = SupportInput {
        occurred_on: filled(&f.occurred_on),
        with_whom: filled(&f.with_whom).map(Choice::from),
        channel: filled(&f.channel).map(Choice::from),
        note: filled(&f.note),
    };
    let a = actor.clone();
    let client = ctx
        .state
        .pool
        .run(move |conn| Ok(placements::get(conn, &a, id)?.client_id))
        .await?;
    match ctx
        .state
        .pool
        .tx(move |conn| placements::add_support(conn, &actor, id, input, now))
        .await
    {
        Ok(_) => Ok(see_other(
            &format!("/clients/{client}#placements"),
            Some("flash.support_saved"),
        )),
        Err(AppError::Validation(e)) if e.0.contains_key("with_whom") => Ok(see_other(
            &format!("/clients/{client}#placements"),
            Some("flash.support_no_consent"),
        )),
        Err(AppError::Validation(_)) => Ok(see_other(
            &format!("/clients/{client}#placements"),
            Some("flash.support_failed"),
        )),
        Err(e) => Err(e),
    }
}

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/placements", web::post().to(placement_create))
        .route("/placements/new", web::get().to(placement_form))
        .route("/placements/{id}/support", web::post().to(support_add));
}
