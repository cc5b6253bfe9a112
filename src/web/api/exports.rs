//! Downloads of lists, honouring the same filters as the lists themselves.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::app::AppState;
use crate::domain::archive;
use crate::domain::audit::{self, Entity};
use crate::domain::clients::ClientParams;
use crate::domain::employers::{export, list::ListParams};
use crate::domain::exports::{self, Sheet};
use crate::domain::leads::LeadParams;
use crate::domain::outreach::service::LogParams;
use crate::error::AppError;
use crate::web::api::registry::Registry;
use crate::web::csv_out::SafeCsv;
use crate::web::extract::{negotiate_lang, ApiUser};
use crate::web::query::Query;

/// How a list comes out: CSV (plain, or as Excel's semicolon CSV) or JSON.
#[derive(serde::Deserialize, Default, Clone, schemars::JsonSchema)]
#[serde(default)]
pub struct Out {
    /// `csv` (the default) or `json` (the records as the API shows them, in an array).
    #[schemars(extend("enum" = ["csv", "json", "", null]))]
    format: Option<String>,
    /// true: CSV as Excel's "CSV (semicolon delimited)" (UTF-8 with a byte-order mark,
    /// semicolons, CRLF); false (the default): plain CSV with commas.
    #[schemars(extend("enum" = ["true", "false", "1", "0", "yes", "no", "on", "off", "", null]))]
    spreadsheet: Option<String>,
}

enum Format {
    Csv { spreadsheet: bool },
    Json,
}

impl Out {
    fn read(self) -> Result<Format, AppError> {
        let mut e = crate::error::FieldErrors::default();
        let spreadsheet =
            crate::domain::validate::yes_no_param(&mut e, "spreadsheet", self.spreadsheet);
        let format = match self.format.as_deref().map(str::trim) {
            None | Some("" | "csv") => Format::Csv { spreadsheet },
            Some("json") => Format::Json,
            Some(_) => {
                e.add("format", crate::error::Msg::new("error.choice"));
                Format::Json
            }
        };
        e.into_result()?;
        Ok(format)
    }
}

/// Answers a sheet as CSV or JSON, named `{name}-{today}`.
fn answer(
    sheet: Sheet,
    format: Format,
    name: &str,
    today: chrono::NaiveDate,
) -> Result<HttpResponse, AppError> {
    match format {
        Format::Json => Ok(HttpResponse::Ok()
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"{name}-{today}.json\""),
            ))
            .insert_header(("Cache-Control", "no-store"))
            .json(sheet.records)),
        Format::Csv { spreadsheet } => {
            let mut w = if spreadsheet {
                SafeCsv::spreadsheet()
            } else {
                SafeCsv::default()
            };
            w.row(sheet.header)?;
            for r in sheet.rows {
                w.row(r)?;
            }
            w.response(&format!("{name}-{today}.csv"))
        }
    }
}

macro_rules! export_handler {
    ($fn:ident, $q:ident, $params:ty, $entity:expr, $name:literal, |$conn:ident, $actor:ident, $p:ident, $st:ident, $lang:ident| $body:expr) => {
        #[derive(serde::Deserialize, Default, schemars::JsonSchema)]
        #[serde(default)]
        pub struct $q {
            #[serde(flatten)]
            list: $params,
            #[serde(flatten)]
            out: Out,
        }

        pub async fn $fn(
            req: HttpRequest,
            $st: web::Data<AppState>,
            ApiUser($actor): ApiUser,
            q: Query<$q>,
        ) -> Result<HttpResponse, AppError> {
            let $lang = negotiate_lang(&req, $st.settings.default_lang);
            let $q { list: $p, out } = q.into_inner();
            let format = out.read()?;
            let filters = req.query_string().to_string();
            let (now, today) = ($st.now(), $st.today());
            let _ = today;
            let st2 = $st.clone();
            let sheet = $st
                .pool
                .tx(move |$conn| {
                    let $st = st2;
                    let sheet: Sheet = $body;
                    audit::exported($conn, &$actor, $entity, &filters, sheet.rows.len(), now)?;
                    Ok(sheet)
                })
                .await?;
            answer(sheet, format, $name, today)
        }
    };
}

#[derive(serde::Deserialize, Default, Clone, schemars::JsonSchema)]
#[serde(default)]
pub struct ContactFilter {
    /// Only this employer's contact people.
    employer_id: Option<String>,
}

export_handler!(
    employers,
    EmployersExport,
    ListParams,
    Entity::Employer,
    "employers",
    |conn, actor, p, st, lang| {
        let query = p.parse(st.settings.page_size)?;
        let items = export::all(conn, &actor, query)?;
        Sheet {
            header: export::header(lang),
            rows: items.iter().map(|e| export::cells(e, lang)).collect(),
            records: items
                .iter()
                .map(|e| serde_json::to_value(e).map_err(AppError::internal))
                .collect::<Result<_, _>>()?,
        }
    }
);
export_handler!(
    contacts,
    ContactsExport,
    ContactFilter,
    Entity::Contact,
    "contacts",
    |conn, actor, p, st, lang| {
        let mut e = crate::error::FieldErrors::default();
        let employer = crate::domain::validate::id_param(&mut e, "employer_id", p.employer_id);
        e.into_result()?;
        let _ = &st;
        exports::contacts(conn, &actor, employer, lang)?
    }
);
export_handler!(
    leads,
    LeadsExport,
    LeadParams,
    Entity::Lead,
    "job-leads",
    |conn, actor, p, st, lang| { exports::leads(conn, &actor, p, st.today(), st.now(), lang)? }
);
export_handler!(
    contact_log,
    ContactLogExport,
    LogParams,
    Entity::Outreach,
    "contact-log",
    |conn, actor, p, st, lang| { exports::contact_log(conn, &actor, p, &st.rules(), lang)? }
);
export_handler!(
    job_seekers,
    JobSeekersExport,
    ClientParams,
    Entity::Client,
    "job-seekers",
    |conn, actor, p, st, lang| {
        let _ = &st;
        exports::job_seekers(conn, &actor, p, lang)?
    }
);

#[derive(serde::Deserialize, Default, Clone, schemars::JsonSchema)]
#[serde(default)]
pub struct PlacementFilter {
    from: Option<String>,
    to: Option<String>,
}

export_handler!(
    placements,
    PlacementsExport,
    PlacementFilter,
    Entity::Placement,
    "jobs",
    |conn, actor, p, st, lang| {
        let _ = &st;
        let mut e = crate::error::FieldErrors::default();
        let from = crate::domain::validate::day_param(&mut e, "from", p.from);
        let to = crate::domain::validate::day_param(&mut e, "to", p.to);
        e.into_result()?;
        exports::placements(conn, &actor, from, to, lang)?
    }
);

#[derive(serde::Deserialize, Default, Clone, schemars::JsonSchema)]
#[serde(default)]
pub struct PartnerFilter {
    /// `active` (the default), `ended` or `all`.
    status: Option<String>,
}

export_handler!(
    partners,
    PartnersExport,
    PartnerFilter,
    Entity::Partner,
    "partners",
    |conn, actor, p, st, lang| {
        let _ = &st;
        exports::partners(conn, &actor, p.status.as_deref(), lang)?
    }
);

#[derive(serde::Deserialize, Default, Clone, schemars::JsonSchema)]
#[serde(default)]
pub struct FollowUpFilter {
    /// A user id, "me" (the default) or "all", as the follow-up list takes it.
    assignee: Option<String>,
}

export_handler!(
    follow_ups,
    FollowUpsExport,
    FollowUpFilter,
    // Follow-ups are tasks about employers.
    Entity::Employer,
    "follow-ups",
    |conn, actor, p, st, lang| {
        let mut e = crate::error::FieldErrors::default();
        let assignee = crate::domain::follow_ups::assignee_param(&mut e, &actor, p.assignee);
        e.into_result()?;
        exports::follow_ups(conn, &actor, assignee, st.today(), lang)?
    }
);

#[derive(serde::Deserialize, Default, Clone, schemars::JsonSchema)]
#[serde(default)]
pub struct DayFilter {
    /// First day (default: 90 days ago).
    from: Option<String>,
    /// Last day (default: a year ahead).
    to: Option<String>,
}

export_handler!(
    contact_days,
    ContactDaysExport,
    DayFilter,
    // Contact days are the team's, not any one record's.
    Entity::Organisation,
    "contact-days",
    |conn, actor, p, st, lang| {
        let mut e = crate::error::FieldErrors::default();
        let (from, to) = crate::domain::contact_days::range(&mut e, p.from, p.to, st.today());
        e.into_result()?;
        exports::contact_days(conn, &actor, from, to, lang)?
    }
);

/// `GET /exports/organisation`: everything the organisation holds, as one zip (admins).
pub async fn organisation(
    st: web::Data<AppState>,
    ApiUser(actor): ApiUser,
) -> Result<HttpResponse, AppError> {
    let (now, today, org) = (st.now(), st.today(), actor.org_id);
    let zip = st
        .pool
        .tx(move |conn| archive::write::archive(conn, &actor, now))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"placefirst-organisation-{org}-{today}.zip\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(zip))
}

pub fn routes(r: &mut Registry) {
    r.tag("Exports");
    r.get("/exports/organisation", organisation)
        .summary(
            "Everything the organisation holds (admins), as a zip: `manifest.json`, each \
             table as JSON lines (`data/`, what `placefirst import-organisation` reads back \
             into an empty database) and as spreadsheet CSV (`csv/`). Sessions, API tokens, \
             calendar feed links and password hashes stay behind.",
        )
        .other(200, "application/zip");
    r.get("/exports/contacts", contacts)
        .summary(
            "Contact people (all, or one employer's) as CSV in the contact import's \
             columns, or as JSON (`format=json`)",
        )
        .csv_or_json();
    r.get("/exports/leads", leads)
        .summary(
            "The job leads the lead list's filters find, as CSV in the lead import's \
             columns, or as JSON (`format=json`)",
        )
        .csv_or_json();
    r.get("/exports/contact-log", contact_log)
        .summary(
            "The contact log the log's filters find (no pages), local times, or as JSON \
             (`format=json`)",
        )
        .csv_or_json();
    r.get("/exports/job-seekers", job_seekers)
        .summary(
            "The job seekers the list's filters find, as CSV or JSON (`format=json`); \
             every download is recorded in the audit trail",
        )
        .csv_or_json();
    r.get("/exports/placements", placements)
        .summary(
            "Jobs found (placements), those starting from `from` to `to`, with the job \
             seeker, employer, dates, hours and kind; or as JSON (`format=json`)",
        )
        .csv_or_json();
    r.get("/exports/partners", partners)
        .summary(
            "Partner organisations with kind, area, status and members; or as JSON \
             (`format=json`)",
        )
        .csv_or_json();
    r.get("/exports/follow-ups", follow_ups)
        .summary(
            "Open follow-ups (`assignee`: me, all or a user id), soonest first, with the \
             employer and who; or as JSON (`format=json`)",
        )
        .csv_or_json();
    r.get("/exports/contact-days", contact_days)
        .summary(
            "The organisation's contact days from `from` to `to` (default: 90 days back, a \
             year ahead) with time, place, theme, host and status; or as JSON (`format=json`)",
        )
        .csv_or_json();
    r.get("/exports/employers", employers)
        .summary(
            "The employers the list's filters find (all of them, no pages) as CSV in the \
             employer import's columns, or as JSON (`format=json`); cells a spreadsheet \
             would run as formulas are written as text.",
        )
        .csv_or_json();
}
