//! The fidelity page: the figures for a period and a scope, each with its score, how it
//! was scored and a link to the records; charts with tables beside them; CSV export.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::fidelity::{self, Item, Report};
use crate::domain::users::{list_org_users, list_teams, Role};
use crate::error::AppError;
use crate::i18n::format_date;
use crate::i18n::format_decimal;
use crate::web::api::fidelity::FidelityQuery;
use crate::web::charts::{Bar, BarChart};
use crate::web::csv_out::SafeCsv;
use crate::web::extract::PageUser;
use crate::web::render::{options, Opt, PageCtx};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    from: Option<String>,
    to: Option<String>,
    /// "org", "team:ID" or "user:ID".
    scope: Option<String>,
}

impl PageQuery {
    fn api(&self) -> FidelityQuery {
        let scope = self.scope.as_deref().unwrap_or("org");
        let id = |p: &str| scope.strip_prefix(p).and_then(|v| v.parse().ok());
        FidelityQuery {
            from: self.from.clone(),
            to: self.to.clone(),
            team_id: id("team:"),
            specialist_id: id("user:"),
        }
    }
}

fn pct(v: f64) -> String {
    // Finnish, Swedish and English alike: "67 %" (a space before the sign in fi/sv).
    format!("{:.0} %", v * 100.0)
}

/// The value as people read it, by item.
pub fn shown(ctx: &PageCtx, it: &Item) -> String {
    match it.value {
        None => ctx.t("fidelity.no_data"),
        Some(v) => match it.key {
            "employer_contacts_per_week" => format_decimal(ctx.lang, v, 1),
            "rapid_job_search_days" => {
                crate::i18n::t_args(ctx.lang, "fidelity.days", &[("n", format!("{v:.0}"))])
            }
            "caseload" => format_decimal(ctx.lang, v, 1),
            _ => pct(v),
        },
    }
}

/// Where the records behind a figure are.
fn records_link(it: &Item, r: &Report) -> Option<String> {
    let (from, to) = (r.period.from, r.period.to);
    match it.key {
        "employer_contacts_per_week" | "employer_contact_quality" | "individualized_job_search" => {
            Some(format!("/outreach?who=all&from={from}&to={to}"))
        }
        "rapid_job_search_days" | "caseload" => Some("/clients?specialist=all".into()),
        _ => Some("/clients?specialist=all&status=working".into()),
    }
}

/// A figure with its score and how it was scored (the fidelity page and review packs).
#[derive(Serialize)]
pub struct FigureLine {
    key: &'static str,
    label: String,
    value: String,
    score: Option<u8>,
    note: String,
}

impl FigureLine {
    pub fn of(ctx: &PageCtx, it: &Item) -> Self {
        Self {
            key: it.key,
            label: ctx.t(&format!("fidelity.item.{}", it.key)),
            value: shown(ctx, it),
            score: it.score,
            note: it.note(ctx.lang),
        }
    }
}

/// One specialist's share of the contacts-per-week figure, as the domain puts it in the
/// item's detail (`domain::fidelity::figures`).
#[derive(Deserialize, Default)]
#[serde(default)]
struct SpecialistFigure {
    user_id: i64,
    contacts: usize,
    per_week: f64,
    searching: usize,
    target: f64,
    score: u8,
}

/// The specialists behind the contacts-per-week figure (none when it is not there).
fn specialist_figures(r: &Report) -> Vec<SpecialistFigure> {
    r.items
        .iter()
        .find(|i| i.key == "employer_contacts_per_week")
        .and_then(|i| serde_json::from_value(i.detail["specialists"].clone()).ok())
        .unwrap_or_default()
}

pub async fn show(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let q = q.into_inner();
    let (period, scope) = q.api().parse(ctx.state.today())?;
    let (t, tz, a) = (
        ctx.state.settings.fidelity,
        ctx.state.settings.timezone,
        actor.clone(),
    );
    let lead = matches!(actor.role, Role::TeamLead | Role::Admin);
    let now = ctx.state.now();
    let (r, out, users, teams, packs) = ctx
        .state
        .pool
        .run(move |conn| {
            let packs = if lead {
                fidelity::review::list(conn, &a)?
                    .into_iter()
                    .filter(|p| p.revoked_at.is_none() && p.expires_at > now)
                    .collect()
            } else {
                Vec::new()
            };
            Ok((
                fidelity::report(conn, &a, scope, period, &t, tz)?,
                fidelity::outcomes::outcomes(conn, &a, scope, period)?,
                list_org_users(conn, a.org_id)?,
                list_teams(conn, a.org_id)?,
                packs,
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
    let rows = r
        .items
        .iter()
        .map(|it| FigureRow {
            figure: FigureLine::of(&ctx, it),
            link: records_link(it, &r),
        })
        .collect();
    let charts = charts(&ctx, &r, &name_of, t.employer_contacts_per_week[0]);
    let current = q.scope.clone().unwrap_or_else(|| "org".into());
    let mut scopes = vec![("org".to_string(), ctx.t("fidelity.organisation"))];
    scopes.extend(teams.iter().map(|(id, n)| {
        (
            format!("team:{id}"),
            format!("{}: {n}", ctx.t("fidelity.team")),
        )
    }));
    scopes.extend(
        users
            .iter()
            .filter(|u| Role::DEVELOPERS.contains(&u.role))
            .map(|u| (format!("user:{}", u.id), u.display_name.clone())),
    );
    let query = format!("from={}&to={}&scope={}", period.from, period.to, current);
    let specialists = specialist_figures(&r)
        .into_iter()
        .map(|s| SpecialistLine {
            name: name_of(s.user_id),
            contacts: s.contacts,
            per_week: s.per_week,
            target: s.target,
            searching: s.searching,
            score: s.score,
        })
        .collect();
    let packs = packs
        .iter()
        .map(|p| PackLine {
            id: p.id,
            url: format!("{}{}", ctx.origin(), p.path()),
            period: format!(
                "{} – {}",
                format_date(ctx.lang, p.period_from),
                format_date(ctx.lang, p.period_to)
            ),
            expires: ctx.datetime(p.expires_at),
        })
        .collect();
    let view = ShowView {
        nav_fidelity: true,
        form: PeriodForm {
            from: period.from.to_string(),
            to: period.to.to_string(),
        },
        period: format!(
            "{} – {}",
            format_date(ctx.lang, period.from),
            format_date(ctx.lang, period.to)
        ),
        scopes: options(scopes, Some(&current)),
        rows,
        charts,
        specialists,
        outcomes: OutcomesView::of(&ctx, &out),
        lead,
        scope_value: current,
        packs,
        csv: format!("/fidelity.csv?{query}"),
        log_csv: format!("/fidelity/contact-log.csv?{query}"),
    };
    ctx.ok("fidelity/show", &ctx.t("fidelity.title"), view)
}

#[derive(Serialize)]
struct ShowView<'a> {
    nav_fidelity: bool,
    form: PeriodForm,
    period: String,
    scopes: Vec<Opt>,
    rows: Vec<FigureRow>,
    charts: Vec<ChartView>,
    specialists: Vec<SpecialistLine>,
    outcomes: OutcomesView<'a>,
    /// A team lead or admin: review packs can be made and revoked.
    lead: bool,
    scope_value: String,
    packs: Vec<PackLine>,
    csv: String,
    log_csv: String,
}

/// The period as the filter form's dates (YYYY-MM-DD).
#[derive(Serialize)]
struct PeriodForm {
    from: String,
    to: String,
}

/// A figure and where its records are.
#[derive(Serialize)]
struct FigureRow {
    #[serde(flatten)]
    figure: FigureLine,
    link: Option<String>,
}

#[derive(Serialize)]
struct SpecialistLine {
    name: String,
    contacts: usize,
    per_week: f64,
    target: f64,
    searching: usize,
    score: u8,
}

/// A review pack still open, with its link.
#[derive(Serialize)]
struct PackLine {
    id: i64,
    url: String,
    period: String,
    expires: String,
}

pub fn charts(
    ctx: &PageCtx,
    r: &Report,
    name_of: &dyn Fn(i64) -> String,
    target: f64,
) -> Vec<ChartView> {
    let mut out = Vec::new();
    let by = |k: &str| r.items.iter().find(|i| i.key == k);
    if by("employer_contacts_per_week").is_some() {
        let bars: Vec<Bar> = specialist_figures(r)
            .iter()
            .map(|s| Bar {
                label: name_of(s.user_id),
                value: s.per_week,
                text: format_decimal(ctx.lang, s.per_week, 1),
            })
            .collect();
        let title = ctx.t("fidelity.chart_contacts");
        let desc = ctx.t("fidelity.chart_contacts_desc");
        out.push(ChartView::of(
            &title,
            BarChart {
                id: "contacts",
                lang: ctx.lang,
                title: &title,
                description: &desc,
                bars,
                target: Some((
                    target,
                    ctx.t("fidelity.target")
                        .replace("{n}", &format!("{target}")),
                )),
                max: None,
            },
        ));
    }
    if let Some(it) = by("rapid_job_search_days") {
        let d = &it.detail["distribution"];
        let b = it.detail["bounds"].as_array().cloned().unwrap_or_default();
        let bound = |i: usize| b.get(i).and_then(|x| x.as_f64()).unwrap_or_default();
        let labels = [
            ("a_within_first_bound", format!("≤ {}", bound(0))),
            ("b_within_second_bound", format!("≤ {}", bound(1))),
            ("c_within_third_bound", format!("≤ {}", bound(2))),
            ("d_within_fourth_bound", format!("≤ {}", bound(3))),
            ("e_beyond", format!("> {}", bound(3))),
        ];
        let mut bars: Vec<Bar> = labels
            .iter()
            .map(|(k, l)| {
                let n = d[*k].as_f64().unwrap_or_default();
                Bar {
                    label: format!("{l} {}", ctx.t("fidelity.days_short")),
                    value: n,
                    text: format!("{n:.0}"),
                }
            })
            .collect();
        let waiting = it.detail["without_contact"].as_f64().unwrap_or_default();
        bars.push(Bar {
            label: ctx.t("fidelity.no_contact_yet"),
            value: waiting,
            text: format!("{waiting:.0}"),
        });
        let title = ctx.t("fidelity.chart_rapid");
        let desc = ctx.t("fidelity.chart_rapid_desc");
        out.push(ChartView::of(
            &title,
            BarChart {
                id: "rapid",
                lang: ctx.lang,
                title: &title,
                description: &desc,
                bars,
                target: None,
                max: None,
            },
        ));
    }
    let shares: Vec<Bar> = [
        "diversity_job_types",
        "diversity_employers",
        "competitive_jobs",
        "follow_along",
    ]
    .iter()
    .filter_map(|k| by(k))
    .map(|it| {
        let v = it.value.unwrap_or_default() * 100.0;
        Bar {
            label: ctx.t(&format!("fidelity.short.{}", it.key)),
            value: v,
            text: it.value.map(pct).unwrap_or_else(|| "–".into()),
        }
    })
    .collect();
    let title = ctx.t("fidelity.chart_diversity");
    let desc = ctx.t("fidelity.chart_diversity_desc");
    out.push(ChartView::of(
        &title,
        BarChart {
            id: "diversity",
            lang: ctx.lang,
            title: &title,
            description: &desc,
            bars: shares,
            target: Some((85.0, ctx.t("fidelity.target").replace("{n}", "85 %"))),
            max: Some(100.0),
        },
    ));
    out
}

/// A chart and the table of its numbers, shown beside it.
#[derive(Serialize)]
pub struct ChartView {
    title: String,
    svg: String,
    rows: Vec<ChartRow>,
}

#[derive(Serialize)]
struct ChartRow {
    label: String,
    text: String,
}

impl ChartView {
    fn of(title: &str, c: BarChart) -> Self {
        Self {
            title: title.to_string(),
            svg: c.svg(),
            rows: c
                .bars
                .into_iter()
                .map(|b| ChartRow {
                    label: b.label,
                    text: b.text,
                })
                .collect(),
        }
    }
}

/// The figures as CSV: key, label, value, score, thresholds.
pub async fn csv(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (period, scope) = q.into_inner().api().parse(ctx.state.today())?;
    let (t, tz) = (ctx.state.settings.fidelity, ctx.state.settings.timezone);
    let r = ctx
        .state
        .pool
        .run(move |conn| fidelity::report(conn, &actor, scope, period, &t, tz))
        .await?;
    let mut w = SafeCsv::default();
    w.row(["key", "item", "from", "to", "value", "score", "thresholds"])?;
    for it in &r.items {
        w.row([
            it.key.to_string(),
            ctx.t(&format!("fidelity.item.{}", it.key)),
            r.period.from.to_string(),
            r.period.to.to_string(),
            it.value.map(|v| v.to_string()).unwrap_or_default(),
            it.score.map(|v| v.to_string()).unwrap_or_default(),
            it.note(ctx.lang),
        ])?;
    }
    w.response(&format!("fidelity-{}-{}.csv", r.period.from, r.period.to))
}

/// The contact log of the period and scope as CSV. Job seekers appear only as
/// pseudonymous ids (J-<number>), never by name.
pub async fn contact_log_csv(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (period, scope) = q.into_inner().api().parse(ctx.state.today())?;
    let tz = ctx.state.settings.timezone;
    let rows = ctx
        .state
        .pool
        .run(move |conn| fidelity::export::contact_log(conn, &actor, scope, period, tz))
        .await?;
    let mut w = SafeCsv::default();
    w.row([
        "date",
        "time",
        "specialist",
        "employer",
        "channel",
        "visit_kind",
        "met_hiring_authority",
        "on_behalf_of",
        "job_seekers",
        "purpose",
        "learned",
        "next_step",
        "planned",
    ])?;
    for r in rows {
        w.row([
            r.date,
            r.time,
            r.specialist,
            r.employer,
            r.channel.to_string(),
            r.visit_kind.to_string(),
            r.met_hiring_authority.to_string(),
            r.on_behalf_of.to_string(),
            r.job_seekers,
            r.purpose.to_string(),
            r.learned,
            r.next_step,
            r.planned.to_string(),
        ])?;
    }
    w.response(&format!("contact-log-{}-{}.csv", period.from, period.to))
}

/// The outcomes section: job starts over time as a chart with its table, the cohorts, the
/// hours worked and everyone's status.
#[derive(Serialize)]
pub struct OutcomesView<'a> {
    chart: String,
    chart_title: String,
    months: &'a [fidelity::outcomes::Month],
    within_6: CohortView,
    within_12: CohortView,
    lasting: LastingView,
    hours: Vec<CountLine>,
    statuses: Vec<CountLine>,
}

/// Job seekers who got a job within so many months of intake.
#[derive(Serialize)]
struct CohortView {
    people: usize,
    got: usize,
    share: String,
}

/// Jobs started 90 days ago and how many of them lasted.
#[derive(Serialize)]
struct LastingView {
    jobs: usize,
    lasted: usize,
    share: String,
}

/// How many people are in a band or a status.
#[derive(Serialize)]
struct CountLine {
    label: String,
    n: usize,
}

impl<'a> OutcomesView<'a> {
    pub fn of(ctx: &PageCtx, o: &'a fidelity::outcomes::Outcomes) -> Self {
        let bars: Vec<Bar> = o
            .months
            .iter()
            .map(|m| Bar {
                label: m.month.clone(),
                value: m.job_starts as f64,
                text: m.job_starts.to_string(),
            })
            .collect();
        let title = ctx.t("outcomes.chart_starts");
        let desc = ctx.t("outcomes.chart_starts_desc");
        let share = |s: Option<f64>| s.map(pct).unwrap_or_else(|| "–".into());
        let cohort = |c: &fidelity::outcomes::Cohort| CohortView {
            people: c.people,
            got: c.got_a_job,
            share: share(c.share),
        };
        let chart = BarChart {
            id: "starts",
            lang: ctx.lang,
            title: &title,
            description: &desc,
            bars,
            target: None,
            max: None,
        }
        .svg();
        Self {
            chart,
            chart_title: title,
            months: &o.months,
            within_6: cohort(&o.job_within_6_months),
            within_12: cohort(&o.job_within_12_months),
            lasting: LastingView {
                jobs: o.jobs_started_90_days_ago,
                lasted: o.jobs_lasting_90_days,
                share: share(o.jobs_lasting_90_days_share),
            },
            hours: fidelity::outcomes::HoursBand::ALL
                .iter()
                .map(|k| CountLine {
                    label: ctx.t(k.label_key()),
                    n: o.hours.get(k.as_str()).copied().unwrap_or(0),
                })
                .collect(),
            statuses: crate::domain::clients::ClientStatus::ALL
                .iter()
                .map(|s| CountLine {
                    label: ctx.t(s.label_key()),
                    n: o.statuses.get(s.as_str()).copied().unwrap_or(0),
                })
                .collect(),
        }
    }
}

/// The fidelity page and its CSV files; the agenda and review packs have their own.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/fidelity", web::get().to(show))
        .route("/fidelity.csv", web::get().to(csv))
        .route("/fidelity/contact-log.csv", web::get().to(contact_log_csv));
}
