//! Downloads of lists, honouring the same filters as the lists themselves.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::app::AppState;
use crate::domain::audit::{self, Entity};
use crate::domain::employers::{export, list::ListParams};
use crate::error::AppError;
use crate::web::api::registry::Registry;
use crate::web::csv_out::SafeCsv;
use crate::web::extract::{negotiate_lang, ApiUser};
use crate::web::query::Query;

#[derive(serde::Deserialize, Default, schemars::JsonSchema)]
#[serde(default)]
pub struct ExportParams {
    #[serde(flatten)]
    list: ListParams,
    /// true: as Excel's "CSV (semicolon delimited)" (UTF-8 with a byte-order mark,
    /// semicolons, CRLF), which opens in columns on a double-click; false (the default):
    /// plain CSV with commas.
    #[schemars(extend("enum" = ["true", "false", "1", "0", "yes", "no", "on", "off", "", null]))]
    spreadsheet: Option<String>,
}

/// `GET /api/v1/exports/employers`: the employers the list's filters find, as CSV in the
/// employer import's columns (headed in the caller's language), so the file imports back.
pub async fn employers(
    req: HttpRequest,
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
    q: Query<ExportParams>,
) -> Result<HttpResponse, AppError> {
    let lang = negotiate_lang(&req, st.settings.default_lang);
    let ExportParams { list, spreadsheet } = q.into_inner();
    let mut e = crate::error::FieldErrors::default();
    let spreadsheet = crate::domain::validate::yes_no_param(&mut e, "spreadsheet", spreadsheet);
    e.into_result()?;
    let query = list.parse(st.settings.page_size)?;
    let filters = req.query_string().to_string();
    let now = st.now();
    let items = st
        .pool
        .tx(move |conn| {
            let items = export::all(conn, &actor, query)?;
            audit::exported(conn, &actor, Entity::Employer, &filters, items.len(), now)?;
            Ok(items)
        })
        .await?;
    let mut w = if spreadsheet {
        SafeCsv::spreadsheet()
    } else {
        SafeCsv::default()
    };
    w.row(export::header(lang))?;
    for e in &items {
        w.row(export::cells(e, lang))?;
    }
    w.response(&format!("employers-{}.csv", st.today()))
}

pub fn routes(r: &mut Registry) {
    r.tag("Exports");
    r.get("/exports/employers", employers)
        .summary(
            "The employers the list's filters find (all of them, no pages) as CSV in the \
             employer import's columns; cells a spreadsheet would run as formulas are \
             written as text.",
        )
        .other(200, "text/csv");
}
