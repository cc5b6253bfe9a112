//! `POST /api/v1/imports/{kind}`: a spreadsheet file in the body, previewed or imported.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::imports::{self, Kind, Mode, Options, Report};
use crate::error::{AppError, FieldErrors, Msg};
use crate::web::api::registry::Registry;
use crate::web::extract::{negotiate_lang, ApiUser};
use crate::web::query::Query;

/// The import's options. Besides these, `column.<field>=<header>` names by hand the
/// column that holds a field (`column.name=Toiminimi`).
#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default)]
pub struct ImportQuery {
    /// Judge every row and write nothing.
    dry_run: bool,
    /// `all_or_nothing` (the default) or `valid_rows`.
    mode: Option<Mode>,
    /// The partner whose member list this is (`members` only).
    partner_id: Option<i64>,
}

pub async fn import(
    st: web::Data<AppState>,
    req: HttpRequest,
    ApiUser(actor): ApiUser,
    kind: web::Path<String>,
    q: Query<ImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let kind = Kind::parse(&kind).ok_or(AppError::NotFound)?;
    let q = q.into_inner();
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| AppError::BadBody(e.to_string()))?;
    let mut columns = BTreeMap::new();
    let mut e = FieldErrors::default();
    for (k, v) in pairs {
        match k.strip_prefix("column.") {
            Some(field) => {
                columns.insert(field.to_string(), v);
            }
            None if ["dry_run", "mode", "partner_id"].contains(&k.as_str()) => {}
            None => e.add(&k, Msg::new("error.unknown_field")),
        }
    }
    e.into_result()?;
    let opts = Options {
        mode: q.mode.unwrap_or(Mode::AllOrNothing),
        dry_run: q.dry_run,
        columns,
    };
    let (lang, now, partner) = (
        negotiate_lang(&req, st.settings.default_lang),
        st.now(),
        q.partner_id,
    );
    let done = st
        .pool
        .run(move |conn| imports::run(conn, &actor, kind, partner, &body, &opts, now))
        .await?;
    Ok(HttpResponse::Ok().json(done.report.translated(lang)))
}

/// Imports.
pub fn routes(r: &mut Registry) {
    r.tag("Imports");
    r.post("/imports/{kind}", import)
        .summary(
            "Preview (`dry_run=true`) or import a spreadsheet file (CSV: UTF-8 or Windows-1252, \
             `;` or `,`) of employers, contact persons (`contacts`), job leads (`leads`), or a \
             partner's members (`members`, with `partner_id`); each row's outcome with its \
             line. Columns are mapped from Finnish, Swedish or English headers; \
             `column.<field>=<header>` names one by hand (`column.name=Toiminimi`). An \
             all-or-nothing import with a row it cannot write answers 422 with the report and \
             writes nothing.",
        )
        .path_param::<Kind>("kind")
        .raw_body("text/csv")
        .ok::<Report>();
}
