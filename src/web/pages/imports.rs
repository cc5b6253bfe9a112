//! The import page for employers, contact persons, job leads and a partner's member list
//! (`?partner_id=`): a spreadsheet file (read
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
    /// The partner whose member list this is (members only).
    partner_id: String,
    /// `column.<field>` = the header chosen for that field ("" leaves it out).
    #[serde(flatten)]
    rest: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ImportQuery {
    partner_id: Option<String>,
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
    /// A preview with rows that cannot be written, in all-or-nothing mode: nothing would be.
    blocked: bool,
    rows: usize,
    new: usize,
    existing: usize,
    conflicts: usize,
    duplicates: usize,
    errors: usize,
    imported: usize,
    /// Members only: rows naming employers that were members already.
    already_members: usize,
    list: Vec<RowView>,
    hidden: usize,
}

#[derive(Serialize)]
struct ImportView {
    nav_employers: bool,
    nav_leads: bool,
    kind: &'static str,
    /// Members only: the partner, carried through the steps.
    partner_id: Option<i64>,
    title: String,
    list_href: String,
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

/// What is imported, and for a member list whose; a partner of another organisation
/// (or none) is no page.
struct Target {
    kind: Kind,
    partner: Option<(i64, String)>,
}

async fn target(ctx: &PageCtx, path: &str, partner_id: Option<&str>) -> Result<Target, AppError> {
    let kind = match Kind::parse(path) {
        Some(k) => k,
        None => return Err(AppError::NotFound),
    };
    let partner = match (kind, partner_id.map(str::trim)) {
        (Kind::Members, Some(p)) => {
            let id: i64 = p.parse().map_err(|_| AppError::NotFound)?;
            let actor = ctx.actor.clone().ok_or(AppError::Unauthorized)?;
            let found = ctx
                .state
                .pool
                .run(move |conn| crate::domain::partners::get(conn, &actor, id))
                .await?;
            Some((id, found.row.name))
        }
        (Kind::Members, None) => return Err(AppError::NotFound),
        _ => None,
    };
    Ok(Target { kind, partner })
}

fn view(ctx: &PageCtx, t: &Target, csv: String, mode: Mode) -> ImportView {
    let kind = t.kind;
    let (list_href, list_name) = match (&t.partner, kind) {
        (Some((id, name)), _) => (format!("/partners/{id}"), name.clone()),
        (None, Kind::Leads) => ("/leads".to_string(), ctx.t("leads.title")),
        (None, _) => ("/employers".to_string(), ctx.t("employers.title")),
    };
    ImportView {
        nav_employers: matches!(kind, Kind::Employers | Kind::Contacts),
        nav_leads: kind == Kind::Leads,
        kind: kind.as_str(),
        partner_id: t.partner.as_ref().map(|p| p.0),
        title: match &t.partner {
            Some((_, name)) => Msg::new("imports.title_members")
                .arg("partner", name.as_str())
                .text(ctx.lang),
            None => ctx.t(&format!("imports.title_{}", kind.as_str())),
        },
        list_href,
        list_name,
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
        Kind::Employers | Kind::Members => format!("/employers/{id}"),
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

fn report_view(ctx: &PageCtx, r: &Report, refused: bool, already_members: usize) -> ReportView {
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
        blocked: r.mode == Mode::AllOrNothing && r.counts.errors + r.counts.conflicts > 0,
        rows: r.counts.rows,
        new: r.counts.new,
        existing: r.counts.existing,
        conflicts: r.counts.conflicts,
        duplicates: r.counts.duplicates,
        errors: r.counts.errors,
        imported: r.counts.imported,
        already_members,
        hidden: r.rows.len().saturating_sub(SHOWN),
        list,
    }
}

/// `GET /imports/{kind}` (members: `?partner_id=`).
pub async fn form(
    req: HttpRequest,
    PageUser(actor): PageUser,
    kind: web::Path<String>,
    q: web::Query<ImportQuery>,
) -> Result<HttpResponse, AppError> {
    let ctx = PageCtx::from_req(&req)?;
    actor.require_write()?;
    let t = target(&ctx, &kind, q.partner_id.as_deref()).await?;
    let v = view(&ctx, &t, String::new(), Mode::AllOrNothing);
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
    let t = target(
        &ctx,
        &kind,
        Some(form.partner_id.as_str()).filter(|p| !p.is_empty()),
    )
    .await?;
    let (kind, partner) = (t.kind, t.partner.as_ref().map(|p| p.0));
    let mode = Mode::parse(&form.mode).unwrap_or(Mode::AllOrNothing);
    let mut v = view(&ctx, &t, form.csv.clone(), mode);
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
        .run(move |conn| imports::run(conn, &actor, kind, partner, &file, &opts, now))
        .await;
    let status = match done {
        Ok(d) => {
            v.fields = fields_view(&ctx, kind, &d.report.columns);
            v.report = Some(report_view(&ctx, &d.report, false, d.already_members));
            StatusCode::OK
        }
        Err(AppError::ImportRefused(r)) => {
            v.fields = fields_view(&ctx, kind, &r.columns);
            v.report = Some(report_view(&ctx, &r, true, 0));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(AppError::Validation(e)) => {
            v.fields = fields_view(&ctx, kind, &suggested(kind, &bytes, &columns));
            for (field, msgs) in e.0 {
                for m in msgs {
                    if m.key == "error.import.missing_column" {
                        // The API's message names `column.<field>=`; here the choice is
                        // the Columns list below.
                        let page = Msg {
                            key: "imports.missing_column",
                            ..m
                        };
                        v.errors.push(page.text(ctx.lang));
                    } else if field == "csv" || field == "file" {
                        v.csv_errors.push(m.text(ctx.lang));
                    } else {
                        v.errors.push(m.text(ctx.lang));
                    }
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
    cfg.service(
        web::resource("/imports/{kind}")
            .app_data(crate::web::form_config(crate::web::IMPORT_FORM_LIMIT))
            .route(web::get().to(form))
            .route(web::post().to(submit)),
    );
}
