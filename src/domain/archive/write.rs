//! Writing the archive: one snapshot of the organisation's rows, table by table.

use std::io::Write;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use serde_json::{Map, Value};
use zip::write::SimpleFileOptions;

use super::columns::{self, Column};
use super::{ident, scope, Manifest, Spec, TableEntry, FORMAT, TABLES, VERSION};
use crate::db::DbConn;
use crate::domain::audit::{self, Action, Change, Entity};
use crate::domain::spreadsheet::safe_cell;
use crate::domain::users::Actor;
use crate::error::AppError;

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// One table's rows in the archive's form.
pub struct Dumped {
    pub columns: Vec<String>,
    pub rows: Vec<Map<String, Value>>,
}

/// Reads one table's rows of the organisation.
pub fn dump(conn: &mut DbConn, spec: &Spec, org_id: i64) -> Result<Dumped, AppError> {
    let all = columns::of(conn, spec.name)?;
    if all.is_empty() {
        return Err(AppError::internal(format!("no table {}", spec.name)));
    }
    let kept: Vec<&Column> = all
        .iter()
        .filter(|c| !spec.withheld.iter().any(|(w, _)| *w == c.name))
        .collect();
    let t = ident(spec.name);
    let lines: Vec<Line> = match conn {
        DbConn::Sqlite(c) => {
            let pairs: Vec<String> = kept
                .iter()
                .map(|col| format!("'{}', {}", col.name, ident(&col.name)))
                .collect();
            diesel::sql_query(format!(
                "SELECT json_object({}) AS line FROM {t} WHERE {} ORDER BY {}",
                pairs.join(", "),
                scope(spec.name, "?"),
                spec.order_by
            ))
            .bind::<BigInt, _>(org_id)
            .load(&mut **c)?
        }
        DbConn::Postgres(c) => diesel::sql_query(format!(
            "SELECT row_to_json(t)::text AS line FROM {t} t WHERE {} ORDER BY {}",
            scope(spec.name, "$1"),
            spec.order_by
        ))
        .bind::<BigInt, _>(org_id)
        .load(&mut **c)?,
    };
    let rows = lines
        .into_iter()
        .map(|l| match serde_json::from_str::<Value>(&l.line) {
            Ok(Value::Object(m)) => Ok(columns::normalise(m, &kept)),
            _ => Err(AppError::internal(format!("{}: unreadable row", spec.name))),
        })
        .collect::<Result<_, _>>()?;
    Ok(Dumped {
        columns: kept.iter().map(|c| c.name.clone()).collect(),
        rows,
    })
}

#[derive(QueryableByName)]
struct Issued {
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    n: Option<i64>,
}

/// The highest id `table` has handed out (all organisations share the numbering):
/// PostgreSQL's sequence; SQLite's `sqlite_sequence` where the table keeps one, else
/// the highest id present.
fn issued_id(conn: &mut DbConn, table: &str) -> Result<Option<i64>, AppError> {
    let t = ident(table);
    let row: Issued = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(format!(
            "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), \
             COALESCE((SELECT MAX(id) FROM {t}), 0)) AS n"
        ))
        .bind::<Text, _>(table)
        .get_result(&mut **c)?,
        DbConn::Postgres(c) => diesel::sql_query(format!(
            "SELECT GREATEST(COALESCE((SELECT last_value FROM pg_sequences \
             WHERE quote_ident(schemaname) || '.' || quote_ident(sequencename) \
             = pg_get_serial_sequence($1, 'id')), 0), \
             COALESCE((SELECT MAX(id) FROM {t}), 0)) AS n"
        ))
        .bind::<Text, _>(table)
        .get_result(&mut **c)?,
    };
    Ok(row.n)
}

/// The newest migration applied to the database.
pub fn schema_version(conn: &mut DbConn) -> Result<String, AppError> {
    let l: Line = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            "SELECT COALESCE(MAX(version), '') AS line FROM __diesel_schema_migrations",
        )
        .get_result(&mut **c)?,
        DbConn::Postgres(c) => diesel::sql_query(
            "SELECT COALESCE(MAX(version), '')::text AS line FROM __diesel_schema_migrations",
        )
        .get_result(&mut **c)?,
    };
    Ok(l.line)
}

/// The zip of the actor's whole organisation (admins), recorded in the audit trail.
/// Run it in a transaction: on PostgreSQL it asks for one snapshot of every table.
pub fn archive(
    conn: &mut DbConn,
    actor: &Actor,
    now: chrono::NaiveDateTime,
) -> Result<Vec<u8>, AppError> {
    actor.require_admin()?;
    if let DbConn::Postgres(c) = conn {
        // Must come before the transaction's first query; every read then sees one
        // moment, whatever colleagues write meanwhile.
        diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ WRITE")
            .execute(&mut **c)?;
    }
    audit::record(
        conn,
        actor,
        audit::Event {
            action: Action::Export,
            entity: Entity::Organisation,
            entity_id: Some(actor.org_id),
            changes: &[Change::note("archive", "organisation")],
            at: now,
        },
    )?;
    let mut manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        schema_version: schema_version(conn)?,
        organisation_id: actor.org_id,
        organisation_name: actor.org_name.clone(),
        exported_at: now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        tables: Vec::new(),
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for spec in TABLES {
        let d = dump(conn, spec, actor.org_id)?;
        let mut lines = Vec::new();
        for r in &d.rows {
            serde_json::to_writer(&mut lines, r).map_err(AppError::internal)?;
            lines.push(b'\n');
        }
        zip.start_file(format!("data/{}.jsonl", spec.name), opts)
            .map_err(AppError::internal)?;
        zip.write_all(&lines).map_err(AppError::internal)?;
        zip.start_file(format!("csv/{}.csv", spec.name), opts)
            .map_err(AppError::internal)?;
        zip.write_all(&csv(&d)?).map_err(AppError::internal)?;
        let issued_id = if d.columns.iter().any(|c| c == "id") {
            issued_id(conn, spec.name)?
        } else {
            None
        };
        manifest.tables.push(TableEntry {
            name: spec.name.into(),
            columns: d.columns,
            rows: d.rows.len(),
            issued_id,
            sha256: Some(crate::domain::auth::sha256_hex_bytes(&lines)),
        });
    }
    zip.start_file("manifest.json", opts)
        .map_err(AppError::internal)?;
    zip.write_all(&serde_json::to_vec_pretty(&manifest).map_err(AppError::internal)?)
        .map_err(AppError::internal)?;
    Ok(zip.finish().map_err(AppError::internal)?.into_inner())
}

/// The rows as Excel's "CSV (semicolon delimited)" with a BOM; NULL is an empty cell,
/// formula-like cells are neutralised. For reading; the import reads the JSON lines.
fn csv(d: &Dumped) -> Result<Vec<u8>, AppError> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    w.write_record(&d.columns).map_err(AppError::internal)?;
    for r in &d.rows {
        w.write_record(d.columns.iter().map(|c| match r.get(c) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => safe_cell(s).into_owned(),
            Some(v) => v.to_string(),
        }))
        .map_err(AppError::internal)?;
    }
    w.into_inner().map_err(AppError::internal)
}
