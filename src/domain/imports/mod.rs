//! One import engine for spreadsheet files: read the file ([`table`]), map its columns
//! ([`mapping`]), judge every row against the register and the rest of the file (a plan,
//! written nowhere), then apply the plan in one transaction: all rows or none
//! (`all_or_nothing`), or the valid rows only (`valid_rows`). A preview (`dry_run`) is
//! the same plan, not applied. Employer registers, contact persons, job leads and
//! partners' member lists use it.

pub mod contacts;
pub mod employers;
pub mod leads;
pub mod mapping;
pub mod members;
mod rows;
pub mod table;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{AppError, Msg};
use crate::i18n::Lang;

pub use mapping::{Field, Mapping};
pub use table::{Encoding, Table};

crate::closed_set! {
    /// What an import brings in.
    pub enum Kind ("import_kind") {
        Employers = "employers",
        Contacts = "contacts",
        Leads = "leads",
        Members = "members",
    }
}

impl Kind {
    /// The fields a file of this kind may have, and those it must.
    pub fn fields(self) -> (&'static [Field], &'static [Field]) {
        match self {
            Kind::Employers | Kind::Members => (employers::FIELDS, employers::REQUIRED),
            Kind::Contacts => (contacts::FIELDS, contacts::REQUIRED),
            Kind::Leads => (leads::FIELDS, leads::REQUIRED),
        }
    }
}

crate::closed_set! {
    /// What happens to the valid rows when some are not.
    pub enum Mode ("import_mode") {
        /// Nothing is written unless every row can be.
        AllOrNothing = "all_or_nothing",
        /// The valid rows are written; the others are reported.
        ValidRows = "valid_rows",
    }
}

crate::closed_set! {
    /// What the import does (or would do) with one row.
    pub enum Outcome ("import_outcome") {
        New = "new",
        Existing = "existing",
        Conflict = "conflict",
        Duplicate = "duplicate",
        Error = "error",
    }
}

crate::closed_set! {
    /// How a row was recognised as a record already in the register.
    pub enum MatchedBy ("import_matched_by") {
        BusinessId = "business_id",
        NameAndMunicipality = "name_and_municipality",
        /// A name found once in the register, the row naming no municipality.
        Name = "name",
    }
}

/// What to do, as the caller asked.
#[derive(Debug, Clone)]
pub struct Options {
    pub mode: Mode,
    pub dry_run: bool,
    /// Field name → header text, where the suggested mapping is not wanted.
    pub columns: BTreeMap<String, String>,
}

/// One row's outcome.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RowReport {
    /// The row's number as a spreadsheet shows it (the header is row 1).
    pub line: usize,
    pub outcome: Outcome,
    /// The record's name as the row gives it.
    pub name: Option<String>,
    /// The existing record it matches, or the record it created.
    pub id: Option<i64>,
    pub matched_by: Option<MatchedBy>,
    /// The earlier row of the file this one repeats.
    pub duplicate_of: Option<usize>,
    /// Why the row is refused or in conflict, in the caller's language.
    pub message: Option<String>,
    #[serde(skip)]
    #[schemars(skip)]
    pub msg: Option<Msg>,
    /// The column and value the message is about.
    #[serde(skip)]
    #[schemars(skip)]
    pub cell: Option<(String, String)>,
}

impl RowReport {
    pub fn new(line: usize, outcome: Outcome, name: Option<String>) -> Self {
        Self {
            line,
            outcome,
            name,
            id: None,
            matched_by: None,
            duplicate_of: None,
            message: None,
            msg: None,
            cell: None,
        }
    }

    pub fn because(mut self, msg: Msg) -> Self {
        self.msg = Some(msg);
        self
    }

    /// Why the row was not imported, in `lang`, naming the column and value.
    pub fn text(&self, lang: Lang) -> Option<String> {
        self.msg.as_ref().map(|m| match &self.cell {
            Some((column, value)) if value.is_empty() => Msg::new("import.column")
                .arg("column", column)
                .arg("message", m.text(lang))
                .text(lang),
            Some((column, value)) => Msg::new("import.cell")
                .arg("column", column)
                .arg("value", shortened(value))
                .arg("message", m.text(lang))
                .text(lang),
            None => m.text(lang),
        })
    }
}

#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Counts {
    pub rows: usize,
    pub new: usize,
    pub existing: usize,
    pub conflicts: usize,
    pub duplicates: usize,
    pub errors: usize,
    /// Records written (created, or for a member list, memberships added).
    pub imported: usize,
}

/// A column of the file and the field it fills (null: not imported).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Column {
    pub header: String,
    pub field: Option<Field>,
}

/// What an import found and did.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Report {
    pub kind: Kind,
    pub mode: Mode,
    pub dry_run: bool,
    /// Whether anything was written.
    pub applied: bool,
    pub encoding: Encoding,
    pub delimiter: String,
    pub columns: Vec<Column>,
    pub counts: Counts,
    pub rows: Vec<RowReport>,
}

impl Report {
    pub fn new(kind: Kind, opts: &Options, table: &Table, mapping: &Mapping) -> Self {
        Self {
            kind,
            mode: opts.mode,
            dry_run: opts.dry_run,
            applied: false,
            encoding: table.encoding,
            delimiter: table.delimiter.to_string(),
            columns: table
                .headers
                .iter()
                .zip(&mapping.columns)
                .map(|(h, f)| Column {
                    header: h.clone(),
                    field: *f,
                })
                .collect(),
            counts: Counts::default(),
            rows: Vec::new(),
        }
    }

    /// Counts the outcomes of the rows.
    pub fn count(&mut self) {
        let mut c = Counts {
            imported: self.counts.imported,
            rows: self.rows.len(),
            ..Default::default()
        };
        for r in &self.rows {
            match r.outcome {
                Outcome::New => c.new += 1,
                Outcome::Existing => c.existing += 1,
                Outcome::Conflict => c.conflicts += 1,
                Outcome::Duplicate => c.duplicates += 1,
                Outcome::Error => c.errors += 1,
            }
        }
        self.counts = c;
    }

    /// Whether the mode lets the plan be written: all-or-nothing needs every row valid.
    pub fn may_apply(&self) -> bool {
        !self.dry_run
            && (self.mode == Mode::ValidRows
                || self.rows.iter().all(|r| {
                    matches!(
                        r.outcome,
                        Outcome::New | Outcome::Existing | Outcome::Duplicate
                    )
                }))
    }

    /// The messages in the caller's language.
    pub fn translated(mut self, lang: Lang) -> Self {
        for r in &mut self.rows {
            r.message = r.text(lang);
        }
        self
    }
}

/// A cell as a message quotes it: a long one cut (a 2 MB description would otherwise
/// come back whole in the report).
fn shortened(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() <= MAX {
        value.to_string()
    } else {
        format!("{}…", value.chars().take(MAX).collect::<String>())
    }
}

/// An all-or-nothing import that found rows it cannot write: nothing was written.
pub fn refused(report: Report) -> AppError {
    AppError::ImportRefused(Box::new(report))
}

/// Company forms, which registers write and spreadsheets often leave out.
const COMPANY_FORMS: &[&str] = &[
    "oy",
    "oyj",
    "ab",
    "abp",
    "ky",
    "kb",
    "tmi",
    "ay",
    "hb",
    "ry",
    "rf",
    "osk",
    "ltd",
    "inc",
    // Written out, as some registers and people do.
    "osakeyhtiö",
    "toiminimi",
    "kommandiittiyhtiö",
    "aktiebolag",
    "kommanditbolag",
    "handelsbolag",
];

/// The company form a name carries, by its class: `Oy`, `Ab`, `Osakeyhtiö` and
/// `Aktiebolag` are one (a bilingual company writes either), as are `Ky`/`Kb` and
/// `Ay`/`Hb`. None for a name that gives no form.
pub fn company_form(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .find_map(|w| match w {
            "oy" | "ab" | "osakeyhtiö" | "aktiebolag" | "ltd" | "inc" => Some("oy"),
            "oyj" | "abp" => Some("oyj"),
            "ky" | "kb" | "kommandiittiyhtiö" | "kommanditbolag" => Some("ky"),
            "ay" | "hb" | "handelsbolag" => Some("ay"),
            "tmi" | "toiminimi" => Some("tmi"),
            "ry" | "rf" => Some("ry"),
            "osk" => Some("osk"),
            _ => None,
        })
}

/// Whether two names of one key may be one employer: "Kauppa" and "Kauppa Oy" may,
/// "Kauppa Oy" and "Kauppa Ky" are two companies.
pub fn same_form(a: &str, b: &str) -> bool {
    match (company_form(a), company_form(b)) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// Name as compared: lower case, punctuation and company forms dropped, spaces collapsed
/// ("KAUPPA OY", "Kauppa Oy." and " kauppa" are one name).
pub fn name_key(name: &str) -> String {
    let lower: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .flat_map(char::to_lowercase)
        .collect();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !COMPANY_FORMS.contains(w))
        .collect();
    // A name that is nothing but a company form ("Oy Ab") is kept as it is.
    if kept.is_empty() { words } else { kept }.join(" ")
}

/// What an import did: the report, and for a member list how many rows named employers
/// that were members already.
pub struct Done {
    pub report: Report,
    pub already_members: usize,
}

/// Reads, judges and (unless a preview, or refused by the mode) writes one file, in one
/// transaction. An all-or-nothing import with a row it cannot write is refused whole
/// ([`AppError::ImportRefused`]) and writes nothing.
pub fn run(
    conn: &mut crate::db::DbConn,
    actor: &crate::domain::users::Actor,
    kind: Kind,
    partner: Option<i64>,
    bytes: &[u8],
    opts: &Options,
    now: chrono::NaiveDateTime,
) -> Result<Done, AppError> {
    actor.require_write()?;
    let partner = match (kind, partner) {
        (Kind::Members, None) => {
            return Err(AppError::Validation(crate::error::FieldErrors::single(
                "partner_id",
                Msg::new("error.required"),
            )))
        }
        (Kind::Members, p) => p,
        (_, _) => None,
    };
    let table = table::read(bytes)?;
    let (fields, required) = kind.fields();
    let mapping = Mapping::build(&table.headers, fields, required, &opts.columns)?;
    // A contact person or a lead belongs to an employer: by name or by business ID.
    if matches!(kind, Kind::Contacts | Kind::Leads)
        && mapping.column(Field::Employer).is_none()
        && mapping.column(Field::BusinessId).is_none()
    {
        return Err(AppError::Validation(crate::error::FieldErrors::single(
            "file",
            Msg::new("error.import.missing_column")
                .arg("field", Field::Employer.as_str())
                .arg_label(
                    "label",
                    format!("import_field.{}", Field::Employer.as_str()),
                ),
        )));
    }
    let mut report = Report::new(kind, opts, &table, &mapping);
    let already = crate::db::transaction(conn, |tx| {
        // Every row is judged before anything is written; the mode decides whether the
        // plan is written.
        macro_rules! plan_then_apply {
            ($plan:expr, $apply:expr) => {{
                let new = $plan;
                report.count();
                if !report.may_apply() {
                    return Ok(0);
                }
                report.applied = true;
                let done = $apply(new, &mut report)?;
                record_import(tx, actor, &report, partner, now)?;
                Ok(done)
            }};
        }
        match (kind, partner) {
            (Kind::Members, Some(p)) => plan_then_apply!(
                members::plan(tx, actor, p, &table, &mapping, &mut report)?,
                |new: Vec<_>, r: &mut Report| members::apply(tx, actor, p, &new, r, now)
            ),
            (Kind::Contacts, _) => plan_then_apply!(
                contacts::plan(tx, actor, &table, &mapping, &mut report)?,
                |new: Vec<_>, r: &mut Report| contacts::apply(tx, actor, &new, r, now).map(|_| 0)
            ),
            (Kind::Leads, _) => plan_then_apply!(
                leads::plan(tx, actor, &table, &mapping, &mut report)?,
                |new: Vec<_>, r: &mut Report| leads::apply(tx, actor, &new, r, now).map(|_| 0)
            ),
            _ => plan_then_apply!(
                employers::plan(tx, actor, &table, &mapping, &mut report)?,
                |new: Vec<_>, r: &mut Report| employers::apply(tx, actor, &new, r, now).map(|_| 0)
            ),
        }
    })?;
    if !report.applied && !report.dry_run {
        return Err(refused(report));
    }
    Ok(Done {
        report,
        already_members: already,
    })
}

/// The trail notes an import that wrote: what kind, how many rows and outcomes.
fn record_import(
    conn: &mut crate::db::DbConn,
    actor: &crate::domain::users::Actor,
    report: &Report,
    partner: Option<i64>,
    now: chrono::NaiveDateTime,
) -> Result<(), AppError> {
    use crate::domain::audit::{self, Action, Change, Entity};
    let (entity, id) = match report.kind {
        Kind::Employers => (Entity::Employer, None),
        Kind::Contacts => (Entity::Contact, None),
        Kind::Leads => (Entity::Lead, None),
        Kind::Members => (Entity::Partner, partner),
    };
    let mut changes = vec![
        Change::note("kind", report.kind.as_str()),
        Change::note("mode", report.mode.as_str()),
    ];
    if let Ok(serde_json::Value::Object(counts)) = serde_json::to_value(&report.counts) {
        changes.extend(counts.into_iter().map(|(k, v)| Change::note(&k, v)));
    }
    audit::record(
        conn,
        actor,
        audit::Event {
            action: Action::Import,
            entity,
            entity_id: id,
            changes: &changes,
            at: now,
        },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_compare_without_case_punctuation_or_company_form() {
        use super::name_key;
        assert_eq!(name_key("KAUPPA OY"), "kauppa");
        assert_eq!(name_key("Oy Karl Fazer Ab"), "karl fazer");
        assert_eq!(name_key(" Kahvila  Pöllö, Tmi."), "kahvila pöllö");
        assert_ne!(
            name_key("Kahvila Pöllö Oy"),
            name_key("Pöllölän Puutarha Oy")
        );
        assert_eq!(name_key("Oy Ab"), "oy ab");
        assert_eq!(
            name_key("Ahven Konepaja Osakeyhtiö"),
            name_key("Ahven Konepaja Oy")
        );
    }
}
