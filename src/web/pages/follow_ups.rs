//! The follow-up list: done, snooze, reassign; overdue ones stand out.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::follow_ups::{self, Action};
use crate::domain::users::list_org_users;
use crate::domain::versioning::Expected;
use crate::error::AppError;
use crate::i18n::format_date;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::field::Field;
use crate::web::pages::views;
use crate::web::render::{see_other, Opt, PageCtx};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Query {
    all: Option<String>,
}

pub async fn list(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let all = q.all.is_some();
    let (a, today) = (actor.clone(), ctx.state.today());
    let (items, users) = ctx
        .state
        .pool
        .run(move |conn| {
            Ok((
                follow_ups::list_open(
                    conn,
                    &a,
                    if all { None } else { Some(a.user_id) },
                    None,
                    today,
                )?,
                list_org_users(conn, a.org_id)?,
            ))
        })
        .await?;
    let rows = items
        .iter()
        .map(|f| FollowUpLine {
            id: f.row.id,
            version: f.row.version,
            title: f.row.title.clone(),
            employer_id: f.row.employer_id,
            employer_name: f.employer_name.clone(),
            due: format_date(ctx.lang, f.row.due_on),
            overdue: f.overdue,
            assignee: views::owner_name(&users, Some(f.row.assignee_id)),
            users: views::owner_options(&users, Some(&f.row.assignee_id.to_string())),
        })
        .collect();
    let view = ListView {
        nav_follow_ups: true,
        rows,
        all,
        overdue_count: items.iter().filter(|f| f.overdue).count(),
        can_write: actor.can_write(),
        export_url: views::export_url(
            "follow-ups",
            &[("assignee", Some(if all { "all" } else { "me" }.into()))],
        ),
    };
    ctx.ok("follow_ups/list", &ctx.t("follow_ups.title"), view)
}

#[derive(Serialize)]
struct ListView {
    nav_follow_ups: bool,
    rows: Vec<FollowUpLine>,
    /// Everyone's follow-ups, not only the user's own.
    all: bool,
    overdue_count: usize,
    can_write: bool,
    export_url: String,
}

#[derive(Serialize)]
struct FollowUpLine {
    id: i64,
    version: i32,
    title: String,
    employer_id: i64,
    employer_name: String,
    due: String,
    overdue: bool,
    assignee: Option<String>,
    /// Colleagues to reassign it to, the assignee chosen.
    users: Vec<Opt>,
}

async fn act(
    req: HttpRequest,
    actor: crate::domain::users::Actor,
    id: i64,
    action: Action,
    flash: &str,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (now, today, days) = (
        ctx.state.now(),
        ctx.state.today(),
        ctx.state.rules().snooze_days,
    );
    let result = ctx
        .state
        .pool
        .tx(move |conn| follow_ups::apply(conn, &actor, id, action, now, today, days))
        .await;
    match result {
        Ok(_) => Ok(see_other("/follow-ups", Some(flash))),
        // Someone acted on it meanwhile: the list shows it as it is now.
        Err(AppError::Stale(_)) => Ok(see_other(
            "/follow-ups",
            Some("flash.follow_up_changed_meanwhile"),
        )),
        Err(e) => Err(e),
    }
}

/// The buttons' form: the version the list showed (`domain::versioning`).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActForm {
    version: String,
}

fn version(form_value: &str) -> Result<Option<i32>, AppError> {
    Ok(Expected::from_form(form_value)?.0)
}

pub async fn done(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(f): SafeForm<ActForm>,
) -> Result<HttpResponse, AppError> {
    act(
        req,
        actor,
        id.into_inner(),
        Action::Done {
            version: version(&f.version)?,
        },
        "flash.follow_up_done",
    )
    .await
}

pub async fn snooze(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(f): SafeForm<ActForm>,
) -> Result<HttpResponse, AppError> {
    act(
        req,
        actor,
        id.into_inner(),
        Action::Snooze {
            until: None,
            version: version(&f.version)?,
        },
        "flash.follow_up_snoozed",
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReassignForm {
    assignee_id: Field<i64>,
    version: String,
}

pub async fn reassign(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(f): SafeForm<ReassignForm>,
) -> Result<HttpResponse, AppError> {
    let failed = || see_other("/follow-ups", Some("flash.follow_up_reassign_failed"));
    let Some(assignee_id) = f.assignee_id.value() else {
        return Ok(failed());
    };
    match act(
        req,
        actor,
        id.into_inner(),
        Action::Reassign {
            assignee_id,
            version: version(&f.version)?,
        },
        "flash.follow_up_reassigned",
    )
    .await
    {
        Err(AppError::Validation(_)) => Ok(failed()),
        other => other,
    }
}

/// Follow-ups and their actions.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/follow-ups", web::get().to(list))
        .route("/follow-ups/{id}/done", web::post().to(done))
        .route("/follow-ups/{id}/snooze", web::post().to(snooze))
        .route("/follow-ups/{id}/reassign", web::post().to(reassign));
}
