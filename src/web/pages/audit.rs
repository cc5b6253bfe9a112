//! The audit trail for admins, and the deleted contact-log entries for team leads: read
//! only, as cards that read on a phone.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::Value;

use crate::domain::audit::list::{self, AuditEntry, AuditParams};
use crate::domain::audit::{Action, Entity};
use crate::domain::clients::ClientStatus;
use crate::domain::closed_set::ClosedSet;
use crate::domain::employers::Stage;
use crate::domain::leads::LeadStatus;
use crate::domain::outreach::deleted;
use crate::domain::outreach::Channel;
use crate::domain::reference::Industry;
use crate::domain::users::list_org_users;
use crate::domain::users::Role;
use crate::error::AppError;
use crate::web::extract::PageUser;
use crate::web::pages::views;
use crate::web::render::{Opt, PageCtx};

/// A coded value (a stage, a status, a municipality) by its label, where the field is one
/// of those; None for anything else.
fn coded(ctx: &PageCtx, entity: Option<Entity>, field: &str, v: &Value) -> Option<String> {
    fn label<T: ClosedSet>(ctx: &PageCtx, v: &str) -> Option<String> {
        T::all()
            .iter()
            .find(|x| x.name() == v)
            .map(|x| ctx.t(x.key()))
    }
    let v = v.as_str()?;
    match (entity, field) {
        (_, "stage") => label::<Stage>(ctx, v),
        (_, "channel") => label::<Channel>(ctx, v),
        (_, "municipality_code") => views::municipality_name(ctx, Some(v)),
        (_, "industry") => label::<Industry>(ctx, v).map(|l| format!("{v} – {l}")),
        (Some(Entity::Lead), "status") => label::<LeadStatus>(ctx, v),
        (Some(Entity::Client), "status") => label::<ClientStatus>(ctx, v),
        (Some(Entity::User), "role") => label::<Role>(ctx, v),
        _ => None,
    }
}

/// A stored value as a reader sees it: times in local time, as dates are written here.
fn shown(ctx: &PageCtx, v: &Value) -> String {
    match v {
        Value::Null => "–".into(),
        Value::String(s) if s.is_empty() => "–".into(),
        Value::String(s) => chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ")
            .map(|t| ctx.datetime(t))
            .or_else(|_| {
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(|d| crate::i18n::format_date(ctx.lang, d))
            })
            .unwrap_or_else(|_| s.clone()),
        Value::Bool(b) => ctx.t(if *b { "common.yes" } else { "common.no" }),
        Value::Array(a) if a.is_empty() => "–".into(),
        Value::Array(a) => a
            .iter()
            .map(|x| shown(ctx, x))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

#[derive(Serialize)]
struct ChangeLine {
    field: String,
    private: bool,
    old: String,
    new: String,
    /// A fact of the event (an import's counts), not a before and after.
    note: bool,
}

#[derive(Serialize)]
struct EventLine {
    when: String,
    who: String,
    action: String,
    entity: String,
    entity_id: Option<i64>,
    link: Option<String>,
    changes: Vec<ChangeLine>,
}

fn link(entity: Entity, id: i64) -> Option<String> {
    match entity {
        Entity::Employer => Some(format!("/employers/{id}")),
        Entity::Client | Entity::Profile => Some(format!("/clients/{id}")),
        Entity::Partner => Some(format!("/partners/{id}")),
        _ => None,
    }
}

fn line(ctx: &PageCtx, e: &AuditEntry) -> EventLine {
    let entity = Entity::parse(&e.entity);
    let when = chrono::NaiveDateTime::parse_from_str(&e.occurred_at, "%Y-%m-%dT%H:%M:%SZ")
        .map(|t| ctx.datetime(t))
        .unwrap_or_else(|_| e.occurred_at.clone());
    EventLine {
        when,
        who: e.user_name.clone().unwrap_or_else(|| ctx.t("audit.system")),
        action: Action::parse(&e.action)
            .map(|a| ctx.t(a.label_key()))
            .unwrap_or_else(|| e.action.clone()),
        entity: entity
            .map(|x| ctx.t(x.label_key()))
            .unwrap_or_else(|| e.entity.clone()),
        entity_id: e.entity_id,
        link: entity.zip(e.entity_id).and_then(|(x, id)| link(x, id)),
        changes: e
            .changes
            .iter()
            .map(|c| ChangeLine {
                field: c.field.clone(),
                private: c.private,
                old: coded(ctx, entity, &c.field, &c.old).unwrap_or_else(|| shown(ctx, &c.old)),
                new: coded(ctx, entity, &c.field, &c.new).unwrap_or_else(|| shown(ctx, &c.new)),
                note: !c.private
                    && c.old.is_null()
                    && !matches!(e.action.as_str(), "create" | "update"),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct AuditView {
    nav_audit: bool,
    rows: Vec<EventLine>,
    errors: crate::web::render::Messages,
    entity: Vec<Opt>,
    action: Vec<Opt>,
    users: Vec<Opt>,
    entity_id: String,
    from: String,
    to: String,
    /// The address of the next (older) page with the same filters.
    older: Option<String>,
    /// Some filter is set (the filters open, with a way to clear them).
    filtered: bool,
}

/// `GET /audit`: the trail, filtered as the API's `GET /api/v1/audit` is (admins).
pub async fn show(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<AuditParams>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let params = q.into_inner();
    let (a, rules, p) = (actor.clone(), ctx.state.rules(), params.clone());
    let (found, users) = ctx
        .state
        .pool
        .run(move |conn| {
            let found = match list::list(conn, &a, p, &rules) {
                Err(AppError::Validation(e)) => Err(e),
                other => Ok(other?),
            };
            Ok((found, list_org_users(conn, a.org_id)?))
        })
        .await?;
    let (rows, next, errors) = match found {
        Ok((items, next)) => (items.iter().map(|e| line(&ctx, e)).collect(), next, None),
        Err(e) => (Vec::new(), None, Some(e)),
    };
    let older = next.map(|cursor| {
        let mut qs = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("entity", &params.entity),
            ("action", &params.action),
            ("entity_id", &params.entity_id),
            ("user_id", &params.user_id),
            ("from", &params.from),
            ("to", &params.to),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                qs.append_pair(k, v);
            }
        }
        qs.append_pair("cursor", &cursor);
        format!("/audit?{}", qs.finish())
    });
    let view = AuditView {
        nav_audit: true,
        errors: ctx.errors(errors.as_ref()),
        entity: views::choice_options::<Entity>(&ctx, params.entity.as_deref()),
        action: views::choice_options::<Action>(&ctx, params.action.as_deref()),
        users: views::owner_options(&users, params.user_id.as_deref()),
        entity_id: params.entity_id.clone().unwrap_or_default(),
        from: params.from.clone().unwrap_or_default(),
        to: params.to.clone().unwrap_or_default(),
        filtered: [
            &params.entity,
            &params.action,
            &params.entity_id,
            &params.user_id,
            &params.from,
            &params.to,
        ]
        .iter()
        .any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty())),
        rows,
        older,
    };
    ctx.ok("audit/show", &ctx.t("audit.title"), view)
}

#[derive(Serialize)]
struct DeletedLine {
    employer_id: i64,
    employer_name: String,
    deleted: String,
    deleted_by: String,
    occurred: String,
    channel: String,
    fields: Vec<(String, String)>,
}

#[derive(Serialize)]
struct DeletedView {
    nav_log: bool,
    rows: Vec<DeletedLine>,
}

/// `GET /outreach/deleted`: what was taken out of the contact log (team leads, admins).
pub async fn deleted_entries(
    req: HttpRequest,
    PageUser(actor): PageUser,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let items = ctx
        .state
        .pool
        .run(move |conn| deleted::list(conn, &actor, None))
        .await?;
    let parse = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ").ok();
    let rows = items
        .iter()
        .map(|d| {
            let text = |k: &str| d.entry[k].as_str().unwrap_or_default().to_string();
            let fields = [
                ("outreach.learned", "learned"),
                ("outreach.outcome", "outcome"),
                ("outreach.next_step", "next_step"),
            ]
            .iter()
            .filter(|(_, k)| !text(k).is_empty())
            .map(|(label, k)| (ctx.t(label), text(k)))
            .collect();
            DeletedLine {
                employer_id: d.employer_id,
                employer_name: d.employer_name.clone(),
                deleted: parse(&d.deleted_at)
                    .map(|t| ctx.datetime(t))
                    .unwrap_or_default(),
                deleted_by: d.deleted_by_name.clone().unwrap_or_default(),
                occurred: parse(&text("occurred_at"))
                    .map(|t| ctx.datetime(t))
                    .unwrap_or_default(),
                channel: crate::domain::outreach::Channel::parse(&text("channel"))
                    .map(|c| ctx.t(c.label_key()))
                    .unwrap_or_default(),
                fields,
            }
        })
        .collect();
    ctx.ok(
        "audit/deleted",
        &ctx.t("audit.deleted_title"),
        DeletedView {
            nav_log: true,
            rows,
        },
    )
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/audit", web::get().to(show))
        .route("/outreach/deleted", web::get().to(deleted_entries));
}
