//! The command line: user and token administration against a real database.

use std::io::Write;
use std::process::{Command, Stdio};

use actix_web::http::StatusCode;

use crate::helpers::TestApp;

fn run(url: &str, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_placefirst"))
        .env("DATABASE_URL", url)
        .env("PLACEFIRST_LOG__LEVEL", "warn")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            input.write_all(s.as_bytes()).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

#[actix_web::test]
async fn user_and_token_commands() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/cli.db", dir.path().display());
    let out = run(
        &url,
        &[
            "user",
            "create",
            "--org",
            "Keski-Suomen IPS",
            "--email",
            "Tiina@Example.fi",
            "--role",
            "team_lead",
            "--team",
            "Jyväskylä",
        ],
        Some("salasana-2026\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("tiina@example.fi") && !text.contains("Generated password"),
        "{text}"
    );
    // No password on stdin: one is generated and shown once.
    let out = run(
        &url,
        &[
            "user",
            "create",
            "--org",
            "Keski-Suomen IPS",
            "--email",
            "lukija@example.fi",
            "--role",
            "viewer",
        ],
        None,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Generated password (shown only now): "),
        "{text}"
    );
    let out = run(
        &url,
        &[
            "user",
            "create",
            "--org",
            "X",
            "--email",
            "y@example.fi",
            "--role",
            "boss",
        ],
        Some("salasana-2026\n"),
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown role"));
    let out = run(
        &url,
        &[
            "user",
            "create",
            "--org",
            "X",
            "--email",
            "tiina@example.fi",
            "--role",
            "viewer",
        ],
        Some("salasana-2026\n"),
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("already has an account"));

    let out = run(
        &url,
        &[
            "token",
            "create",
            "--email",
            "tiina@example.fi",
            "--name",
            "raportit",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let token = stdout.lines().last().unwrap().trim().to_string();
    assert!(token.starts_with("pf_") && !token.contains(' '), "{stdout}");

    // The token works against the running service on the same database.
    let app = TestApp::start_on(&url).await;
    let api = crate::helpers::Api::with_token(&app.base, &token);
    let me = api.get("/api/v1/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json["email"], "tiina@example.fi");
    assert_eq!(me.json["role"], "team_lead");
    assert_eq!(me.json["organisation"]["name"], "Keski-Suomen IPS");
    let mut b = app.browser();
    assert_eq!(
        b.login("tiina@example.fi", "salasana-2026").await.status,
        StatusCode::SEE_OTHER
    );
}
