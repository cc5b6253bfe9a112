//! End to end in headless Chromium (Debian's `chromium`, driven by playwright-core):
//! log in, add an employer with a contact person, switch the language, and save
//! screenshots at phone and laptop widths under target/screenshots/.

use std::path::Path;
use std::process::Command;

use placefirst::domain::clock::Clock;
use placefirst::domain::users::Role;

use crate::helpers::{TestApp, PASSWORD};

fn required() -> bool {
    std::env::var("PLACEFIRST_REQUIRE_E2E").is_ok_and(|v| v == "1")
}

/// Chromium, node and the e2e packages (playwright-core, axe-core): the Chromium path
/// when all are there; else None after saying what is missing, or a failure when
/// PLACEFIRST_REQUIRE_E2E=1 (as .ci/run sets it).
pub fn browser_ready() -> Option<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let missing: Vec<&str> = [
        (!Path::new(&chromium).exists()).then_some("chromium (apt-get install chromium)"),
        (!Path::new(&format!("{root}/e2e/node_modules/playwright-core")).exists())
            .then_some("e2e/node_modules (scripts/install-e2e-deps.sh)"),
        (!Path::new(&format!("{root}/e2e/node_modules/axe-core/axe.min.js")).exists())
            .then_some("e2e/node_modules/axe-core (scripts/install-e2e-deps.sh)"),
        Command::new("node")
            .arg("--version")
            .output()
            .is_err()
            .then_some("node"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !missing.is_empty() {
        assert!(
            !required(),
            "the browser test is required but these are missing: {missing:?}"
        );
        eprintln!("SKIPPED: browser test needs {missing:?}; .ci/run installs them");
        return None;
    }
    Some(chromium)
}

/// Runs `e2e/<script>` with node and these variables; fails the test with the script's
/// output unless it succeeds, else gives its output.
pub async fn run_script(script: &str, chromium: &str, env: Vec<(&'static str, String)>) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let path = format!("{root}/e2e/{script}");
    let chromium = chromium.to_string();
    let out = actix_web::web::block(move || {
        let mut cmd = Command::new("node");
        cmd.arg(path).env("CHROMIUM_PATH", chromium);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output()
    })
    .await
    .unwrap()
    .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser test failed:\n{stdout}\n{stderr}"
    );
    stdout
}

#[actix_web::test]
async fn browser_logs_in_adds_an_employer_and_switches_language() {
    let root = env!("CARGO_MANIFEST_DIR");
    let Some(chromium) = browser_ready() else {
        return;
    };
    let app = TestApp::sqlite().await;
    {
        let mut conn = app.state.pool.get().unwrap();
        placefirst::demo::load_if_empty(&mut conn, app.clock.now()).unwrap();
    }
    app.user(
        "Pirkanmaan hyvinvointialue – IPS (demo)",
        "e2e@example.fi",
        Role::Specialist,
    );
    let stdout = run_script(
        "run.mjs",
        &chromium,
        vec![
            ("BASE_URL", app.base.clone()),
            ("E2E_EMAIL", "e2e@example.fi".into()),
            ("E2E_PASSWORD", PASSWORD.into()),
            ("SCREENSHOT_DIR", format!("{root}/target/screenshots")),
        ],
    )
    .await;
    assert!(
        stdout.contains("e2e: done") || stdout.lines().count() > 5,
        "{stdout}"
    );
    // What the browser did is in the database.
    let mut conn = app.state.pool.get().unwrap();
    let user = placefirst::domain::users::find_by_email(&mut conn, "e2e@example.fi")
        .unwrap()
        .unwrap();
    let actor = placefirst::domain::users::load_actor(&mut conn, user.id)
        .unwrap()
        .unwrap();
    let q = placefirst::domain::employers::list::ListParams {
        q: Some("E2E Testi".into()),
        ..Default::default()
    }
    .parse(25)
    .unwrap();
    let page = placefirst::domain::employers::list::list(&mut conn, &actor, &q).unwrap();
    assert_eq!(page.items.len(), 1, "the employer the browser added");
    assert_eq!(page.items[0].business_id.as_deref(), Some("1572860-0"));
    let contacts =
        placefirst::domain::contacts::list_for_employer(&mut conn, &actor, page.items[0].id)
            .unwrap();
    assert_eq!(contacts[0].name, "Maija Esimerkki");
    assert!(contacts[0].can_hire);
    assert_eq!(
        actor.locale,
        Some(placefirst::i18n::Lang::En),
        "the language choice was stored"
    );
}
