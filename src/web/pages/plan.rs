//! The weekly plan page, adding and moving planned contacts, and the team's week.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::domain::closed_set::Choice;
use crate::domain::employers::service as employers;
use crate::domain::follow_ups::FollowUp;
use crate::domain::outreach::guard::Collision;
use crate::domain::outreach::{Channel, Purpose};
use crate::domain::plan::PlanStatus;
use crate::domain::plan::{self, PlanInput, PlanItem};
use crate::domain::users::Actor;
use crate::domain::week::Week;
use crate::error::{AppError, FieldErrors};
use crate::i18n::format_date;
use crate::web::api::plan::{parse_week, WeekQuery};
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::field::Field;
use crate::web::pages::outreach::pick_employer;
use crate::web::pages::{filled, views, NoFields};
use crate::web::render::{see_other, submit, Messages, Opt, PageCtx};

/// A planned contact as the week and the team's week show it.
#[derive(Serialize)]
struct ItemLine {
    id: i64,
    employer_id: i64,
    employer_name: String,
    time: Option<String>,
    /// ISO, for the move form's date field.
    date: String,
    /// As the reader writes it.
    day: String,
    channel: String,
    purpose: String,
    note: Option<String>,
    status: PlanStatus,
    planned: bool,
    done: bool,
    cancelled: bool,
    /// Still planned on a day that has passed.
    missed: bool,
    /// The version the move form starts from.
    version: i32,
}

impl ItemLine {
    fn of(ctx: &PageCtx, i: &PlanItem) -> Self {
        let today = ctx.state.today();
        let r = &i.row;
        Self {
            version: r.version,
            id: r.id,
            employer_id: r.employer_id,
            employer_name: i.employer_name.clone(),
            time: r
                .planned_time
                .as_deref()
                .map(|t| crate::i18n::format_clock(ctx.lang, t)),
            date: r.planned_on.to_string(),
            day: format_date(ctx.lang, r.planned_on),
            channel: ctx.t(r.channel.label_key()),
            purpose: ctx.t(r.purpose.label_key()),
            note: r.note.clone(),
            status: r.status,
            planned: r.status == PlanStatus::Planned,
            done: r.status == PlanStatus::Done,
            cancelled: r.status == PlanStatus::Cancelled,
            missed: r.status == PlanStatus::Planned && r.planned_on < today,
        }
    }
}

/// A contact logged without a plan item, in its day's column.
#[derive(Serialize)]
struct LoggedLine {
    id: i64,
    employer_id: i64,
    employer_name: String,
    time: String,
    channel: String,
    purpose: String,
    contact_day_id: Option<i64>,
}

impl LoggedLine {
    fn of(ctx: &PageCtx, l: &plan::Logged) -> Self {
        Self {
            id: l.outreach_id,
            employer_id: l.employer_id,
            employer_name: l.employer_name.clone(),
            time: crate::i18n::format_time(ctx.lang, l.at.time()),
            channel: ctx.t(l.channel.label_key()),
            purpose: ctx.t(l.purpose.label_key()),
            contact_day_id: l.contact_day_id,
        }
    }
}

/// A contact day the specialist hosts or joins, on its day.
#[derive(Serialize)]
struct ContactDayLine {
    id: i64,
    time: String,
    place: String,
    theme: Option<String>,
}

impl ContactDayLine {
    fn of(lang: crate::i18n::Lang, d: &crate::domain::contact_days::ContactDayRow) -> Self {
        Self {
            id: d.id,
            time: crate::i18n::format_span(lang, &d.starts_at, &d.ends_at),
            place: d.place.clone(),
            theme: d.theme.clone(),
        }
    }
}

#[derive(Serialize)]
struct FollowUpLine {
    id: i64,
    title: String,
    employer_id: i64,
    employer_name: String,
    due: String,
    overdue: bool,
}

impl FollowUpLine {
    fn of(ctx: &PageCtx, f: &FollowUp) -> Self {
        Self {
            id: f.row.id,
            title: f.row.title.clone(),
            employer_id: f.row.employer_id,
            employer_name: f.employer_name.clone(),
            due: format_date(ctx.lang, f.row.due_on),
            overdue: f.overdue,
        }
    }
}

/// The week shown and the links to the weeks around it (`base` is the page's address).
#[derive(Serialize)]
struct WeekNav {
    label: String,
    /// "vk 48" as the reader writes it.
    title: String,
    range: String,
    number: u32,
    prev: String,
    next: String,
    current: String,
}

impl WeekNav {
    /// `colleague`: whose week it is, when not the reader's own (kept in the links).
    fn of(ctx: &PageCtx, week: Week, base: &'static str, colleague: Option<i64>) -> Self {
        let days = week.days();
        let who = colleague.map(|u| format!("&user={u}")).unwrap_or_default();
        Self {
            label: week.label(),
            title: crate::i18n::format_week(ctx.lang, week.year, week.week, ctx.state.today()),
            range: format!(
                "{} – {}",
                format_date(ctx.lang, days[0]),
                format_date(ctx.lang, days[6])
            ),
            number: week.week,
            prev: format!("{base}?week={}{who}", week.prev().label()),
            next: format!("{base}?week={}{who}", week.next().label()),
            current: match colleague {
                Some(u) => format!("{base}?user={u}"),
                None => base.to_string(),
            },
        }
    }
}

pub async fn week(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<WeekQuery>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let week = parse_week(q.week.as_deref(), ctx.state.today())?;
    // A colleague's week by id; an address with a mangled id finds nobody.
    let user = match q.user.as_deref().filter(|u| !u.is_empty()) {
        Some(u) => u.parse::<i64>().map_err(|_| AppError::NotFound)?,
        None => actor.user_id,
    };
    let (a, now, rules, today) = (
        actor.clone(),
        ctx.state.now(),
        ctx.state.rules(),
        ctx.state.today(),
    );
    let (m, cache, mine) = (
        ctx.state.settings.matching,
        ctx.state.lead_cache.clone(),
        user == actor.user_id,
    );
    let (p, fresh) = ctx
        .state
        .pool
        .tx(move |conn| {
            let p = plan::week(conn, &a, user, week, now, &rules)?;
            // One's own home also shows new matches for one's own job seekers.
            let fresh = if mine {
                crate::domain::matching::fresh::for_my_seekers(conn, &a, &m, Some(&cache), now, 5)?
            } else {
                Vec::new()
            };
            Ok((p, fresh))
        })
        .await?;
    let days = p
        .days
        .iter()
        .map(|d| DayLine {
            date: d.date.to_string(),
            label: format!(
                "{} {}",
                ctx.t(crate::domain::week::weekday_key(d.weekday)),
                format_date(ctx.lang, d.date)
            ),
            today: d.date == today,
            past: d.date < today,
            weekend: d.date.weekday().number_from_monday() > 5,
            items: d.planned.iter().map(|i| ItemLine::of(&ctx, i)).collect(),
            logged: d.logged.iter().map(|l| LoggedLine::of(&ctx, l)).collect(),
            contact_days: d
                .contact_days
                .iter()
                .map(|c| ContactDayLine::of(ctx.lang, c))
                .collect(),
            follow_ups: d
                .follow_ups
                .iter()
                .map(|f| FollowUpLine::of(&ctx, f))
                .collect(),
        })
        .collect();
    let c = &p.in_person;
    let percent_of = |n: i64| {
        if c.target > 0 {
            (n * 100 / c.target).min(100)
        } else {
            100
        }
    };
    let percent = percent_of(c.count);
    let s = &p.suggestions;
    let view = WeekView {
        new_matches: fresh,
        nav_plan: true,
        mine: user == actor.user_id,
        user_name: p.user_name.clone(),
        week: WeekNav::of(&ctx, week, "/plan", (user != actor.user_id).then_some(user)),
        today: today.to_string(),
        days,
        overdue: p
            .overdue_follow_ups
            .iter()
            .map(|f| FollowUpLine::of(&ctx, f))
            .collect(),
        counter: InPerson {
            count: c.count,
            planned: c.planned,
            target: c.target,
            percent,
            planned_percent: percent_of(c.count + c.planned) - percent,
            met: c.count >= c.target,
            previous: c
                .previous
                .iter()
                .map(|w| WeekCount {
                    week: Week::parse(&w.week)
                        .map(|wk| crate::i18n::format_week(ctx.lang, wk.year, wk.week, today))
                        .unwrap_or_else(|_| w.week.clone()),
                    count: w.count,
                })
                .collect(),
        },
        quiet: s
            .quiet_employers
            .iter()
            .map(|q| QuietLine {
                id: q.employer_id,
                name: q.name.clone(),
                stage: ctx.t(q.stage.label_key()),
            })
            .collect(),
        next_steps: s
            .next_steps
            .iter()
            .map(|n| StepLine {
                id: n.employer_id,
                name: n.name.clone(),
                step: ctx.t(n.step.key()),
            })
            .collect(),
        open_leads: s
            .leads_without_candidates
            .iter()
            .map(|l| OpenLeadLine {
                id: l.lead_id,
                title: l.title.clone(),
                employer_id: l.employer_id,
                employer_name: l.employer_name.clone(),
                apply_by: l.apply_by.map(|d| format_date(ctx.lang, d)),
            })
            .collect(),
        // A colleague's week is theirs to change (a team lead may change anyone's).
        can_write: actor.require_own(user).is_ok(),
    };
    ctx.ok("plan/week", &ctx.t("plan.title"), view)
}

#[derive(Serialize)]
struct WeekView {
    /// Leads of the last week that fit one's own job seekers.
    new_matches: Vec<crate::domain::matching::fresh::FreshMatch>,
    nav_plan: bool,
    /// The user's own plan (not a colleague's, `?user=`).
    mine: bool,
    user_name: String,
    week: WeekNav,
    /// For the reschedule field of missed visits.
    today: String,
    days: Vec<DayLine>,
    overdue: Vec<FollowUpLine>,
    counter: InPerson,
    quiet: Vec<QuietLine>,
    next_steps: Vec<StepLine>,
    open_leads: Vec<OpenLeadLine>,
    can_write: bool,
}

#[derive(Serialize)]
struct DayLine {
    date: String,
    label: String,
    today: bool,
    past: bool,
    weekend: bool,
    items: Vec<ItemLine>,
    logged: Vec<LoggedLine>,
    contact_days: Vec<ContactDayLine>,
    follow_ups: Vec<FollowUpLine>,
}

/// In-person contacts this week against the target, and in the weeks before.
#[derive(Serialize)]
struct InPerson {
    count: i64,
    /// In-person visits still planned from today on.
    planned: i64,
    target: i64,
    percent: i64,
    /// The bar's second, lighter part: what the planned visits would add.
    planned_percent: i64,
    met: bool,
    previous: Vec<WeekCount>,
}

#[derive(Serialize)]
struct WeekCount {
    week: String,
    count: i64,
}

/// An employer not contacted for a while.
#[derive(Serialize)]
struct QuietLine {
    id: i64,
    name: String,
    stage: String,
}

/// An employer and the next step suggested with it.
#[derive(Serialize)]
struct StepLine {
    id: i64,
    name: String,
    step: String,
}

/// A lead with no job seeker proposed yet.
#[derive(Serialize)]
struct OpenLeadLine {
    id: i64,
    title: String,
    employer_id: i64,
    employer_name: String,
    apply_by: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct PlanForm {
    employer_id: Field<i64>,
    planned_on: String,
    planned_time: String,
    channel: String,
    purpose: String,
    note: String,
    acknowledge_collisions: String,
    /// Set when the form re-shows a move that collided: it posts back as that move.
    #[serde(skip_deserializing)]
    moving: Option<i64>,
}

impl PlanForm {
    fn to_input(&self) -> Result<PlanInput, AppError> {
        let mut e = FieldErrors::default();
        let employer_id = self
            .employer_id
            .read(&mut e, "employer_id", "error.unknown_employer");
        e.into_result()?;
        Ok(PlanInput {
            employer_id,
            specialist_id: None,
            planned_on: filled(&self.planned_on),
            planned_time: filled(&self.planned_time),
            channel: filled(&self.channel).map(Choice::from),
            purpose: filled(&self.purpose).map(Choice::from),
            note: filled(&self.note),
            acknowledge_collisions: Some(!self.acknowledge_collisions.is_empty()),
        })
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    employer_id: Option<String>,
    date: Option<String>,
    q: Option<String>,
}

async fn render_form(
    ctx: &PageCtx,
    actor: &Actor,
    form: &PlanForm,
    errors: Option<FieldErrors>,
    collisions: &[Collision],
) -> Result<HttpResponse, AppError> {
    let employer_id = form.employer_id.value().ok_or(AppError::NotFound)?;
    let a = actor.clone();
    let employer = ctx
        .state
        .pool
        .run(move |conn| employers::get(conn, &a, employer_id))
        .await?;
    let sel = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    let view = FormView {
        nav_plan: true,
        employer: EmployerRef {
            id: employer.id,
            name: employer.name,
        },
        form,
        errors: ctx.errors(errors.as_ref()),
        has_errors: errors.is_some(),
        collisions: collisions.iter().map(|c| c.message(ctx.lang)).collect(),
        channels: views::choice_options::<Channel>(
            ctx,
            Some(sel(&form.channel).as_deref().unwrap_or("in_person")),
        ),
        purposes: views::choice_options::<Purpose>(ctx, sel(&form.purpose).as_deref()),
    };
    ctx.ok("plan/form", &ctx.t("plan.add"), view)
}

#[derive(Serialize)]
struct FormView<'a> {
    nav_plan: bool,
    employer: EmployerRef,
    form: &'a PlanForm,
    errors: Messages,
    has_errors: bool,
    /// Colleagues' contacts near the day, to acknowledge.
    collisions: Vec<String>,
    channels: Vec<Opt>,
    purposes: Vec<Opt>,
}

#[derive(Serialize)]
struct EmployerRef {
    id: i64,
    name: String,
}

pub async fn new_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<NewQuery>,
) -> Result<HttpResponse, AppError> {
    actor.require_write()?;
    let ctx = PageCtx::from_req(&req)?;
    let q = q.into_inner();
    let Some(employer_id) = q.employer_id.filter(|e| !e.is_empty()) else {
        return pick_employer(&ctx, &actor, q.q, "/plan/new").await;
    };
    let today: NaiveDate = ctx.state.today();
    let form = PlanForm {
        employer_id: Field::parse(&employer_id),
        planned_on: q.date.unwrap_or_else(|| today.to_string()),
        ..Default::default()
    };
    render_form(&ctx, &actor, &form, None, &[]).await
}

pub async fn create(
    req: HttpRequest,
    PageUser(actor): PageUser,
    SafeForm(form): SafeForm<PlanForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (a, now, rules) = (actor.clone(), ctx.state.now(), ctx.state.rules());
    let result = match form.to_input() {
        Err(e) => Err(e),
        Ok(input) => {
            ctx.state
                .pool
                .tx(move |conn| plan::create(conn, &a, input, now, &rules))
                .await
        }
    };
    let result = match result {
        Err(AppError::Collision(list)) => return collided(&ctx, &actor, &form, &list).await,
        other => other,
    };
    submit(
        result,
        |item| {
            see_other(
                &format!("/plan?week={}", Week::of(item.row.planned_on).label()),
                Some("flash.plan_added"),
            )
        },
        |e| render_form(&ctx, &actor, &form, Some(e), &[]),
    )
    .await
}

/// The form again with colleagues' contacts near the day, to acknowledge (409).
async fn collided(
    ctx: &PageCtx,
    actor: &Actor,
    form: &PlanForm,
    list: &[Collision],
) -> Result<HttpResponse, AppError> {
    let mut page = render_form(ctx, actor, form, None, list).await?;
    *page.status_mut() = StatusCode::CONFLICT;
    Ok(page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MoveForm {
    planned_on: String,
    planned_time: String,
    acknowledge_collisions: String,
    /// The version the week page showed.
    version: String,
}

/// Moves a planned contact to another day; a collision there is shown on the plan form.
pub async fn move_item(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(f): SafeForm<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let id = id.into_inner();
    // The domain's patch (what the API also takes), not a view model: only the fields
    // the move changes.
    let mut patch = serde_json::Map::new();
    patch.insert("planned_on".into(), json!(f.planned_on));
    if !f.planned_time.trim().is_empty() {
        patch.insert("planned_time".into(), json!(f.planned_time));
    }
    if !f.acknowledge_collisions.is_empty() {
        patch.insert("acknowledge_collisions".into(), json!(true));
    }
    if let Ok(v) = f.version.trim().parse::<i32>() {
        patch.insert("version".into(), json!(v));
    }
    let (a, now, rules) = (actor.clone(), ctx.state.now(), ctx.state.rules());
    match ctx
        .state
        .pool
        .tx(move |conn| plan::patch(conn, &a, id, patch, now, &rules))
        .await
    {
        Ok(item) => Ok(see_other(&week_of(&actor, &item), Some("flash.plan_moved"))),
        Err(AppError::Collision(list)) => {
            let a = actor.clone();
            let item = ctx
                .state
                .pool
                .run(move |conn| plan::get(conn, &a, id))
                .await?;
            let form = PlanForm {
                employer_id: Field::Value(item.row.employer_id),
                planned_on: f.planned_on.clone(),
                planned_time: f.planned_time.clone(),
                channel: item.row.channel.to_string(),
                purpose: item.row.purpose.to_string(),
                note: item.row.note.clone().unwrap_or_default(),
                acknowledge_collisions: String::new(),
                moving: Some(id),
            };
            collided(&ctx, &actor, &form, &list).await
        }
        Err(AppError::Validation(e)) => {
            // Say which was wrong: no such date (31.11.), or a day long past.
            let flash_key = match e.0.get("planned_on").and_then(|m| m.first()).map(|m| m.key) {
                Some("error.past_date") => "flash.plan_move_bad_date",
                Some(_) => "flash.plan_move_no_date",
                None => "flash.plan_move_failed",
            };
            back_to_item_week(&ctx, &actor, id, flash_key).await
        }
        // Already logged or cancelled: nothing to move.
        Err(AppError::Conflict(_)) => {
            back_to_item_week(&ctx, &actor, id, "flash.plan_closed").await
        }
        // Moved or edited by someone else since the week was shown: show it as it is.
        Err(AppError::Stale(_)) => {
            back_to_item_week(&ctx, &actor, id, "flash.plan_changed_meanwhile").await
        }
        Err(other) => Err(other),
    }
}

/// Back to the week the item is in, with a message.
async fn back_to_item_week(
    ctx: &PageCtx,
    actor: &Actor,
    id: i64,
    flash_key: &'static str,
) -> Result<HttpResponse, AppError> {
    let a = actor.clone();
    let item = ctx
        .state
        .pool
        .run(move |conn| plan::get(conn, &a, id))
        .await?;
    Ok(see_other(&week_of(actor, &item), Some(flash_key)))
}

/// The week an item is in, as its specialist's week (a team lead changing a colleague's
/// visit stays on the colleague's week).
fn week_of(actor: &Actor, item: &PlanItem) -> String {
    let week = Week::of(item.row.planned_on).label();
    if item.row.specialist_id == actor.user_id {
        format!("/plan?week={week}")
    } else {
        format!("/plan?week={week}&user={}", item.row.specialist_id)
    }
}

pub async fn cancel(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(_): SafeForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now, a) = (id.into_inner(), ctx.state.now(), actor.clone());
    match ctx
        .state
        .pool
        .tx(move |conn| plan::cancel(conn, &a, id, now))
        .await
    {
        Ok(item) => Ok(see_other(
            &week_of(&actor, &item),
            Some("flash.plan_cancelled"),
        )),
        Err(AppError::Conflict(_)) => {
            back_to_item_week(&ctx, &actor, id, "flash.plan_closed").await
        }
        Err(e) => Err(e),
    }
}

pub async fn team(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<WeekQuery>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let week = parse_week(q.week.as_deref(), ctx.state.today())?;
    let (a, rules, today) = (actor.clone(), ctx.state.rules(), ctx.state.today());
    let (members, next_day) = ctx
        .state
        .pool
        .run(move |conn| {
            // The next contact day that will take place, for the team lead's home.
            let next = crate::domain::contact_days::list(
                conn,
                &a,
                today,
                today + chrono::Duration::days(365),
            )?
            .into_iter()
            .find(|d| d.status == crate::domain::contact_days::DayStatus::Planned);
            let next = match next {
                Some(d) => Some(crate::domain::contact_days::get(conn, &a, d.id)?),
                None => None,
            };
            Ok((plan::team_week(conn, &a, week, &rules)?, next))
        })
        .await?;
    let next_day = next_day.map(|d| NextDay {
        id: d.row.id,
        date: format_date(ctx.lang, d.row.day),
        time: crate::i18n::format_span(ctx.lang, &d.row.starts_at, &d.row.ends_at),
        place: d.row.place.clone(),
        participants: d.participants.len(),
        targets: d.targets.len(),
    });
    let days: Vec<String> = week
        .days()
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                ctx.t(crate::domain::leads::Weekday::ALL
                    [d.weekday().num_days_from_monday() as usize]
                    .label_key()),
                d.format("%-d.%-m.")
            )
        })
        .collect();
    let rows = members
        .iter()
        .map(|m| MemberLine {
            user_id: m.user_id,
            name: m.name.clone(),
            per_day: m.planned_per_day.clone(),
            in_person: m.in_person,
            target: m.target,
            met: m.in_person >= m.target,
            items: m.planned.iter().map(|i| ItemLine::of(&ctx, i)).collect(),
        })
        .collect();
    let view = TeamView {
        next_day,
        nav_team: true,
        week: WeekNav::of(&ctx, week, "/plan/team", None),
        days,
        rows,
        week_label: week.label(),
    };
    ctx.ok("plan/team", &ctx.t("plan.team_title"), view)
}

#[derive(Serialize)]
struct TeamView {
    next_day: Option<NextDay>,
    nav_team: bool,
    week: WeekNav,
    /// The days' headings.
    days: Vec<String>,
    rows: Vec<MemberLine>,
    week_label: String,
}

/// The team's next contact day, at the top of the team lead's home.
#[derive(Serialize)]
struct NextDay {
    id: i64,
    date: String,
    time: String,
    place: String,
    participants: usize,
    targets: usize,
}

/// A team member's week: planned contacts per day, in-person contacts against the target.
#[derive(Serialize)]
struct MemberLine {
    user_id: i64,
    name: String,
    per_day: Vec<i64>,
    in_person: i64,
    target: i64,
    met: bool,
    items: Vec<ItemLine>,
}

/// The week plan, the team's week and planned contacts.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/plan", web::get().to(week))
        .route("/plan/new", web::get().to(new_form))
        .route("/plan/team", web::get().to(team))
        .route("/plan/items", web::post().to(create))
        .route("/plan/items/{id}/move", web::post().to(move_item))
        .route("/plan/items/{id}/cancel", web::post().to(cancel));
}
