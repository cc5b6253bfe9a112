//! Employer pages: list with search and filters, the employer page, create and edit.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::closed_set::Choice;
use crate::domain::contacts;
use crate::domain::employers::duplicates::Duplicate;
use crate::domain::employers::list::{self, ListParams, Sort};
use crate::domain::employers::{service, Employer, EmployerInput};
use crate::domain::partners::Via;
use crate::domain::users::{list_org_users, Actor, UserSummary};
use crate::domain::versioning::Expected;
use crate::error::{AppError, FieldErrors};
use crate::web::errors::url_encode;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::contacts::ContactForm;
use crate::web::pages::field::Field;
use crate::web::pages::views::{self, ContactView, EmployerView, TimelineView};
use crate::web::pages::{create, update, EditForm};
use crate::web::pages::{filled, NoFields};
use crate::web::render::{options, see_other, submit, Messages, Opt, PageCtx};

pub async fn list(
    req: HttpRequest,
    PageUser(actor): PageUser,
    q: web::Query<ListParams>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let params = q.into_inner();
    let raw = params.clone();
    let (query, filter_errors) = match params.parse(ctx.state.settings.page_size) {
        Ok(query) => (query, None),
        Err(AppError::Validation(e)) => (
            ListParams::default().parse(ctx.state.settings.page_size)?,
            Some(e),
        ),
        Err(other) => return Err(other),
    };
    let a = actor.clone();
    let (page, owners) = ctx
        .state
        .pool
        .run(move |conn| {
            Ok((
                list::list(conn, &a, &query)?,
                list_org_users(conn, a.org_id)?,
            ))
        })
        .await?;
    let rows = page
        .items
        .iter()
        .map(|e| views::employer(&ctx, e, &owners))
        .collect();
    let next_url = page.next.as_ref().map(|cursor| {
        let mut parts = filter_pairs(&raw);
        parts.push(("cursor", cursor.clone()));
        format!("/employers?{}", encode_pairs(&parts))
    });
    // The same filters as a spreadsheet download (every match, not only this page).
    let export_url = {
        let mut parts = filter_pairs(&raw);
        parts.push(("spreadsheet", "true".into()));
        format!("/api/v1/exports/employers?{}", encode_pairs(&parts))
    };
    let first_url = raw
        .cursor
        .is_some()
        .then(|| format!("/employers?{}", encode_pairs(&filter_pairs(&raw))));
    let sort_opts = options(
        Sort::ALL.iter().map(|s| {
            (
                s.as_str().to_string(),
                ctx.t(&format!("employers.sort.{}", s.as_str())),
            )
        }),
        Some(raw.sort.as_deref().unwrap_or("name")),
    );
    let view = ListView {
        nav_employers: true,
        rows,
        total: page.total,
        next_url,
        first_url,
        export_url,
        filter_errors: filter_errors.map(|e| ctx.errors(Some(&e))),
        archived: raw.archived.as_deref() == Some("true"),
        municipalities: views::municipality_options(&ctx, raw.municipality.as_deref()),
        industries: views::industry_options(&ctx, raw.industry.as_deref()),
        stages: views::stage_options(&ctx, raw.stage.as_deref()),
        owners: views::owner_options(&owners, raw.owner.as_deref()),
        sorts: sort_opts,
        can_write: actor.can_write(),
        q: raw.q,
        tag: raw.tag,
    };
    ctx.ok("employers/list", &ctx.t("employers.title"), view)
}

#[derive(Serialize)]
struct ListView {
    nav_employers: bool,
    rows: Vec<EmployerView>,
    total: i64,
    next_url: Option<String>,
    first_url: Option<String>,
    export_url: String,
    /// Messages for filters that could not be read (the list is then unfiltered).
    filter_errors: Option<Messages>,
    q: Option<String>,
    tag: Option<String>,
    archived: bool,
    municipalities: Vec<Opt>,
    industries: Vec<Opt>,
    stages: Vec<Opt>,
    owners: Vec<Opt>,
    sorts: Vec<Opt>,
    can_write: bool,
}

fn filter_pairs(p: &ListParams) -> Vec<(&'static str, String)> {
    [
        ("q", &p.q),
        ("municipality", &p.municipality),
        ("industry", &p.industry),
        ("stage", &p.stage),
        ("owner", &p.owner),
        ("tag", &p.tag),
        ("archived", &p.archived),
        ("sort", &p.sort),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().filter(|s| !s.is_empty()).map(|s| (k, s.clone())))
    .collect()
}

fn encode_pairs(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The employer form as posted: strings only, parsed by the domain.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct EmployerForm {
    name: String,
    business_id: String,
    industry: String,
    size_class: String,
    street_address: String,
    postal_code: String,
    municipality_code: String,
    website: String,
    description: String,
    tags: String,
    owner_id: Field<i64>,
    stage: String,
    contact_interval_days: Field<i32>,
    do_not_contact_reason: String,
    /// The version the form was filled from (blank for a new employer).
    version: String,
    /// Ticked: create although the register has look-alikes (they were shown).
    acknowledge_duplicates: String,
}

impl EmployerForm {
    fn to_input(&self) -> Result<EmployerInput, AppError> {
        let mut e = FieldErrors::default();
        let owner_id = self.owner_id.read(&mut e, "owner_id", "error.unknown_user");
        let contact_interval_days =
            self.contact_interval_days
                .read(&mut e, "contact_interval_days", "error.number");
        e.into_result()?;
        Ok(EmployerInput {
            name: filled(&self.name),
            business_id: filled(&self.business_id),
            industry: filled(&self.industry).map(Choice::from),
            size_class: filled(&self.size_class).map(Choice::from),
            street_address: filled(&self.street_address),
            postal_code: filled(&self.postal_code),
            municipality_code: filled(&self.municipality_code),
            website: filled(&self.website),
            description: filled(&self.description),
            tags: self.tags.split(',').map(str::to_string).collect(),
            owner_id,
            stage: filled(&self.stage).map(Choice::from),
            contact_interval_days,
            do_not_contact_reason: filled(&self.do_not_contact_reason),
            acknowledge_duplicates: Some(!self.acknowledge_duplicates.is_empty()),
        })
    }

    fn from_employer(e: &Employer) -> Self {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        Self {
            name: e.name.clone(),
            business_id: s(&e.business_id),
            industry: s(&e.industry.map(|v| v.to_string())),
            size_class: s(&e.size_class.map(|v| v.to_string())),
            street_address: s(&e.street_address),
            postal_code: s(&e.postal_code),
            municipality_code: s(&e.municipality_code),
            website: s(&e.website),
            description: s(&e.description),
            tags: e.tags.join(", "),
            owner_id: e.owner_id.into(),
            stage: e.stage.to_string(),
            contact_interval_days: e.contact_interval_days.into(),
            do_not_contact_reason: e.do_not_contact_reason.clone().unwrap_or_default(),
            version: e.version.to_string(),
            acknowledge_duplicates: String::new(),
        }
    }
}

fn render_form(
    ctx: &PageCtx,
    form: &EmployerForm,
    errors: Option<FieldErrors>,
    owners: &[UserSummary],
    editing: Option<i64>,
) -> Result<HttpResponse, AppError> {
    render_form_with(ctx, form, errors, owners, editing, &[])
}

fn render_form_with(
    ctx: &PageCtx,
    form: &EmployerForm,
    errors: Option<FieldErrors>,
    owners: &[UserSummary],
    editing: Option<i64>,
    duplicates: &[Duplicate],
) -> Result<HttpResponse, AppError> {
    let title = match editing {
        Some(_) => ctx.t("employers.edit_title"),
        None => ctx.t("employers.new_title"),
    };
    let opt = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    let action = editing
        .map(|id| format!("/employers/{id}"))
        .unwrap_or_else(|| "/employers".into());
    let stage = if form.stage.is_empty() {
        "not_contacted"
    } else {
        &form.stage
    };
    let view = FormView {
        nav_employers: true,
        form,
        errors: ctx.errors(errors.as_ref()),
        has_errors: errors.is_some(),
        cancel: action.clone(),
        action,
        industries: views::industry_options(ctx, opt(&form.industry).as_deref()),
        sizes: views::size_options(opt(&form.size_class).as_deref()),
        municipalities: views::municipality_options(ctx, opt(&form.municipality_code).as_deref()),
        owners: views::owner_options(owners, opt(&form.owner_id.to_string()).as_deref()),
        stages: views::stage_options(ctx, Some(stage)),
        duplicates: duplicates
            .iter()
            .map(|d| DuplicateView {
                id: d.id,
                name: d.name.clone(),
                place: d
                    .municipality_code
                    .as_deref()
                    .and_then(|c| crate::domain::reference::MUNICIPALITIES.get(c))
                    .map(|m| m.name(ctx.lang).to_string()),
                why: ctx.t(&format!("duplicate_why.{}", d.why.as_str())),
            })
            .collect(),
    };
    ctx.ok("employers/form", &title, view)
}

#[derive(Serialize)]
struct FormView<'a> {
    nav_employers: bool,
    form: &'a EmployerForm,
    errors: Messages,
    has_errors: bool,
    action: String,
    /// Back to the employer, or to the list for a new one.
    cancel: String,
    industries: Vec<Opt>,
    sizes: Vec<Opt>,
    municipalities: Vec<Opt>,
    owners: Vec<Opt>,
    stages: Vec<Opt>,
    /// Look-alikes in the register, shown before a new employer is created.
    duplicates: Vec<DuplicateView>,
}

#[derive(Serialize)]
struct DuplicateView {
    id: i64,
    name: String,
    /// The municipality, to tell "Ahven Pesula Oy" and "Ahven Pesula Tmi" apart.
    place: Option<String>,
    why: String,
}

async fn owners_of(ctx: &PageCtx, actor: &Actor) -> Result<Vec<UserSummary>, AppError> {
    let org = actor.org_id;
    ctx.state
        .pool
        .run(move |conn| list_org_users(conn, org))
        .await
}

pub async fn new_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
) -> Result<HttpResponse, AppError> {
    actor.require_write()?;
    let ctx = PageCtx::from_req(&req)?;
    let owners = owners_of(&ctx, &actor).await?;
    let form = EmployerForm {
        owner_id: Field::Value(actor.user_id),
        ..Default::default()
    };
    render_form(&ctx, &form, None, &owners, None)
}

impl EditForm for EmployerForm {
    /// Saves the form, or shows it again with the messages next to the fields.
    async fn save(
        req: HttpRequest,
        actor: Actor,
        mut form: Self,
        id: Option<i64>,
    ) -> Result<HttpResponse, AppError> {
        let ctx = PageCtx::from_req(&req)?;
        let (a, now) = (actor.clone(), ctx.state.now());
        let expected = Expected::from_form(&form.version)?;
        let result = match form.to_input() {
            Err(e) => Err(e),
            Ok(input) => {
                ctx.state
                    .pool
                    .tx(move |conn| match id {
                        Some(id) => service::update(conn, &a, id, input, expected, now),
                        None => service::create(conn, &a, input, now),
                    })
                    .await
            }
        };
        crate::web::render::take_stored_version(&result, &mut form.version);
        // Look-alikes in the register: the form again, linking them, with a box to
        // create the employer anyway.
        if let Err(AppError::Duplicates(list)) = &result {
            let owners = owners_of(&ctx, &actor).await?;
            // No field is wrong: the look-alikes have their own box.
            let mut page = render_form_with(&ctx, &form, None, &owners, id, list)?;
            *page.status_mut() = actix_web::http::StatusCode::CONFLICT;
            return Ok(page);
        }
        let flash = match id {
            Some(_) => "flash.employer_saved",
            None => "flash.employer_created",
        };
        let (ctx, actor, form) = (&ctx, &actor, &form);
        submit(
            result,
            |e| see_other(&format!("/employers/{}", e.id), Some(flash)),
            move |errors| async move {
                let owners = owners_of(ctx, actor).await?;
                render_form(ctx, form, Some(errors), &owners, id)
            },
        )
        .await
    }
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
    let (e, owners) = ctx
        .state
        .pool
        .run(move |conn| Ok((service::get(conn, &a, id)?, list_org_users(conn, a.org_id)?)))
        .await?;
    render_form(
        &ctx,
        &EmployerForm::from_employer(&e),
        None,
        &owners,
        Some(id),
    )
}

/// The employer page, with a contact form that may carry errors from a failed post.
pub async fn render_show(
    ctx: &PageCtx,
    actor: &Actor,
    id: i64,
    contact_form: &ContactForm,
    contact_errors: Option<FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let a = actor.clone();
    let today = ctx.state.today();
    let (e, people, owners, timeline, partner) = ctx
        .state
        .pool
        .run(move |conn| {
            let e = service::get(conn, &a, id)?;
            let partner = match e.partner_id {
                Some(p) => Some(crate::domain::partners::row(conn, &a, p)?),
                None => None,
            };
            Ok((
                e,
                contacts::list_for_employer(conn, &a, id)?,
                list_org_users(conn, a.org_id)?,
                crate::domain::outreach::timeline::timeline(conn, &a, id, today, 30)?,
                partner,
            ))
        })
        .await?;
    let view = ShowView {
        nav_employers: true,
        employer: views::employer(ctx, &e, &owners),
        contacts: people.iter().map(|c| views::contact(ctx, c)).collect(),
        contact_form,
        contact_errors: ctx.errors(contact_errors.as_ref()),
        channels: views::channel_options(ctx, contact_form.preferred_channel().as_deref()),
        can_write: actor.can_write(),
        timeline: views::timeline(ctx, &timeline),
        came_through: partner.map(|p| CameThrough {
            id: p.id,
            name: p.name,
            via: ctx.t(e.partner_via.unwrap_or(Via::Referral).label_key()),
        }),
    };
    ctx.ok("employers/show", &e.name, view)
}

#[derive(Serialize)]
struct ShowView<'a> {
    nav_employers: bool,
    employer: EmployerView,
    contacts: Vec<ContactView>,
    /// The add-a-contact form: blank, or as posted with `contact_errors`.
    contact_form: &'a ContactForm,
    contact_errors: Messages,
    channels: Vec<Opt>,
    can_write: bool,
    timeline: TimelineView,
    came_through: Option<CameThrough>,
}

/// The partner organisation the employer came through, and how.
#[derive(Serialize)]
struct CameThrough {
    id: i64,
    name: String,
    via: String,
}

pub async fn show(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let id = id.into_inner();
    match render_show(&ctx, &actor, id, &ContactForm::default(), None).await {
        // A merged employer's old address leads to the one it was merged into.
        Err(AppError::NotFound) => {
            let into = ctx
                .state
                .pool
                .run(move |conn| {
                    let mut at = id;
                    for _ in 0..10 {
                        match crate::domain::employers::merge::merged_into(conn, &actor, at)? {
                            Some(next) => at = next,
                            None => break,
                        }
                    }
                    Ok((at != id).then_some(at))
                })
                .await?;
            match into {
                Some(to) => Ok(see_other(
                    &format!("/employers/{to}"),
                    Some("flash.employer_merged_away"),
                )),
                None => Err(AppError::NotFound),
            }
        }
        other => other,
    }
}

async fn set_archived(
    req: HttpRequest,
    actor: Actor,
    id: i64,
    archive: bool,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let now = ctx.state.now();
    ctx.state
        .pool
        .tx(move |conn| {
            if archive {
                service::archive(conn, &actor, id, now)
            } else {
                service::restore(conn, &actor, id, now)
            }
        })
        .await?;
    let flash = if archive {
        "flash.employer_archived"
    } else {
        "flash.employer_restored"
    };
    Ok(see_other(&format!("/employers/{id}"), Some(flash)))
}

pub async fn archive(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(_): SafeForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    set_archived(req, actor, id.into_inner(), true).await
}

pub async fn restore(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(_): SafeForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    set_archived(req, actor, id.into_inner(), false).await
}

/// Employers.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/employers", web::get().to(list))
        .route("/employers", web::post().to(create::<EmployerForm>))
        .route("/employers/new", web::get().to(new_form))
        .route("/employers/{id}", web::get().to(show))
        .route("/employers/{id}", web::post().to(update::<EmployerForm>))
        .route("/employers/{id}/edit", web::get().to(edit_form))
        .route("/employers/{id}/archive", web::post().to(archive))
        .route("/employers/{id}/restore", web::post().to(restore));
}
