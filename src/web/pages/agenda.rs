//! The weekly team meeting agenda, printable: new leads and who they fit, job seekers
//! waiting for an employer contact, follow-ups due, the last contact day, the figures.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::fidelity;
use crate::domain::users::{list_org_users, list_teams};
use crate::error::AppError;
use crate::i18n::format_date;
use crate::web::api::fidelity::agenda_week;
use crate::web::extract::PageUser;
use crate::web::pages::fidelity::shown;
use crate::web::render::{options, Opt, PageCtx};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AgendaPage {
    team_id: Option<i64>,
    week: Option<String>,
}

pub async fn show(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<AgendaPage>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let q = q.into_inner();
    let week = agenda_week(
        &q.week,
        ctx.state.today(),
        ctx.state.settings.meeting_weekday,
    )?;
    let (s, now, a) = (ctx.state.settings.clone(), ctx.state.now(), actor.clone());
    let team = q.team_id.or(actor.team_id);
    let (agenda, users, teams) = ctx
        .state
        .pool
        .run(move |conn| {
            let teams = list_teams(conn, a.org_id)?;
            let team = team
                .or(teams.first().map(|t| t.0))
                .ok_or(AppError::NotFound)?;
            let c = fidelity::agenda::AgendaCtx {
                rules: &s.rules,
                thresholds: &s.fidelity,
                matching: &s.matching,
                weekday: s.meeting_weekday,
                now,
            };
            Ok((
                fidelity::agenda::agenda(conn, &a, team, week, &c)?,
                list_org_users(conn, a.org_id)?,
                teams,
            ))
        })
        .await?;
    let name_of = |id: i64| {
        users
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.display_name.clone())
            .unwrap_or_default()
    };
    let d = |x| format_date(ctx.lang, x);
    let today = ctx.state.today();
    let wk =
        |w: crate::domain::week::Week| crate::i18n::format_week(ctx.lang, w.year, w.week, today);
    let team_str = agenda.team_id.to_string();
    let view = AgendaView {
        nav_team: true,
        teams: options(
            teams.iter().map(|(id, n)| (id.to_string(), n.clone())),
            Some(&team_str),
        ),
        week: agenda.week.clone(),
        prev: week.prev().label(),
        next: week.next().label(),
        week_title: wk(week),
        prev_title: wk(week.prev()),
        next_title: wk(week.next()),
        team_id: agenda.team_id,
        meeting_on: d(agenda.meeting_on),
        since: d(agenda.since),
        new_leads: agenda
            .new_leads
            .iter()
            .map(|l| NewLeadLine {
                id: l.lead_id,
                title: l.title.clone(),
                employer: l.employer.clone(),
                matches: l
                    .matches
                    .iter()
                    .map(|(name, score)| Fit {
                        name: name.clone(),
                        score: *score,
                    })
                    .collect(),
            })
            .collect(),
        waiting: agenda
            .waiting
            .iter()
            .map(|w| WaitingLine {
                id: w.client_id,
                name: w.name.clone(),
                specialist: name_of(w.specialist_id),
                days: w.searching_days,
                last: w.last_contact.map(d),
            })
            .collect(),
        follow_ups: agenda
            .follow_ups
            .iter()
            .map(|f| FollowUpLine {
                employer_id: f.employer_id,
                employer: f.employer.clone(),
                title: f.title.clone(),
                due: d(f.due_on),
                who: name_of(f.assignee_id),
            })
            .collect(),
        last_day: agenda.last_contact_day.as_ref().map(|l| LastDay {
            id: l.contact_day_id,
            day: d(l.day),
            contacts: l.contacts,
            meetings: l.meetings_booked,
            leads: l.leads_found,
        }),
        fidelity: agenda
            .fidelity
            .iter()
            .map(|it| Figure {
                label: ctx.t(&format!("fidelity.item.{}", it.key)),
                value: shown(&ctx, it),
                score: it.score,
            })
            .collect(),
    };
    ctx.ok("fidelity/agenda", &ctx.t("agenda.title"), view)
}

#[derive(Serialize)]
struct AgendaView {
    nav_team: bool,
    teams: Vec<Opt>,
    /// The meeting's week, and the weeks before and after it ("2026-W47").
    week: String,
    prev: String,
    next: String,
    /// The same weeks as the reader writes them ("vk 47").
    week_title: String,
    prev_title: String,
    next_title: String,
    team_id: i64,
    meeting_on: String,
    /// Leads are new since this day.
    since: String,
    new_leads: Vec<NewLeadLine>,
    waiting: Vec<WaitingLine>,
    follow_ups: Vec<FollowUpLine>,
    last_day: Option<LastDay>,
    fidelity: Vec<Figure>,
}

/// A new lead and the job seekers it fits.
#[derive(Serialize)]
struct NewLeadLine {
    id: i64,
    title: String,
    employer: String,
    matches: Vec<Fit>,
}

#[derive(Serialize)]
struct Fit {
    name: String,
    score: f64,
}

/// A job seeker waiting for an employer contact.
#[derive(Serialize)]
struct WaitingLine {
    id: i64,
    name: String,
    specialist: String,
    days: i64,
    last: Option<String>,
}

#[derive(Serialize)]
struct FollowUpLine {
    employer_id: i64,
    employer: String,
    title: String,
    due: String,
    who: String,
}

/// The last contact day and what came of it.
#[derive(Serialize)]
struct LastDay {
    id: i64,
    day: String,
    contacts: i64,
    meetings: i64,
    leads: i64,
}

/// A fidelity figure with its score.
#[derive(Serialize)]
struct Figure {
    label: String,
    value: String,
    score: Option<u8>,
}

/// The team's fidelity agenda.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/agenda", web::get().to(show));
}
