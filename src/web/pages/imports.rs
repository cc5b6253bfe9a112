//! The import page for employers, contact persons and job leads: a spreadsheet file (read
//! into the form by the page's script, Windows-1252 or UTF-8) or pasted rows; a preview
//! with the columns as the engine maps them, changeable, and every row's outcome; then
//! the import, all rows or none, or the valid rows only. Nothing is written until the
//! person presses Import.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::domain::closed_set::ClosedSet;
use crate::domain::imports::{self, Kind, Mode, Options, Outcome, Report};
use crate::error::{AppError, Msg};
use crate::web::extract::{PageUser, SafeForm};
use crate::web::render::{Opt, PageCtx};

/// Rows shown on the page; the counts cover the whole file.
const SHOWN: usize = 300;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ImportForm {
    csv: String,
    mode: String,
    /// `preview` or `import`.
    step: String,
    /// `column.<field>` = the header chosen for that field ("" leaves it out).
    #[serde(flatten)]
    rest: BTreeMap<String, String>,
}

#[derive(Serialize)]
struct FieldView {
    field: &'static str,
    label: String,
    required: bool,
    options: Vec<Opt>,
}

#[derive(Serialize)]
struct RowView {
    line: usize,
    outcome: String,
    class: &'static str,
    name: Option<String>,
    detail: Option<String>,
    link: Option<String>,
}

#[derive(Serialize)]
struct ReportView {
    applied: bool,
    refused: bool,
    encoding: String,
    rows: usize,
    new: usize,
    existing: usize,
    conflicts: usize,
    duplicates: usize,
    errors: usize,
    imported: usize,
    list: Vec<RowView>,
    hidden: usize,
}

#[derive(Serialize)]
struct ImportView {
    nav_employers: bool,
    nav_leads: bool,
    kind: &'static str,
    title: String,
    list_href: &'static str,
    list_name: String,
    hint: String,
    csv: String,
    all_or_nothing: bool,
    /// About the file or the rows as a whole.
    csv_errors: Vec<String>,
    /// Anything else (a required column left unmapped, say).
    errors: Vec<String>,
    /// The mapping, once a file has been read (even one refused for a missing column,
    /// so the person can say which column holds it).
    fields: Vec<FieldView>,
    report: Option<ReportView>,
}

fn kind_of(path: &str) -> Result<Kind, AppError> {
    match Kind::parse(path) {
        Some(k @ (Kind::Employers | Kind::Contacts | Kind::Leads)) => Ok(k),
        _ => Err(AppError::NotFound),
    }
}

fn list_of(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Leads => ("/leads", "leads.title"),
        _ => ("/employers", "employers.title"),
    }
}

fn view(ctx: &PageCtx, kind: Kind, csv: String, mode: Mode) -> ImportView {
    let (list_href, list_key) = list_of(kind);
    ImportView {
        nav_employers: kind != Kind::Leads,
        nav_leads: kind == Kind::Leads,
        kind: kind.as_str(),
        title: ctx.t(&format!("imports.title_{}", kind.as_str())),
        list_href,
        list_name: ctx.t(list_key),
        hint: ctx.t(&format!("imports.hint_{}", kind.as_str())),
        csv,
        all_or_nothing: mode == Mode::AllOrNothing,
        csv_errors: Vec::new(),
        errors: Vec::new(),
        fields: Vec::new(),
        report: None,
    }
}

fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::New => "ok",
        Outcome::Existing => "muted",
        Outcome::Duplicate | Outcome::Conflict => "warn",
        Outcome::Error => "danger",
    }
}

fn record_href(kind: Kind, id: i64) -> String {
    match kind {
        Kind::Leads => format!("/leads/{id}"),
        Kind::Contacts => format!("/contacts/{id}"),
        _ => format!("/employers/{id}"),
    }
}

/// Each field the kind can fill, with the file's headers to choose from.
fn fields_view(ctx: &PageCtx, kind: Kind, columns: &[imports::Column]) -> Vec<FieldView> {
    let (all, required) = kind.fields();
    all.iter()
        .map(|f| {
            let chosen = columns
                .iter()
                .find(|c| c.field == Some(*f))
                .map(|c| c.header.as_str());
            let mut options = vec![Opt {
                value: String::new(),
                label: ctx.t("imports.not_in_file"),
                selected: chosen.is_none(),
            }];
            options.extend(columns.iter().map(|c| Opt {
                value: c.header.clone(),
                label: c.header.clone(),
                selected: chosen == Some(c.header.as_str()),
            }));
            FieldView {
                field: f.as_str(),
                label: ctx.t(f.key()),
                required: required.contains(f),
                options,
            }
        })
        .collect()
}

/// The file's columns as the engine would map them, with the person's choices where
/// they name real headers: for a file refused before any row was judged.
fn suggested(kind: Kind, bytes: &[u8], chosen: &BTreeMap<String, String>) -> Vec<imports::Column> {
    let Ok(table) = imports::table::read(bytes) else {
        return Vec::new();
    };
    let (all, _) = kind.fields();
    let mapping = imports::Mapping::build(&table.headers, all, &[], chosen)
        .or_else(|_| imports::Mapping::build(&table.headers, all, &[], &BTreeMap::new()));
    let Ok(mapping) = mapping else {
        return Vec::new();
    };
    table
        .headers
        .into_iter()
        .zip(mapping.columns)
        .map(|(header, field)| imports::Column { header, field })
        .collect()
}

fn report_view(ctx: &PageCtx, r: &Report, refused: bool) -> ReportView {
    let list = r
        .rows
        .iter()
        .take(SHOWN)
        .map(|row| {
            let matched = row.matched_by.map(|m| {
                Msg::new("imports.matched_by")
                    .arg("how", ctx.t(m.key()))
                    .text(ctx.lang)
            });
            let repeats = row
                .duplicate_of
                .map(|n| Msg::new("imports.repeats").arg("line", n).text(ctx.lang));
            RowView {
                line: row.line,
                outcome: ctx.t(row.outcome.key()),
                class: outcome_class(row.outcome),
                name: row.name.clone(),
                detail: row.text(ctx.lang).or(repeats).or(matched),
                link: row
                    .id
                    .filter(|_| row.outcome == Outcome::Existing || r.applied)
                    .map(|id| record_href(r.kind, id)),
            }
        })
        .collect();
    ReportView {
        applied: r.applied,
        refused,
        encoding: ctx.t(r.encoding.key()),
        rows: r.counts.rows,
        new: r.counts.new,
        existing: r.counts.existing,
        conflicts: r.counts.conflicts,
        duplicates: r.counts.duplicates,
        errors: r.counts.errors,
        imported: r.counts.imported,
        hidden: r.rows.len().saturating_sub(SHOWN),
        list,
    }
}

/// `GET /imports/{kind}`.
pub async fn form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    kind: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    actor.require_write()?;
    let kind = kind_of(&kind)?;
    let v = view(&ctx, kind, String::new(), Mode::AllOrNothing);
    ctx.ok("imports/form", &v.title.clone(), v)
}

/// `POST /imports/{kind}`: preview (the default) or import.
pub async fn submit(
    req: HttpRequest,
    PageUser(actor): PageUser,
    kind: web::Path<String>,
    SafeForm(form): SafeForm<ImportForm>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    actor.require_write()?;
    let kind = kind_of(&kind)?;
    let mode = Mode::parse(&form.mode).unwrap_or(Mode::AllOrNothing);
    let mut v = view(&ctx, kind, form.csv.clone(), mode);
    if form.csv.trim().is_empty() {
        v.csv_errors.push(ctx.t("imports.nothing_chosen"));
        return ctx.render(
            StatusCode::UNPROCESSABLE_ENTITY,
            "imports/form",
            &v.title.clone(),
            v,
        );
    }
    let columns: BTreeMap<String, String> = form
        .rest
        .into_iter()
        .filter_map(|(k, h)| Some((k.strip_prefix("column.")?.to_string(), h)))
        .filter(|(_, h)| !h.is_empty())
        .collect();
    let opts = Options {
        mode,
        dry_run: form.step != "import",
        columns: columns.clone(),
    };
    let now = ctx.state.now();
    let bytes = form.csv.into_bytes();
    let file = bytes.clone();
    let done = ctx
        .state
        .pool
        .run(move |conn| imports::run(conn, &actor, kind, None, &file, &opts, now))
        .await;
    let status = match done {
        Ok(d) => {
            v.fields = fields_view(&ctx, kind, &d.report.columns);
            v.report = Some(report_view(&ctx, &d.report, false));
            StatusCode::OK
        }
        Err(AppError::ImportRefused(r)) => {
            v.fields = fields_view(&ctx, kind, &r.columns);
            v.report = Some(report_view(&ctx, &r, true));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(AppError::Validation(e)) => {
            v.fields = fields_view(&ctx, kind, &suggested(kind, &bytes, &columns));
            for (field, msgs) in ctx.errors(Some(&e)) {
                if field == "csv" || field == "file" {
                    v.csv_errors.extend(msgs);
                } else {
                    v.errors.extend(msgs);
                }
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(AppError::BadBody(why)) => {
            v.csv_errors.push(why);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(e) => return Err(e),
    };
    ctx.render(status, "imports/form", &v.title.clone(), v)
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/imports/{kind}", web::get().to(form))
        .route("/imports/{kind}", web::post().to(submit));
}
