//! The real binary as a separate process, on a throwaway database: for the tests that
//! drive it from outside (black-box attack, API contract).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use crate::helpers::{postgres_admin_url, postgres_required};

pub const BIN: &str = env!("CARGO_BIN_EXE_placefirst");

/// A throwaway database: a SQLite file, or a PostgreSQL database dropped afterwards.
pub struct Db {
    pub url: String,
    pub _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some((admin, db)) = self.pg.take() {
            if let Ok(mut c) = PgConnection::establish(&format!("{admin}/postgres")) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"));
            }
        }
    }
}

pub fn sqlite_db() -> Db {
    let dir = tempfile::tempdir().unwrap();
    Db {
        url: format!("sqlite://{}/bb.db", dir.path().display()),
        _dir: dir,
        pg: None,
    }
}

pub fn postgres_db() -> Option<Db> {
    let admin = postgres_admin_url();
    let mut conn = match PgConnection::establish(&format!("{admin}/postgres")) {
        Ok(c) => c,
        Err(e) if postgres_required() => panic!("PostgreSQL required but unreachable: {e}"),
        Err(e) => {
            eprintln!("SKIPPED: PostgreSQL unreachable ({e})");
            return None;
        }
    };
    let db = format!("pf_bb_{}", placefirst::domain::auth::random_hex(6));
    conn.batch_execute(&format!("CREATE DATABASE \"{db}\""))
        .unwrap();
    Some(Db {
        url: format!("{admin}/{db}"),
        _dir: tempfile::tempdir().unwrap(),
        pg: Some((admin, db)),
    })
}

pub fn cli(db: &Db, args: &[&str], stdin: &str) -> String {
    let (ok, stdout, stderr) = cli_result(db, args, stdin);
    assert!(ok, "{stderr}");
    stdout
}

/// The command's success, standard output and standard error.
pub fn cli_result(db: &Db, args: &[&str], stdin: &str) -> (bool, String, String) {
    cli_at(&db.url, args, stdin)
}

/// The command against the database at `url`: success, standard output and error.
pub fn cli_at(url: &str, args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = Command::new(BIN)
        .env("DATABASE_URL", url)
        .env("PLACEFIRST_LOG__LEVEL", "warn")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

pub const PASSWORD: &str = "musta-kissa-2026";

/// A user and their API token, made with the command line.
pub fn user_with_token(db: &Db, email: &str, role: &str) -> String {
    cli(
        db,
        &[
            "user", "create", "--org", "Blackbox", "--email", email, "--role", role,
        ],
        &format!("{PASSWORD}\n"),
    );
    let out = cli(
        db,
        &["token", "create", "--email", email, "--name", "bb"],
        "",
    );
    out.lines().last().unwrap().trim().to_string()
}

pub struct Server {
    pub child: Child,
    pub base: String,
    log: PathBuf,
}

impl Server {
    /// The release-like binary serving `db`; logs (JSON, at `level`) go to a file.
    pub async fn start(db: &Db, level: &str) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = db._dir.path().join(format!("server-{port}.log"));
        let child = Command::new(BIN)
            .arg("serve")
            .env("DATABASE_URL", &db.url)
            .env("PLACEFIRST_SERVER__PORT", port.to_string())
            .env("PLACEFIRST_SERVER__WORKERS", "2")
            .env("PLACEFIRST_LOG__FORMAT", "json")
            .env("PLACEFIRST_LOG__LEVEL", level)
            .env("PLACEFIRST_MAIL__POLL_SECONDS", "0")
            .env("RUST_LOG", level)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let client = awc::Client::default();
        let started = Instant::now();
        while client.get(format!("{base}/healthz")).send().await.is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "server did not start"
            );
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        Self { child, base, log }
    }

    /// The most memory the process has held (VmHWM), in MB.
    pub fn peak_mb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kb: u64 = status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap();
        kb / 1024
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn logs(&mut self) -> String {
        self.kill();
        std::fs::read_to_string(&self.log).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}
