//! Contact day pages: plan a day, build and work through the call lists, see the tally.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::domain::contact_days::{self, ContactDayInput, DayStatus, Tally};
use crate::domain::employers::list::{list as employer_list, ListParams};
use crate::domain::recurrence::{Recurrence, RepeatKind, MAX_OCCURRENCES};
use crate::domain::users::{list_org_users, Actor, Role};
use crate::error::{AppError, FieldErrors};
use crate::i18n::format_date;
use crate::mail::contact_day::Outbox;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::field::Field;
use crate::web::pages::{filled, views, NoFields};
use crate::web::render::{options, see_other, submit, Messages, Opt, PageCtx};

pub async fn list(req: HttpRequest, PageUser(actor): PageUser) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let today = ctx.state.today();
    let a = actor.clone();
    let days = ctx
        .state
        .pool
        .run(move |conn| {
            contact_days::list(
                conn,
                &a,
                today - Duration::days(60),
                today + Duration::days(365),
            )
        })
        .await?;
    let rows = days
        .iter()
        .map(|d| DayLine {
            id: d.id,
            date: format_date(ctx.lang, d.day),
            time: crate::i18n::format_span(ctx.lang, &d.starts_at, &d.ends_at),
            place: d.place.clone(),
            theme: d.theme.clone(),
            cancelled: d.status == DayStatus::Cancelled,
            past: d.day < today,
        })
        .collect();
    let view = ListView {
        nav_days: true,
        rows,
        can_write: actor.can_write(),
        export_url: views::export_url(
            "contact-days",
            &[
                ("from", Some((today - Duration::days(60)).to_string())),
                ("to", Some((today + Duration::days(365)).to_string())),
            ],
        ),
    };
    ctx.ok("contact_days/list", &ctx.t("days.title"), view)
}

#[derive(Serialize)]
struct ListView {
    nav_days: bool,
    rows: Vec<DayLine>,
    can_write: bool,
    export_url: String,
}

#[derive(Serialize)]
struct DayLine {
    id: i64,
    date: String,
    time: String,
    place: String,
    theme: Option<String>,
    cancelled: bool,
    past: bool,
}

/// The planning form. Participants are ticked by name (`p_<user id>`); target
/// employers are chosen by a filter (the day's theme: an industry, an area, a stage or
/// a tag), or are a partner's members.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct DayForm {
    date: String,
    starts_at: String,
    ends_at: String,
    place: String,
    theme: String,
    tag: String,
    industry: String,
    municipality: String,
    stage: String,
    partner_id: Field<i64>,
    repeat: Field<RepeatKind>,
    repeat_count: Field<u32>,
    #[serde(flatten)]
    ticked: BTreeMap<String, String>,
}

impl DayForm {
    /// A fresh form: the user ticked, a working day's hours, six repeats on offer.
    fn fresh(actor: &Actor, partner_id: Field<i64>) -> Self {
        Self {
            starts_at: "09:00".into(),
            ends_at: "14:00".into(),
            repeat_count: Field::Value(6),
            partner_id,
            ticked: BTreeMap::from([(format!("p_{}", actor.user_id), "on".into())]),
            ..Default::default()
        }
    }

    fn participant_ids(&self) -> Vec<i64> {
        self.ticked
            .keys()
            .filter_map(|k| k.strip_prefix("p_"))
            .filter_map(|v| v.parse().ok())
            .collect()
    }

    fn filter(&self) -> ListParams {
        ListParams {
            industry: filled(&self.industry),
            municipality: filled(&self.municipality),
            stage: filled(&self.stage),
            tag: filled(&self.tag),
            limit: Some("100".into()),
            ..Default::default()
        }
    }

    /// With a partner's member list and no filter, the members are the targets.
    fn only_members(&self) -> bool {
        let f = self.filter();
        !self.partner_id.is_empty()
            && [f.industry, f.municipality, f.stage, f.tag]
                .iter()
                .all(Option::is_none)
    }

    fn to_input(&self) -> Result<ContactDayInput, AppError> {
        let mut e = FieldErrors::default();
        let partner_id = self
            .partner_id
            .read(&mut e, "partner_id", "error.unknown_partner");
        let repeat = self.repeat.read(&mut e, "rrule", "error.choice");
        let count = self.repeat_count.read(&mut e, "rrule", "error.number");
        e.into_result()?;
        let date = crate::domain::outreach::parse_date(&self.date);
        let rrule = match (repeat, date) {
            (None | Some(RepeatKind::Once), _) | (_, None) => None,
            // Let the domain say what is wrong with a missing, zero or too large count
            // (never clamped quietly into another series than the one asked for).
            (Some(_), Some(_)) if !(1..=MAX_OCCURRENCES as u32).contains(&count.unwrap_or(0)) => {
                Some(format!(
                    "FREQ=WEEKLY;COUNT={}",
                    count.map(|c| c.to_string()).unwrap_or_default()
                ))
            }
            (Some(kind), Some(date)) => {
                Recurrence::simple(kind, date, count.unwrap_or(1)).map(|r| r.to_rrule())
            }
        };
        Ok(ContactDayInput {
            date: filled(&self.date),
            starts_at: filled(&self.starts_at),
            ends_at: filled(&self.ends_at),
            place: filled(&self.place),
            theme: filled(&self.theme),
            participant_ids: self.participant_ids(),
            target_employer_ids: Vec::new(),
            rrule,
            partner_id,
        })
    }
}

async fn render_form(
    ctx: &PageCtx,
    actor: &Actor,
    form: &DayForm,
    errors: Option<FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let (org, a) = (actor.org_id, actor.clone());
    let (users, partner_rows) = ctx
        .state
        .pool
        .run(move |conn| {
            Ok((
                list_org_users(conn, org)?,
                crate::domain::partners::list(conn, &a, None)?,
            ))
        })
        .await?;
    let people = users
        .iter()
        .map(|u| Participant {
            id: u.id,
            name: u.display_name.clone(),
            checked: form.ticked.contains_key(&format!("p_{}", u.id)),
        })
        .collect();
    let opt = |s: &str| filled(s);
    let view = FormView {
        nav_days: true,
        people,
        form,
        partners: options(
            partner_rows
                .iter()
                .map(|p| (p.id.to_string(), p.name.clone())),
            Some(&form.partner_id.to_string()),
        ),
        repeats: views::choice_options::<RepeatKind>(ctx, Some(&form.repeat.to_string())),
        errors: ctx.errors(errors.as_ref()),
        has_errors: errors.is_some(),
        industries: views::industry_options(ctx, opt(&form.industry).as_deref()),
        municipalities: views::municipality_options(ctx, opt(&form.municipality).as_deref()),
        stages: views::stage_options(ctx, opt(&form.stage).as_deref()),
    };
    ctx.ok("contact_days/form", &ctx.t("days.new"), view)
}

#[derive(Serialize)]
struct FormView<'a> {
    nav_days: bool,
    people: Vec<Participant>,
    form: &'a DayForm,
    partners: Vec<Opt>,
    repeats: Vec<Opt>,
    errors: Messages,
    has_errors: bool,
    industries: Vec<Opt>,
    municipalities: Vec<Opt>,
    stages: Vec<Opt>,
}

/// A colleague to tick as a participant.
#[derive(Serialize)]
struct Participant {
    id: i64,
    name: String,
    checked: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    partner_id: Field<i64>,
}

pub async fn new_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<NewQuery>,
) -> Result<HttpResponse, AppError> {
    actor.require_write()?;
    let ctx = PageCtx::from_req(&req)?;
    let form = DayForm::fresh(&actor, q.into_inner().partner_id);
    render_form(&ctx, &actor, &form, None).await
}

pub async fn create(
    req: HttpRequest,
    PageUser(actor): PageUser,
    SafeForm(form): SafeForm<DayForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (a, now, rules) = (actor.clone(), ctx.state.now(), ctx.state.rules());
    let (filter, only_members) = (form.filter(), form.only_members());
    let result = match form.to_input() {
        Err(e) => Err(e),
        Ok(input) => {
            ctx.state
                .pool
                .tx(move |conn| {
                    let targets = if only_members {
                        Vec::new()
                    } else {
                        let q = filter.parse(100)?;
                        let page = employer_list(conn, &a, &q)?;
                        page.items.iter().map(|e| e.id).collect()
                    };
                    let input = ContactDayInput {
                        target_employer_ids: targets,
                        ..input
                    };
                    contact_days::create(conn, &a, input, &Outbox, &rules, now)
                })
                .await
        }
    };
    submit(
        result,
        |d| {
            see_other(
                &format!("/contact-days/{}", d.row.id),
                Some("flash.day_saved"),
            )
        },
        |e| render_form(&ctx, &actor, &form, Some(e)),
    )
    .await
}

pub async fn show(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    render_show(&ctx, &actor, id.into_inner(), None).await
}

/// The move form on the day's page: what the day becomes (the domain checks it).
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct MoveForm {
    pub date: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub theme: String,
    /// The version the form was opened at (`domain::versioning`).
    pub version: String,
}

/// The day's page; `moving` re-shows the move form with what was typed and why it failed.
pub async fn render_show(
    ctx: &PageCtx,
    actor: &Actor,
    id: i64,
    moving: Option<(&MoveForm, FieldErrors)>,
) -> Result<HttpResponse, AppError> {
    let (a, org) = (actor.clone(), actor.org_id);
    let (d, summary, users, sheet) = ctx
        .state
        .pool
        .run(move |conn| {
            Ok((
                contact_days::get(conn, &a, id)?,
                contact_days::summary(conn, &a, id)?,
                list_org_users(conn, org)?,
                contact_days::call_sheet(conn, &a, id)?,
            ))
        })
        .await?;
    let held = d.row.day <= ctx.state.today() && d.row.status != DayStatus::Cancelled;
    // The host may have left the day (or the organisation's active users): ask all users.
    let name_of = |u: i64| {
        users
            .iter()
            .find(|p| p.id == u)
            .map(|p| p.display_name.clone())
            .unwrap_or_default()
    };
    // My own list first: it is the one I call from.
    let mut people: Vec<&contact_days::Person> = d.participants.iter().collect();
    people.sort_by_key(|p| (p.user_id != actor.user_id, p.name.clone()));
    let lists = people
        .into_iter()
        .map(|p| CallList {
            user_id: p.user_id,
            name: p.name.clone(),
            mine: p.user_id == actor.user_id,
            tally: TallyView::of(&d.tally.get(&p.user_id).cloned().unwrap_or_default()),
            employers: d
                .targets
                .iter()
                .filter(|x| x.assignee_id == Some(p.user_id))
                .map(|x| {
                    TargetLine::of(
                        ctx,
                        x,
                        sheet.iter().find(|r| r.employer_id == x.employer_id),
                        &name_of,
                    )
                })
                .collect(),
        })
        .collect();
    let excluded = d
        .targets
        .iter()
        .filter_map(|x| {
            x.excluded_reason.as_ref().map(|r| ExcludedLine {
                id: x.employer_id,
                name: x.name.clone(),
                reason: ctx.t(r.label_key()),
            })
        })
        .collect();
    let unassigned = d
        .targets
        .iter()
        .filter(|x| x.assignee_id.is_none() && x.excluded_reason.is_none())
        .count();
    let can_manage = actor.can_write()
        && (d.row.host_id == actor.user_id || matches!(actor.role, Role::TeamLead | Role::Admin));
    let joined = d.participants.iter().any(|p| p.user_id == actor.user_id);
    let addable = if can_manage && d.row.status != DayStatus::Cancelled {
        let q = ListParams {
            sort: Some("name".into()),
            ..Default::default()
        }
        .parse(200)?;
        let a = actor.clone();
        ctx.state
            .pool
            .run(move |conn| employer_list(conn, &a, &q))
            .await?
            .items
            .into_iter()
            .filter(|e| e.stage != crate::domain::employers::Stage::DoNotContact)
            .filter(|e| {
                !d.targets
                    .iter()
                    .any(|t| t.employer_id == e.id && t.assignee_id.is_some())
            })
            .map(|e| Named {
                id: e.id,
                name: e.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let invitable = users
        .iter()
        .filter(|u| !d.participants.iter().any(|p| p.user_id == u.id))
        .map(|u| Named {
            id: u.id,
            name: u.display_name.clone(),
        })
        .collect();
    let move_form = match &moving {
        Some((f, _)) => (*f).clone(),
        None => MoveForm {
            date: d.row.day.to_string(),
            starts_at: d.row.starts_at.clone(),
            ends_at: d.row.ends_at.clone(),
            place: d.row.place.clone(),
            theme: d.row.theme.clone().unwrap_or_default(),
            version: d.row.version.to_string(),
        },
    };
    let view = ShowView {
        addable,
        joined,
        invitable,
        move_form,
        move_errors: moving.as_ref().map(|(_, e)| ctx.errors(Some(e))),
        moving: moving.is_some(),
        nav_days: true,
        day: DayView {
            id: d.row.id,
            date: format_date(ctx.lang, d.row.day),
            time: crate::i18n::format_span(ctx.lang, &d.row.starts_at, &d.row.ends_at),
            place: d.row.place.clone(),
            theme: d.row.theme.clone(),
            cancelled: d.row.status == DayStatus::Cancelled,
            host: name_of(d.row.host_id),
        },
        lists,
        excluded,
        unassigned,
        targets: d.targets.len(),
        total: TallyView::of(&d.total),
        can_write: actor.can_write(),
        can_manage,
        held,
        summary: SummaryView {
            leads: summary
                .leads
                .iter()
                .map(|(id, title, employer)| SummaryLead {
                    id: *id,
                    title: title.clone(),
                    employer: employer.clone(),
                })
                .collect(),
            follow_ups: summary
                .follow_ups
                .iter()
                .map(|(title, due, employer)| SummaryFollowUp {
                    title: title.clone(),
                    due: format_date(ctx.lang, *due),
                    employer: employer.clone(),
                })
                .collect(),
            not_attempted: summary
                .not_attempted
                .iter()
                .map(|(id, name)| Named {
                    id: *id,
                    name: name.clone(),
                })
                .collect(),
            no_answer: summary
                .no_answer
                .iter()
                .map(|(id, name)| Named {
                    id: *id,
                    name: name.clone(),
                })
                .collect(),
            earlier: summary
                .earlier
                .iter()
                .map(|e| EarlierDay {
                    id: e.contact_day_id,
                    date: format_date(ctx.lang, e.day),
                    contacts: e.contacts,
                })
                .collect(),
        },
    };
    ctx.ok("contact_days/show", &ctx.t("days.title_one"), view)
}

#[derive(Serialize)]
struct ShowView {
    /// Employers the host can add to a list during the day.
    addable: Vec<Named>,
    /// The user is one of the participants.
    joined: bool,
    /// Colleagues who are not participants yet.
    invitable: Vec<Named>,
    #[serde(rename = "move")]
    move_form: MoveForm,
    move_errors: Option<Messages>,
    /// The move form is re-shown with its messages.
    moving: bool,
    nav_days: bool,
    day: DayView,
    lists: Vec<CallList>,
    excluded: Vec<ExcludedLine>,
    /// Targets neither on a list nor excluded.
    unassigned: usize,
    targets: usize,
    total: TallyView,
    can_write: bool,
    can_manage: bool,
    /// The day has come (and was not cancelled): the summary is shown.
    held: bool,
    summary: SummaryView,
}

#[derive(Serialize)]
struct DayView {
    id: i64,
    date: String,
    time: String,
    place: String,
    theme: Option<String>,
    cancelled: bool,
    host: String,
}

/// An id and a name: a colleague, or an employer not reached.
#[derive(Serialize)]
struct Named {
    id: i64,
    name: String,
}

/// A participant's call list and what came of it.
#[derive(Serialize)]
struct CallList {
    user_id: i64,
    name: String,
    mine: bool,
    #[serde(flatten)]
    tally: TallyView,
    employers: Vec<TargetLine>,
}

/// The day's numbers, each with its one meaning (see `contact_days::Tally`).
#[derive(Serialize)]
struct TallyView {
    attempted: i64,
    reached: i64,
    meetings: i64,
    leads: i64,
    not_attempted: i64,
}

impl TallyView {
    fn of(t: &Tally) -> Self {
        Self {
            attempted: t.attempted,
            reached: t.reached,
            meetings: t.meetings_booked,
            leads: t.leads_found,
            not_attempted: t.not_attempted,
        }
    }
}

/// An employer on a call list with what the caller needs beside it.
#[derive(Serialize)]
struct TargetLine {
    id: i64,
    name: String,
    stage: String,
    contact_name: Option<String>,
    contact_title: Option<String>,
    phone: Option<String>,
    /// The number as a `tel:` address: digits and a leading plus only. (Not `tel`:
    /// that is the template helper's name, and a helper wins over a field.)
    dial: Option<String>,
    last_date: Option<String>,
    last_note: Option<String>,
    done: bool,
    result: Option<String>,
    /// The call went unanswered: to try again, not ticked off as done.
    unanswered: bool,
    done_by: Option<String>,
}

impl TargetLine {
    fn of(
        ctx: &PageCtx,
        t: &contact_days::Target,
        row: Option<&contact_days::CallRow>,
        name_of: &dyn Fn(i64) -> String,
    ) -> Self {
        let tz = ctx.state.settings.timezone;
        let phone = row.and_then(|r| r.phone.clone());
        Self {
            id: t.employer_id,
            name: t.name.clone(),
            stage: ctx.t(t.stage.label_key()),
            contact_name: row.and_then(|r| r.contact_name.clone()),
            contact_title: row.and_then(|r| r.contact_title.clone()),
            dial: phone.as_deref().and_then(crate::web::render::tel_address),
            phone,
            last_date: row
                .and_then(|r| r.last_at)
                .map(|at| format_date(ctx.lang, crate::domain::week::utc_to_local(at, tz).date())),
            last_note: row.and_then(|r| r.last_note.as_deref().map(shorten)),
            done: row.is_some_and(|r| r.done),
            result: row
                .filter(|r| r.done)
                .map(|r| crate::web::pages::contact_day_live::result_label(ctx, r.result)),
            unanswered: row.is_some_and(|r| {
                r.done && r.result == Some(crate::domain::outreach::CallResult::NoAnswer)
            }),
            done_by: row.and_then(|r| r.done_by).map(name_of),
        }
    }
}

/// A note cut to what fits under a name on a phone.
fn shorten(note: &str) -> String {
    const MAX: usize = 140;
    let one_line = note.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= MAX {
        one_line
    } else {
        let cut: String = one_line.chars().take(MAX).collect();
        format!("{}…", cut.trim_end())
    }
}

/// A target employer left off the lists, and why.
#[derive(Serialize)]
struct ExcludedLine {
    id: i64,
    name: String,
    reason: String,
}

/// What the day brought: leads, follow-ups, employers not reached, earlier days.
#[derive(Serialize)]
struct SummaryView {
    leads: Vec<SummaryLead>,
    follow_ups: Vec<SummaryFollowUp>,
    not_attempted: Vec<Named>,
    no_answer: Vec<Named>,
    earlier: Vec<EarlierDay>,
}

#[derive(Serialize)]
struct SummaryLead {
    id: i64,
    title: String,
    employer: String,
}

#[derive(Serialize)]
struct SummaryFollowUp {
    title: String,
    due: String,
    employer: String,
}

#[derive(Serialize)]
struct EarlierDay {
    id: i64,
    date: String,
    contacts: i64,
}

pub async fn build(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(_): SafeForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, rules) = (id.into_inner(), ctx.state.rules());
    match ctx
        .state
        .pool
        .tx(move |conn| contact_days::build_call_lists(conn, &actor, id, &rules))
        .await
    {
        // Built, but nobody to call: say so rather than "built".
        Ok(d) if !d.targets.iter().any(|t| t.assignee_id.is_some()) => Ok(see_other(
            &format!("/contact-days/{id}"),
            Some("flash.lists_empty"),
        )),
        Ok(_) => Ok(see_other(
            &format!("/contact-days/{id}"),
            Some("flash.lists_built"),
        )),
        Err(AppError::Validation(_) | AppError::Conflict(_)) => Ok(see_other(
            &format!("/contact-days/{id}"),
            Some("flash.lists_failed"),
        )),
        Err(e) => Err(e),
    }
}

pub async fn cancel(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(_): SafeForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now, rules) = (id.into_inner(), ctx.state.now(), ctx.state.rules());
    ctx.state
        .pool
        .tx(move |conn| contact_days::cancel(conn, &actor, id, &Outbox, &rules, now))
        .await?;
    Ok(see_other(
        &format!("/contact-days/{id}"),
        Some("flash.day_cancelled"),
    ))
}

/// Contact days: list, planning form, the day, its lists and changes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use crate::web::pages::contact_day_changes as changes;
    cfg.route("/contact-days", web::get().to(list))
        .route("/contact-days", web::post().to(create))
        .route("/contact-days/new", web::get().to(new_form))
        // Before the day's page, which would take "12.ics" as its id.
        .route(
            "/contact-days/{id}.ics",
            web::get().to(crate::web::calendar::contact_day),
        )
        .route("/contact-days/{id}", web::get().to(show))
        .route("/contact-days/{id}/call-lists", web::post().to(build))
        .route("/contact-days/{id}/cancel", web::post().to(cancel))
        .route("/contact-days/{id}/move", web::post().to(changes::move_day))
        .route(
            "/contact-days/{id}/participants",
            web::post().to(changes::invite),
        )
        .route("/contact-days/{id}/join", web::post().to(changes::join))
        .route("/contact-days/{id}/leave", web::post().to(changes::leave));
}
