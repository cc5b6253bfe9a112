//! Contact person forms: added on the employer page, edited on their own page.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::closed_set::Choice;
use crate::domain::contacts::{self, Contact, ContactInput};
use crate::domain::versioning::Expected;
use crate::error::{AppError, FieldErrors, Msg};
use crate::web::extract::{PageUser, SafeForm};
use crate::web::pages::employers::render_show;
use crate::web::pages::views;
use crate::web::pages::{filled, NoFields};
use crate::web::render::{see_other, submit, Messages, Opt, PageCtx};

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ContactForm {
    name: String,
    title: String,
    phone: String,
    email: String,
    preferred_channel: String,
    can_hire: String,
    notes: String,
    /// The version the form was filled from (blank for a new contact person).
    version: String,
    /// Ticked after a look-alike was named: it is another person.
    acknowledge_duplicates: String,
}

impl ContactForm {
    fn to_input(&self) -> ContactInput {
        ContactInput {
            name: filled(&self.name),
            title: filled(&self.title),
            phone: filled(&self.phone),
            email: filled(&self.email),
            preferred_channel: filled(&self.preferred_channel).map(Choice::from),
            can_hire: Some(!self.can_hire.is_empty()),
            notes: filled(&self.notes),
            acknowledge_duplicates: Some(!self.acknowledge_duplicates.is_empty()),
        }
    }

    /// The channel picked, if any.
    pub fn preferred_channel(&self) -> Option<String> {
        filled(&self.preferred_channel)
    }

    fn from_contact(c: &Contact) -> Self {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        Self {
            name: c.name.clone(),
            title: s(&c.title),
            phone: s(&c.phone),
            email: s(&c.email),
            preferred_channel: s(&c.preferred_channel.map(|v| v.to_string())),
            can_hire: if c.can_hire {
                "on".into()
            } else {
                String::new()
            },
            notes: s(&c.notes),
            version: c.version.to_string(),
            acknowledge_duplicates: String::new(),
        }
    }
}

pub async fn create(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(form): SafeForm<ContactForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let employer_id = id.into_inner();
    let (a, input, now) = (actor.clone(), form.to_input(), ctx.state.now());
    let result = ctx
        .state
        .pool
        .tx(move |conn| contacts::create(conn, &a, employer_id, input, now))
        .await
        // Look-alikes are named beside a box that says it is another person.
        .map_err(|e| match e {
            AppError::Duplicates(list) => {
                let mut errors = FieldErrors::default();
                for d in &list {
                    errors.add(
                        "acknowledge_duplicates",
                        Msg::new("duplicate.contact").arg("message", d.message(ctx.lang)),
                    );
                }
                AppError::Conflict(errors)
            }
            other => other,
        });
    submit(
        result,
        |_| {
            see_other(
                &format!("/employers/{employer_id}#contacts"),
                Some("flash.contact_added"),
            )
        },
        |errors| render_show(&ctx, &actor, employer_id, &form, Some(errors)),
    )
    .await
}

fn render_edit(
    ctx: &PageCtx,
    contact: &Contact,
    form: &ContactForm,
    errors: Option<FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let view = EditView {
        nav_employers: true,
        contact_id: contact.id,
        employer_id: contact.employer_id,
        contact_form: form,
        contact_errors: ctx.errors(errors.as_ref()),
        channels: views::channel_options(ctx, form.preferred_channel().as_deref()),
    };
    ctx.ok(
        "employers/contact_edit",
        &ctx.t("contacts.edit_title"),
        view,
    )
}

#[derive(Serialize)]
struct EditView<'a> {
    nav_employers: bool,
    contact_id: i64,
    employer_id: i64,
    contact_form: &'a ContactForm,
    contact_errors: Messages,
    channels: Vec<Opt>,
}

pub async fn edit_form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    actor.require_write()?;
    let ctx = PageCtx::from_req(&req)?;
    let id = id.into_inner();
    let c = ctx
        .state
        .pool
        .run(move |conn| contacts::get(conn, &actor, id))
        .await?;
    render_edit(&ctx, &c, &ContactForm::from_contact(&c), None)
}

pub async fn update(
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
    SafeForm(mut form): SafeForm<ContactForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    let id = id.into_inner();
    let (a, input, now) = (actor.clone(), form.to_input(), ctx.state.now());
    let expected = Expected::from_form(&form.version)?;
    let result = ctx
        .state
        .pool
        .tx(move |conn| contacts::update(conn, &a, id, input, expected, now))
        .await;
    crate::web::render::take_stored_version(&result, &mut form.version);
    let (ctx, form) = (&ctx, &form);
    submit(
        result,
        |c| {
            see_other(
                &format!("/employers/{}#contacts", c.employer_id),
                Some("flash.contact_saved"),
            )
        },
        move |errors| async move {
            let c = ctx
                .state
                .pool
                .run(move |conn| contacts::get(conn, &actor, id))
                .await?;
            render_edit(ctx, &c, form, Some(errors))
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
    let c = ctx
        .state
        .pool
        .tx(move |conn| contacts::delete(conn, &actor, id, now))
        .await?;
    Ok(see_other(
        &format!("/employers/{}#contacts", c.employer_id),
        Some("flash.contact_deleted"),
    ))
}

/// Contact persons at employers.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/employers/{id}/contacts", web::post().to(create))
        .route("/contacts/{id}/edit", web::get().to(edit_form))
        .route("/contacts/{id}", web::post().to(update))
        .route("/contacts/{id}/delete", web::post().to(delete));
}
