//! The web layer: one route table, extractors, and thin handlers that call the same
//! domain functions for the JSON API (`api`) and the pages (`pages`).

pub mod api;
pub mod calendar;
pub mod charts;
pub mod csrf;
pub mod errors;
pub mod extract;
pub mod pages;
pub mod render;
pub mod throttle;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse};
use tracing_actix_web::RequestId;

use crate::app::AppState;
use crate::error::AppError;

/// The route table.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PayloadConfig::new(8 * 1024 * 1024))
        .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
        .app_data(
            web::JsonConfig::default()
                .limit(256 * 1024)
                .error_handler(|e, _| AppError::BadBody(e.to_string()).into()),
        )
        .app_data(
            web::FormConfig::default()
                .limit(256 * 1024)
                .error_handler(|e, _| AppError::BadBody(e.to_string()).into()),
        )
        .app_data(
            web::QueryConfig::default()
                .error_handler(|e, _| AppError::BadBody(e.to_string()).into()),
        )
        .route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz))
        .service(
            web::scope("/api/v1")
                .route("/me", web::get().to(api::me::me))
                .route("/me/calendar-feed", web::get().to(calendar::get_feed))
                .route("/me/calendar-feed", web::post().to(calendar::rotate_feed))
                .route("/calendar/import", web::post().to(calendar::import))
                .route("/events", web::get().to(calendar::events))
                .route(
                    "/calendar/subscriptions",
                    web::get().to(calendar::subscriptions),
                )
                .route(
                    "/calendar/subscriptions",
                    web::post().to(calendar::subscribe),
                )
                .route(
                    "/calendar/subscriptions/{id}",
                    web::delete().to(calendar::unsubscribe),
                )
                .route("/contact-days", web::get().to(api::contact_days::list))
                .route("/contact-days", web::post().to(api::contact_days::create))
                .route("/contact-days/{id}", web::get().to(api::contact_days::get))
                .route(
                    "/contact-days/{id}",
                    web::patch().to(api::contact_days::update),
                )
                .route(
                    "/contact-days/{id}/participants",
                    web::post().to(api::contact_days::invite),
                )
                .route(
                    "/contact-days/{id}/join",
                    web::post().to(api::contact_days::join),
                )
                .route(
                    "/contact-days/{id}/leave",
                    web::post().to(api::contact_days::leave),
                )
                .route("/fidelity", web::get().to(api::fidelity::get))
                .route("/outcomes", web::get().to(api::fidelity::outcomes))
                .route("/teams/{id}/agenda", web::get().to(api::fidelity::agenda))
                .route("/review-packs", web::get().to(api::fidelity::list_packs))
                .route("/review-packs", web::post().to(api::fidelity::create_pack))
                .route(
                    "/review-packs/{id}",
                    web::delete().to(api::fidelity::revoke_pack),
                )
                .route("/partners", web::get().to(api::partners::list))
                .route("/partners", web::post().to(api::partners::create))
                .route("/partners/{id}", web::get().to(api::partners::get))
                .route("/partners/{id}", web::patch().to(api::partners::patch))
                .route("/partners/{id}", web::delete().to(api::partners::end))
                .route(
                    "/partners/{id}/members",
                    web::get().to(api::partners::members),
                )
                .route(
                    "/partners/{id}/members",
                    web::post().to(api::partners::add_member),
                )
                .route(
                    "/partners/{id}/members/import",
                    web::post().to(api::partners::import_members),
                )
                .route(
                    "/partners/{id}/members/{employer_id}",
                    web::delete().to(api::partners::remove_member),
                )
                .route(
                    "/partners/{id}/referrals",
                    web::post().to(api::partners::refer),
                )
                .route(
                    "/partners/{id}/agreements",
                    web::get().to(api::partners::agreements),
                )
                .route(
                    "/partners/{id}/agreements",
                    web::post().to(api::partners::add_agreement),
                )
                .route(
                    "/partners/{id}/agreements/{aid}",
                    web::delete().to(api::partners::delete_agreement),
                )
                .route(
                    "/partners/{id}/events",
                    web::get().to(api::partners::events),
                )
                .route(
                    "/partners/{id}/events",
                    web::post().to(api::partners::add_event),
                )
                .route(
                    "/partners/{id}/events/{eid}",
                    web::get().to(api::partners::event),
                )
                .route(
                    "/partners/{id}/events/{eid}/employers",
                    web::post().to(api::partners::met),
                )
                .route(
                    "/partners/{id}/report",
                    web::get().to(api::partners::report),
                )
                .route("/me/mail", web::get().to(api::mail::preferences))
                .route("/me/mail", web::put().to(api::mail::set_preferences))
                .route("/outbox", web::get().to(api::mail::outbox))
                .route(
                    "/contact-days/{id}/call-lists",
                    web::post().to(api::contact_days::call_lists),
                )
                .route(
                    "/contact-days/{id}/assign",
                    web::post().to(api::contact_days::assign),
                )
                .route(
                    "/contact-days/{id}/cancel",
                    web::post().to(api::contact_days::cancel),
                )
                .route(
                    "/contact-days/{id}/summary",
                    web::get().to(api::contact_days::summary),
                )
                .route("/me/tokens", web::get().to(api::me::list_tokens))
                .route("/me/tokens", web::post().to(api::me::create_token))
                .route("/me/tokens/{id}", web::delete().to(api::me::revoke_token))
                .route("/employers", web::get().to(api::employers::list))
                .route("/employers", web::post().to(api::employers::create))
                .route("/employers/{id}", web::get().to(api::employers::get))
                .route("/employers/{id}", web::patch().to(api::employers::patch))
                .route("/employers/{id}", web::delete().to(api::employers::archive))
                .route(
                    "/employers/{id}/contacts",
                    web::get().to(api::contacts::list),
                )
                .route(
                    "/employers/{id}/contacts",
                    web::post().to(api::contacts::create),
                )
                .route("/contacts/{id}", web::get().to(api::contacts::get))
                .route("/contacts/{id}", web::patch().to(api::contacts::patch))
                .route("/contacts/{id}", web::delete().to(api::contacts::delete))
                .route(
                    "/employers/{id}/timeline",
                    web::get().to(api::outreach::employer_timeline),
                )
                .route("/outreach", web::get().to(api::outreach::list))
                .route("/outreach", web::post().to(api::outreach::create))
                .route("/outreach/{id}", web::get().to(api::outreach::get))
                .route("/outreach/{id}", web::patch().to(api::outreach::patch))
                .route("/outreach/{id}", web::delete().to(api::outreach::delete))
                .route("/follow-ups", web::get().to(api::follow_ups::list))
                .route("/follow-ups", web::post().to(api::follow_ups::create))
                .route("/follow-ups/{id}", web::get().to(api::follow_ups::get))
                .route(
                    "/follow-ups/{id}/actions",
                    web::post().to(api::follow_ups::act),
                )
                .route("/leads", web::get().to(api::leads::list))
                .route("/leads", web::post().to(api::leads::create))
                .route("/leads/{id}", web::get().to(api::leads::get))
                .route("/leads/{id}", web::patch().to(api::leads::patch))
                .route("/occupations", web::get().to(api::leads::occupations))
                .route(
                    "/leads/{id}/matches",
                    web::get().to(api::clients::lead_matches),
                )
                .route("/clients", web::get().to(api::clients::list))
                .route("/clients", web::post().to(api::clients::create))
                .route("/clients/{id}", web::get().to(api::clients::get))
                .route("/clients/{id}", web::patch().to(api::clients::patch))
                .route(
                    "/clients/{id}/profile",
                    web::get().to(api::clients::get_profile),
                )
                .route(
                    "/clients/{id}/profile",
                    web::put().to(api::clients::put_profile),
                )
                .route(
                    "/clients/{id}/profile/history",
                    web::get().to(api::clients::profile_history),
                )
                .route(
                    "/clients/{id}/matches",
                    web::get().to(api::clients::client_matches),
                )
                .route(
                    "/clients/{id}/proposals",
                    web::get().to(api::clients::client_proposals),
                )
                .route(
                    "/clients/{id}/contacts",
                    web::get().to(api::clients::client_contacts),
                )
                .route("/caseload", web::get().to(api::clients::caseload))
                .route("/proposals", web::post().to(api::clients::propose))
                .route("/proposals/{id}", web::patch().to(api::clients::answer))
                .route("/placements", web::get().to(api::clients::placements_list))
                .route(
                    "/placements",
                    web::post().to(api::clients::placement_create),
                )
                .route(
                    "/placements/{id}",
                    web::get().to(api::clients::placement_get),
                )
                .route(
                    "/placements/{id}",
                    web::patch().to(api::clients::placement_patch),
                )
                .route(
                    "/placements/{id}/support",
                    web::get().to(api::clients::support_list),
                )
                .route(
                    "/placements/{id}/support",
                    web::post().to(api::clients::support_add),
                )
                .route("/plan/week", web::get().to(api::plan::week))
                .route("/plan/team", web::get().to(api::plan::team))
                .route("/plan/items", web::post().to(api::plan::create))
                .route("/plan/items/{id}", web::get().to(api::plan::get))
                .route("/plan/items/{id}", web::patch().to(api::plan::patch))
                .route("/plan/items/{id}/cancel", web::post().to(api::plan::cancel))
                .default_service(web::to(not_found)),
        )
        .route("/static/app.css", web::get().to(pages::assets::css))
        .route("/contact-days", web::get().to(pages::contact_days::list))
        .route("/contact-days", web::post().to(pages::contact_days::create))
        .route(
            "/contact-days/new",
            web::get().to(pages::contact_days::new_form),
        )
        .route(
            "/contact-days/{id}.ics",
            web::get().to(calendar::contact_day),
        )
        .route(
            "/contact-days/{id}",
            web::get().to(pages::contact_days::show),
        )
        .route(
            "/contact-days/{id}/call-lists",
            web::post().to(pages::contact_days::build),
        )
        .route(
            "/contact-days/{id}/cancel",
            web::post().to(pages::contact_days::cancel),
        )
        .route(
            "/contact-days/{id}/move",
            web::post().to(pages::contact_day_changes::move_day),
        )
        .route(
            "/contact-days/{id}/participants",
            web::post().to(pages::contact_day_changes::invite),
        )
        .route(
            "/contact-days/{id}/join",
            web::post().to(pages::contact_day_changes::join),
        )
        .route(
            "/contact-days/{id}/leave",
            web::post().to(pages::contact_day_changes::leave),
        )
        .route("/fidelity", web::get().to(pages::fidelity::show))
        .route("/fidelity.csv", web::get().to(pages::fidelity::csv))
        .route("/agenda", web::get().to(pages::agenda::show))
        .route("/review/{secret}", web::get().to(pages::review::show))
        .route(
            "/fidelity/review-packs",
            web::post().to(pages::review::make),
        )
        .route(
            "/fidelity/review-packs/{id}/revoke",
            web::post().to(pages::review::revoke),
        )
        .route(
            "/fidelity/contact-log.csv",
            web::get().to(pages::fidelity::contact_log_csv),
        )
        .route("/partners", web::get().to(pages::partners::list))
        .route("/partners", web::post().to(pages::partners::create))
        .route("/partners/new", web::get().to(pages::partners::new_form))
        .route("/partners/{id}", web::get().to(pages::partners::show))
        .route("/partners/{id}", web::post().to(pages::partners::update))
        .route(
            "/partners/{id}/edit",
            web::get().to(pages::partners::edit_form),
        )
        .route(
            "/partners/{id}/agreements",
            web::post().to(pages::partner_forms::add_agreement),
        )
        .route(
            "/partners/{id}/members/import",
            web::post().to(pages::partner_forms::import_members),
        )
        .route(
            "/partners/{id}/members",
            web::post().to(pages::partner_forms::add_member),
        )
        .route(
            "/partners/{id}/referrals",
            web::post().to(pages::partner_forms::refer),
        )
        .route(
            "/partners/{id}/events",
            web::post().to(pages::partner_forms::add_event),
        )
        .route(
            "/partners/{id}/events/{eid}",
            web::get().to(pages::partner_forms::event),
        )
        .route(
            "/partners/{id}/events/{eid}/employers",
            web::post().to(pages::partner_forms::met),
        )
        .route("/calendar/{secret}.ics", web::get().to(calendar::feed))
        .route("/plan/items/{id}.ics", web::get().to(calendar::plan_item))
        .route("/static/app.js", web::get().to(pages::assets::js))
        .route("/outreach", web::get().to(pages::outreach::log))
        .route("/outreach", web::post().to(pages::outreach::create))
        .route("/outreach/new", web::get().to(pages::outreach::new_form))
        .route("/outreach/{id}", web::post().to(pages::outreach::update))
        .route(
            "/outreach/{id}/edit",
            web::get().to(pages::outreach::edit_form),
        )
        .route(
            "/outreach/{id}/delete",
            web::post().to(pages::outreach::delete),
        )
        .route("/plan", web::get().to(pages::plan::week))
        .route("/plan/new", web::get().to(pages::plan::new_form))
        .route("/plan/team", web::get().to(pages::plan::team))
        .route("/plan/items", web::post().to(pages::plan::create))
        .route(
            "/plan/items/{id}/move",
            web::post().to(pages::plan::move_item),
        )
        .route(
            "/plan/items/{id}/cancel",
            web::post().to(pages::plan::cancel),
        )
        .route("/follow-ups", web::get().to(pages::follow_ups::list))
        .route(
            "/follow-ups/{id}/done",
            web::post().to(pages::follow_ups::done),
        )
        .route(
            "/follow-ups/{id}/snooze",
            web::post().to(pages::follow_ups::snooze),
        )
        .route(
            "/follow-ups/{id}/reassign",
            web::post().to(pages::follow_ups::reassign),
        )
        .route("/clients", web::get().to(pages::clients::list))
        .route("/clients", web::post().to(pages::clients::create))
        .route("/clients/new", web::get().to(pages::clients::new_form))
        .route("/clients/{id}", web::get().to(pages::clients::show))
        .route("/clients/{id}", web::post().to(pages::clients::update))
        .route(
            "/clients/{id}/edit",
            web::get().to(pages::clients::edit_form),
        )
        .route(
            "/clients/{id}/profile",
            web::get().to(pages::clients::profile_form),
        )
        .route(
            "/clients/{id}/profile",
            web::post().to(pages::clients::profile_save),
        )
        .route(
            "/clients/{id}/propose",
            web::post().to(pages::clients::propose),
        )
        .route(
            "/clients/{id}/profile/work",
            web::post().to(pages::clients::work_add),
        )
        .route(
            "/clients/{id}/profile/work/{index}/delete",
            web::post().to(pages::clients::work_remove),
        )
        .route("/proposals/{id}", web::post().to(pages::clients::answer))
        .route(
            "/placements",
            web::post().to(pages::clients::placement_create),
        )
        .route(
            "/placements/new",
            web::get().to(pages::clients::placement_form),
        )
        .route(
            "/placements/{id}/support",
            web::post().to(pages::clients::support_add),
        )
        .route("/leads", web::get().to(pages::leads::list))
        .route("/leads", web::post().to(pages::leads::create))
        .route("/leads/new", web::get().to(pages::leads::new_form))
        .route("/leads/{id}", web::get().to(pages::leads::edit_form))
        .route(
            "/leads/{id}/matches",
            web::get().to(pages::clients::lead_matches),
        )
        .route("/leads/{id}", web::post().to(pages::leads::update))
        .route("/", web::get().to(pages::auth::home))
        .route("/login", web::get().to(pages::auth::login_form))
        .route("/login", web::post().to(pages::auth::login))
        .route("/logout", web::post().to(pages::auth::logout))
        .route("/lang", web::post().to(pages::auth::set_lang))
        .route("/account", web::get().to(pages::account::show))
        .route(
            "/account/password",
            web::post().to(pages::account::change_password),
        )
        .route(
            "/account/tokens",
            web::post().to(pages::account::create_token),
        )
        .route(
            "/account/calendar",
            web::post().to(pages::account::rotate_calendar),
        )
        .route("/account/mail", web::post().to(pages::account::save_mail))
        .route(
            "/account/tokens/{id}/revoke",
            web::post().to(pages::account::revoke_token),
        )
        .route("/employers", web::get().to(pages::employers::list))
        .route("/employers", web::post().to(pages::employers::create))
        .route("/employers/new", web::get().to(pages::employers::new_form))
        .route("/employers/{id}", web::get().to(pages::employers::show))
        .route("/employers/{id}", web::post().to(pages::employers::update))
        .route(
            "/employers/{id}/edit",
            web::get().to(pages::employers::edit_form),
        )
        .route(
            "/employers/{id}/archive",
            web::post().to(pages::employers::archive),
        )
        .route(
            "/employers/{id}/restore",
            web::post().to(pages::employers::restore),
        )
        .route(
            "/employers/{id}/contacts",
            web::post().to(pages::contacts::create),
        )
        .route(
            "/contacts/{id}/edit",
            web::get().to(pages::contacts::edit_form),
        )
        .route("/contacts/{id}", web::post().to(pages::contacts::update))
        .route(
            "/contacts/{id}/delete",
            web::post().to(pages::contacts::delete),
        )
        .default_service(web::to(not_found));
}

/// Whether cookies get the Secure flag: by setting, or ("auto") when the request came
/// over https, directly or through a proxy that says so.
pub fn secure_cookies(req: &actix_web::HttpRequest) -> bool {
    use crate::config::SecureCookies;
    let setting = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.settings.secure_cookies);
    match setting.unwrap_or(SecureCookies::Auto) {
        SecureCookies::Always => true,
        SecureCookies::Never => false,
        SecureCookies::Auto => req.connection_info().scheme() == "https",
    }
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// The process is up.
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// The database answers.
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let backend = state.pool.backend_name();
    let answer = state.pool.run(crate::db::ping).await;
    match answer {
        Ok(()) => {
            HttpResponse::Ok().json(serde_json::json!({"status": "ready", "database": backend}))
        }
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({"status": "unavailable", "database": backend}))
        }
    }
}

/// Logs each request once (inside its span, so the line carries the request id) and
/// echoes the id in `X-Request-Id`, so a user's report can be found in the logs.
pub async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().map(|r| r.to_string());
    let started = std::time::Instant::now();
    let mut res = next.call(req).await?;
    tracing::info!(
        method = %res.request().method(),
        path = %res.request().path(),
        status = res.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    if let Some(id) = id.and_then(|i| HeaderValue::from_str(&i).ok()) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-request-id"), id);
    }
    Ok(res)
}
