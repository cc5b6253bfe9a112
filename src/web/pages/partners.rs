//! Partner pages: the list, one form for adding and editing, and the partner's page with
//! its report, agreements, members (with the member-list import) and joint events.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::closed_set::Choice;
use crate::domain::employers::list::{list as employer_list, ListParams};
use crate::domain::partners::report::{self, Quarter, Report};
use crate::domain::partners::{
    self, agreements, events, members, ContactInput, Partner, PartnerContact, PartnerInput,
    PartnerKind, PartnerStatus,
};
use crate::domain::reference::MUNICIPALITIES;
use crate::domain::users::{list_org_users, Actor};
use crate::domain::versioning::Expected;
use crate::error::{AppError, FieldErrors};
use crate::i18n::format_date;
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::field::Field;
use crate::web::pages::filled;
use crate::web::pages::partner_forms::FormState;
use crate::web::pages::views::{self, Named};
use crate::web::render::{see_other, submit, Messages, Opt, PageCtx};

pub async fn list(req: HttpRequest, PageUser(actor): PageUser) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let a = actor.clone();
    let rows = ctx
        .state
        .pool
        .run(move |conn| {
            let list = partners::list(conn, &a, Some("all"))?;
            list.into_iter()
                .map(|p| Ok((members::count(conn, a.org_id, p.id)?, p)))
                .collect::<Result<Vec<_>, AppError>>()
        })
        .await?;
    let rows = rows
        .iter()
        .map(|(n, p)| PartnerLine {
            id: p.id,
            name: p.name.clone(),
            kind: ctx.t(p.kind.label_key()),
            status: p.status,
            status_label: ctx.t(p.status.label_key()),
            members: *n,
            ended: p.status == PartnerStatus::Ended,
        })
        .collect();
    let view = ListView {
        nav_partners: true,
        rows,
        can_write: actor.can_write(),
        export_url: views::export_url("partners", &[("status", Some("all".into()))]),
    };
    ctx.ok("partners/list", &ctx.t("partners.title"), view)
}

#[derive(Serialize)]
struct ListView {
    nav_partners: bool,
    rows: Vec<PartnerLine>,
    can_write: bool,
    export_url: String,
}

#[derive(Serialize)]
struct PartnerLine {
    id: i64,
    name: String,
    kind: String,
    status: PartnerStatus,
    status_label: String,
    /// How many member employers.
    members: i64,
    ended: bool,
}

/// The partner form; up to three contact people as `c0_name`, `c0_role` ... (a row
/// left empty is left out).
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
#[serde(default)]
pub struct PartnerForm {
    name: String,
    kind: String,
    status: String,
    /// Municipalities as comma-separated names or codes.
    area: String,
    owner_id: Field<i64>,
    notes: String,
    c0_name: String,
    c0_role: String,
    c0_email: String,
    c0_phone: String,
    c1_name: String,
    c1_role: String,
    c1_email: String,
    c1_phone: String,
    c2_name: String,
    c2_role: String,
    c2_email: String,
    c2_phone: String,
    /// The version the form was opened at (`domain::versioning`).
    version: String,
}

impl PartnerForm {
    /// Contact row `i` (0-2): name, role, e-mail, phone.
    fn contact(&self, i: usize) -> [&str; 4] {
        match i {
            0 => [&self.c0_name, &self.c0_role, &self.c0_email, &self.c0_phone],
            1 => [&self.c1_name, &self.c1_role, &self.c1_email, &self.c1_phone],
            _ => [&self.c2_name, &self.c2_role, &self.c2_email, &self.c2_phone],
        }
    }

    fn set_contact(&mut self, i: usize, [name, role, email, phone]: [String; 4]) {
        let row = match i {
            0 => [
                &mut self.c0_name,
                &mut self.c0_role,
                &mut self.c0_email,
                &mut self.c0_phone,
            ],
            1 => [
                &mut self.c1_name,
                &mut self.c1_role,
                &mut self.c1_email,
                &mut self.c1_phone,
            ],
            _ => [
                &mut self.c2_name,
                &mut self.c2_role,
                &mut self.c2_email,
                &mut self.c2_phone,
            ],
        };
        for (field, v) in row.into_iter().zip([name, role, email, phone]) {
            *field = v;
        }
    }

    fn of(ctx: &PageCtx, p: &Partner) -> Self {
        let mut form = Self {
            name: p.row.name.clone(),
            kind: p.row.kind.to_string(),
            status: p.row.status.to_string(),
            notes: p.row.notes.clone().unwrap_or_default(),
            area: area_names(ctx, p).join(", "),
            owner_id: p.row.owner_id.into(),
            version: p.row.version.to_string(),
            ..Default::default()
        };
        for (i, c) in p.contacts.iter().take(3).enumerate() {
            let o = |v: &Option<String>| v.clone().unwrap_or_default();
            form.set_contact(i, [c.name.clone(), o(&c.role), o(&c.email), o(&c.phone)]);
        }
        form
    }

    fn to_input(&self) -> Result<PartnerInput, AppError> {
        let mut e = FieldErrors::default();
        let owner_id = self.owner_id.read(&mut e, "owner_id", "error.unknown_user");
        e.into_result()?;
        let contacts = (0..3)
            .filter_map(|i| {
                let [name, role, email, phone] = self.contact(i).map(filled);
                let c = ContactInput {
                    name,
                    role,
                    email,
                    phone,
                };
                (c.name.is_some() || c.role.is_some() || c.email.is_some() || c.phone.is_some())
                    .then_some(c)
            })
            .collect();
        Ok(PartnerInput {
            name: filled(&self.name),
            kind: filled(&self.kind).map(Choice::from),
            area: filled(&self.area)
                .map(|a| a.split(',').map(|s| s.trim().to_string()).collect())
                .unwrap_or_default(),
            owner_id,
            notes: filled(&self.notes),
            status: filled(&self.status).map(Choice::from),
            contacts: Some(contacts),
        })
    }
}

async fn render_form(
    ctx: &PageCtx,
    actor: &Actor,
    id: Option<i64>,
    form: &PartnerForm,
    errors: Option<FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let org = actor.org_id;
    let users = ctx
        .state
        .pool
        .run(move |conn| list_org_users(conn, org))
        .await?;
    let messages = |key: String| {
        errors
            .as_ref()
            .and_then(|e| e.0.get(&key))
            .map(|m| m.iter().map(|x| x.text(ctx.lang)).collect::<Vec<_>>())
    };
    let contacts = (0..3)
        .map(|i| {
            let [name, role, email, phone] = form.contact(i);
            ContactRow {
                i,
                id_name: format!("c{i}_name"),
                id_email: format!("c{i}_email"),
                id_phone: format!("c{i}_phone"),
                name,
                role,
                email,
                phone,
                err_name: messages(format!("contacts.{i}.name")),
                err_email: messages(format!("contacts.{i}.email")),
                err_phone: messages(format!("contacts.{i}.phone")),
            }
        })
        .collect();
    let title = if id.is_some() {
        ctx.t("partners.edit")
    } else {
        ctx.t("partners.new")
    };
    let status = filled(&form.status).unwrap_or_else(|| "active".into());
    let view = FormView {
        nav_partners: true,
        id,
        action: id
            .map(|i| format!("/partners/{i}"))
            .unwrap_or_else(|| "/partners".into()),
        form: FormText {
            name: &form.name,
            area: &form.area,
            notes: &form.notes,
            version: &form.version,
        },
        kinds: views::choice_options::<PartnerKind>(ctx, filled(&form.kind).as_deref()),
        statuses: views::choice_options::<PartnerStatus>(ctx, Some(&status)),
        owners: views::owner_options(&users, filled(&form.owner_id.to_string()).as_deref()),
        contacts,
        errors: ctx.errors(errors.as_ref()),
        has_errors: errors.is_some(),
    };
    ctx.ok("partners/form", &title, view)
}

#[derive(Serialize)]
struct FormView<'a> {
    nav_partners: bool,
    id: Option<i64>,
    action: String,
    form: FormText<'a>,
    kinds: Vec<Opt>,
    statuses: Vec<Opt>,
    owners: Vec<Opt>,
    contacts: Vec<ContactRow<'a>>,
    errors: Messages,
    has_errors: bool,
}

/// The form's text fields (the choices are shown as options, the contacts as rows).
#[derive(Serialize)]
struct FormText<'a> {
    name: &'a str,
    area: &'a str,
    notes: &'a str,
    version: &'a str,
}

/// Contact row `i` of the form, with its field ids and messages.
#[derive(Serialize)]
struct ContactRow<'a> {
    i: usize,
    id_name: String,
    id_email: String,
    id_phone: String,
    name: &'a str,
    role: &'a str,
    email: &'a str,
    phone: &'a str,
    err_name: Option<Vec<String>>,
    err_email: Option<Vec<String>>,
    err_phone: Option<Vec<String>>,
}

pub async fn new_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
) -> Result<HttpResponse, AppError> {
    actor.require_write()?;
    let ctx = PageCtx::from_req(&req)?;
    let form = PartnerForm {
        owner_id: Field::Value(actor.user_id),
        ..Default::default()
    };
    render_form(&ctx, &actor, None, &form, None).await
}

pub async fn create(
    req: HttpRequest,
    PageUser(actor): PageUser,
    SafeForm(form): SafeForm<PartnerForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (now, a) = (ctx.state.now(), actor.clone());
    let result = match form.to_input() {
        Err(e) => Err(e),
        Ok(input) => {
            ctx.state
                .pool
                .tx(move |conn| partners::create(conn, &a, input, now))
                .await
        }
    };
    submit(
        result,
        |p| {
            see_other(
                &format!("/partners/{}", p.row.id),
                Some("flash.partner_saved"),
            )
        },
        |e| render_form(&ctx, &actor, None, &form, Some(e)),
    )
    .await
}

pub async fn edit_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    actor.require_write()?;
    let ctx = PageCtx::from_req(&req)?;
    let (id, a) = (id.into_inner(), actor.clone());
    let p = ctx
        .state
        .pool
        .run(move |conn| partners::get(conn, &a, id))
        .await?;
    render_form(&ctx, &actor, Some(id), &PartnerForm::of(&ctx, &p), None).await
}

pub async fn update(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(mut form): SafeForm<PartnerForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let (id, now, a) = (id.into_inner(), ctx.state.now(), actor.clone());
    let expected = Expected::from_form(&form.version)?;
    let result = match form.to_input() {
        Err(e) => Err(e),
        Ok(input) => {
            ctx.state
                .pool
                .tx(move |conn| partners::update(conn, &a, id, input, expected, now))
                .await
        }
    };
    crate::web::render::take_stored_version(&result, &mut form.version);
    submit(
        result,
        |_| see_other(&format!("/partners/{id}"), Some("flash.partner_saved")),
        |e| render_form(&ctx, &actor, Some(id), &form, Some(e)),
    )
    .await
}

fn area_names(ctx: &PageCtx, p: &Partner) -> Vec<String> {
    p.area
        .iter()
        .map(|c| {
            MUNICIPALITIES
                .get(c)
                .map(|m| m.name(ctx.lang).to_string())
                .unwrap_or_else(|| c.clone())
        })
        .collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    quarter: Option<String>,
    /// Finds employers to add as members or mark as referred.
    q: Option<String>,
}

pub async fn show(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    q: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let q = q.into_inner();
    let quarter = q
        .quarter
        .and_then(|s| Quarter::parse(&s).ok())
        .unwrap_or_else(|| Quarter::of(ctx.state.today()));
    let forms = match q.q.filter(|s| !s.trim().is_empty()) {
        None => FormState::default(),
        Some(text) => {
            let (a, t) = (actor.clone(), text.clone());
            let found = ctx
                .state
                .pool
                .run(move |conn| {
                    let params = ListParams {
                        q: Some(t),
                        limit: Some("10".into()),
                        ..Default::default()
                    }
                    .parse(10)?;
                    Ok(employer_list(conn, &a, &params)?.items)
                })
                .await?;
            FormState {
                found: found.iter().map(|e| Named::new(e.id, &e.name)).collect(),
                q: text,
                ..Default::default()
            }
        }
    };
    render_show(
        &ctx,
        &actor,
        id.into_inner(),
        quarter,
        StatusCode::OK,
        forms,
    )
    .await
}

/// The partner's page; `forms` carries what a failed or finished form wants shown
/// (agreement errors, the import result, event errors) and the employer search.
pub async fn render_show(
    ctx: &PageCtx,
    actor: &Actor,
    id: i64,
    quarter: Quarter,
    status: StatusCode,
    forms: FormState,
) -> Result<HttpResponse, AppError> {
    let (a, tz) = (actor.clone(), ctx.state.settings.timezone);
    let (p, r, ags, mem, evs, users) = ctx
        .state
        .pool
        .run(move |conn| {
            Ok((
                partners::get(conn, &a, id)?,
                report::quarter(conn, &a, id, quarter, tz)?,
                agreements::list(conn, &a, id)?,
                members::list(conn, &a, id)?,
                events::list(conn, &a, id)?,
                list_org_users(conn, a.org_id)?,
            ))
        })
        .await?;
    let today = ctx.state.today();
    let reminder_days = ctx.state.rules().agreement_reminder_days;
    let view = ShowView {
        nav_partners: true,
        can_write: actor.can_write(),
        p: PartnerView {
            id: p.row.id,
            name: p.row.name.clone(),
            kind: ctx.t(p.row.kind.label_key()),
            status: p.row.status,
            status_label: ctx.t(p.row.status.label_key()),
            area: area_names(ctx, &p).join(", "),
            notes: p.row.notes.clone(),
            owner: views::owner_name(&users, p.row.owner_id),
            contacts: p.contacts.clone(),
        },
        report: r,
        quarter: QuarterView {
            label: quarter.title(ctx.lang),
            prev: quarter.prev().label(),
            next: quarter.next().label(),
            prev_label: quarter.prev().title(ctx.lang),
            next_label: quarter.next().title(ctx.lang),
            from: format_date(ctx.lang, quarter.first_day()),
            to: format_date(ctx.lang, quarter.last_day()),
        },
        agreements: ags
            .iter()
            .map(|g| AgreementLine {
                summary: g.row.summary.clone(),
                starts: format_date(ctx.lang, g.row.starts_on),
                ends: g.row.ends_on.map(|d| format_date(ctx.lang, d)),
                links: g.links.clone(),
                ending_soon: g
                    .row
                    .ends_on
                    .is_some_and(|d| d >= today && (d - today).num_days() <= reminder_days),
                ended: g.row.ends_on.is_some_and(|d| d < today),
            })
            .collect(),
        members: mem
            .iter()
            .map(|m| MemberLine {
                id: m.employer_id,
                name: m.name.clone(),
                stage: ctx.t(m.stage.label_key()),
                new: !m.known_before,
                municipality: views::municipality_name(ctx, m.municipality_code.as_deref()),
                owner: views::owner_name(&users, m.owner_id),
            })
            .collect(),
        known_members: mem.iter().filter(|m| m.known_before).count(),
        member_count: mem.len(),
        events: evs
            .iter()
            .map(|e| EventLine {
                id: e.id,
                title: e.title.clone(),
                date: format_date(ctx.lang, e.held_on),
                place: e.place.clone(),
            })
            .collect(),
        people: users
            .iter()
            .map(|u| Named::new(u.id, &u.display_name))
            .collect(),
        forms,
    };
    ctx.render(status, "partners/show", &p.row.name, view)
}

#[derive(Serialize)]
struct ShowView {
    nav_partners: bool,
    can_write: bool,
    p: PartnerView,
    report: Report,
    quarter: QuarterView,
    agreements: Vec<AgreementLine>,
    members: Vec<MemberLine>,
    /// Members we knew before the partner's list.
    known_members: usize,
    member_count: usize,
    events: Vec<EventLine>,
    /// Our people, to tick who went to an event.
    people: Vec<Named>,
    #[serde(flatten)]
    forms: FormState,
}

#[derive(Serialize)]
struct PartnerView {
    id: i64,
    name: String,
    kind: String,
    status: PartnerStatus,
    status_label: String,
    /// Municipality names.
    area: String,
    notes: Option<String>,
    owner: Option<String>,
    contacts: Vec<PartnerContact>,
}

/// The quarter reported, with its neighbours for the links.
#[derive(Serialize)]
struct QuarterView {
    label: String,
    /// Codes for the links; `*_label` as the reader writes them.
    prev: String,
    next: String,
    prev_label: String,
    next_label: String,
    from: String,
    to: String,
}

#[derive(Serialize)]
struct AgreementLine {
    summary: String,
    starts: String,
    ends: Option<String>,
    links: Vec<String>,
    ending_soon: bool,
    ended: bool,
}

#[derive(Serialize)]
struct MemberLine {
    id: i64,
    name: String,
    stage: String,
    /// Created by the member list: not known to us before.
    new: bool,
    municipality: Option<String>,
    owner: Option<String>,
}

#[derive(Serialize)]
struct EventLine {
    id: i64,
    title: String,
    date: String,
    place: Option<String>,
}

/// Partner organisations; the forms on a partner's page are in `partner_forms`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use crate::web::pages::partner_forms as forms;
    cfg.route("/partners", web::get().to(list))
        .route("/partners", web::post().to(create))
        .route("/partners/new", web::get().to(new_form))
        .route("/partners/{id}", web::get().to(show))
        .route("/partners/{id}", web::post().to(update))
        .route("/partners/{id}/edit", web::get().to(edit_form))
        .route(
            "/partners/{id}/agreements",
            web::post().to(forms::add_agreement),
        )
        .route("/partners/{id}/members", web::post().to(forms::add_member))
        .route("/partners/{id}/referrals", web::post().to(forms::refer))
        .route("/partners/{id}/events", web::post().to(forms::add_event))
        .route("/partners/{id}/events/{eid}", web::get().to(forms::event))
        .route(
            "/partners/{id}/events/{eid}/employers",
            web::post().to(forms::met),
        );
}
