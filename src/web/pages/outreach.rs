//! Logging a contact from a phone in under a minute: one short form with defaults
//! (now, me, in person, visit kind and purpose from the history), the rest optional.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::closed_set::Choice;
use crate::domain::contacts;
use crate::domain::employers::list::{self as employer_list, ListParams};
use crate::domain::employers::service as employers;
use crate::domain::outreach::guard::{self, Collision, Proposed};
use crate::domain::outreach::history;
use crate::domain::outreach::service;
use crate::domain::outreach::{CallResult, Channel, OnBehalf, OutreachInput, Purpose, VisitKind};
use crate::domain::users::Actor;
use crate::domain::versioning::Expected;
use crate::domain::week::utc_to_local;
use crate::error::{AppError, FieldErrors};
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::field::Field;
use crate::web::pages::views::{self, Named};
use crate::web::pages::{create, update, EditForm};
use crate::web::pages::{filled, NoFields};
use crate::web::render::{options, see_other, submit, Messages, Opt, PageCtx};

#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct OutreachForm {
    employer_id: Field<i64>,
    occurred_at: String,
    channel: String,
    visit_kind: String,
    purpose: String,
    contact_id: Field<i64>,
    /// One job seeker the contact was made for (the API takes several).
    client_id: Field<i64>,
    met_hiring_authority: String,
    client_present: String,
    learned: String,
    outcome: String,
    next_step: String,
    next_step_due: String,
    planned_contact_id: Field<i64>,
    /// Set when logging from a contact day's call list.
    contact_day_id: Field<i64>,
    /// What the call came to (asked on contact days).
    result: String,
    /// The title of a job lead found on this contact.
    found_lead: String,
    acknowledge_collisions: String,
    /// The version the form was opened at (`domain::versioning`).
    version: String,
}

impl OutreachForm {
    fn to_input(&self) -> Result<OutreachInput, AppError> {
        let mut e = FieldErrors::default();
        let employer_id = self
            .employer_id
            .read(&mut e, "employer_id", "error.unknown_employer");
        let contact_id = self
            .contact_id
            .read(&mut e, "contact_id", "error.unknown_contact");
        let client_id = self
            .client_id
            .read(&mut e, "client_ids", "error.unknown_client");
        let planned_contact_id =
            self.planned_contact_id
                .read(&mut e, "planned_contact_id", "error.unknown_plan");
        let contact_day_id =
            self.contact_day_id
                .read(&mut e, "contact_day_id", "error.unknown_contact_day");
        e.into_result()?;
        Ok(OutreachInput {
            occurred_at: filled(&self.occurred_at),
            specialist_id: None,
            employer_id,
            contact_id,
            channel: filled(&self.channel).map(Choice::from),
            visit_kind: filled(&self.visit_kind).map(Choice::from),
            met_hiring_authority: Some(!self.met_hiring_authority.is_empty()),
            on_behalf_of: None,
            client_ids: client_id.into_iter().collect(),
            client_present: Some(!self.client_present.is_empty()),
            purpose: filled(&self.purpose).map(Choice::from),
            learned: filled(&self.learned),
            outcome: filled(&self.outcome),
            next_step: filled(&self.next_step),
            next_step_due: filled(&self.next_step_due),
            planned_contact_id,
            contact_day_id,
            result: filled(&self.result).map(Choice::from),
            found_lead: filled(&self.found_lead),
            acknowledge_collisions: Some(!self.acknowledge_collisions.is_empty()),
        })
    }

    /// The form's fields as a merge patch over an existing entry (JSON, since the
    /// domain's patch is the API's merge patch; not a view model).
    fn to_patch(&self) -> Result<Map<String, Value>, AppError> {
        let mut v = serde_json::to_value(self.to_input()?).unwrap_or_default();
        if let Some(m) = v.as_object_mut() {
            m.remove("planned_contact_id");
            m.remove("contact_day_id");
            m.remove("specialist_id");
            m.remove("found_lead");
            let on_behalf = if self.client_id.is_empty() {
                OnBehalf::General
            } else {
                OnBehalf::Clients
            };
            m.insert(
                "on_behalf_of".into(),
                serde_json::to_value(on_behalf).unwrap_or_default(),
            );
            m.insert(
                "acknowledge_collisions".into(),
                Value::Bool(!self.acknowledge_collisions.is_empty()),
            );
            if let Some(v) = Expected::from_form(&self.version)?.0 {
                m.insert("version".into(), v.into());
            }
            return Ok(m.clone());
        }
        Ok(Map::new())
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    employer_id: Option<String>,
    plan: Option<String>,
    day: Option<String>,
    q: Option<String>,
}

/// What the form is shown with: the form, its messages, colleagues' recent contacts
/// to acknowledge, and the entry being edited.
struct FormState<'a> {
    form: &'a OutreachForm,
    errors: Option<FieldErrors>,
    collisions: &'a [Collision],
    editing: Option<i64>,
}

async fn render(ctx: &PageCtx, actor: &Actor, v: FormState<'_>) -> Result<HttpResponse, AppError> {
    let employer_id = v.form.employer_id.value().ok_or(AppError::NotFound)?;
    let a = actor.clone();
    let now = ctx.state.now();
    let (employer, people, step, previous, seekers) = ctx
        .state
        .pool
        .run(move |conn| {
            let e = employers::get(conn, &a, employer_id)?;
            let people = contacts::list_for_employer(conn, &a, employer_id)?;
            let step = history::next_step(conn, a.org_id, employer_id, e.stage)?;
            let previous = history::in_person_visits(conn, a.org_id, employer_id, Some(now))?;
            let seekers = crate::domain::clients::list(
                conn,
                &a,
                crate::domain::clients::ClientParams {
                    specialist: Some("me".into()),
                    status: Some("active".into()),
                },
            )?;
            Ok((e, people, step, previous, seekers))
        })
        .await?;
    let f = v.form;
    let sel = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    let purpose = sel(&f.purpose).unwrap_or_else(|| step.purpose().to_string());
    let guessed = history::guess_visit_kind(previous);
    let collisions: Vec<String> = v.collisions.iter().map(|c| c.message(ctx.lang)).collect();
    let title = if v.editing.is_some() {
        ctx.t("outreach.edit_title")
    } else {
        ctx.t("outreach.new_title")
    };
    // From a contact day's call list the contact is a call; elsewhere a visit.
    let on_day = !f.contact_day_id.is_empty();
    let channel = sel(&f.channel).unwrap_or_else(|| {
        if on_day {
            Channel::Phone
        } else {
            Channel::InPerson
        }
        .to_string()
    });
    let view = FormView {
        nav_plan: true,
        employer: Named::new(employer.id, &employer.name),
        form: f,
        errors: ctx.errors(v.errors.as_ref()),
        has_errors: v.errors.is_some(),
        collisions,
        action: v
            .editing
            .map(|id| format!("/outreach/{id}"))
            .unwrap_or_else(|| "/outreach".into()),
        editing: v.editing,
        suggested: ctx.t(step.key()),
        channels: views::choice_options::<Channel>(ctx, Some(&channel)),
        on_day,
        results: views::choice_options::<CallResult>(
            ctx,
            sel(&f.result).as_deref().or(on_day.then_some("reached")),
        ),
        purposes: views::choice_options::<Purpose>(ctx, Some(&purpose)),
        visit_kinds: views::choice_options::<VisitKind>(ctx, sel(&f.visit_kind).as_deref()),
        guessed_kind: ctx.t(guessed.label_key()),
        contacts: options(
            people.iter().map(|c| (c.id.to_string(), c.name.clone())),
            Some(&f.contact_id.to_string()),
        ),
        clients: options(
            seekers
                .iter()
                .map(|c| (c.id.to_string(), c.display_name.clone())),
            Some(&f.client_id.to_string()),
        ),
    };
    ctx.ok("outreach/form", &title, view)
}

#[derive(Serialize)]
struct FormView<'a> {
    nav_plan: bool,
    employer: Named,
    form: &'a OutreachForm,
    errors: Messages,
    has_errors: bool,
    /// Colleagues' recent contacts with the employer, as sentences.
    collisions: Vec<String>,
    action: String,
    editing: Option<i64>,
    /// The next step the history suggests.
    suggested: String,
    channels: Vec<Opt>,
    /// Logging from a contact day: the result is asked and saving returns to the day.
    on_day: bool,
    results: Vec<Opt>,
    purposes: Vec<Opt>,
    visit_kinds: Vec<Opt>,
    /// The visit kind chosen when none is picked.
    guessed_kind: String,
    contacts: Vec<Opt>,
    clients: Vec<Opt>,
}

fn local_now(ctx: &PageCtx) -> String {
    utc_to_local(ctx.state.now(), ctx.state.settings.timezone)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// When a planned contact happened, as the log form's default: its day and time, or
/// now when that is still ahead (a contact cannot be logged in the future).
fn planned_time(ctx: &PageCtx, row: &crate::domain::plan::PlannedRow) -> String {
    let now = utc_to_local(ctx.state.now(), ctx.state.settings.timezone);
    let time = row
        .planned_time
        .as_deref()
        .and_then(|t| chrono::NaiveTime::parse_from_str(t, "%H:%M").ok())
        .unwrap_or(now.time());
    row.planned_on
        .and_time(time)
        .min(now)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// The log form; without an employer, a search to pick one.
pub async fn new_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<NewQuery>,
) -> Result<HttpResponse, AppError> {
    actor.require_write()?;
    let ctx = PageCtx::from_req(&req)?;
    let q = q.into_inner();
    let mut form = OutreachForm {
        occurred_at: local_now(&ctx),
        contact_day_id: Field::parse(q.day.as_deref().unwrap_or_default()),
        ..Default::default()
    };
    if let Some(plan_id) = q.plan.as_deref().and_then(|p| p.parse::<i64>().ok()) {
        let a = actor.clone();
        let item = ctx
            .state
            .pool
            .run(move |conn| crate::domain::plan::get(conn, &a, plan_id))
            .await?;
        // A colleague's planned visit is theirs to log.
        actor.require_own(item.row.specialist_id)?;
        form.employer_id = Field::Value(item.row.employer_id);
        form.occurred_at = planned_time(&ctx, &item.row);
        form.channel = item.row.channel.to_string();
        form.purpose = item.row.purpose.to_string();
        form.planned_contact_id = Field::Value(plan_id);
    } else if let Some(e) = q.employer_id.filter(|e| !e.trim().is_empty()) {
        form.employer_id = Field::parse(&e);
    } else {
        return pick_employer(&ctx, &actor, q.q, "/outreach/new").await;
    }
    // Show colleagues' contacts before anything is typed.
    let (a, rules, now) = (actor.clone(), ctx.state.rules(), ctx.state.now());
    let employer_id = form.employer_id.value().ok_or(AppError::NotFound)?;
    let plan = form.planned_contact_id.value();
    let collisions = ctx
        .state
        .pool
        .run(move |conn| {
            employers::get(conn, &a, employer_id)?;
            guard::check(
                conn,
                &Proposed {
                    org_id: a.org_id,
                    employer_id,
                    specialist_id: a.user_id,
                    at: now,
                    tz: rules.tz,
                    window_days: rules.collision_window_days,
                    except_outreach: None,
                    except_plan: plan,
                },
            )
        })
        .await?;
    render(
        &ctx,
        &actor,
        FormState {
            form: &form,
            errors: None,
            collisions: &collisions,
            editing: None,
        },
    )
    .await
}

/// A search for the employer to log or plan a contact with.
pub async fn pick_employer(
    ctx: &PageCtx,
    actor: &Actor,
    q: Option<String>,
    target: &str,
) -> Result<HttpResponse, AppError> {
    let a = actor.clone();
    let query = ListParams {
        q: q.clone(),
        limit: Some("20".into()),
        sort: Some("updated".into()),
        ..Default::default()
    }
    .parse(20)?;
    let page = ctx
        .state
        .pool
        .run(move |conn| employer_list::list(conn, &a, &query))
        .await?;
    let view = PickView {
        nav_plan: true,
        rows: page
            .items
            .iter()
            .map(|e| Named::new(e.id, &e.name))
            .collect(),
        q,
        target,
    };
    ctx.ok("outreach/pick", &ctx.t("outreach.pick_title"), view)
}

#[derive(Serialize)]
struct PickView<'a> {
    nav_plan: bool,
    rows: Vec<Named>,
    q: Option<String>,
    /// The form to open with the employer picked.
    target: &'a str,
}

impl EditForm for OutreachForm {
    async fn save(
        req: HttpRequest,
        actor: Actor,
        mut form: Self,
        editing: Option<i64>,
    ) -> Result<HttpResponse, AppError> {
        let ctx = PageCtx::from_req(&req)?;
        let (a, now, rules) = (actor.clone(), ctx.state.now(), ctx.state.rules());
        let result = match (form.to_input(), form.to_patch()) {
            (Err(e), _) | (_, Err(e)) => Err(e),
            (Ok(input), Ok(patch)) => {
                ctx.state
                    .pool
                    .tx(move |conn| match editing {
                        Some(id) => service::patch(conn, &a, id, patch, now, &rules),
                        None => service::create(conn, &a, input, now, &rules),
                    })
                    .await
            }
        };
        // Colleagues' recent contacts: the form again with them, to acknowledge.
        let result = match result {
            Err(AppError::Collision(list)) => {
                let view = FormState {
                    form: &form,
                    errors: None,
                    collisions: &list,
                    editing,
                };
                let mut page = render(&ctx, &actor, view).await?;
                *page.status_mut() = StatusCode::CONFLICT;
                return Ok(page);
            }
            other => other,
        };
        crate::web::render::take_stored_version(&result, &mut form.version);
        submit(
            result,
            |e| {
                see_other(
                    &after_saving(&ctx, &e, editing),
                    Some("flash.outreach_saved"),
                )
            },
            |errors| {
                let view = FormState {
                    form: &form,
                    errors: Some(errors),
                    collisions: &[],
                    editing,
                };
                render(&ctx, &actor, view)
            },
        )
        .await
    }
}

/// Where a saved entry leads: back to the call list it came from (the employer ticked
/// off there), back to the week it was planned in, or else to the employer's timeline.
fn after_saving(
    ctx: &PageCtx,
    e: &crate::domain::outreach::Outreach,
    editing: Option<i64>,
) -> String {
    if editing.is_none() {
        if let Some(day) = e.contact_day_id {
            return format!("/contact-days/{day}#e-{}", e.employer_id);
        }
        if e.planned_contact_id.is_some() {
            let at = chrono::NaiveDateTime::parse_from_str(&e.occurred_at, "%Y-%m-%dT%H:%M:%SZ")
                .map(|t| utc_to_local(t, ctx.state.settings.timezone).date())
                .unwrap_or_else(|_| ctx.state.today());
            return format!("/plan?week={}", crate::domain::week::Week::of(at).label());
        }
    }
    format!("/employers/{}#timeline", e.employer_id)
}

pub async fn edit_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    actor.require_write()?;
    let ctx = PageCtx::from_req(&req)?;
    let id = id.into_inner();
    let a = actor.clone();
    let e = ctx
        .state
        .pool
        .run(move |conn| service::get(conn, &a, id))
        .await?;
    actor.require_own(e.specialist_id)?;
    let at = chrono::NaiveDateTime::parse_from_str(&e.occurred_at, "%Y-%m-%dT%H:%M:%SZ")
        .unwrap_or_default();
    let on = |b: bool| if b { "on".to_string() } else { String::new() };
    let form = OutreachForm {
        employer_id: Field::Value(e.employer_id),
        occurred_at: utc_to_local(at, ctx.state.settings.timezone)
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
        channel: e.channel.to_string(),
        visit_kind: e.visit_kind.to_string(),
        purpose: e.purpose.to_string(),
        contact_id: e.contact_id.into(),
        met_hiring_authority: on(e.met_hiring_authority),
        client_present: on(e.client_present),
        learned: e.learned.clone().unwrap_or_default(),
        outcome: e.outcome.clone().unwrap_or_default(),
        next_step: e.next_step.clone().unwrap_or_default(),
        next_step_due: e.next_step_due.map(|d| d.to_string()).unwrap_or_default(),
        planned_contact_id: Field::Empty,
        contact_day_id: Field::Empty,
        result: e.result.map(|r| r.to_string()).unwrap_or_default(),
        found_lead: String::new(),
        acknowledge_collisions: String::new(),
        client_id: e.client_ids.first().copied().into(),
        version: e.version.to_string(),
    };
    render(
        &ctx,
        &actor,
        FormState {
            form: &form,
            errors: None,
            collisions: &[],
            editing: Some(id),
        },
    )
    .await
}

pub async fn delete(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(_): SafeForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let id = id.into_inner();
    let now = ctx.state.now();
    let employer = ctx
        .state
        .pool
        .tx(move |conn| {
            let e = service::get(conn, &actor, id)?;
            service::delete(conn, &actor, id, now)?;
            Ok(e.employer_id)
        })
        .await?;
    Ok(see_other(
        &format!("/employers/{employer}#timeline"),
        Some("flash.outreach_deleted"),
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LogQuery {
    who: Option<String>,
    from: Option<String>,
    to: Option<String>,
    channel: Option<String>,
    cursor: Option<String>,
}

/// The contact log as a reviewer reads it: date, specialist, employer, how, why, what
/// was learnt, next step. Mine by default, or the whole organisation's.
pub async fn log(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<LogQuery>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let q = q.into_inner();
    let all = q.who.as_deref() == Some("all");
    let params = service::LogParams {
        specialist_id: (!all).then(|| actor.user_id.to_string()),
        from: q.from.clone(),
        to: q.to.clone(),
        channel: q.channel.clone(),
        cursor: q.cursor.clone(),
        limit: Some("50".into()),
        ..Default::default()
    };
    let (a, rules) = (actor.clone(), ctx.state.rules());
    let (page, errors) = match ctx
        .state
        .pool
        .run(move |conn| service::list(conn, &a, params, &rules))
        .await
    {
        Ok(p) => (p, None),
        Err(AppError::Validation(e)) => (
            crate::domain::employers::list::Page {
                items: vec![],
                next: None,
                total: 0,
            },
            Some(e),
        ),
        Err(e) => return Err(e),
    };
    let tz = ctx.state.settings.timezone;
    let rows = page
        .items
        .iter()
        .map(|e| {
            let at = chrono::NaiveDateTime::parse_from_str(&e.occurred_at, "%Y-%m-%dT%H:%M:%SZ")
                .unwrap_or_default();
            LogLine {
                id: e.id,
                when: crate::i18n::format_datetime(ctx.lang, tz, at),
                who: e.specialist_name.clone(),
                employer_id: e.employer_id,
                employer: e.employer_name.clone(),
                channel: ctx.t(e.channel.label_key()),
                visit_kind: ctx.t(e.visit_kind.label_key()),
                purpose: ctx.t(e.purpose.label_key()),
                hiring: e.met_hiring_authority,
                learned: e.learned.clone(),
                next_step: e.next_step.clone(),
            }
        })
        .collect();
    let keep = |k: &str, v: &Option<String>| {
        v.as_ref()
            .filter(|s| !s.is_empty())
            .map(|s| format!("&{k}={}", crate::web::errors::url_encode(s)))
            .unwrap_or_default()
    };
    let base = format!(
        "/outreach?who={}{}{}{}",
        if all { "all" } else { "me" },
        keep("from", &q.from),
        keep("to", &q.to),
        keep("channel", &q.channel)
    );
    let export_url = views::export_url(
        "contact-log",
        &[
            ("specialist_id", (!all).then(|| actor.user_id.to_string())),
            ("from", q.from.clone()),
            ("to", q.to.clone()),
            ("channel", q.channel.clone()),
        ],
    );
    let view = LogView {
        nav_log: true,
        export_url,
        rows,
        all,
        errors: errors.map(|e| ctx.errors(Some(&e))),
        channels: views::choice_options::<Channel>(&ctx, q.channel.as_deref()),
        next_url: page.next.map(|c| format!("{base}&cursor={c}")),
        from: q.from,
        to: q.to,
    };
    ctx.ok("outreach/log", &ctx.t("outreach.log_title"), view)
}

#[derive(Serialize)]
struct LogView {
    nav_log: bool,
    rows: Vec<LogLine>,
    /// The whole organisation's contacts, not only mine.
    all: bool,
    from: Option<String>,
    to: Option<String>,
    errors: Option<Messages>,
    channels: Vec<Opt>,
    next_url: Option<String>,
    export_url: String,
}

/// One contact in the log.
#[derive(Serialize)]
struct LogLine {
    id: i64,
    when: String,
    who: Option<String>,
    employer_id: i64,
    employer: Option<String>,
    channel: String,
    visit_kind: String,
    purpose: String,
    /// Met someone who can hire.
    hiring: bool,
    learned: Option<String>,
    next_step: Option<String>,
}

/// The contact log and its form.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/outreach", web::get().to(log))
        .route("/outreach", web::post().to(create::<OutreachForm>))
        .route("/outreach/new", web::get().to(new_form))
        .route("/outreach/{id}", web::post().to(update::<OutreachForm>))
        .route("/outreach/{id}/edit", web::get().to(edit_form))
        .route("/outreach/{id}/delete", web::post().to(delete));
}
