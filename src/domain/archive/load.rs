//! Reading an archive back into an empty database: every row with its own id, in one
//! transaction. The archive is checked as untrusted input: sizes, checksums, every
//! value against its column's kind, every row against the archive's organisation, every
//! reference against the rows that came with it. Columns an archive never carries
//! (credentials) are refused, not written.

use std::io::Read;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use serde_json::{Map, Value};

use super::write::schema_version;
use super::{columns, ident, spec, Fill, Manifest, Spec, TableEntry, FORMAT, VERSION};
use crate::db::DbConn;
use crate::domain::audit::{self, Action, Change, Entity};
use crate::error::AppError;

/// What went in.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub rows: Vec<(String, usize)>,
}

type Zip<'a> = zip::ZipArchive<std::io::Cursor<&'a [u8]>>;

/// Rows per INSERT statement.
const CHUNK: usize = 500;
/// The manifest is a page of JSON; a table file of a large county is tens of megabytes.
const MAX_MANIFEST: u64 = 1 << 20;
const MAX_MEMBER: u64 = 256 << 20;

fn refused(why: String) -> AppError {
    AppError::BadBody(why)
}

/// A member's text, refused past `max` bytes (declared or read: a zip may lie).
fn member(zip: &mut Zip<'_>, name: &str, max: u64) -> Result<String, AppError> {
    let f = zip
        .by_name(name)
        .map_err(|_| refused(format!("the archive has no {name}")))?;
    let too_large = || refused(format!("{name} is larger than {} MB", max >> 20));
    if f.size() > max {
        return Err(too_large());
    }
    let mut s = String::new();
    f.take(max + 1)
        .read_to_string(&mut s)
        .map_err(|e| refused(format!("{name}: {e}")))?;
    if s.len() as u64 > max {
        return Err(too_large());
    }
    Ok(s)
}

/// Reads the manifest and checks that this database can take the archive.
fn manifest(conn: &mut DbConn, zip: &mut Zip<'_>) -> Result<Manifest, AppError> {
    let m: Manifest = serde_json::from_str(&member(zip, "manifest.json", MAX_MANIFEST)?)
        .map_err(|e| refused(format!("manifest.json: {e}")))?;
    if m.format != FORMAT || m.version > VERSION {
        return Err(refused(format!(
            "not a Placefirst organisation archive this version reads (format \"{}\", version {})",
            m.format, m.version
        )));
    }
    let here = schema_version(conn)?;
    if m.schema_version > here {
        return Err(refused(format!(
            "the archive comes from a newer Placefirst (schema {}; this database is at {here}): \
             upgrade this installation first",
            m.schema_version
        )));
    }
    for t in &m.tables {
        let Some(s) = spec(&t.name) else {
            return Err(refused(format!(
                "unknown table \"{}\" in the archive",
                t.name
            )));
        };
        if let Some(c) = t
            .columns
            .iter()
            .find(|c| s.withheld.iter().any(|(w, _)| w == c))
        {
            return Err(refused(format!(
                "{}: an archive never carries the column \"{c}\"",
                t.name
            )));
        }
    }
    Ok(m)
}

fn organisations_here(conn: &mut DbConn) -> Result<i64, AppError> {
    use crate::db::schema::organisations::dsl as o;
    Ok(crate::db_run!(conn, |c| o::organisations
        .count()
        .get_result(c))?)
}

/// Imports the archive. Call inside a transaction: on any error nothing stays.
pub fn load(
    conn: &mut DbConn,
    bytes: &[u8],
    now: chrono::NaiveDateTime,
) -> Result<Loaded, AppError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| refused(format!("not a zip archive: {e}")))?;
    let m = manifest(conn, &mut zip)?;
    // Ids come with the rows, and rows may only point at rows of their own
    // organisation: both hold only in a database of no other organisation.
    let present = organisations_here(conn)?;
    if present > 0 {
        return Err(refused(format!(
            "this database already holds {present} organisation(s): import \"{}\" into an \
             empty database",
            m.organisation_name
        )));
    }
    if let DbConn::Sqlite(c) = conn {
        // Rows come parent first, but a contact log entry and its plan point at each
        // other; SQLite checks the keys at commit instead (and below, to say which).
        diesel::sql_query("PRAGMA defer_foreign_keys = ON").execute(&mut **c)?;
    }
    let mut rows = Vec::new();
    for entry in &m.tables {
        let name = format!("data/{}.jsonl", entry.name);
        let text = member(&mut zip, &name, MAX_MEMBER)?;
        if let Some(sum) = &entry.sha256 {
            if &crate::domain::auth::sha256_hex(&text) != sum {
                return Err(refused(format!(
                    "{name} is not the file the archive was made with (its checksum differs)"
                )));
            }
        }
        let n = insert(conn, entry, &text, m.organisation_id)?;
        rows.push((entry.name.clone(), n));
    }
    if rows.iter().find(|(t, _)| t == "organisations").map(|r| r.1) != Some(1) {
        return Err(refused(
            "the archive must hold its organisation, once (data/organisations.jsonl)".into(),
        ));
    }
    dangling(conn)?;
    for entry in &m.tables {
        if entry.columns.iter().any(|c| c == "id") {
            go_on_after(conn, &entry.name, entry.issued_id.unwrap_or(0))?;
        }
    }
    let total: usize = rows.iter().map(|(_, n)| n).sum();
    audit::append(
        conn,
        m.organisation_id,
        None,
        audit::Event {
            action: Action::Import,
            entity: Entity::Organisation,
            entity_id: Some(m.organisation_id),
            changes: &[
                Change::note("archive", m.exported_at.clone()),
                Change::note("records", total),
            ],
            at: now,
        },
    )?;
    Ok(Loaded {
        organisation_id: m.organisation_id,
        organisation_name: m.organisation_name,
        rows,
    })
}

/// On SQLite, whose keys are checked at commit: names the first row that points at a
/// record the archive does not hold. (PostgreSQL refuses such a row as it goes in.)
fn dangling(conn: &mut DbConn) -> Result<(), AppError> {
    #[derive(QueryableByName)]
    struct Violation {
        #[diesel(sql_type = Text)]
        table: String,
        #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
        rowid: Option<i64>,
        #[diesel(sql_type = Text)]
        parent: String,
    }
    let DbConn::Sqlite(c) = conn else {
        return Ok(());
    };
    let found: Vec<Violation> = diesel::sql_query(
        "SELECT \"table\" AS \"table\", rowid AS rowid, parent AS parent \
         FROM pragma_foreign_key_check LIMIT 1",
    )
    .load(&mut **c)?;
    match found.into_iter().next() {
        None => Ok(()),
        Some(v) => Err(refused(format!(
            "data/{}.jsonl: the row with id {} refers to a record of {} that the archive \
             does not hold",
            v.table,
            v.rowid.unwrap_or_default(),
            v.parent
        ))),
    }
}

/// New rows of `table` are numbered after `issued` (and after every id present): the
/// ids came with the rows, and deleted records' ids are not handed out again.
fn go_on_after(conn: &mut DbConn, table: &str, issued: i64) -> Result<(), AppError> {
    let t = ident(table);
    match conn {
        DbConn::Postgres(c) => {
            diesel::sql_query(format!(
                "SELECT setval(pg_get_serial_sequence($1, 'id'), \
                 GREATEST((SELECT MAX(id) FROM {t}), $2, 1))"
            ))
            .bind::<Text, _>(table)
            .bind::<BigInt, _>(issued)
            .execute(&mut **c)?;
        }
        DbConn::Sqlite(c) => {
            // Only tables declared AUTOINCREMENT keep a sqlite_sequence row (SQLite made
            // it as the rows went in); the others number after the highest id present.
            diesel::sql_query(
                "INSERT INTO sqlite_sequence (name, seq) SELECT ?1, 0 \
                 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?1) \
                 AND EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' \
                 AND name = ?1 AND sql LIKE '%AUTOINCREMENT%')",
            )
            .bind::<Text, _>(table)
            .execute(&mut **c)?;
            diesel::sql_query("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?")
                .bind::<BigInt, _>(issued)
                .bind::<Text, _>(table)
                .execute(&mut **c)?;
        }
    }
    Ok(())
}

/// One line of a table file, checked: an object, of the archive's organisation, each
/// value of its column's kind; the withheld columns filled in.
fn row(
    spec: &Spec,
    entry: &TableEntry,
    kinds: &[columns::Kind],
    line: &str,
    n: usize,
    org: i64,
) -> Result<Map<String, Value>, AppError> {
    let at = || format!("data/{}.jsonl line {n}", entry.name);
    let Ok(Value::Object(mut m)) = serde_json::from_str::<Value>(line) else {
        return Err(refused(format!("{}: not a JSON object", at())));
    };
    for (c, kind) in entry.columns.iter().zip(kinds) {
        let v = m.get(c).unwrap_or(&Value::Null);
        if let Some(ch) = v.as_str().and_then(crate::domain::validate::forbidden_char) {
            return Err(refused(format!(
                "{}: {c} holds the control character U+{:04X}, which is not text",
                at(),
                ch as u32
            )));
        }
        if !kind.fits(v) {
            let shown: String = v.to_string().chars().take(60).collect();
            return Err(refused(format!(
                "{}: {c} is {shown}, not {}",
                at(),
                kind.described()
            )));
        }
    }
    if let Some(k) = m.keys().find(|k| !entry.columns.contains(k)) {
        return Err(refused(format!(
            "{}: \"{k}\" is not among the manifest's columns",
            at()
        )));
    }
    let owner = if spec.name == "organisations" {
        "id"
    } else {
        "organisation_id"
    };
    if m.get(owner).and_then(Value::as_i64) != Some(org) {
        return Err(refused(format!(
            "{}: the row belongs to organisation {}, not to the archive's {org}",
            at(),
            m.get(owner).unwrap_or(&Value::Null)
        )));
    }
    for (c, fill) in spec.withheld {
        let v = match fill {
            Fill::Empty => String::new(),
            Fill::Secret => crate::domain::auth::random_hex(32),
        };
        m.insert(c.to_string(), Value::String(v));
    }
    Ok(m)
}

/// Inserts one table's JSON lines; answers how many.
fn insert(conn: &mut DbConn, entry: &TableEntry, text: &str, org: i64) -> Result<usize, AppError> {
    let spec = spec(&entry.name).expect("checked in manifest()");
    let here = columns::of(conn, spec.name)?;
    let mut kinds = Vec::new();
    for c in &entry.columns {
        match here.iter().find(|h| &h.name == c) {
            Some(h) => kinds.push(h.kind),
            None => {
                return Err(refused(format!(
                    "{}: column \"{c}\" is not in this database",
                    entry.name
                )))
            }
        }
    }
    // One object a line, as the export writes them; a blank line is damage (or padding).
    let lines: Vec<&str> = text.lines().collect();
    if let Some(i) = lines.iter().position(|l| l.trim().is_empty()) {
        return Err(refused(format!(
            "data/{}.jsonl line {}: a blank line, which an archive never has",
            entry.name,
            i + 1
        )));
    }
    if lines.len() != entry.rows {
        return Err(refused(format!(
            "data/{}.jsonl holds {} rows, the manifest says {}: the archive is incomplete",
            entry.name,
            lines.len(),
            entry.rows
        )));
    }
    let rows = lines
        .iter()
        .enumerate()
        .map(|(i, l)| row(spec, entry, &kinds, l, i + 1, org))
        .collect::<Result<Vec<_>, _>>()?;
    let mut names: Vec<&str> = entry.columns.iter().map(String::as_str).collect();
    names.extend(spec.withheld.iter().map(|(c, _)| *c));
    let quoted: Vec<String> = names.iter().map(|c| ident(c)).collect();
    let sql = match conn {
        DbConn::Sqlite(_) => {
            let values: Vec<String> = names
                .iter()
                .map(|c| format!("json_extract(value, '$.\"{}\"')", c.replace('\'', "''")))
                .collect();
            format!(
                "INSERT INTO {} ({}) SELECT {} FROM json_each(?)",
                ident(spec.name),
                quoted.join(", "),
                values.join(", ")
            )
        }
        DbConn::Postgres(_) => format!(
            "INSERT INTO {0} ({1}) SELECT {1} FROM json_populate_recordset(NULL::{0}, $1::json)",
            ident(spec.name),
            quoted.join(", "),
        ),
    };
    for chunk in rows.chunks(CHUNK) {
        let array = serde_json::to_string(chunk).map_err(AppError::internal)?;
        let done = match conn {
            DbConn::Sqlite(c) => diesel::sql_query(&sql)
                .bind::<Text, _>(&array)
                .execute(&mut **c),
            DbConn::Postgres(c) => diesel::sql_query(&sql)
                .bind::<Text, _>(&array)
                .execute(&mut **c),
        };
        done.map_err(|e| {
            use diesel::result::{DatabaseErrorKind as K, Error as E};
            let why = match &e {
                E::DatabaseError(K::ForeignKeyViolation, _) => {
                    "a row refers to a record the archive does not hold".to_string()
                }
                E::DatabaseError(K::UniqueViolation, _) => "two rows have the same key".to_string(),
                e => e.to_string(),
            };
            refused(format!("data/{}.jsonl: {why}", entry.name))
        })?;
    }
    Ok(rows.len())
}
