//! How domain values look on a page: labels in the page's language, option lists.

use serde_json::{json, Value};

use crate::domain::contacts::{Contact, CHANNELS};
use crate::domain::employers::{Employer, STAGES};
use crate::domain::reference::{INDUSTRY_SECTIONS, MUNICIPALITIES, SIZE_CLASSES};
use crate::domain::users::UserSummary;
use crate::web::render::{options, PageCtx};

pub fn municipality_name(ctx: &PageCtx, code: Option<&str>) -> Option<String> {
    code.and_then(|c| MUNICIPALITIES.get(c))
        .map(|m| m.name(ctx.lang).to_string())
}

pub fn owner_name(owners: &[UserSummary], id: Option<i64>) -> Option<String> {
    id.and_then(|id| owners.iter().find(|o| o.id == id))
        .map(|o| o.display_name.clone())
}

pub fn industry_options(ctx: &PageCtx, selected: Option<&str>) -> Value {
    options(
        INDUSTRY_SECTIONS.iter().map(|s| {
            (
                s.to_string(),
                format!("{s} – {}", ctx.t(&format!("industry.{s}"))),
            )
        }),
        selected,
    )
}

pub fn stage_options(ctx: &PageCtx, selected: Option<&str>) -> Value {
    options(
        STAGES
            .iter()
            .map(|s| (s.to_string(), ctx.t(&format!("stage.{s}")))),
        selected,
    )
}

pub fn size_options(selected: Option<&str>) -> Value {
    options(
        SIZE_CLASSES.iter().map(|s| (s.to_string(), s.to_string())),
        selected,
    )
}

pub fn municipality_options(ctx: &PageCtx, selected: Option<&str>) -> Value {
    options(
        MUNICIPALITIES
            .sorted(ctx.lang)
            .into_iter()
            .map(|m| (m.code.clone(), m.name(ctx.lang).to_string())),
        selected,
    )
}

pub fn owner_options(owners: &[UserSummary], selected: Option<&str>) -> Value {
    options(
        owners
            .iter()
            .map(|o| (o.id.to_string(), o.display_name.clone())),
        selected,
    )
}

pub fn channel_options(ctx: &PageCtx, selected: Option<&str>) -> Value {
    options(
        CHANNELS
            .iter()
            .map(|c| (c.to_string(), ctx.t(&format!("channel.{c}")))),
        selected,
    )
}

/// An employer with everything a page shows about it.
pub fn employer(ctx: &PageCtx, e: &Employer, owners: &[UserSummary]) -> Value {
    json!({
        "id": e.id,
        "name": e.name,
        "business_id": e.business_id,
        "industry": e.industry,
        "industry_label": e.industry.as_ref().map(|i| ctx.t(&format!("industry.{i}"))),
        "size_class": e.size_class,
        "street_address": e.street_address,
        "postal_code": e.postal_code,
        "municipality": municipality_name(ctx, e.municipality_code.as_deref()),
        "website": e.website,
        "description": e.description,
        "tags": e.tags,
        "owner": owner_name(owners, e.owner_id),
        "stage": e.stage,
        "stage_label": ctx.t(&format!("stage.{}", e.stage)),
        "updated": ctx.datetime(e.updated_at),
        "created": ctx.datetime(e.created_at),
        "archived": e.archived_at.map(|t| ctx.datetime(t)),
    })
}

pub fn contact(ctx: &PageCtx, c: &Contact) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "title": c.title,
        "phone": c.phone,
        "email": c.email,
        "channel_label": c.preferred_channel.as_ref().map(|ch| ctx.t(&format!("channel.{ch}"))),
        "can_hire": c.can_hire,
        "notes": c.notes,
    })
}
