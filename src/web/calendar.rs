//! Calendar feeds and .ics downloads.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::app::AppState;
use crate::domain::{calendar, plan};
use crate::error::AppError;
use crate::web::api::registry::Registry;
use crate::web::extract::{negotiate_lang, ApiUser, PageUser};
use crate::web::json_body::Json;
use crate::web::query::Query;

fn ics(body: String, filename: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"{filename}\""),
        ))
        .insert_header(("Cache-Control", "private, max-age=300"))
        .body(body)
}

/// Built from `mail.base_url`: a Host header is the caller's to choose.
fn feed_url(st: &AppState, secret: &str) -> String {
    format!("{}/calendar/{secret}.ics", st.settings.mail.base_url)
}

/// `{"url": ...}`: the caller's private subscription address.
pub async fn get_feed(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<HttpResponse, AppError> {
    let now = st.now();
    let secret = st
        .pool
        .tx(move |conn| calendar::feed_secret(conn, &actor, now))
        .await?;
    Ok(HttpResponse::Ok().json(FeedAddress {
        url: feed_url(&st, &secret),
    }))
}

/// The caller's private feed address: anyone with it can read their calendar.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct FeedAddress {
    url: String,
}

/// A new secret; the old address stops working.
pub async fn rotate_feed(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<HttpResponse, AppError> {
    let now = st.now();
    let secret = st
        .pool
        .tx(move |conn| calendar::rotate_secret(conn, &actor, now))
        .await?;
    Ok(HttpResponse::Ok().json(FeedAddress {
        url: feed_url(&st, &secret),
    }))
}

/// The feed itself: no login, the secret in the address is the key.
pub async fn feed(
    st: web::Data<AppState>,
    secret: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let secret = secret.into_inner();
    if secret.len() != 48 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let (today, tz) = (st.today(), st.settings.timezone);
    let body = st
        .pool
        .run(move |conn| {
            let actor = calendar::feed_owner(conn, &secret)?;
            let lang = actor.locale.unwrap_or(crate::i18n::Lang::Fi);
            calendar::feed_ics(conn, &actor, today, tz, lang)
        })
        .await?;
    Ok(ics(body, "placefirst.ics"))
}

/// One planned contact as .ics.
pub async fn plan_item(
    st: web::Data<AppState>,
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (tz, lang) = (
        st.settings.timezone,
        negotiate_lang(&req, st.settings.default_lang),
    );
    let item = st.pool.run(move |conn| plan::get(conn, &actor, id)).await?;
    Ok(ics(
        calendar::item_ics(&item, tz, lang),
        &format!("placefirst-{id}.ics"),
    ))
}

/// One contact day as .ics.
pub async fn contact_day(
    st: web::Data<AppState>,
    req: HttpRequest,
    PageUser(actor): PageUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (tz, lang) = (
        st.settings.timezone,
        negotiate_lang(&req, st.settings.default_lang),
    );
    let text = st
        .pool
        .run(move |conn| calendar::day_ics(conn, &actor, id, tz, lang))
        .await?;
    Ok(ics(text, &format!("contact-day-{id}.ics")))
}

#[derive(serde::Deserialize, Default, schemars::JsonSchema)]
#[serde(default)]
pub struct ImportQuery {
    partner_id: Option<i64>,
}

/// `POST /api/v1/calendar/import` with the .ics as the body.
pub async fn import(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: Query<ImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (now, tz, partner) = (st.now(), st.settings.timezone, q.partner_id);
    // Read without a database connection (see `calendar_import::read`), in place: a
    // copy of every upload adds up under concurrent imports.
    let file = web::block(move || {
        let text = std::str::from_utf8(&body).map_err(|_| {
            AppError::Validation(crate::error::FieldErrors::single(
                "body",
                crate::error::Msg::new("error.ics.not_utf8"),
            ))
        })?;
        crate::domain::calendar_import::read(text, tz)
    })
    .await
    .map_err(AppError::internal)??;
    let counts = st
        .pool
        .run(move |conn| crate::domain::calendar_import::import(conn, &actor, file, partner, now))
        .await?;
    Ok(HttpResponse::Ok().json(counts))
}

#[derive(serde::Deserialize, Default, schemars::JsonSchema)]
#[serde(default)]
pub struct EventRange {
    from: Option<String>,
    to: Option<String>,
}

pub async fn events(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: Query<EventRange>,
) -> Result<HttpResponse, AppError> {
    use crate::domain::outreach::parse_date;
    let today = st.today();
    let mut e = crate::error::FieldErrors::default();
    let mut day =
        |field: &str, v: &Option<String>, default| match v.as_deref().filter(|s| !s.is_empty()) {
            None => default,
            Some(s) => parse_date(s).unwrap_or_else(|| {
                e.add(field, crate::error::Msg::new("error.date"));
                default
            }),
        };
    let from = day("from", &q.from, today - chrono::Duration::days(30));
    let to = day("to", &q.to, today + chrono::Duration::days(365));
    e.into_result()?;
    let tz = st.settings.timezone;
    let items = st
        .pool
        .run(move |conn| crate::domain::calendar_import::list(conn, &actor, from, to, tz))
        .await?;
    Ok(crate::web::api::list_body(&items, None))
}

pub async fn subscriptions(
    req: actix_web::HttpRequest,
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<HttpResponse, AppError> {
    let lang = crate::web::extract::negotiate_lang(&req, st.settings.default_lang);
    let items = st
        .pool
        .run(move |conn| crate::domain::calendar_subscriptions::list(conn, &actor, lang))
        .await?;
    Ok(crate::web::api::list_body(&items, None))
}

/// `POST /api/v1/calendar/subscriptions {url, interval_minutes}`: fetched on a schedule.
pub async fn subscribe(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    body: Json<crate::domain::calendar_subscriptions::SubscriptionInput>,
) -> Result<HttpResponse, AppError> {
    let (now, input) = (st.now(), body.into_inner());
    let s = st
        .pool
        .tx(move |conn| crate::domain::calendar_subscriptions::create(conn, &actor, input, now))
        .await?;
    // No Location: a subscription has no address of its own to read (the list has it).
    Ok(HttpResponse::Created().json(&s))
}

pub async fn unsubscribe(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    st.pool
        .tx(move |conn| crate::domain::calendar_subscriptions::delete(conn, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Calendar feed, import, events and subscriptions under `/api/v1`.
pub fn api_routes(r: &mut Registry) {
    use crate::domain::{calendar_import, calendar_subscriptions};
    r.tag("Calendar");
    r.get("/me/calendar-feed", get_feed)
        .summary("My private calendar feed address")
        .ok::<FeedAddress>();
    r.post("/me/calendar-feed", rotate_feed)
        .summary("A new feed address; the old one stops working")
        .ok::<FeedAddress>();
    r.post("/calendar/import", import)
        .summary("Import an .ics file (UTF-8) of partner events")
        .raw_body("text/calendar")
        .ok::<calendar_import::Counts>();
    r.get("/events", events)
        .summary("Imported calendar events in a date range")
        .page::<calendar_import::EventRow>();
    r.get("/calendar/subscriptions", subscriptions)
        .summary("Calendar subscriptions")
        .page::<calendar_subscriptions::Subscription>();
    r.post("/calendar/subscriptions", subscribe)
        .requires(&["url"])
        .summary("Subscribe to a partner's calendar address")
        .created::<calendar_subscriptions::Subscription>();
    r.delete("/calendar/subscriptions/{id}", unsubscribe)
        .summary("End a subscription")
        .no_content();
}

/// The secret feed and single planned contacts as .ics (the contact day's .ics is
/// registered with the contact day pages, before the day's own page).
pub fn page_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/calendar/{secret}.ics", web::get().to(feed))
        .route("/plan/items/{id}.ics", web::get().to(plan_item));
}
