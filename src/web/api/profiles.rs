//! The vocational profile: the current version, a new version, and the history.

use actix_web::{web, HttpResponse};

use crate::app::AppState;
use crate::domain::clients::profile::{self, Profile};
use crate::domain::clients::{self};
use crate::domain::versioning::Expected;
use crate::error::AppError;
use crate::web::api::list_body;
use crate::web::api::registry::Registry;
use crate::web::extract::ApiUser;
use crate::web::json_body::Json;

pub async fn get_profile(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, tz, now) = (id.into_inner(), st.settings.timezone, st.now());
    // Reading the profile is opening the record: the trail notes it.
    let (version, p) = st
        .pool
        .tx(move |conn| {
            clients::open(conn, &actor, id, now, tz)?;
            profile::current(conn, &actor, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ProfileBody {
        profile: p,
        version,
    }))
}

/// The profile with the version it is (0 before the first save).
#[derive(serde::Serialize, schemars::JsonSchema)]
// The server refuses keys it does not know (`Profile` denies them): so says the schema.
#[schemars(deny_unknown_fields)]
pub struct ProfileBody {
    #[serde(flatten)]
    profile: Profile,
    /// Send back with a change: a change from an older version answers 409. Absent or
    /// null on a change: it replaces whatever is stored.
    #[serde(default)]
    #[schemars(extend("type" = ["integer", "null"]))]
    version: i32,
}

pub async fn put_profile(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
    body: Json<serde_json::Map<String, serde_json::Value>>,
) -> Result<HttpResponse, AppError> {
    // The body is the profile as GET answers it: `version` says which one it replaces.
    let mut body = body.into_inner();
    let expected = Expected::take_from(&mut body)?;
    let p: Profile = crate::web::json_body::from_value(serde_json::Value::Object(body))?;
    let (id, now, tz) = (id.into_inner(), st.now(), st.settings.timezone);
    let (version, p) = st
        .pool
        .tx(move |conn| {
            clients::get(conn, &actor, id, tz)?;
            profile::save(conn, &actor, id, p, expected, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ProfileBody {
        profile: p,
        version,
    }))
}

pub async fn profile_history(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, tz) = (id.into_inner(), st.settings.timezone);
    let items = st
        .pool
        .run(move |conn| {
            clients::get(conn, &actor, id, tz)?;
            profile::history(conn, &actor, id)
        })
        .await?;
    Ok(list_body(&items, None))
}

/// Vocational profiles and their history.
pub fn routes(r: &mut Registry) {
    r.tag("Job seekers");
    r.get("/clients/{id}/profile", get_profile)
        .summary("The job seeker's vocational profile (version 0: none saved yet)")
        .ok::<ProfileBody>();
    r.put("/clients/{id}/profile", put_profile)
        .summary("Save the whole profile; send the `version` it was edited from")
        .body::<ProfileBody>()
        .ok::<ProfileBody>();
    r.get("/clients/{id}/profile/history", profile_history)
        .summary("Earlier versions of the profile")
        .page::<crate::domain::clients::profile::Version>();
}
