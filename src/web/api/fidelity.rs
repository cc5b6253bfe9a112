//! `GET /api/v1/fidelity?from=&to=[&team_id=|&specialist_id=]`: the IPS fidelity figures.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::fidelity::{self, Period, Scope};
use crate::domain::outreach::parse_date;
use crate::error::{AppError, FieldErrors, Msg};
use crate::web::api::registry::Registry;
use crate::web::extract::ApiUser;
use crate::web::json_body::Json;
use crate::web::query::Query;

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct FidelityQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub team_id: Option<i64>,
    pub specialist_id: Option<i64>,
}

impl FidelityQuery {
    /// The period (default: the last four full weeks) and the scope.
    pub fn parse(&self, today: chrono::NaiveDate) -> Result<(Period, Scope), AppError> {
        let mut e = FieldErrors::default();
        let default = Period::default_for(today);
        let mut day =
            |field: &str, v: &Option<String>, d| match v.as_deref().filter(|s| !s.is_empty()) {
                None => d,
                Some(s) => parse_date(s).unwrap_or_else(|| {
                    e.add(field, Msg::new("error.date"));
                    d
                }),
            };
        let from = day("from", &self.from, default.from);
        let to = day("to", &self.to, default.to);
        let scope = match (self.team_id, self.specialist_id) {
            (Some(_), Some(_)) => {
                e.add("team_id", Msg::new("error.one_scope"));
                Scope::Organisation
            }
            (Some(t), None) => Scope::Team(t),
            (None, Some(s)) => Scope::Specialist(s),
            (None, None) => Scope::Organisation,
        };
        e.into_result()?;
        Ok((Period::new(from, to)?, scope))
    }
}

pub async fn get(
    st: web::Data<AppState>,
    req: actix_web::HttpRequest,
    ApiUser(actor): ApiUser,
    q: Query<FidelityQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = crate::web::extract::negotiate_lang(&req, st.settings.default_lang);
    let (period, scope) = q.parse(st.today())?;
    let (t, tz) = (st.settings.fidelity, st.settings.timezone);
    let r = st
        .pool
        .run(move |conn| fidelity::report(conn, &actor, scope, period, &t, tz))
        .await?;
    Ok(HttpResponse::Ok().json(fidelity::with_notes(r, lang)))
}

/// `GET /api/v1/outcomes?from=&to=[&team_id=|&specialist_id=]`: employment outcomes.
pub async fn outcomes(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: Query<FidelityQuery>,
) -> Result<HttpResponse, AppError> {
    let (period, scope) = q.parse(st.today())?;
    let r = st
        .pool
        .run(move |conn| fidelity::outcomes::outcomes(conn, &actor, scope, period))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}

/// `POST /api/v1/review-packs {from, to, team_id | specialist_id, days_valid}`.
pub async fn create_pack(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: Json<fidelity::review::PackInput>,
) -> Result<HttpResponse, AppError> {
    let input = body.into_inner();
    let q = FidelityQuery {
        from: input.from.clone(),
        to: input.to.clone(),
        team_id: input.team_id,
        specialist_id: input.specialist_id,
    };
    let (period, scope) = q.parse(st.today())?;
    let now = st.now();
    let pack = st
        .pool
        .tx(move |conn| {
            fidelity::review::create(conn, &actor, period, scope, input.days_valid, now)
        })
        .await?;
    // From the configured address: a Host header is the caller's to choose.
    let url = format!("{}{}", st.settings.mail.base_url, pack.path());
    // No Location: a pack is read at its secret address (`url`), not through the API.
    Ok(HttpResponse::Created().json(PackCreated { pack, url }))
}

/// A new review pack and the secret address to give the reviewer.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct PackCreated {
    pack: fidelity::review::Pack,
    url: String,
}

pub async fn list_packs(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<HttpResponse, AppError> {
    let items = st
        .pool
        .run(move |conn| fidelity::review::list(conn, &actor))
        .await?;
    Ok(crate::web::api::list_body(&items, None))
}

pub async fn revoke_pack(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, now) = (id.into_inner(), st.now());
    st.pool
        .tx(move |conn| fidelity::review::revoke(conn, &actor, id, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AgendaQuery {
    pub week: Option<String>,
}

/// The week as the agenda takes it; by default the week of the next meeting (today's
/// included).
pub fn agenda_week(
    q: &Option<String>,
    today: chrono::NaiveDate,
    weekday: chrono::Weekday,
) -> Result<crate::domain::week::Week, AppError> {
    match q.as_deref().filter(|s| !s.is_empty()) {
        None => {
            let w = crate::domain::week::Week::of(today);
            Ok(if fidelity::agenda::meeting_day(w, weekday) < today {
                w.next()
            } else {
                w
            })
        }
        Some(s) => crate::domain::week::Week::parse(s)
            .map_err(|m| AppError::Validation(FieldErrors::single("week", m))),
    }
}

/// `GET /api/v1/teams/{id}/agenda?week=2026-W49`: the weekly team meeting agenda.
pub async fn agenda(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    team: web::Path<i64>,
    q: Query<AgendaQuery>,
) -> Result<HttpResponse, AppError> {
    let week = agenda_week(&q.week, st.today(), st.settings.meeting_weekday)?;
    let (team, s, now) = (team.into_inner(), st.settings.clone(), st.now());
    let a = st
        .pool
        .run(move |conn| {
            let ctx = fidelity::agenda::AgendaCtx {
                rules: &s.rules,
                thresholds: &s.fidelity,
                matching: &s.matching,
                weekday: s.meeting_weekday,
                now,
            };
            fidelity::agenda::agenda(conn, &actor, team, week, &ctx)
        })
        .await?;
    Ok(HttpResponse::Ok().json(a))
}

/// Fidelity figures, outcomes, the team agenda and review packs.
pub fn routes(r: &mut Registry) {
    use crate::domain::fidelity::{self, agenda::Agenda, outcomes::Outcomes, review::Pack};
    r.tag("Fidelity");
    r.get("/fidelity", get)
        .summary("The IPS-25 job development figures for a period")
        .ok::<fidelity::Report>();
    r.get("/outcomes", outcomes)
        .summary("Employment outcomes for a period")
        .ok::<Outcomes>();
    r.get("/teams/{id}/agenda", agenda)
        .summary("The team meeting's agenda for a week")
        .ok::<Agenda>();
    r.get("/review-packs", list_packs)
        .summary("Review packs shared with reviewers (team lead, admin)")
        .page::<Pack>();
    r.post("/review-packs", create_pack)
        .summary("Share a period's figures with a reviewer by a secret address")
        .created::<PackCreated>()
        .id_at("/pack/id");
    r.delete("/review-packs/{id}", revoke_pack)
        .summary("Revoke a review pack")
        .no_content();
}
