//! Handlebars templates embedded in the binary, the translation helpers they use,
//! and `PageCtx`, which every page handler renders through.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::Cookie;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use handlebars::Handlebars;
use serde::Serialize;

use crate::app::AppState;
use crate::domain::users::Actor;
use crate::error::{AppError, FieldErrors};
use crate::i18n::{self, Lang};
use crate::web::csrf::CsrfToken;
use crate::web::extract::{negotiate_lang, state};

/// Every template, by name; embedded so the binary runs from any folder.
#[rustfmt::skip]
const TEMPLATES: &[(&str, &str)] = &[
    (
        "layouts/base",
        include_str!("../../templates/layouts/base.hbs"),
    ),
    (
        "partials/nav",
        include_str!("../../templates/partials/nav.hbs"),
    ),
    ("partials/nav_links", include_str!("../../templates/partials/nav_links.hbs")),
    (
        "partials/field_error",
        include_str!("../../templates/partials/field_error.hbs"),
    ),
    (
        "partials/flash",
        include_str!("../../templates/partials/flash.hbs"),
    ),
    (
        "partials/csrf",
        include_str!("../../templates/partials/csrf.hbs"),
    ),
    (
        "partials/version",
        include_str!("../../templates/partials/version.hbs"),
    ),
    ("auth/login", include_str!("../../templates/auth/login.hbs")),
    ("audit/show", include_str!("../../templates/audit/show.hbs")),
    ("employers/duplicates", include_str!("../../templates/employers/duplicates.hbs")),
    ("imports/form", include_str!("../../templates/imports/form.hbs")),
    ("clients/export", include_str!("../../templates/clients/export.hbs")),
    ("clients/erase", include_str!("../../templates/clients/erase.hbs")),
    ("audit/deleted", include_str!("../../templates/audit/deleted.hbs")),
    (
        "account/show",
        include_str!("../../templates/account/show.hbs"),
    ),
    (
        "employers/list",
        include_str!("../../templates/employers/list.hbs"),
    ),
    (
        "employers/show",
        include_str!("../../templates/employers/show.hbs"),
    ),
    (
        "employers/form",
        include_str!("../../templates/employers/form.hbs"),
    ),
    (
        "employers/contact_fields",
        include_str!("../../templates/employers/contact_fields.hbs"),
    ),
    (
        "employers/contact_edit",
        include_str!("../../templates/employers/contact_edit.hbs"),
    ),
    (
        "errors/page",
        include_str!("../../templates/errors/page.hbs"),
    ),
    (
        "api/reference",
        include_str!("../../templates/api/reference.hbs"),
    ),
    ("api/fields", include_str!("../../templates/api/fields.hbs")),
    (
        "outreach/form",
        include_str!("../../templates/outreach/form.hbs"),
    ),
    (
        "outreach/pick",
        include_str!("../../templates/outreach/pick.hbs"),
    ),
    ("outreach/log", include_str!("../../templates/outreach/log.hbs")),
    ("clients/list", include_str!("../../templates/clients/list.hbs")),
    ("clients/form", include_str!("../../templates/clients/form.hbs")),
    ("clients/show", include_str!("../../templates/clients/show.hbs")),
    ("clients/profile", include_str!("../../templates/clients/profile.hbs")),
    ("clients/placement", include_str!("../../templates/clients/placement.hbs")),
    ("clients/lead_matches", include_str!("../../templates/clients/lead_matches.hbs")),
    ("contact_days/list", include_str!("../../templates/contact_days/list.hbs")),
    ("contact_days/form", include_str!("../../templates/contact_days/form.hbs")),
    ("contact_days/show", include_str!("../../templates/contact_days/show.hbs")),
    ("plan/week", include_str!("../../templates/plan/week.hbs")),
    ("fidelity/show", include_str!("../../templates/fidelity/show.hbs")),
    ("fidelity/review", include_str!("../../templates/fidelity/review.hbs")),
    ("fidelity/agenda", include_str!("../../templates/fidelity/agenda.hbs")),
    ("partners/list", include_str!("../../templates/partners/list.hbs")),
    ("partners/form", include_str!("../../templates/partners/form.hbs")),
    ("partners/show", include_str!("../../templates/partners/show.hbs")),
    ("partners/event", include_str!("../../templates/partners/event.hbs")),
    ("plan/form", include_str!("../../templates/plan/form.hbs")),
    ("plan/team", include_str!("../../templates/plan/team.hbs")),
    (
        "follow_ups/list",
        include_str!("../../templates/follow_ups/list.hbs"),
    ),
    ("leads/list", include_str!("../../templates/leads/list.hbs")),
    ("leads/form", include_str!("../../templates/leads/form.hbs")),
];

pub struct Templates(Handlebars<'static>);

/// "+358 40 123 4567" as "+358401234567", for `tel:` links; None when there is no
/// number to dial.
pub fn tel_address(phone: &str) -> Option<String> {
    let mut out: String = phone.chars().filter(|c| c.is_ascii_digit()).collect();
    if out.len() < 3 {
        return None;
    }
    if phone.trim_start().starts_with('+') {
        out.insert(0, '+');
    }
    Some(out)
}

/// `{{tel phone}}`: the number as a `tel:` link wants it.
fn tel_helper(
    h: &handlebars::Helper,
    _: &Handlebars,
    _: &handlebars::Context,
    _: &mut handlebars::RenderContext,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    let phone = h
        .param(0)
        .and_then(|p| p.value().as_str())
        .unwrap_or_default();
    out.write(&tel_address(phone).unwrap_or_default())?;
    Ok(())
}

impl Templates {
    pub fn new() -> Self {
        // Strict: a misspelt or missing field fails the render (and so a test) instead
        // of showing nothing.
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        for (name, src) in TEMPLATES {
            hb.register_template_string(name, *src)
                .unwrap_or_else(|e| panic!("template {name}: {e}"));
        }
        hb.register_helper("t", Box::new(i18n::t_helper(true)));
        hb.register_helper("tel", Box::new(tel_helper));
        Self(hb)
    }

    pub fn render(&self, name: &str, data: &impl Serialize) -> Result<String, AppError> {
        self.0
            .render(name, data)
            .map_err(|e| AppError::internal(format!("template {name}: {e}")))
    }
}

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}

pub const FLASH_COOKIE: &str = "pf_flash";

/// A form's messages by field, translated.
pub type Messages = std::collections::BTreeMap<String, Vec<String>>;

/// What every page shows: language, title, CSRF token, flash message and the user.
#[derive(Serialize)]
struct Shell<'a> {
    lang: &'static str,
    title: &'a str,
    csrf: &'a str,
    path: &'a str,
    flash: Option<String>,
    /// The flash says something did not happen (styled and announced as a warning).
    flash_warn: bool,
    form_errors: bool,
    user: Option<UserView<'a>>,
}

#[derive(Serialize)]
struct UserView<'a> {
    display_name: &'a str,
    org_name: &'a str,
    role: crate::domain::users::Role,
    role_label: String,
    can_write: bool,
    /// Reads the audit trail and erases job seekers' data.
    is_admin: bool,
    /// Sees deleted contact-log entries (team leads and admins).
    is_lead: bool,
}

/// The shell and a page's view model, as one context for the template.
#[derive(Serialize)]
struct Page<'a, T: Serialize> {
    #[serde(flatten)]
    shell: Shell<'a>,
    #[serde(flatten)]
    data: T,
}

/// One option of a `<select>` (or a tick box): value, label and whether it is chosen.
#[derive(Debug, Clone, Serialize)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// What every page needs: state, language, user, CSRF token, flash message.
pub struct PageCtx {
    pub state: actix_web::web::Data<AppState>,
    pub lang: Lang,
    pub actor: Option<Actor>,
    pub csrf: String,
    pub path: String,
    flash: Option<String>,
    /// Set when a view shows field messages, so the page says so at its top.
    form_errors: std::cell::Cell<bool>,
}

impl FromRequest for PageCtx {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { PageCtx::from_req(&req) })
    }
}

impl PageCtx {
    /// Built after the user extractor has run, so the user's language is known.
    pub fn from_req(req: &HttpRequest) -> Result<Self, AppError> {
        let state = state(req)?;
        let lang = negotiate_lang(req, state.settings.default_lang);
        let here = match req.query_string() {
            "" => req.path().to_string(),
            q => format!("{}?{}", req.path(), q),
        };
        let origin = {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        };
        let referer = req
            .headers()
            .get(actix_web::http::header::REFERER)
            .and_then(|h| h.to_str().ok());
        let path = return_path(req.method(), &here, referer, &origin);
        Ok(Self {
            actor: req.extensions().get::<Actor>().cloned(),
            csrf: req
                .extensions()
                .get::<CsrfToken>()
                .map(|t| t.0.clone())
                .unwrap_or_default(),
            flash: req.cookie(FLASH_COOKIE).map(|c| c.value().to_string()),
            lang,
            path,
            state,
            form_errors: std::cell::Cell::new(false),
        })
    }

    /// scheme://host of this request, for addresses shown to people.
    /// Where links that leave the browser (feeds, review packs) point: the configured
    /// `mail.base_url`, never the request's Host header, which anyone can set.
    pub fn origin(&self) -> String {
        self.state.settings.mail.base_url.clone()
    }

    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    pub fn datetime(&self, t: NaiveDateTime) -> String {
        i18n::format_datetime(self.lang, self.state.settings.timezone, t)
    }

    /// The messages of a form, by field, in the page's language (none when `e` is None).
    pub fn errors(&self, e: Option<&FieldErrors>) -> Messages {
        let mut messages: Messages = e.map(|e| e.translated(self.lang)).unwrap_or_default();
        // The API names an item of a list (`client_ids.0`); a form shows the list's field.
        let items: Vec<(String, Vec<String>)> = messages
            .iter()
            .filter_map(|(k, v)| {
                let (list, index) = k.rsplit_once('.')?;
                index
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                    .then(|| (list.to_string(), v.clone()))
            })
            .collect();
        for (list, msgs) in items {
            messages.entry(list).or_default().extend(msgs);
        }
        if !messages.is_empty() {
            self.form_errors.set(true);
        }
        messages
    }

    fn shell<'a>(&'a self, title: &'a str) -> Shell<'a> {
        let flash = self
            .flash
            .as_deref()
            .filter(|k| k.starts_with("flash."))
            .map(|k| self.t(k));
        let flash_warn = self.flash.as_deref().is_some_and(|k| {
            [
                "failed",
                "meanwhile",
                "no_consent",
                "bad_date",
                "no_date",
                "not_on_day",
                "_empty",
                "_none",
            ]
            .iter()
            .any(|w| k.contains(w))
        });
        Shell {
            lang: self.lang.code(),
            title,
            csrf: &self.csrf,
            path: &self.path,
            flash,
            flash_warn,
            form_errors: self.form_errors.get(),
            user: self.actor.as_ref().map(|a| UserView {
                display_name: &a.display_name,
                org_name: &a.org_name,
                role: a.role,
                role_label: self.t(a.role.label_key()),
                can_write: a.can_write(),
                is_admin: a.role == crate::domain::users::Role::Admin,
                is_lead: matches!(
                    a.role,
                    crate::domain::users::Role::Admin | crate::domain::users::Role::TeamLead
                ),
            }),
        }
    }

    /// Renders `template` with the page's own view model beside the page shell.
    pub fn render(
        &self,
        status: StatusCode,
        template: &str,
        title: &str,
        data: impl Serialize,
    ) -> Result<HttpResponse, AppError> {
        let page = Page {
            shell: self.shell(title),
            data,
        };
        let html = self.state.templates.render(template, &page)?;
        let mut resp = HttpResponse::build(status);
        resp.content_type("text/html; charset=utf-8")
            .insert_header(("Cache-Control", "no-store"));
        if self.flash.is_some() {
            let mut gone = Cookie::build(FLASH_COOKIE, "").path("/").finish();
            gone.make_removal();
            resp.cookie(gone);
        }
        Ok(resp.body(html))
    }

    pub fn ok(
        &self,
        template: &str,
        title: &str,
        data: impl Serialize,
    ) -> Result<HttpResponse, AppError> {
        self.render(StatusCode::OK, template, title, data)
    }
}

/// Where the language switch (and other "come back here" links) return to: this page,
/// or for a page shown in answer to a POST (a form re-shown with messages), the page the
/// form was on, since the POST address cannot be opened again.
pub fn return_path(
    method: &actix_web::http::Method,
    here: &str,
    referer: Option<&str>,
    origin: &str,
) -> String {
    if method == actix_web::http::Method::GET || method == actix_web::http::Method::HEAD {
        return here.to_string();
    }
    referer
        .and_then(|r| r.strip_prefix(origin))
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or("/")
        .to_string()
}

/// A 303 redirect after a successful POST, with a flash message key for the next page.
pub fn see_other(location: &str, flash: Option<&str>) -> HttpResponse {
    let mut resp = HttpResponse::SeeOther();
    resp.insert_header(("Location", location));
    if let Some(key) = flash {
        resp.cookie(
            Cookie::build(FLASH_COOKIE, key.to_string())
                .path("/")
                .http_only(true)
                .finish(),
        );
    }
    resp.finish()
}

/// After a stale save, the form's version becomes the stored one: saving again from it
/// keeps this editor's values.
pub fn take_stored_version<T>(result: &Result<T, AppError>, form_version: &mut String) {
    if let Err(AppError::Stale(s)) = result {
        *form_version = s.version.to_string();
    }
}

/// How every page form answers: on success a 303 to the next page (`next`); when the
/// input is refused (invalid, or in conflict with what is stored) the form again with
/// its messages (`reshow`) and 422; any other error as the error page.
pub async fn submit<T, Fut>(
    result: Result<T, AppError>,
    next: impl FnOnce(T) -> HttpResponse,
    reshow: impl FnOnce(FieldErrors) -> Fut,
) -> Result<HttpResponse, AppError>
where
    Fut: Future<Output = Result<HttpResponse, AppError>>,
{
    match result {
        Ok(v) => Ok(next(v)),
        Err(AppError::Validation(e) | AppError::Conflict(e)) => {
            let mut page = reshow(e).await?;
            *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        }
        // Someone saved meanwhile: the form again with the editor's values, the stored
        // ones beside the fields that differ, and a note (under `version`) saying so.
        Err(AppError::Stale(s)) => {
            let mut e = s.differences;
            e.add("version", crate::error::Msg::new("error.stale.form"));
            let mut page = reshow(e).await?;
            *page.status_mut() = StatusCode::CONFLICT;
            Ok(page)
        }
        Err(other) => Err(other),
    }
}

/// Options for a `<select>`, the one matching `selected` chosen.
pub fn options(
    items: impl IntoIterator<Item = (String, String)>,
    selected: Option<&str>,
) -> Vec<Opt> {
    items
        .into_iter()
        .map(|(value, label)| Opt {
            selected: selected == Some(value.as_str()),
            value,
            label,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() && !p.ends_with("email") {
                files(&p, out);
            } else if p.extension().is_some_and(|e| e == "hbs") {
                out.push(p.to_string_lossy().to_string());
            }
        }
    }

    #[test]
    fn a_re_shown_form_returns_to_its_page() {
        use actix_web::http::Method;
        let o = "http://x.test";
        assert_eq!(return_path(&Method::GET, "/a?b=1", None, o), "/a?b=1");
        assert_eq!(
            return_path(
                &Method::POST,
                "/partners/1/move",
                Some("http://x.test/partners/1"),
                o
            ),
            "/partners/1"
        );
        assert_eq!(
            return_path(&Method::POST, "/p", Some("http://evil.test/x"), o),
            "/"
        );
        assert_eq!(return_path(&Method::POST, "/p", None, o), "/");
    }

    #[test]
    fn every_template_file_is_registered() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut found = Vec::new();
        files(&root, &mut found);
        for f in found {
            let name = f
                .trim_start_matches(&format!("{}/", root.display()))
                .trim_end_matches(".hbs")
                .to_string();
            assert!(
                TEMPLATES.iter().any(|(n, _)| *n == name),
                "templates/{name}.hbs is not in TEMPLATES"
            );
        }
        Templates::new();
    }

    #[test]
    fn a_misspelt_field_fails_the_render() {
        let t = Templates::new();
        // The error page shows `detail`; data that names it otherwise is refused.
        let partial = serde_json::json!({"title": "Ei löytynyt", "status": 404, "detial": "x"});
        let err = t.render("errors/page", &partial).unwrap_err();
        assert!(err.to_string().contains("strict mode"), "{err}");
        assert!(err.to_string().contains("\"detail\""), "{err}");
    }
}
