//! Backups of the embedded database. `backup` takes a consistent copy while the server
//! runs (`VACUUM INTO` reads one snapshot; writers carry on). `restore` checks a copy
//! and puts its contents in place of the live database's in one transaction, so a
//! running server sees the old data or the new, never a mixture, and a failed restore
//! changes nothing. PostgreSQL has its own tools (pg_dump, pg_restore): see the README.

use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::SqliteConnection;

use super::DatabaseUrl;

/// What a backup file holds, as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The newest migration applied to it.
    pub schema_version: String,
    /// Rows in the tables people recognise, by table.
    pub rows: Vec<(String, i64)>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "schema {}", self.schema_version)?;
        for (t, n) in &self.rows {
            write!(f, ", {n} {t}")?;
        }
        Ok(())
    }
}

const COUNTED: &[&str] = &[
    "organisations",
    "users",
    "employers",
    "contacts",
    "outreach",
    "leads",
    "clients",
    "placements",
];

fn sqlite_path(url: &DatabaseUrl) -> Result<&str, String> {
    match url {
        DatabaseUrl::Sqlite(p) => Ok(p),
        DatabaseUrl::Postgres(_) => Err(
            "the database is PostgreSQL: back it up with pg_dump and restore with pg_restore \
             (see the README, \"Backups\")"
                .into(),
        ),
    }
}

fn connect(path: &str) -> Result<SqliteConnection, String> {
    let mut c = SqliteConnection::establish(path).map_err(|e| format!("{path}: {e}"))?;
    c.batch_execute("PRAGMA busy_timeout = 30000;")
        .map_err(|e| format!("{path}: {e}"))?;
    Ok(c)
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Checks a database file: SQLite's own integrity check, a Placefirst schema, the counts.
pub fn check(path: &Path) -> Result<Summary, String> {
    let shown = path.display().to_string();
    if !path.is_file() {
        return Err(format!("{shown}: no such file"));
    }
    let mut c = connect(&shown)?;
    let problems: Vec<Line> =
        diesel::sql_query("SELECT integrity_check AS line FROM pragma_integrity_check")
            .load(&mut c)
            .map_err(|e| format!("{shown}: not a readable SQLite database ({e})"))?;
    if problems.iter().map(|l| l.line.as_str()).ne(["ok"]) {
        let first: Vec<String> = problems.into_iter().take(5).map(|l| l.line).collect();
        return Err(format!("{shown}: damaged: {}", first.join("; ")));
    }
    let version: Vec<Line> =
        diesel::sql_query("SELECT MAX(version) AS line FROM __diesel_schema_migrations")
            .load(&mut c)
            .map_err(|_| format!("{shown}: not a Placefirst database (no migrations table)"))?;
    let schema_version = version
        .into_iter()
        .next()
        .map(|l| l.line)
        .ok_or_else(|| format!("{shown}: not a Placefirst database (no migrations applied)"))?;
    let mut rows = Vec::new();
    for t in COUNTED {
        let n: Count = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {t}"))
            .get_result(&mut c)
            .map_err(|e| format!("{shown}: table {t}: {e}"))?;
        rows.push((t.to_string(), n.n));
    }
    Ok(Summary {
        schema_version,
        rows,
    })
}

/// Copies the live database to `dest` (which must not exist) and checks the copy.
pub fn backup(url: &DatabaseUrl, dest: &Path) -> Result<Summary, String> {
    let live = sqlite_path(url)?;
    if dest.exists() {
        return Err(format!(
            "{}: already exists; choose a new file name",
            dest.display()
        ));
    }
    // Written under a temporary name beside the target and renamed when complete, so a
    // file with the target's name is always a whole backup.
    let partial = sibling(dest, "partial");
    let _ = std::fs::remove_file(&partial);
    if dest
        .parent()
        .is_some_and(|d| !d.as_os_str().is_empty() && !d.is_dir())
    {
        return Err(format!(
            "{}: the folder does not exist",
            dest.parent().unwrap_or(dest).display()
        ));
    }
    let mut c = connect(live)?;
    c.batch_execute(&format!(
        "VACUUM INTO {}",
        quote(&partial.display().to_string())
    ))
    .map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        format!("backup to {} failed: {e}", dest.display())
    })?;
    let summary = check(&partial).inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })?;
    std::fs::rename(&partial, dest).map_err(|e| format!("{}: {e}", dest.display()))?;
    Ok(summary)
}

/// Whether two paths name one file (through links and relative paths).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{suffix}"));
    path.with_file_name(name)
}

#[derive(QueryableByName)]
struct Table {
    #[diesel(sql_type = Text)]
    name: String,
}

/// Replaces the live database's contents with the backup's. The backup is checked
/// first, and brought to this version's schema on a scratch copy (an older backup is
/// migrated; a newer one is refused). Then every table is emptied and refilled from the
/// copy in one transaction.
pub fn restore(url: &DatabaseUrl, src: &Path) -> Result<Summary, String> {
    let live = sqlite_path(url)?;
    if same_file(Path::new(live), src) {
        return Err(format!(
            "{}: this is the database itself; restore from a backup file",
            src.display()
        ));
    }
    let found = check(src)?;
    let scratch = sibling(Path::new(live), "restoring");
    for end in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{end}", scratch.display()));
    }
    // Copied through SQLite, not byte by byte: a file with a write-ahead log beside it
    // holds its latest writes there, and a plain copy would leave them behind.
    connect(&src.display().to_string())?
        .batch_execute(&format!(
            "VACUUM INTO {}",
            quote(&scratch.display().to_string())
        ))
        .map_err(|e| format!("{}: {e}", src.display()))?;
    let result = restore_from(live, &scratch, &found);
    for end in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{end}", scratch.display()));
    }
    result
}

/// Brings the database at `path` to this binary's schema.
fn migrate(path: &str) -> Result<(), String> {
    let pool = super::DbPool::open(&DatabaseUrl::Sqlite(path.to_string()), 1, 30)
        .map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    super::migrate::run_pending(&mut conn).map_err(|e| e.to_string())?;
    Ok(())
}

#[derive(QueryableByName)]
struct Guard {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    sql: String,
}

fn restore_from(live: &str, scratch: &Path, found: &Summary) -> Result<Summary, String> {
    let scratch_s = scratch.display().to_string();
    migrate(live)?;
    let current = check(Path::new(live))?.schema_version;
    if found.schema_version > current {
        return Err(format!(
            "the backup is from a newer Placefirst (schema {}; this one knows {current}): \
             restore it with that version",
            found.schema_version
        ));
    }
    migrate(&scratch_s)?;
    let mut c = connect(live)?;
    let tables: Vec<Table> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations' ORDER BY name",
    )
    .load(&mut c)
    .map_err(|e| e.to_string())?;
    // Foreign keys are off while tables are emptied and refilled (an ON DELETE CASCADE
    // would empty a table already refilled) and checked whole before the commit.
    let mut script = format!(
        "ATTACH DATABASE {} AS b; PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE;",
        quote(&scratch_s)
    );
    // The audit trail refuses deletes (its triggers); a restore replaces it whole with
    // the backup's, so they step aside inside the transaction and come back before it ends.
    let guards: Vec<Guard> = diesel::sql_query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%append-only%'",
    )
    .load(&mut c)
    .map_err(|e| e.to_string())?;
    for g in &guards {
        script.push_str(&format!(
            "DROP TRIGGER main.\"{}\";",
            g.name.replace('"', "\"\"")
        ));
    }
    for t in &tables {
        let name = t.name.replace('"', "\"\"");
        script.push_str(&format!(
            "DELETE FROM main.\"{name}\"; INSERT INTO main.\"{name}\" SELECT * FROM b.\"{name}\";"
        ));
    }
    for g in &guards {
        script.push_str(&g.sql);
        script.push(';');
    }
    let result = c
        .batch_execute(&script)
        .map_err(|e| e.to_string())
        .and_then(|_| {
            let broken: Count =
                diesel::sql_query("SELECT COUNT(*) AS n FROM main.pragma_foreign_key_check")
                    .get_result(&mut c)
                    .map_err(|e| e.to_string())?;
            match broken.n {
                0 => c.batch_execute("COMMIT;").map_err(|e| e.to_string()),
                n => Err(format!(
                    "the backup has {n} rows whose linked records are missing"
                )),
            }
        });
    if result.is_err() {
        let _ = c.batch_execute("ROLLBACK;");
    }
    let _ = c.batch_execute("PRAGMA foreign_keys = ON; DETACH DATABASE b;");
    drop(c);
    result.map_err(|e| format!("restore failed, nothing changed: {e}"))?;
    check(Path::new(live))
}
