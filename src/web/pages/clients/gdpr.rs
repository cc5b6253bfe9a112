//! A job seeker's rights on pages: the printable copy of everything held about them, and
//! erasure (admins), with a page that says what goes and what stays before it happens.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::domain::audit::Action;
use crate::domain::clients::gdpr;
use crate::domain::clients::profile::Profile;
use crate::error::AppError;
use crate::i18n::format_date;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::NoFields;
use crate::web::render::{see_other, PageCtx};

#[derive(Serialize)]
struct Line {
    label: String,
    value: String,
}

#[derive(Serialize)]
struct VersionView {
    heading: String,
    lines: Vec<Line>,
}

#[derive(Serialize)]
struct ExportView {
    nav_clients: bool,
    id: i64,
    name: String,
    exported: String,
    record: Vec<Line>,
    versions: Vec<VersionView>,
    placements: Vec<String>,
    contacts: Vec<String>,
    proposals: Vec<String>,
    access: Vec<String>,
}

fn lines(ctx: &PageCtx, p: &Profile) -> Vec<Line> {
    let join = |v: &[String]| v.join(", ");
    let hours = match (p.hours_min, p.hours_max) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => format!("≥ {a}"),
        (None, Some(b)) => format!("≤ {b}"),
        (None, None) => String::new(),
    };
    let work: Vec<String> = p
        .work_history
        .iter()
        .map(|w| {
            [
                w.employer.clone(),
                w.title.clone(),
                w.went_well.clone(),
                w.why_ended.clone(),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
        })
        .collect();
    [
        ("profile.occupations", join(&p.occupations)),
        ("profile.job_wishes", p.job_wishes.clone()),
        ("profile.hours", hours),
        ("profile.means_of_travel", p.means_of_travel.clone()),
        ("profile.wage_wish", p.wage_wish.clone().unwrap_or_default()),
        ("profile.strengths", p.strengths.clone()),
        ("profile.skills", join(&p.skills)),
        ("profile.education", p.education.clone()),
        ("profile.work_history", work.join("; ")),
        ("profile.support_needs", p.support_needs.clone()),
        ("profile.network", p.personal_network_leads.clone()),
        ("profile.goals", p.goals.clone()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| Line {
        label: ctx.t(k),
        value: v,
    })
    .collect()
}

/// `GET /clients/{id}/export`: everything held about the job seeker, made to print (the
/// same data as `GET /api/v1/clients/{id}/export`, which the page links to).
pub async fn export_page(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now, tz) = (
        id.into_inner(),
        ctx.state.now(),
        ctx.state.settings.timezone,
    );
    let x = ctx
        .state
        .pool
        .tx(move |conn| gdpr::export(conn, &actor, id, now, tz))
        .await?;
    let c = &x.client.row;
    let yes_no = |b: bool| ctx.t(if b { "common.yes" } else { "common.no" });
    let date =
        |d: Option<chrono::NaiveDate>| d.map(|d| format_date(ctx.lang, d)).unwrap_or_default();
    let record = [
        ("clients.intake", format_date(ctx.lang, c.intake_date)),
        ("clients.status", ctx.t(c.status.label_key())),
        ("clients.consent", yes_no(c.consent_to_contact_employers)),
        ("clients.disclosure", ctx.t(c.disclosure.label_key())),
        (
            "clients.disclosure_notes",
            c.disclosure_notes.clone().unwrap_or_default(),
        ),
        (
            "clients.wants_work",
            c.wants_work.map(yes_no).unwrap_or_default(),
        ),
        ("clients.benefits", date(c.benefits_counselling_on)),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| Line {
        label: ctx.t(k),
        value: v,
    })
    .collect();
    let versions = x
        .profile_versions
        .iter()
        .map(|v| VersionView {
            heading: format!(
                "v{} · {}{}",
                v.version,
                ctx.datetime(v.saved_at),
                v.saved_by
                    .as_deref()
                    .map(|b| format!(" · {b}"))
                    .unwrap_or_default()
            ),
            lines: lines(&ctx, &v.profile),
        })
        .collect();
    let placements = x
        .placements
        .iter()
        .map(|(p, _)| {
            format!(
                "{} – {}{} · {}",
                format_date(ctx.lang, p.starts_on),
                date(p.ends_on),
                p.hours_per_week
                    .map(|h| format!(" · {h} h"))
                    .unwrap_or_default(),
                p.job_title
            )
        })
        .collect();
    let contacts = x
        .contacts_on_behalf
        .iter()
        .map(|o| {
            let words: Vec<&str> = [&o.learned, &o.outcome, &o.next_step]
                .into_iter()
                .filter_map(|t| t.as_deref())
                .filter(|t| !t.is_empty())
                .collect();
            format!(
                "{} · {} · {}{}",
                ctx.datetime(o.entry.occurred_at),
                o.entry.employer_name,
                ctx.t(o.entry.channel.label_key()),
                if words.is_empty() {
                    String::new()
                } else {
                    format!(" · {}", words.join(" · "))
                }
            )
        })
        .collect();
    let proposals = x
        .proposals
        .iter()
        .map(|p| {
            format!(
                "{} · {} · {}",
                p.lead_title,
                p.employer_name,
                ctx.t(p.proposal.status.label_key())
            )
        })
        .collect();
    let access = x
        .record_access
        .iter()
        .map(|a| {
            let when = chrono::NaiveDateTime::parse_from_str(&a.occurred_at, "%Y-%m-%dT%H:%M:%SZ")
                .map(|t| ctx.datetime(t))
                .unwrap_or_default();
            let what = Action::parse(&a.action)
                .map(|x| ctx.t(x.label_key()))
                .unwrap_or_default();
            let who = a.user_name.clone().unwrap_or_else(|| ctx.t("audit.system"));
            format!("{when} · {who} · {what}")
        })
        .collect();
    let view = ExportView {
        nav_clients: true,
        id,
        name: c.display_name.clone(),
        exported: ctx.datetime(now),
        record,
        versions,
        placements,
        contacts,
        proposals,
        access,
    };
    let title = format!("{} – {}", ctx.t("gdpr.export_title"), c.display_name);
    ctx.ok("clients/export", &title, view)
}

#[derive(Serialize)]
struct EraseView {
    nav_clients: bool,
    id: i64,
    name: String,
}

/// `GET /clients/{id}/erase`: what erasure removes and keeps, and the button (admins).
pub async fn erase_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    actor.require_admin()?;
    let ctx = PageCtx::from_req(&req)?;
    let (id, tz) = (id.into_inner(), ctx.state.settings.timezone);
    let c = ctx
        .state
        .pool
        .run(move |conn| crate::domain::clients::get(conn, &actor, id, tz))
        .await?;
    let title = ctx.t("gdpr.erase_title");
    ctx.ok(
        "clients/erase",
        &title,
        EraseView {
            nav_clients: true,
            id,
            name: c.row.display_name,
        },
    )
}

/// `POST /clients/{id}/erase`: erases, and says so on the job seeker's page.
pub async fn erase(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(_): SafeForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    actor.require_admin()?;
    let ctx = PageCtx::from_req(&req)?;
    let (id, now, tz) = (
        id.into_inner(),
        ctx.state.now(),
        ctx.state.settings.timezone,
    );
    ctx.state
        .pool
        .tx(move |conn| gdpr::erase(conn, &actor, id, now, tz))
        .await?;
    ctx.state.pool.run(crate::db::checkpoint).await?;
    Ok(see_other(
        &format!("/clients/{id}"),
        Some("flash.client_erased"),
    ))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/clients/{id}/export", web::get().to(export_page))
        .route("/clients/{id}/erase", web::get().to(erase_form))
        .route("/clients/{id}/erase", web::post().to(erase));
}
