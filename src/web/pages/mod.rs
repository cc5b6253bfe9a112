//! Server-rendered pages. Handlers call the same domain functions as the API.

pub mod account;
pub mod agenda;
pub mod api_reference;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod clients;
pub mod contact_day_changes;
pub mod contact_day_live;
pub mod contact_days;
pub mod contacts;
pub mod duplicates;
pub mod employers;
pub mod fidelity;
pub mod field;
pub mod follow_ups;
pub mod imports;
pub mod leads;
pub mod outreach;
pub mod partner_forms;
pub mod partners;
pub mod plan;
pub mod review;
pub mod schedule;
mod views;

/// The pages' features, each with its own routes.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.configure(assets::routes)
        .configure(auth::routes)
        .configure(account::routes)
        .configure(duplicates::routes)
        .configure(imports::routes)
        .configure(employers::routes)
        .configure(contacts::routes)
        .configure(audit::routes)
        .configure(outreach::routes)
        .configure(follow_ups::routes)
        .configure(leads::routes)
        .configure(clients::routes)
        .configure(plan::routes)
        .configure(crate::web::calendar::page_routes)
        .configure(contact_days::routes)
        .configure(contact_day_live::routes)
        .configure(partners::routes)
        .configure(fidelity::routes)
        .configure(agenda::routes)
        .configure(review::routes)
        .configure(api_reference::routes);
}

/// A form that one page both creates and edits with: `create` and `update` below are
/// its two handlers, so each form writes only how it is saved.
pub trait EditForm: serde::de::DeserializeOwned + 'static {
    /// Saves a new record (`editing` None) or the record `editing`, answering as
    /// `render::submit` does.
    fn save(
        req: actix_web::HttpRequest,
        actor: crate::domain::users::Actor,
        form: Self,
        editing: Option<i64>,
    ) -> impl std::future::Future<Output = Result<actix_web::HttpResponse, crate::error::AppError>>;
}

/// `POST /things`: a new record from the form.
pub async fn create<F: EditForm>(
    req: actix_web::HttpRequest,
    crate::web::extract::PageUser(actor): crate::web::extract::PageUser,
    crate::web::extract::SafeForm(form): crate::web::extract::SafeForm<F>,
) -> Result<actix_web::HttpResponse, crate::error::AppError> {
    F::save(req, actor, form, None).await
}

/// `POST /things/{id}`: the record changed from the form.
pub async fn update<F: EditForm>(
    req: actix_web::HttpRequest,
    crate::web::extract::PageUser(actor): crate::web::extract::PageUser,
    id: actix_web::web::Path<i64>,
    crate::web::extract::SafeForm(form): crate::web::extract::SafeForm<F>,
) -> Result<actix_web::HttpResponse, crate::error::AppError> {
    F::save(req, actor, form, Some(id.into_inner())).await
}

/// A form with nothing but its CSRF token (archive, delete, logout buttons).
#[derive(serde::Deserialize, Default)]
pub struct NoFields {}

/// A merge patch from an edit form, with the version the form was opened at (a blank
/// one, as on a new record, says nothing).
pub fn versioned_patch(
    input: &impl serde::Serialize,
    version: &str,
) -> Result<serde_json::Map<String, serde_json::Value>, crate::error::AppError> {
    let expected = crate::domain::versioning::Expected::from_form(version)?;
    let mut patch = serde_json::to_value(input)
        .ok()
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default();
    if let Some(v) = expected.0 {
        patch.insert("version".into(), v.into());
    }
    Ok(patch)
}

/// A form field as the domain wants it: None when left empty.
pub fn filled(s: &str) -> Option<String> {
    Some(s.to_string()).filter(|s| !s.trim().is_empty())
}
