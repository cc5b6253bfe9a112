//! Reading an archive back: into a database that does not hold the organisation yet
//! (an empty one, typically), every row with its own id, in one transaction.

use std::io::Read;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use serde_json::Value;

use super::write::schema_version;
use super::{columns, ident, spec, Manifest, TableEntry, FORMAT, VERSION};
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

/// Rows per INSERT statement.
const CHUNK: usize = 500;
/// No archive member is read past this size (a damaged or hostile zip).
const MAX_MEMBER: u64 = 2 << 30;

fn refused(why: String) -> AppError {
    AppError::BadBody(why)
}

fn member(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
) -> Result<String, AppError> {
    let f = zip
        .by_name(name)
        .map_err(|_| refused(format!("the archive has no {name}")))?;
    let mut s = String::new();
    f.take(MAX_MEMBER)
        .read_to_string(&mut s)
        .map_err(|e| refused(format!("{name}: {e}")))?;
    Ok(s)
}

/// Reads the manifest and checks that this database can take the archive.
fn manifest(
    conn: &mut DbConn,
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
) -> Result<Manifest, AppError> {
    let m: Manifest = serde_json::from_str(&member(zip, "manifest.json")?)
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
        if spec(&t.name).is_none() {
            return Err(refused(format!(
                "unknown table \"{}\" in the archive",
                t.name
            )));
        }
    }
    Ok(m)
}

fn exists(conn: &mut DbConn, org: i64) -> Result<bool, AppError> {
    use crate::db::schema::organisations::dsl as o;
    let n: i64 = crate::db_run!(conn, |c| o::organisations
        .filter(o::id.eq(org))
        .count()
        .get_result(c))?;
    Ok(n > 0)
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
    if exists(conn, m.organisation_id)? {
        return Err(refused(format!(
            "this database already holds organisation {} (\"{}\"): import into an empty database",
            m.organisation_id, m.organisation_name
        )));
    }
    if let DbConn::Sqlite(c) = conn {
        // Rows come parent first, but a contact log entry and its plan point at each
        // other; SQLite checks the keys at commit instead.
        diesel::sql_query("PRAGMA defer_foreign_keys = ON").execute(&mut **c)?;
    }
    let mut rows = Vec::new();
    for entry in &m.tables {
        let text = member(&mut zip, &format!("data/{}.jsonl", entry.name))?;
        let n = insert(conn, entry, &text)?;
        rows.push((entry.name.clone(), n));
    }
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

/// Inserts one table's JSON lines; answers how many.
fn insert(conn: &mut DbConn, entry: &TableEntry, text: &str) -> Result<usize, AppError> {
    let spec = spec(&entry.name).expect("checked in manifest()");
    let here = columns::of(conn, spec.name)?;
    for c in &entry.columns {
        if !here.iter().any(|h| &h.name == c) {
            return Err(refused(format!(
                "{}: column \"{c}\" is not in this database",
                entry.name
            )));
        }
    }
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.len() != entry.rows {
        return Err(refused(format!(
            "data/{}.jsonl holds {} rows, the manifest says {}: the archive is incomplete",
            entry.name,
            lines.len(),
            entry.rows
        )));
    }
    for (i, l) in lines.iter().enumerate() {
        if !matches!(serde_json::from_str::<Value>(l), Ok(Value::Object(_))) {
            return Err(refused(format!(
                "data/{}.jsonl line {}: not a JSON object",
                entry.name,
                i + 1
            )));
        }
    }
    let mut names: Vec<String> = entry.columns.iter().map(|c| ident(c)).collect();
    names.extend(spec.withheld.iter().map(|(c, _)| ident(c)));
    let sql = match conn {
        DbConn::Sqlite(_) => {
            let mut values: Vec<String> = entry
                .columns
                .iter()
                .map(|c| format!("json_extract(value, '$.\"{}\"')", c.replace('\'', "''")))
                .collect();
            values.extend(spec.withheld.iter().map(|(_, v)| v.to_string()));
            format!(
                "INSERT INTO {} ({}) SELECT {} FROM json_each(?)",
                ident(spec.name),
                names.join(", "),
                values.join(", ")
            )
        }
        DbConn::Postgres(_) => {
            let mut values: Vec<String> = entry.columns.iter().map(|c| ident(c)).collect();
            values.extend(spec.withheld.iter().map(|(_, v)| v.to_string()));
            format!(
                "INSERT INTO {0} ({1}) SELECT {2} FROM json_populate_recordset(NULL::{0}, $1::json)",
                ident(spec.name),
                names.join(", "),
                values.join(", ")
            )
        }
    };
    for chunk in lines.chunks(CHUNK) {
        let array = format!("[{}]", chunk.join(","));
        let done = match conn {
            DbConn::Sqlite(c) => diesel::sql_query(&sql)
                .bind::<Text, _>(&array)
                .execute(&mut **c),
            DbConn::Postgres(c) => diesel::sql_query(&sql)
                .bind::<Text, _>(&array)
                .execute(&mut **c),
        };
        done.map_err(|e| refused(format!("{}: {e}", entry.name)))?;
    }
    Ok(lines.len())
}
