//! How domain values look on a page: labels in the page's language, option lists.

use serde::Serialize;

use crate::domain::closed_set::ClosedSet;
use crate::domain::contacts::{Contact, PreferredChannel};
use crate::domain::employers::{Employer, Stage};
use crate::domain::follow_ups::FollowUpStatus;
use crate::domain::leads::LeadStatus;
use crate::domain::outreach::timeline::{Item, Timeline};
use crate::domain::outreach::{Channel, Purpose, VisitKind};
use crate::domain::reference::{Industry, SizeClass, MUNICIPALITIES};
use crate::domain::users::UserSummary;
use crate::web::render::{options, Opt, PageCtx};

/// The download of the list a page shows, with the page's filters (not its position), as
/// Excel's semicolon CSV from the list's export.
pub fn export_url(list: &str, filters: &[(&str, Option<String>)]) -> String {
    let mut q: Vec<String> = filters
        .iter()
        .filter_map(|(k, v)| {
            v.as_ref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", crate::web::errors::url_encode(v)))
        })
        .collect();
    q.push("spreadsheet=true".into());
    format!("/api/v1/exports/{list}?{}", q.join("&"))
}

pub fn municipality_name(ctx: &PageCtx, code: Option<&str>) -> Option<String> {
    code.and_then(|c| MUNICIPALITIES.get(c))
        .map(|m| m.name(ctx.lang).to_string())
}

pub fn owner_name(owners: &[UserSummary], id: Option<i64>) -> Option<String> {
    id.and_then(|id| owners.iter().find(|o| o.id == id))
        .map(|o| o.display_name.clone())
}

/// Every value of a closed set as options, labelled in the page's language.
pub fn choice_options<T: ClosedSet>(ctx: &PageCtx, selected: Option<&str>) -> Vec<Opt> {
    options(
        T::all()
            .iter()
            .map(|v| (v.name().to_string(), ctx.t(v.key()))),
        selected,
    )
}

pub fn industry_options(ctx: &PageCtx, selected: Option<&str>) -> Vec<Opt> {
    options(
        Industry::ALL
            .iter()
            .map(|s| (s.to_string(), format!("{s} – {}", ctx.t(s.label_key())))),
        selected,
    )
}

pub fn stage_options(ctx: &PageCtx, selected: Option<&str>) -> Vec<Opt> {
    choice_options::<Stage>(ctx, selected)
}

/// Size classes are shown as they are written (1-9, 10-49 ...).
pub fn size_options(selected: Option<&str>) -> Vec<Opt> {
    options(
        SizeClass::ALL
            .iter()
            .map(|s| (s.to_string(), s.to_string())),
        selected,
    )
}

pub fn municipality_options(ctx: &PageCtx, selected: Option<&str>) -> Vec<Opt> {
    options(
        MUNICIPALITIES
            .sorted(ctx.lang)
            .into_iter()
            .map(|m| (m.code.clone(), m.name(ctx.lang).to_string())),
        selected,
    )
}

pub fn owner_options(owners: &[UserSummary], selected: Option<&str>) -> Vec<Opt> {
    options(
        owners
            .iter()
            .map(|o| (o.id.to_string(), o.display_name.clone())),
        selected,
    )
}

pub fn channel_options(ctx: &PageCtx, selected: Option<&str>) -> Vec<Opt> {
    choice_options::<PreferredChannel>(ctx, selected)
}

/// Something shown by its name and linked by its id (an employer, a partner, a person).
#[derive(Serialize)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

impl Named {
    pub fn new(id: i64, name: &str) -> Self {
        Self {
            id,
            name: name.to_string(),
        }
    }
}

/// An employer with everything a page shows about it.
#[derive(Serialize)]
pub struct EmployerView {
    id: i64,
    name: String,
    business_id: Option<String>,
    industry: Option<Industry>,
    industry_label: Option<String>,
    size_class: Option<SizeClass>,
    street_address: Option<String>,
    postal_code: Option<String>,
    municipality: Option<String>,
    website: Option<String>,
    description: Option<String>,
    tags: Vec<String>,
    owner: Option<String>,
    stage: Stage,
    stage_label: String,
    updated: String,
    created: String,
    archived: Option<String>,
    /// Do not contact: no logging or planning, and why.
    stopped: bool,
    do_not_contact_reason: Option<String>,
}

pub fn employer(ctx: &PageCtx, e: &Employer, owners: &[UserSummary]) -> EmployerView {
    EmployerView {
        id: e.id,
        name: e.name.clone(),
        business_id: e.business_id.clone(),
        industry: e.industry,
        industry_label: e.industry.map(|i| ctx.t(i.label_key())),
        size_class: e.size_class,
        street_address: e.street_address.clone(),
        postal_code: e.postal_code.clone(),
        municipality: municipality_name(ctx, e.municipality_code.as_deref()),
        website: e.website.clone(),
        description: e.description.clone(),
        tags: e.tags.clone(),
        owner: owner_name(owners, e.owner_id),
        stage: e.stage,
        stage_label: ctx.t(e.stage.label_key()),
        updated: ctx.datetime(e.updated_at),
        created: ctx.datetime(e.created_at),
        archived: e.archived_at.map(|t| ctx.datetime(t)),
        stopped: e.stage == Stage::DoNotContact,
        do_not_contact_reason: e.do_not_contact_reason.clone(),
    }
}

/// A contact person at an employer.
#[derive(Serialize)]
pub struct ContactView {
    id: i64,
    name: String,
    title: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    channel_label: Option<String>,
    can_hire: bool,
    notes: Option<String>,
}

pub fn contact(ctx: &PageCtx, c: &Contact) -> ContactView {
    ContactView {
        id: c.id,
        name: c.name.clone(),
        title: c.title.clone(),
        phone: c.phone.clone(),
        email: c.email.clone(),
        channel_label: c.preferred_channel.map(|ch| ctx.t(ch.label_key())),
        can_hire: c.can_hire,
        notes: c.notes.clone(),
    }
}

/// The label of a value of `T` given as its wire text (timeline details carry text); an
/// unknown text is shown as it is.
fn label<T: ClosedSet + std::str::FromStr>(ctx: &PageCtx, text: &str) -> String {
    text.parse::<T>()
        .map_or_else(|_| text.to_string(), |v| ctx.t(v.key()))
}

/// The employer's timeline as the page shows it.
#[derive(Serialize)]
pub struct TimelineView {
    items: Vec<TimelineLine>,
    suggested: String,
    in_person_visits: i64,
    next_planned: Option<PlannedView>,
}

/// A contact, lead, stage change or follow-up on the timeline.
#[derive(Serialize)]
struct TimelineLine {
    kind: &'static str,
    id: i64,
    /// The reader may edit it: their own contact, or any as a team lead.
    editable: bool,
    when: String,
    who: Option<String>,
    title: String,
    /// How, with whom, or from what: one line under the title.
    meta: String,
    learned: Option<String>,
    outcome: Option<String>,
    next_step: Option<String>,
    overdue: bool,
    done: bool,
}

/// The next planned contact or follow-up.
#[derive(Serialize)]
struct PlannedView {
    on: String,
    who: String,
    what: String,
}

pub fn timeline(ctx: &PageCtx, t: &Timeline) -> TimelineView {
    TimelineView {
        items: t.items.iter().map(|i| timeline_line(ctx, i)).collect(),
        suggested: ctx.t(t.suggested_step.key()),
        in_person_visits: t.in_person_visits,
        next_planned: t.next_planned.as_ref().map(|p| PlannedView {
            on: crate::i18n::format_date(ctx.lang, p.on),
            who: p.who.clone(),
            what: if p.kind == "plan" {
                label::<Purpose>(ctx, &p.what)
            } else {
                p.what.clone()
            },
        }),
    }
}

fn timeline_line(ctx: &PageCtx, i: &Item) -> TimelineLine {
    let d = &i.detail;
    let s = |k: &str| d.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let (title, meta) = match i.kind {
        "contact" => (
            label::<Purpose>(ctx, &i.title),
            [
                s("channel").map(|c| label::<Channel>(ctx, &c)),
                s("visit_kind").map(|v| label::<VisitKind>(ctx, &v)),
                s("contact"),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · "),
        ),
        "lead" => (
            format!("{}: {}", ctx.t("timeline.lead"), i.title),
            s("status")
                .map(|st| label::<LeadStatus>(ctx, &st))
                .unwrap_or_default(),
        ),
        "stage" => (
            format!(
                "{}: {}",
                ctx.t("timeline.stage"),
                label::<Stage>(ctx, &i.title)
            ),
            s("from")
                .map(|f| format!("{} {}", ctx.t("timeline.was"), label::<Stage>(ctx, &f)))
                .unwrap_or_default(),
        ),
        _ => (
            format!("{}: {}", ctx.t("timeline.follow_up"), i.title),
            s("due_on")
                .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
                .map(|d| {
                    format!(
                        "{} {}",
                        ctx.t("timeline.due"),
                        crate::i18n::format_date(ctx.lang, d)
                    )
                })
                .unwrap_or_default(),
        ),
    };
    let owner = d.get("specialist_id").and_then(|v| v.as_i64());
    TimelineLine {
        kind: i.kind,
        id: i.id,
        editable: i.kind == "contact"
            && owner.is_some_and(|o| ctx.actor.as_ref().is_some_and(|a| a.require_own(o).is_ok())),
        when: ctx.datetime(i.at),
        who: i.who.clone(),
        title,
        meta,
        learned: s("learned"),
        outcome: s("outcome"),
        next_step: s("next_step"),
        overdue: d.get("overdue").and_then(|v| v.as_bool()).unwrap_or(false),
        done: s("status").as_deref() == Some(FollowUpStatus::Done.as_str()),
    }
}
