//! The duplicate finder: pairs of employers in the register that are likely one, each
//! with its reason and, for team leads and admins, a merge that keeps either of them.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::employers::duplicates::{self, Side};
use crate::domain::employers::merge::{self, MergeInput};
use crate::domain::users::Role;
use crate::error::AppError;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::views;
use crate::web::render::{see_other, PageCtx};

#[derive(Serialize)]
struct SideView {
    id: i64,
    name: String,
    place: Option<String>,
    business_id: Option<String>,
}

#[derive(Serialize)]
struct PairView {
    a: SideView,
    b: SideView,
    why: String,
}

#[derive(Serialize)]
struct FinderView {
    nav_employers: bool,
    pairs: Vec<PairView>,
    can_merge: bool,
}

fn side(ctx: &PageCtx, s: &Side) -> SideView {
    SideView {
        id: s.id,
        name: s.name.clone(),
        place: views::municipality_name(ctx, s.municipality_code.as_deref()),
        business_id: s.business_id.clone(),
    }
}

/// `GET /employers/duplicates`.
pub async fn finder(req: HttpRequest, PageUser(actor): PageUser) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let can_merge = matches!(actor.role, Role::TeamLead | Role::Admin);
    let found = ctx
        .state
        .pool
        .run(move |conn| duplicates::pairs(conn, &actor))
        .await?;
    let pairs = found
        .iter()
        .map(|p| PairView {
            a: side(&ctx, &p.a),
            b: side(&ctx, &p.b),
            why: ctx.t(p.why.label_key()),
        })
        .collect();
    ctx.ok(
        "employers/duplicates",
        &ctx.t("duplicates.title"),
        FinderView {
            nav_employers: true,
            pairs,
            can_merge,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MergeForm {
    survivor_id: String,
    duplicate_id: String,
}

/// `POST /employers/merge`: keeps `survivor_id`, merges `duplicate_id` into it.
pub async fn merge_pair(
    req: HttpRequest,
    PageUser(actor): PageUser,
    SafeForm(form): SafeForm<MergeForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (Ok(survivor), Ok(dup)) = (
        form.survivor_id.trim().parse::<i64>(),
        form.duplicate_id.trim().parse::<i64>(),
    ) else {
        return Ok(see_other(
            "/employers/duplicates",
            Some("flash.merge_failed"),
        ));
    };
    let now = ctx.state.now();
    let done = ctx
        .state
        .pool
        .tx(move |conn| {
            merge::merge(
                conn,
                &actor,
                survivor,
                MergeInput {
                    duplicate_id: Some(dup),
                },
                now,
            )
        })
        .await;
    match done {
        Ok(_) => Ok(see_other(
            &format!("/employers/{survivor}"),
            Some("flash.employers_merged"),
        )),
        Err(AppError::Conflict(_)) => Ok(see_other(
            "/employers/duplicates",
            Some("flash.merge_failed_business_ids"),
        )),
        Err(AppError::Validation(_) | AppError::NotFound) => Ok(see_other(
            "/employers/duplicates",
            Some("flash.merge_failed"),
        )),
        Err(e) => Err(e),
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/employers/duplicates", web::get().to(finder))
        .route("/employers/merge", web::post().to(merge_pair));
}
