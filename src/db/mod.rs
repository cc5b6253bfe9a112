//! Storage: one connection type over SQLite and PostgreSQL, chosen by the URL's scheme.
//!
//! We route by scheme ourselves instead of diesel's `MultiConnection` derive: its
//! `establish` tries each backend in turn and hides why a connection failed, and its
//! shared backend lacks `RETURNING`. Query code is written once inside `db_run!`, which
//! compiles it for each backend.

pub mod backup;
pub mod migrate;
pub mod schema;
pub mod scope;

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;

use crate::error::AppError;

/// A database URL that names a backend we support.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    /// `sqlite://path`, `sqlite:path` or a plain path; `postgres://` or `postgresql://`.
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if url.is_empty() {
            return Err("expected a database URL, got an empty value".into());
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let rest = url.split_once("://").map(|x| x.1).unwrap_or_default();
            if rest.is_empty() || rest.starts_with('/') && rest.len() == 1 {
                return Err(format!(
                    "malformed PostgreSQL URL \"{}\": no host or database",
                    redact(url)
                ));
            }
            return Ok(Self::Postgres(url.to_string()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err(format!("malformed SQLite URL \"{url}\": no file path"));
            }
            return Ok(Self::Sqlite(path.to_string()));
        }
        if let Some((scheme, _)) = url.split_once("://") {
            return Err(format!(
                "unsupported database scheme \"{scheme}\" in \"{}\": use sqlite://PATH or postgres://...",
                redact(url)
            ));
        }
        Ok(Self::Sqlite(url.to_string()))
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
}

/// Why the database could not be opened, in words a person can act on.
#[derive(Debug, thiserror::Error)]
pub enum DbOpenError {
    #[error("malformed database URL: {0}")]
    Malformed(String),
    #[error("cannot reach the database server ({url}): {why}")]
    Unreachable { url: String, why: String },
    #[error("cannot open the SQLite database {path}: {why}")]
    Sqlite { path: String, why: String },
    #[error("database pool: {0}")]
    Pool(String),
}

/// Settings SQLite needs to behave as a server database.
#[derive(Debug, Clone, Copy)]
struct SqliteTuning {
    busy_timeout_ms: u64,
}

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for SqliteTuning {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        // busy_timeout makes a second writer wait instead of failing with SQLITE_BUSY;
        // NORMAL is durable in WAL mode except for the last transactions on power loss,
        // which a CRM can afford. (WAL itself is set once, in `DbPool::open`.)
        conn.batch_execute(&format!(
            "PRAGMA busy_timeout = {}; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
            self.busy_timeout_ms
        ))
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

type SqlitePool = Pool<ConnectionManager<SqliteConnection>>;
type PgPool = Pool<ConnectionManager<PgConnection>>;

#[derive(Clone)]
pub enum DbPool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

pub enum DbConn {
    Sqlite(PooledConnection<ConnectionManager<SqliteConnection>>),
    Postgres(PooledConnection<ConnectionManager<PgConnection>>),
}

/// Runs the same diesel code on whichever backend `conn` holds; `c` is the inner
/// connection (`&mut SqliteConnection` or `&mut PgConnection`) and `Db` its backend type.
#[macro_export]
macro_rules! db_run {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $crate::db::AsConn::conn($conn) {
            $crate::db::DbConn::Sqlite(__inner) => {
                #[allow(dead_code)]
                type Db = ::diesel::sqlite::Sqlite;
                let $c: &mut ::diesel::SqliteConnection = &mut **__inner;
                $body
            }
            $crate::db::DbConn::Postgres(__inner) => {
                #[allow(dead_code)]
                type Db = ::diesel::pg::Pg;
                let $c: &mut ::diesel::PgConnection = &mut **__inner;
                $body
            }
        }
    };
}

fn classify_pg_error(url: &str, why: String) -> DbOpenError {
    let lower = why.to_lowercase();
    let malformed = [
        "invalid",
        "missing",
        "unexpected",
        "unrecognized",
        "malformed",
    ];
    if malformed.iter().any(|m| lower.contains(m)) && !lower.contains("password") {
        DbOpenError::Malformed(format!(
            "{}: {}",
            redact(url),
            hide_password(why.trim(), url)
        ))
    } else {
        DbOpenError::Unreachable {
            url: redact(url),
            why: hide_password(why.trim(), url),
        }
    }
}

/// Text for a LIKE pattern, its `%`, `_` and `\\` taken literally (use with
/// `.escape('\\')`): a search for "%" finds a percent sign, not every row.
pub fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The URL's password, if it has one.
fn password(url: &str) -> Option<&str> {
    let s = url.find("://")?;
    let at = url.rfind('@').filter(|at| *at > s)?;
    url[s + 3..at]
        .split_once(':')
        .map(|(_, p)| p)
        .filter(|p| !p.is_empty())
}

/// A driver's message with the URL's password taken out, should it quote it.
fn hide_password(text: &str, url: &str) -> String {
    match password(url) {
        Some(p) => text.replace(p, "***"),
        None => text.to_string(),
    }
}

/// Hides a password in a URL before it is logged or shown.
pub fn redact(url: &str) -> String {
    match password(url) {
        Some(p) => url.replacen(&format!(":{p}@"), ":***@", 1),
        None => url.to_string(),
    }
}

impl DbPool {
    pub fn open(url: &DatabaseUrl, size: u32, timeout_seconds: u64) -> Result<Self, DbOpenError> {
        let timeout = Duration::from_secs(timeout_seconds);
        match url {
            DatabaseUrl::Sqlite(path) => {
                // Connect once directly so a bad path reports SQLite's own reason.
                // WAL (readers beside the one writer) is a property of the file: set it once
                // here rather than from every pooled connection at once, which would race.
                let mut first =
                    SqliteConnection::establish(path).map_err(|e| DbOpenError::Sqlite {
                        path: path.clone(),
                        why: e.to_string(),
                    })?;
                first
                    .batch_execute(&format!(
                        "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL;",
                        timeout_seconds * 1000
                    ))
                    .map_err(|e| DbOpenError::Sqlite {
                        path: path.clone(),
                        why: e.to_string(),
                    })?;
                let pool = Pool::builder()
                    .max_size(size)
                    .connection_timeout(timeout)
                    .connection_customizer(Box::new(SqliteTuning {
                        busy_timeout_ms: timeout_seconds * 1000,
                    }))
                    .build(ConnectionManager::<SqliteConnection>::new(path))
                    .map_err(|e| DbOpenError::Pool(e.to_string()))?;
                Ok(Self::Sqlite(pool))
            }
            DatabaseUrl::Postgres(u) => {
                PgConnection::establish(u).map_err(|e| classify_pg_error(u, e.to_string()))?;
                let pool = Pool::builder()
                    .max_size(size)
                    .connection_timeout(timeout)
                    .build(ConnectionManager::<PgConnection>::new(u))
                    .map_err(|e| DbOpenError::Pool(e.to_string()))?;
                Ok(Self::Postgres(pool))
            }
        }
    }

    pub fn get(&self) -> Result<DbConn, AppError> {
        match self {
            Self::Sqlite(p) => p.get().map(DbConn::Sqlite),
            Self::Postgres(p) => p.get().map(DbConn::Postgres),
        }
        .map_err(|e| AppError::internal(format!("no database connection: {e}")))
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// Runs blocking database work on the blocking thread pool, keeping the caller's
    /// tracing span, so async workers never wait on the database.
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    {
        let pool = self.clone();
        let span = tracing::Span::current();
        actix_web::web::block(move || {
            let _entered = span.enter();
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await
        .map_err(|e| AppError::internal(format!("blocking task failed: {e}")))?
    }

    /// Like `run`, inside one transaction: all of it is stored, or none.
    pub async fn tx<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx<'_>) -> Result<T, AppError> + Send + 'static,
    {
        self.run(move |conn| transaction(conn, f)).await
    }
}

/// What `db_run!` runs on: a plain connection or one inside a transaction.
pub trait AsConn {
    fn conn(&mut self) -> &mut DbConn;
}

impl AsConn for DbConn {
    fn conn(&mut self) -> &mut DbConn {
        self
    }
}

impl AsConn for Tx<'_> {
    fn conn(&mut self) -> &mut DbConn {
        self.conn
    }
}

/// Folds SQLite's write-ahead log into the database file, so text just erased is not
/// left in the log's bytes; nothing to do on PostgreSQL.
pub fn checkpoint(conn: &mut DbConn) -> Result<(), AppError> {
    if let DbConn::Sqlite(c) = conn {
        c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")?;
    }
    Ok(())
}

/// Answers when the database does (the readiness check).
pub fn ping(conn: &mut DbConn) -> Result<(), AppError> {
    Ok(db_run!(conn, |c| c.batch_execute("SELECT 1"))?)
}

/// A connection inside a transaction. Only [`transaction`] makes one, so a function that
/// takes `&mut Tx` can only be called where its writes are atomic. It derefs to the
/// connection, so query functions taking `&mut DbConn` compose inside it.
pub struct Tx<'c> {
    conn: &'c mut DbConn,
}

impl std::ops::Deref for Tx<'_> {
    type Target = DbConn;
    fn deref(&self) -> &DbConn {
        self.conn
    }
}

impl std::ops::DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut DbConn {
        self.conn
    }
}

impl Tx<'_> {
    /// A nested transaction (a savepoint): `f`'s writes are undone alone if it fails.
    pub fn savepoint<T>(
        &mut self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        transaction(self.conn, f)
    }
}

/// One transaction around `f`, diesel's own: nested calls become savepoints. On SQLite the
/// outermost one begins IMMEDIATE, taking the write lock up front so a read-then-write
/// transaction waits for another writer (busy_timeout) instead of failing with
/// SQLITE_BUSY half-way.
pub fn transaction<T>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut Tx<'_>) -> Result<T, AppError>,
) -> Result<T, AppError> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    match conn {
        DbConn::Sqlite(c) => {
            let c: &mut SqliteConnection = c;
            let depth =
                AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()?;
            if depth.is_none() {
                AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
            } else {
                AnsiTransactionManager::begin_transaction(c)?;
            }
        }
        DbConn::Postgres(c) => AnsiTransactionManager::begin_transaction(&mut **c)?,
    }
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        f(&mut Tx { conn: &mut *conn })
    }));
    match result {
        Ok(Ok(value)) => {
            db_run!(conn, |c| AnsiTransactionManager::commit_transaction(c))?;
            Ok(value)
        }
        Ok(Err(e)) => {
            let _ = db_run!(conn, |c| AnsiTransactionManager::rollback_transaction(c));
            Err(e)
        }
        Err(panic) => {
            let _ = db_run!(conn, |c| AnsiTransactionManager::rollback_transaction(c));
            std::panic::resume_unwind(panic)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_route_by_scheme() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://a.db").unwrap(),
            DatabaseUrl::Sqlite("a.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("data/x.db").unwrap(),
            DatabaseUrl::Sqlite("data/x.db".into())
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://u@h/db").unwrap(),
            DatabaseUrl::Postgres(_)
        ));
        assert!(DatabaseUrl::parse("mysql://h/db")
            .unwrap_err()
            .contains("unsupported"));
        assert!(DatabaseUrl::parse("sqlite://")
            .unwrap_err()
            .contains("malformed"));
        assert!(DatabaseUrl::parse("").is_err());
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        // Issue 13 (8): a malformed URL's message never carries its password.
        let url = "postgres://u:s3cret-pw@h:port/db";
        for why in [
            "invalid integer value \"port\" for connection option \"port\"",
            "could not translate host name \"h\" to address: s3cret-pw",
        ] {
            let shown = classify_pg_error(url, why.into()).to_string();
            assert!(!shown.contains("s3cret-pw"), "{shown}");
        }
        let e = DatabaseUrl::parse("mysql://u:s3cret-pw@h/db").unwrap_err();
        assert!(!e.contains("s3cret-pw"), "{e}");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }

    #[test]
    fn unreachable_and_malformed_are_told_apart() {
        let url = DatabaseUrl::Postgres("postgres://postgres@127.0.0.1:1/x".into());
        let e = DbPool::open(&url, 1, 2).err().unwrap();
        assert!(matches!(e, DbOpenError::Unreachable { .. }), "{e}");
        let url = DatabaseUrl::Postgres("postgres://postgres@127.0.0.1:notaport/x".into());
        let e = DbPool::open(&url, 1, 2).err().unwrap();
        assert!(matches!(e, DbOpenError::Malformed(_)), "{e}");
    }
}
