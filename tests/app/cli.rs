//! The command line: user and token administration against a real database.

use actix_web::http::StatusCode;

use crate::helpers::TestApp;

/// The command's success, standard output and standard error (no stdin: empty).
fn run(url: &str, args: &[&str], stdin: Option<&str>) -> Out {
    let (ok, stdout, stderr) = crate::process::cli_at(url, args, stdin.unwrap_or_default());
    Out { ok, stdout, stderr }
}

struct Out {
    ok: bool,
    stdout: String,
    stderr: String,
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
    assert!(out.ok, "{}", out.stderr);
    let text = out.stdout;
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
    let text = out.stdout;
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
    assert!(!out.ok);
    assert!(out.stderr.contains("unknown role"));
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
    assert!(out.stderr.contains("already has an account"));

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
    assert!(out.ok, "{}", out.stderr);
    let stdout = out.stdout.clone();
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
