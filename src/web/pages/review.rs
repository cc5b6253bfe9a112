//! The review pack a peer-review team reads through its secret link, without an account:
//! fidelity figures with scores, charts, outcomes and the contact log of the period.
//! Job seekers appear only as pseudonymous ids; the page is made to print.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::domain::fidelity::{self, Scope};
use crate::domain::users::{list_org_users, list_teams};
use crate::error::AppError;
use crate::i18n::format_date;
use crate::web::pages::fidelity::{charts, ChartView, FigureLine, OutcomesView};
use crate::web::pages::field::Field;
use crate::web::render::PageCtx;

pub async fn show(req: HttpRequest, secret: web::Path<String>) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (secret, now) = (secret.into_inner(), ctx.state.now());
    let (t, tz) = (ctx.state.settings.fidelity, ctx.state.settings.timezone);
    let (pack, actor, report, out, log, users, teams) = ctx
        .state
        .pool
        .run(move |conn| {
            let (pack, actor) = fidelity::review::open(conn, &secret, now)?;
            let (scope, period) = (pack.scope(), pack.period());
            Ok((
                pack.clone(),
                actor.clone(),
                fidelity::report(conn, &actor, scope, period, &t, tz)?,
                fidelity::outcomes::outcomes(conn, &actor, scope, period)?,
                fidelity::export::contact_log(conn, &actor, scope, period, tz)?,
                list_org_users(conn, actor.org_id)?,
                list_teams(conn, actor.org_id)?,
            ))
        })
        .await?;
    let name_of = |id: i64| {
        users
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.display_name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    };
    let scope = match pack.scope() {
        Scope::Organisation => ctx.t("fidelity.organisation"),
        Scope::Team(t) => format!(
            "{}: {}",
            ctx.t("fidelity.team"),
            teams
                .iter()
                .find(|x| x.0 == t)
                .map(|x| x.1.clone())
                .unwrap_or_default()
        ),
        Scope::Specialist(s) => name_of(s),
    };
    let log = log
        .iter()
        .map(|r| LogLine {
            date: &r.date,
            specialist: &r.specialist,
            employer: &r.employer,
            channel: ctx.t(r.channel.label_key()),
            purpose: ctx.t(r.purpose.label_key()),
            job_seekers: &r.job_seekers,
            learned: &r.learned,
            next_step: &r.next_step,
            planned: r.planned,
        })
        .collect();
    let view = ReviewView {
        org: &actor.org_name,
        scope,
        period: format!(
            "{} – {}",
            format_date(ctx.lang, pack.period_from),
            format_date(ctx.lang, pack.period_to)
        ),
        expires: ctx.datetime(pack.expires_at),
        rows: report
            .items
            .iter()
            .map(|it| FigureLine::of(&ctx, it))
            .collect(),
        charts: charts(&ctx, &report, &name_of, t.employer_contacts_per_week[0]),
        outcomes: OutcomesView::of(&ctx, &out),
        log,
    };
    let mut resp = ctx.ok("fidelity/review", &ctx.t("review.title"), view)?;
    // Not for search engines or caches: the link is the only key.
    resp.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("x-robots-tag"),
        actix_web::http::header::HeaderValue::from_static("noindex"),
    );
    Ok(resp)
}

#[derive(Serialize)]
struct ReviewView<'a> {
    org: &'a str,
    /// The organisation, a team or a specialist, by name.
    scope: String,
    period: String,
    expires: String,
    rows: Vec<FigureLine>,
    charts: Vec<ChartView>,
    outcomes: OutcomesView<'a>,
    log: Vec<LogLine<'a>>,
}

/// A contact of the period; job seekers only as pseudonymous ids.
#[derive(Serialize)]
struct LogLine<'a> {
    date: &'a str,
    specialist: &'a str,
    employer: &'a str,
    channel: String,
    purpose: String,
    job_seekers: &'a str,
    learned: &'a str,
    next_step: &'a str,
    planned: bool,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MakeForm {
    from: Option<String>,
    to: Option<String>,
    scope: Option<String>,
    days_valid: Field<i64>,
}

/// From the fidelity page: a pack for the period and scope shown there.
pub async fn make(
    req: HttpRequest,
    crate::web::extract::PageUser(actor): crate::web::extract::PageUser,
    crate::web::extract::SafeForm(f): crate::web::extract::SafeForm<MakeForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let failed = || crate::web::render::see_other("/fidelity#review", Some("flash.review_failed"));
    let scope = f.scope.clone().unwrap_or_else(|| "org".into());
    let id = |p: &str| scope.strip_prefix(p).map(|v| v.parse::<i64>());
    // A pack is shared outside the team: a scope or a validity that does not read is
    // refused, never widened to the whole organisation or replaced by the default.
    let (team_id, specialist_id) = match (id("team:"), id("user:")) {
        (Some(Err(_)), _) | (_, Some(Err(_))) => return Ok(failed()),
        (t, u) => (t.and_then(Result::ok), u.and_then(Result::ok)),
    };
    if team_id.is_none() && specialist_id.is_none() && scope != "org" {
        return Ok(failed());
    }
    let q = crate::web::api::fidelity::FidelityQuery {
        from: f.from.clone(),
        to: f.to.clone(),
        team_id,
        specialist_id,
    };
    let (period, sc) = q.parse(ctx.state.today())?;
    let days = match &f.days_valid {
        Field::Bad(_) => return Ok(failed()),
        valid => valid.value(),
    };
    let now = ctx.state.now();
    let flash = match ctx
        .state
        .pool
        .tx(move |conn| fidelity::review::create(conn, &actor, period, sc, days, now))
        .await
    {
        Ok(_) => "flash.review_made",
        Err(AppError::Validation(_)) => "flash.review_failed",
        Err(e) => return Err(e),
    };
    Ok(crate::web::render::see_other(
        &format!(
            "/fidelity?from={}&to={}&scope={}#review",
            period.from,
            period.to,
            crate::web::errors::url_encode(&scope)
        ),
        Some(flash),
    ))
}

pub async fn revoke(
    req: HttpRequest,
    crate::web::extract::PageUser(actor): crate::web::extract::PageUser,
    id: web::Path<i64>,
    crate::web::extract::SafeForm(_): crate::web::extract::SafeForm<crate::web::pages::NoFields>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now) = (id.into_inner(), ctx.state.now());
    ctx.state
        .pool
        .tx(move |conn| fidelity::review::revoke(conn, &actor, id, now))
        .await?;
    Ok(crate::web::render::see_other(
        "/fidelity#review",
        Some("flash.review_revoked"),
    ))
}

/// Review packs: made and revoked by the team, read by reviewers through a secret link.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/review/{secret}", web::get().to(show))
        .route("/fidelity/review-packs", web::post().to(make))
        .route("/fidelity/review-packs/{id}/revoke", web::post().to(revoke));
}
