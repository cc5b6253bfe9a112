//! The layering the README describes, checked on the source: the domain knows nothing of
//! HTTP or e-mail, and handlers run no queries of their own.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Lines of the files under `dir` (relative to src/) that mention any of `banned`,
/// comments left out.
fn offending(dir: &str, banned: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let start = root.join(dir);
    if start.is_dir() {
        rust_files(&start, &mut files);
    } else {
        files.push(start);
    }
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // Unit tests at the end of a file may build what they like.
        let code_part = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code_part.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if banned.iter().any(|b| code.contains(b)) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn the_domain_knows_nothing_of_http_or_mail() {
    let banned = ["actix_web", "actix", "crate::web", "crate::mail", "lettre"];
    let found = offending("domain", &banned);
    assert!(
        found.is_empty(),
        "the domain reaches out:\n{}",
        found.join("\n")
    );
    let found = offending("error.rs", &banned);
    assert!(
        found.is_empty(),
        "the error type knows HTTP:\n{}",
        found.join("\n")
    );
}

#[test]
fn handlers_run_no_queries() {
    let found = offending("web", &["db_run!", "org_has!", "diesel::", "schema::"]);
    assert!(
        found.is_empty(),
        "queries in the web layer:\n{}",
        found.join("\n")
    );
}

#[test]
fn pages_and_mails_have_typed_view_models() {
    // A json! object lets a misspelt or missing field through to the template; view
    // models and mail payloads are Serialize structs. (Merge patches handed to the
    // domain's patch functions are maps by design.)
    let mut found = offending("web/pages", &["json!", "HashMap<String, String>"]);
    found.extend(offending("mail", &["json!"]));
    found.extend(offending("web/render.rs", &["json!"]));
    found.retain(|l| !l.contains("patch.insert"));
    assert!(found.is_empty(), "untyped views:\n{}", found.join("\n"));
}

#[test]
fn forms_and_queries_have_no_sentinel_values() {
    // A form field that is not a number is a field message (web::pages::field), and a
    // missing id is None, never -1 or 0 standing in for "nothing".
    let found = offending("", &["unwrap_or(-1)", "parse().unwrap_or(0)"]);
    assert!(found.is_empty(), "sentinels:\n{}", found.join("\n"));
}

#[test]
fn the_checks_can_fail() {
    // The scanner itself finds what it looks for.
    assert!(!offending("web", &["actix_web"]).is_empty());
    assert!(!offending("db", &["db_run!"]).is_empty());
    assert!(!offending("web/api", &["json!"]).is_empty());
}
