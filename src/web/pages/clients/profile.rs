//! The vocational profile form, its history and the work history.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::clients::profile::{self, Profile};
use crate::domain::clients::{self};
use crate::domain::closed_set::Choice;
use crate::domain::occupations::OCCUPATIONS;
use crate::domain::reference::{Industry, MUNICIPALITIES};
use crate::domain::users::Actor;
use crate::domain::versioning::Expected;
use crate::error::{AppError, FieldErrors};
use crate::i18n::format_date;
use crate::i18n::Lang;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::field::{Field, FormDate};
use crate::web::pages::schedule::{ScheduleTicks, Tick};
use crate::web::pages::{filled, views};
use crate::web::render::{see_other, submit, Messages, Opt, PageCtx};

/// The profile as the job seeker's page and the history show it.
#[derive(Serialize)]
pub(super) struct ProfileView {
    version: i32,
    occupations: Vec<String>,
    job_wishes: String,
    hours: Option<String>,
    days: String,
    shifts: String,
    home: Option<String>,
    /// Further acceptable municipalities, by name.
    areas: String,
    industries_wanted: String,
    industries_avoided: String,
    max_commute_km: Option<i32>,
    strengths: String,
    support_needs: String,
    goals: String,
    skills: String,
}

impl ProfileView {
    pub(super) fn of(ctx: &PageCtx, version: i32, p: &Profile) -> Self {
        let labels = |keys: Vec<&str>, sep: &str| {
            keys.into_iter()
                .map(|k| ctx.t(k))
                .collect::<Vec<_>>()
                .join(sep)
        };
        Self {
            version,
            occupations: p
                .occupations
                .iter()
                .map(|o| OCCUPATIONS.label(o, ctx.lang))
                .collect(),
            job_wishes: p.job_wishes.clone(),
            hours: match (p.hours_min, p.hours_max) {
                (Some(a), Some(b)) => Some(format!("{a}–{b} h")),
                (Some(a), None) => Some(format!("≥ {a} h")),
                (None, Some(b)) => Some(format!("≤ {b} h")),
                _ => None,
            },
            days: labels(
                p.days
                    .iter()
                    .filter_map(Choice::known)
                    .map(|d| d.label_key())
                    .collect(),
                " ",
            ),
            shifts: labels(
                p.shifts
                    .iter()
                    .filter_map(Choice::known)
                    .map(|s| s.label_key())
                    .collect(),
                ", ",
            ),
            home: views::municipality_name(ctx, p.home_municipality_code.as_deref()),
            areas: p
                .work_municipality_codes
                .iter()
                .filter_map(|c| views::municipality_name(ctx, Some(c)))
                .collect::<Vec<_>>()
                .join(", "),
            industries_wanted: labels(
                p.industries_wanted
                    .iter()
                    .filter_map(Choice::known)
                    .map(|i| i.label_key())
                    .collect(),
                ", ",
            ),
            industries_avoided: labels(
                p.industries_avoided
                    .iter()
                    .filter_map(Choice::known)
                    .map(|i| i.label_key())
                    .collect(),
                ", ",
            ),
            max_commute_km: p.max_commute_km,
            strengths: p.strengths.clone(),
            support_needs: p.support_needs.clone(),
            goals: p.goals.clone(),
            skills: p.skills.join(", "),
        }
    }
}

/// The profile form: lists as comma-separated text, days and shifts as ticks.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct ProfileForm {
    /// The version the form was filled from.
    version: String,
    /// Occupations separated by semicolons: "9112 Siivoojat; kokki".
    occupations: String,
    /// Further acceptable municipalities by name, separated by commas.
    work_municipality_codes: String,
    /// Industry ticks: `iw_<letter>` wanted, `ia_<letter>` avoided.
    #[serde(flatten)]
    industry_ticks: std::collections::BTreeMap<String, String>,
    job_wishes: String,
    hours_min: Field<i32>,
    hours_max: Field<i32>,
    home_municipality_code: String,
    max_commute_km: Field<i32>,
    means_of_travel: String,
    earliest_start: Field<FormDate>,
    wage_wish: String,
    strengths: String,
    skills: String,
    education: String,
    support_needs: String,
    personal_network_leads: String,
    goals: String,
    #[serde(flatten)]
    ticks: ScheduleTicks,
}

/// Occupations as typed: separated by semicolons (titles hold commas), or by commas
/// when a piece does not begin with a code ("siivooja, kokki").
fn occupations_of(s: &str) -> Vec<String> {
    s.split([';', '\n'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .flat_map(|piece| {
            let coded = piece
                .split_whitespace()
                .next()
                .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
            if coded {
                vec![piece.to_string()]
            } else {
                list_of(piece)
            }
        })
        .collect()
}

/// The industries ticked with `prefix` ("iw_" or "ia_"), in TOL order.
fn industries_ticked(
    ticks: &std::collections::BTreeMap<String, String>,
    prefix: &str,
) -> Vec<Choice<Industry>> {
    Industry::ALL
        .iter()
        .filter(|i| {
            ticks
                .get(&format!("{prefix}{}", i.as_str()))
                .is_some_and(|v| !v.is_empty())
        })
        .map(|i| Choice::Known(*i))
        .collect()
}

fn list_of(s: &str) -> Vec<String> {
    s.split([',', ';'])
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

impl ProfileForm {
    fn to_profile(&self, keep: &Profile) -> Result<Profile, AppError> {
        let mut e = FieldErrors::default();
        let hours_min = self.hours_min.read(&mut e, "hours_min", "error.number");
        let hours_max = self.hours_max.read(&mut e, "hours_max", "error.number");
        let max_commute_km = self
            .max_commute_km
            .read(&mut e, "max_commute_km", "error.number");
        let earliest_start = self
            .earliest_start
            .read(&mut e, "earliest_start", "error.date")
            .map(|d| d.0);
        e.into_result()?;
        Ok(Profile {
            occupations: occupations_of(&self.occupations),
            job_wishes: self.job_wishes.trim().to_string(),
            industries_wanted: industries_ticked(&self.industry_ticks, "iw_"),
            industries_avoided: industries_ticked(&self.industry_ticks, "ia_"),
            avoid_employer_ids: keep.avoid_employer_ids.clone(),
            hours_min,
            hours_max,
            days: self.ticks.days(),
            shifts: self.ticks.shifts(),
            home_municipality_code: filled(&self.home_municipality_code),
            work_municipality_codes: list_of(&self.work_municipality_codes),
            max_commute_km,
            means_of_travel: self.means_of_travel.trim().to_string(),
            earliest_start,
            wage_wish: filled(&self.wage_wish),
            strengths: self.strengths.trim().to_string(),
            skills: list_of(&self.skills),
            education: self.education.trim().to_string(),
            work_history: keep.work_history.clone(),
            support_needs: self.support_needs.trim().to_string(),
            personal_network_leads: self.personal_network_leads.trim().to_string(),
            goals: self.goals.trim().to_string(),
        })
    }

    fn from_profile(p: &Profile, lang: Lang) -> Self {
        let mut industry_ticks = std::collections::BTreeMap::new();
        for (prefix, list) in [
            ("iw_", &p.industries_wanted),
            ("ia_", &p.industries_avoided),
        ] {
            for i in list.iter().filter_map(Choice::known) {
                industry_ticks.insert(format!("{prefix}{}", i.as_str()), "on".to_string());
            }
        }
        Self {
            version: String::new(),
            occupations: p
                .occupations
                .iter()
                .map(|o| OCCUPATIONS.label(o, lang))
                .collect::<Vec<_>>()
                .join("; "),
            work_municipality_codes: p
                .work_municipality_codes
                .iter()
                .filter_map(|c| MUNICIPALITIES.get(c))
                .map(|m| m.name(lang).to_string())
                .collect::<Vec<_>>()
                .join(", "),
            industry_ticks,
            job_wishes: p.job_wishes.clone(),
            hours_min: p.hours_min.into(),
            hours_max: p.hours_max.into(),
            home_municipality_code: p.home_municipality_code.clone().unwrap_or_default(),
            max_commute_km: p.max_commute_km.into(),
            means_of_travel: p.means_of_travel.clone(),
            earliest_start: p.earliest_start.map(FormDate).into(),
            wage_wish: p.wage_wish.clone().unwrap_or_default(),
            strengths: p.strengths.clone(),
            skills: p.skills.join(", "),
            education: p.education.clone(),
            support_needs: p.support_needs.clone(),
            personal_network_leads: p.personal_network_leads.clone(),
            goals: p.goals.clone(),
            ticks: ScheduleTicks::of(
                &p.days.iter().filter_map(Choice::known).collect::<Vec<_>>(),
                &p.shifts
                    .iter()
                    .filter_map(Choice::known)
                    .collect::<Vec<_>>(),
            ),
        }
    }
}

async fn render_profile(
    ctx: &PageCtx,
    actor: &Actor,
    id: i64,
    form: &ProfileForm,
    errors: Option<FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let (a, tz) = (actor.clone(), ctx.state.settings.timezone);
    let (c, history_rows) = ctx
        .state
        .pool
        .run(move |conn| {
            Ok((
                clients::get(conn, &a, id, tz)?,
                profile::history(conn, &a, id)?,
            ))
        })
        .await?;
    let (days, shifts) = form.ticks.views(ctx);
    let history = history_rows
        .iter()
        .map(|v| VersionLine {
            version: v.version,
            when: ctx.datetime(v.saved_at),
            who: v.saved_by.clone(),
            profile: ProfileView::of(ctx, v.version, &v.profile),
        })
        .collect();
    let view = ProfileFormView {
        nav_clients: true,
        client: ClientName {
            id: c.row.id,
            name: c.row.display_name.clone(),
        },
        form,
        errors: ctx.errors(errors.as_ref()),
        has_errors: errors.is_some(),
        days,
        shifts,
        municipalities: views::municipality_options(
            ctx,
            filled(&form.home_municipality_code).as_deref(),
        ),
        industries_wanted: industry_ticks(ctx, form, "iw_"),
        industries_avoided: industry_ticks(ctx, form, "ia_"),
        municipality_names: MUNICIPALITIES
            .sorted(ctx.lang)
            .into_iter()
            .map(|m| m.name(ctx.lang).to_string())
            .collect(),
        unit_groups: OCCUPATIONS
            .unit_groups(ctx.lang)
            .iter()
            .map(|(c, t)| UnitGroup { code: c, title: t })
            .collect(),
        work: current_work(ctx, &history_rows),
        history,
    };
    ctx.ok("clients/profile", &ctx.t("profile.title"), view)
}

#[derive(Serialize)]
struct ProfileFormView<'a> {
    nav_clients: bool,
    client: ClientName,
    form: &'a ProfileForm,
    errors: Messages,
    has_errors: bool,
    days: Vec<Tick>,
    shifts: Vec<Tick>,
    municipalities: Vec<Opt>,
    /// Names for the acceptable-municipalities field's suggestions.
    municipality_names: Vec<String>,
    industries_wanted: IndustryTicks,
    industries_avoided: IndustryTicks,
    unit_groups: Vec<UnitGroup<'a>>,
    work: Vec<WorkLine>,
    history: Vec<VersionLine>,
}

#[derive(Serialize)]
struct ClientName {
    id: i64,
    name: String,
}

/// The industries as ticks under one heading, with how many are ticked.
#[derive(Serialize)]
struct IndustryTicks {
    ticked: usize,
    ticks: Vec<Tick>,
}

fn industry_ticks(ctx: &PageCtx, form: &ProfileForm, prefix: &str) -> IndustryTicks {
    let ticks: Vec<Tick> = Industry::ALL
        .iter()
        .map(|i| {
            let name = format!("{prefix}{}", i.as_str());
            Tick {
                checked: form
                    .industry_ticks
                    .get(&name)
                    .is_some_and(|v| !v.is_empty()),
                name,
                label: ctx.t(i.label_key()),
                group: "industry",
            }
        })
        .collect();
    IndustryTicks {
        ticked: ticks.iter().filter(|t| t.checked).count(),
        ticks,
    }
}

#[derive(Serialize)]
struct UnitGroup<'a> {
    code: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct VersionLine {
    version: i32,
    when: String,
    who: Option<String>,
    profile: ProfileView,
}

/// One job in the work history, with its place in the list (to remove it).
#[derive(Serialize)]
struct WorkLine {
    index: usize,
    employer: String,
    title: String,
    occupation: Option<String>,
    from: Option<String>,
    to: Option<String>,
    went_well: String,
    why_ended: String,
}

pub async fn profile_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, a, tz) = (id.into_inner(), actor.clone(), ctx.state.settings.timezone);
    let now = ctx.state.now();
    // Opening the profile to edit is opening the record: the trail notes it.
    let (version, p) = ctx
        .state
        .pool
        .tx(move |conn| {
            clients::open(conn, &a, id, now, tz)?;
            profile::current(conn, &a, id)
        })
        .await?;
    let form = ProfileForm {
        version: version.to_string(),
        ..ProfileForm::from_profile(&p, ctx.lang)
    };
    render_profile(&ctx, &actor, id, &form, None).await
}

pub async fn profile_save(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(mut form): SafeForm<ProfileForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let expected = Expected::from_form(&form.version)?;
    let (id, a, tz, now) = (
        id.into_inner(),
        actor.clone(),
        ctx.state.settings.timezone,
        ctx.state.now(),
    );
    let f = form.clone();
    let result = ctx
        .state
        .pool
        .tx(move |conn| {
            clients::get(conn, &a, id, tz)?;
            let (_, keep) = profile::current(conn, &a, id)?;
            profile::save(conn, &a, id, f.to_profile(&keep)?, expected, now)
        })
        .await;
    crate::web::render::take_stored_version(&result, &mut form.version);
    submit(
        result,
        |_| see_other(&format!("/clients/{id}"), Some("flash.profile_saved")),
        |e| render_profile(&ctx, &actor, id, &form, Some(e)),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WorkForm {
    employer: String,
    title: String,
    occupation: String,
    from: String,
    to: String,
    went_well: String,
    why_ended: String,
}

/// Adds a job to the work history: a new profile version.
pub async fn work_add(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(f): SafeForm<WorkForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, a, tz, now) = (
        id.into_inner(),
        actor.clone(),
        ctx.state.settings.timezone,
        ctx.state.now(),
    );
    let date = |s: &str| filled(s).and_then(|d| crate::domain::outreach::parse_date(&d));
    let entry = profile::WorkHistory {
        employer: f.employer.trim().to_string(),
        title: f.title.trim().to_string(),
        occupation: filled(&f.occupation)
            .map(|o| o.split_whitespace().next().unwrap_or_default().to_string()),
        from: date(&f.from),
        to: date(&f.to),
        went_well: f.went_well.trim().to_string(),
        why_ended: f.why_ended.trim().to_string(),
    };
    let result = ctx
        .state
        .pool
        .tx(move |conn| {
            clients::get(conn, &a, id, tz)?;
            let (_, mut p) = profile::current(conn, &a, id)?;
            p.work_history.push(entry);
            profile::save(conn, &a, id, p, Expected::default(), now)
        })
        .await;
    match result {
        Ok(_) => Ok(see_other(
            &format!("/clients/{id}/profile#work"),
            Some("flash.profile_saved"),
        )),
        Err(AppError::Validation(_)) => Ok(see_other(
            &format!("/clients/{id}/profile#work"),
            Some("flash.work_failed"),
        )),
        Err(e) => Err(e),
    }
}

/// Removes one job from the work history: a new profile version.
pub async fn work_remove(
    req: HttpRequest,
    PageUser(actor): PageUser,
    path: web::Path<(i64, usize)>,
    SafeForm(_): SafeForm<crate::web::pages::NoFields>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let ((id, index), a, tz, now) = (
        path.into_inner(),
        actor.clone(),
        ctx.state.settings.timezone,
        ctx.state.now(),
    );
    ctx.state
        .pool
        .tx(move |conn| {
            clients::get(conn, &a, id, tz)?;
            let (_, mut p) = profile::current(conn, &a, id)?;
            if index >= p.work_history.len() {
                return Err(AppError::NotFound);
            }
            p.work_history.remove(index);
            profile::save(conn, &a, id, p, Expected::default(), now)
        })
        .await?;
    Ok(see_other(
        &format!("/clients/{id}/profile#work"),
        Some("flash.profile_saved"),
    ))
}

fn current_work(ctx: &PageCtx, history: &[profile::Version]) -> Vec<WorkLine> {
    let Some(v) = history.first() else {
        return Vec::new();
    };
    v.profile
        .work_history
        .iter()
        .enumerate()
        .map(|(i, w)| WorkLine {
            index: i,
            employer: w.employer.clone(),
            title: w.title.clone(),
            occupation: w.occupation.clone(),
            from: w.from.map(|d| format_date(ctx.lang, d)),
            to: w.to.map(|d| format_date(ctx.lang, d)),
            went_well: w.went_well.clone(),
            why_ended: w.why_ended.clone(),
        })
        .collect()
}

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/clients/{id}/profile", web::get().to(profile_form))
        .route("/clients/{id}/profile", web::post().to(profile_save))
        .route("/clients/{id}/profile/work", web::post().to(work_add))
        .route(
            "/clients/{id}/profile/work/{index}/delete",
            web::post().to(work_remove),
        );
}
