//! What every benchmark does around its measurements: one run on an embedded SQLite
//! file, then one on a throwaway PostgreSQL database when a server is reachable.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use placefirst::db::DatabaseUrl;

/// Calls `run` for SQLite, then for PostgreSQL (created and dropped here).
pub fn on_both_databases(name: &str, run: impl Fn(DatabaseUrl)) {
    // `cargo test --benches -- --list` asks what is here: nothing to list.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    run(DatabaseUrl::Sqlite(
        dir.path().join(format!("{name}.db")).display().to_string(),
    ));
    let admin = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let admin = admin.trim_end_matches('/').to_string();
    match PgConnection::establish(&format!("{admin}/postgres")) {
        Ok(mut c) => {
            let db = format!("pf_bench_{name}_{}", std::process::id());
            c.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
            run(DatabaseUrl::Postgres(format!("{admin}/{db}")));
            let _ = c.batch_execute(&format!("DROP DATABASE {db} WITH (FORCE)"));
        }
        Err(e) => println!("\nPostgreSQL not reachable ({e}); skipped"),
    }
}
