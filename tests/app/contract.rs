//! The API contract: the OpenAPI document at `/api/v1/openapi.json` is complete (every
//! route actix serves is in it, with request, response and error shapes), valid OpenAPI
//! 3.1 by a validator nobody here wrote, and true: schemathesis drives the release-like
//! binary from it on both databases and finds no 5xx and no answer off its schema.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use actix_web::http::{Method, StatusCode};
use actix_web::{test, web, App, HttpResponse};
use serde_json::Value;

use crate::helpers::{Api, TestApp};
use crate::process::{cli, postgres_db, sqlite_db, Db, Server};

fn e2e_required() -> bool {
    std::env::var("PLACEFIRST_REQUIRE_E2E").is_ok_and(|v| v == "1")
}

/// A caller without a token, in `lang`.
fn anonymous(app: &TestApp, lang: Option<&'static str>) -> Api {
    Api {
        client: awc::Client::default(),
        base: app.base.clone(),
        token: None,
        lang,
        user_id: 0,
        org_id: 0,
    }
}

/// The document as the running app serves it (no token needed).
async fn served_document() -> Value {
    let app = TestApp::sqlite().await;
    let r = anonymous(&app, None).get("/api/v1/openapi.json").await;
    assert!(
        r.content_type.starts_with("application/json"),
        "{}",
        r.content_type
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json
}

/// (method, path) of every operation in the document.
fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect()
}

fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r.clone());
            }
            m.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[actix_web::test]
async fn the_document_describes_every_operation_fully() {
    let doc = served_document().await;
    assert_eq!(doc["openapi"], "3.1.0");
    let ops = operations(&doc);
    assert!(ops.len() >= 100, "only {} operations", ops.len());
    // A few that are easy to forget: raw bodies, a 200 on DELETE, nested ids.
    for (m, p) in [
        ("POST", "/calendar/import"),
        ("POST", "/partners/{id}/members/import"),
        ("DELETE", "/partners/{id}"),
        ("DELETE", "/partners/{id}/members/{employer_id}"),
        ("PUT", "/clients/{id}/profile"),
        ("GET", "/teams/{id}/agenda"),
        ("GET", "/openapi.json"),
    ] {
        assert!(ops.contains(&(m.into(), p.into())), "{m} {p} missing");
    }

    let mut ids = BTreeSet::new();
    for (method, path) in &ops {
        let op = &doc["paths"][path][method.to_lowercase()];
        let name = format!("{method} {path}");
        assert!(
            ids.insert(op["operationId"].as_str().unwrap().to_string()),
            "{name}: duplicate operationId"
        );
        assert!(
            !op["summary"].as_str().unwrap().is_empty(),
            "{name}: no summary"
        );
        assert!(op["tags"][0].is_string(), "{name}: no tag");
        let responses = op["responses"].as_object().unwrap();
        let success: Vec<&String> = responses.keys().filter(|k| k.starts_with('2')).collect();
        assert_eq!(success.len(), 1, "{name}: {success:?}");
        let ok = &responses[success[0]];
        if success[0] != "204" {
            assert!(
                ok["content"].is_object(),
                "{name}: success without a body shape"
            );
        }
        assert!(
            responses.contains_key("default"),
            "{name}: no default error"
        );
        // Path parameters are declared, one for each {name}.
        let declared: BTreeSet<&str> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "path")
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        let in_path: BTreeSet<&str> = path
            .split('{')
            .skip(1)
            .map(|s| s.split('}').next().unwrap())
            .collect();
        assert_eq!(declared, in_path, "{name}");
        if !in_path.is_empty() {
            assert!(responses.contains_key("404"), "{name}: no 404");
        }
        let public = op["security"] == serde_json::json!([]);
        if !public {
            assert!(responses.contains_key("401"), "{name}: no 401");
        }
        if matches!(method.as_str(), "POST" | "PUT" | "PATCH") && op.get("requestBody").is_some() {
            assert!(responses.contains_key("422"), "{name}: no 422");
        }
    }
    // The one public operation is the document itself.
    let public: Vec<_> = ops
        .iter()
        .filter(|(m, p)| doc["paths"][p][m.to_lowercase()]["security"] == serde_json::json!([]))
        .collect();
    assert_eq!(
        public,
        vec![&("GET".to_string(), "/openapi.json".to_string())]
    );

    // Shapes that come from the code, not written by hand.
    let schemas = &doc["components"]["schemas"];
    let employer = &schemas["Employer"];
    assert_eq!(
        employer["properties"]["stage"]["$ref"],
        "#/components/schemas/Stage"
    );
    assert!(employer["required"]
        .as_array()
        .unwrap()
        .contains(&"version".into()));
    let stages: Vec<&str> = schemas["Stage"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        stages,
        placefirst::domain::employers::Stage::names(),
        "the documented stages are the closed set's"
    );
    let patch = &doc["paths"]["/employers/{id}"]["patch"]["requestBody"]["content"]
        ["application/json"]["schema"];
    assert!(
        patch.get("required").is_none(),
        "a merge patch needs no field"
    );
    assert!(patch["properties"]["version"].is_object());
    assert!(patch["properties"]["name"].is_object());
    let problem = &schemas["Problem"];
    assert!(problem["properties"]["errors"].is_object());

    // Every reference resolves.
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in all {
        let pointer = r.strip_prefix('#').unwrap();
        assert!(doc.pointer(pointer).is_some(), "dangling {r}");
    }
}

/// A validator nobody here wrote (openapi-spec-validator, from PyPI).
#[actix_web::test]
async fn the_document_is_valid_openapi_3_1() {
    let doc = served_document().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let script = "import json,sys\n\
        from openapi_spec_validator import validate\n\
        from openapi_spec_validator.validation.validators import OpenAPIV31SpecValidator\n\
        validate(json.load(open(sys.argv[1])), cls=OpenAPIV31SpecValidator)\n\
        print('valid')";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&file)
        .output();
    match out {
        Ok(o) if o.status.success() => {
            assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "valid");
        }
        Ok(o) if !String::from_utf8_lossy(&o.stderr).contains("No module named") => panic!(
            "the document is not valid OpenAPI 3.1:\n{}",
            String::from_utf8_lossy(&o.stderr)
        ),
        _ if e2e_required() => {
            panic!("openapi-spec-validator is required (scripts/install-e2e-deps.sh)")
        }
        _ => eprintln!("SKIPPED: openapi-spec-validator not installed"),
    }
}

/// Whatever actix routes under `/api/v1` is in the document, and the other way round:
/// the routes are mounted alone, with a marker for "no such route", and every
/// documented operation is called, and every undocumented method on its path.
#[actix_web::test]
async fn every_route_actix_serves_is_in_the_document() {
    const NO_ROUTE: u16 = 599;
    let doc = placefirst::web::api::openapi::document().clone();
    let app = test::init_service(
        App::new().service(
            web::scope("/api/v1")
                .configure(placefirst::web::api::routes)
                .default_service(web::to(|| async {
                    HttpResponse::build(StatusCode::from_u16(NO_ROUTE).unwrap()).finish()
                })),
        ),
    )
    .await;
    let ops = operations(&doc);
    let mut by_path: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (m, p) in &ops {
        by_path.entry(p.as_str()).or_default().insert(m.as_str());
    }
    let mut wrong = Vec::new();
    for (path, methods) in &by_path {
        let concrete = path
            .replace("{secret}", &"a".repeat(48))
            .split('{')
            .enumerate()
            .map(|(i, s)| match (i, s.split_once('}')) {
                (0, _) | (_, None) => s.to_string(),
                (_, Some((_, rest))) => format!("7{rest}"),
            })
            .collect::<String>();
        for m in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let req = test::TestRequest::default()
                .method(Method::from_bytes(m.as_bytes()).unwrap())
                .uri(&format!("/api/v1{concrete}"))
                .to_request();
            let status = test::call_service(&app, req).await.status().as_u16();
            // `DELETE /partners/7/members/7` is `DELETE /partners/{id}/members/{employer_id}`;
            // `DELETE /partners/7/members/import` is no route (ids are digits).
            let documented = methods.contains(m)
                || ops
                    .iter()
                    .any(|(om, op)| om == m && template_matches(op, &concrete));
            // A documented path asked with another method answers 405 (and says which
            // methods it takes): known, but not served.
            let routed = status != NO_ROUTE && status != 405;
            if !documented && status != 405 && !routed {
                wrong.push(format!("{m} {path}: {status}, not 405"));
            }
            if routed != documented {
                wrong.push(format!(
                    "{m} {path}: {}",
                    if routed {
                        "served but not documented"
                    } else {
                        "documented but not served"
                    }
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // And nothing registers an API route beside the one table.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&src.join("web"), &mut files);
    let mut outside = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let rel = f.strip_prefix(&src).unwrap().display().to_string();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            let registers = code.contains(".route(")
                || code.contains("web::resource(")
                || code.contains("web::scope(");
            let api_file = rel.starts_with("web/api/") && rel != "web/api/registry.rs";
            let the_api_scope = rel == "web/mod.rs" && code.contains("web::scope(\"/api/v1\")");
            if registers && !the_api_scope && (api_file || code.contains("/api/v1")) {
                outside.push(format!("{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        outside.is_empty(),
        "routes outside the table:\n{}",
        outside.join("\n")
    );
    let web_mod = std::fs::read_to_string(src.join("web/mod.rs")).unwrap();
    let scope = web_mod.split("web::scope(\"/api/v1\")").nth(1).unwrap();
    let scope = scope.split(".default_service").next().unwrap();
    assert_eq!(
        scope.split_whitespace().collect::<String>(),
        ".configure(api::routes)",
        "the API scope mounts only the table"
    );
}

/// Whether `/a/{x}/b` matches `/a/7/b` (a parameter takes one whole segment).
fn template_matches(template: &str, concrete: &str) -> bool {
    let (t, c): (Vec<&str>, Vec<&str>) =
        (template.split('/').collect(), concrete.split('/').collect());
    t.len() == c.len()
        && t.iter().zip(&c).all(|(t, c)| {
            t == c
                || (t.starts_with('{')
                        && t.ends_with('}')
                        // An id segment is served for digits only, as the server matches it.
                        && (!t.ends_with("id}") || c.bytes().all(|b| b.is_ascii_digit())))
        })
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The reference page is served by the binary, from the same document, with nothing
/// fetched from elsewhere.
#[actix_web::test]
async fn the_reference_page_lists_every_operation() {
    let app = TestApp::sqlite().await;
    let page = anonymous(&app, Some("en")).get("/api/docs").await;
    assert_eq!(page.status, StatusCode::OK);
    let doc = placefirst::web::api::openapi::document();
    for (m, p) in operations(doc) {
        assert!(
            page.text.contains(&format!("{m} /api/v1{p}")),
            "{m} {p} not on the page"
        );
    }
    assert!(page.text.contains("id=\"schema-Employer\""));
    assert!(!page.text.contains("https://cdn"), "nothing from a CDN");
    assert!(!page.text.contains("<script src=\"http"));
    let fi = anonymous(&app, Some("fi")).get("/api/docs").await;
    assert!(fi.text.contains("Rajapinnan kuvaus"), "{}", &fi.text[..400]);
}

fn schemathesis() -> Option<&'static str> {
    let found = Command::new("schemathesis").arg("--version").output();
    match found {
        Ok(o) if o.status.success() => Some("schemathesis"),
        _ if e2e_required() => panic!("schemathesis is required (scripts/install-e2e-deps.sh)"),
        _ => {
            eprintln!("SKIPPED: schemathesis not installed");
            None
        }
    }
}

/// Runs schemathesis from `spec` against `base`, answering its exit status and output.
fn run_schemathesis(
    bin: &str,
    spec: &str,
    base: &str,
    token: &str,
    extra: &[&str],
) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(bin)
        .current_dir(dir.path())
        .args(["run", spec, "--url", &format!("{base}/api/v1")])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args([
            "--checks",
            "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance,unsupported_method,allow_header_conformance",
        ])
        .args(["--seed", "2026", "--no-color", "--request-timeout", "30"])
        .args(extra)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The demo organisation, and the team lead's token (the widest rights short of admin).
fn demo_token(db: &Db) -> String {
    cli(db, &["demo"], "");
    let out = cli(
        db,
        &[
            "token",
            "create",
            "--email",
            "sanna.lehtonen@demo.placefirst.fi",
            "--name",
            "schemathesis",
        ],
        "",
    );
    out.lines().last().unwrap().trim().to_string()
}

async fn schemathesis_against(db: Db) {
    let Some(bin) = schemathesis() else { return };
    let token = demo_token(&db);
    let mut server = Server::start(&db, "info").await;
    let spec = format!("{}/api/v1/openapi.json", server.base);
    let (ok, out) = run_schemathesis(bin, &spec, &server.base, &token, &["--max-examples", "10"]);
    let tail: String = out
        .lines()
        .rev()
        .take(80)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
        .join("\n");
    assert!(ok, "schemathesis found problems:\n{tail}");
    // Every operation of the document was tested, not only some.
    let selected = out
        .split("Selected: ")
        .nth(1)
        .and_then(|r| r.split('/').nth(1))
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or("?");
    assert!(selected.parse::<u32>().is_ok_and(|n| n > 100), "{tail}");
    assert!(out.contains(&format!("Tested: {selected}")), "{tail}");
    let logs = server.logs();
    assert!(
        !logs.contains("status=5") && !logs.contains("\"status\":5"),
        "a 5xx in the logs"
    );
}

#[actix_web::test]
async fn schemathesis_finds_nothing_on_sqlite() {
    schemathesis_against(sqlite_db()).await;
}

#[actix_web::test]
async fn schemathesis_finds_nothing_on_postgres() {
    if let Some(db) = postgres_db() {
        schemathesis_against(db).await;
    }
}

/// The check can fail: with one shape made wrong (an employer's name as a number),
/// schemathesis reports the employer answers as off the schema.
#[actix_web::test]
async fn schemathesis_catches_a_wrong_shape() {
    let Some(bin) = schemathesis() else { return };
    let db = sqlite_db();
    let token = demo_token(&db);
    let server = Server::start(&db, "warn").await;
    let mut doc = placefirst::web::api::openapi::document().clone();
    doc["components"]["schemas"]["Employer"]["properties"]["name"] =
        serde_json::json!({ "type": "integer" });
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("wrong.json");
    std::fs::write(&spec, doc.to_string()).unwrap();
    let (ok, out) = run_schemathesis(
        bin,
        spec.to_str().unwrap(),
        &server.base,
        &token,
        &["--max-examples", "5", "--include-path", "/employers"],
    );
    assert!(!ok, "a wrong schema passed:\n{out}");
    assert!(out.contains("Response violates schema"), "{out}");
}

/// The fields the document says a request body must carry: the operation's own list and
/// its shape's.
fn documented_required(doc: &Value, op: &Value) -> BTreeSet<String> {
    let schema = &op["requestBody"]["content"]["application/json"]["schema"];
    let mut out: BTreeSet<String> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    if let Some(r) = schema["$ref"].as_str() {
        let shape = doc.pointer(r.trim_start_matches('#')).unwrap();
        out.extend(
            shape["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(String::from)),
        );
    }
    out
}

/// An empty object sent to every JSON-body operation is refused naming exactly the
/// fields the document calls required: the contract says what the server enforces.
#[actix_web::test]
async fn an_empty_body_is_refused_naming_the_documented_required_fields() {
    use placefirst::domain::users::Role;
    use serde_json::json;
    let doc = served_document().await;
    let app = TestApp::sqlite().await;
    let api = app.user("Org", "lead@a.fi", Role::TeamLead);
    let mut locations = Vec::new();
    let mut id = |r: crate::helpers::Resp| {
        locations.extend(r.location.clone());
        r.json["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{}", r.text))
    };
    let employer = id(api
        .post("/api/v1/employers", json!({"name": "Kahvila"}))
        .await);
    let client = id(api
        .post(
            "/api/v1/clients",
            json!({"consent_to_contact_employers": true, "display_name": "A", "intake_date": "2026-10-01", "status": "job_search"}),
        )
        .await);
    let partner = id(api
        .post(
            "/api/v1/partners",
            json!({"name": "Yrittäjät", "kind": "entrepreneur_association"}),
        )
        .await);
    let placement = id(api
        .post("/api/v1/placements", json!({"client_id": client, "employer_id": employer, "job_title": "Työ", "starts_on": "2026-12-01"}))
        .await);
    let lead = id(api
        .post(
            "/api/v1/leads",
            json!({"employer_id": employer, "title": "Kokki"}),
        )
        .await);
    let proposal = id(api
        .post(
            "/api/v1/proposals",
            json!({"lead_id": lead, "client_id": client}),
        )
        .await);
    let day = id(api
        .post(
            "/api/v1/contact-days",
            json!({"date": "2026-12-20", "place": "Toimisto", "participant_ids": [api.user_id]}),
        )
        .await);
    let event = id(api
        .post(
            &format!("/api/v1/partners/{partner}/events"),
            json!({"held_on": "2026-11-20", "title": "Aamukahvit"}),
        )
        .await);
    // Every Location a 201 gives can be read.
    assert!(locations.len() >= 5, "{locations:?}");
    for l in &locations {
        let r = api.get(l).await;
        assert_eq!(r.status, StatusCode::OK, "Location {l}: {}", r.text);
    }
    let concrete = |path: &str| {
        path.replace("/partners/{id}", &format!("/partners/{partner}"))
            .replace("/events/{eid}", &format!("/events/{event}"))
            .replace("/employers/{id}", &format!("/employers/{employer}"))
            .replace("/placements/{id}", &format!("/placements/{placement}"))
            .replace("/contact-days/{id}", &format!("/contact-days/{day}"))
            .replace("/proposals/{id}", &format!("/proposals/{proposal}"))
            .replace("/clients/{id}", &format!("/clients/{client}"))
    };
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (method, path) in operations(&doc) {
        let op = &doc["paths"][&path][method.to_lowercase()];
        let schema = &op["requestBody"]["content"]["application/json"]["schema"];
        // Merge patches need nothing by design; their own test covers them.
        if schema.is_null()
            || schema.get("$ref").is_none() && method == "PATCH" && schema.get("required").is_none()
        {
            continue;
        }
        let url = format!("/api/v1{}", concrete(&path));
        if url.contains('{') {
            continue;
        }
        let r = match method.as_str() {
            "POST" => api.post(&url, json!({})).await,
            "PUT" => api.put(&url, json!({})).await,
            _ => api.patch(&url, json!({})).await,
        };
        checked += 1;
        let refused: BTreeSet<String> = r.json["errors"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let documented = documented_required(&doc, op);
        let status_ok = if documented.is_empty() {
            r.status.is_success()
        } else {
            r.status == StatusCode::UNPROCESSABLE_ENTITY
        };
        if !status_ok || refused != documented {
            wrong.push(format!(
                "{method} {path}: {} refused {refused:?}, documented {documented:?}",
                r.status
            ));
        }
    }
    assert!(checked >= 20, "only {checked} operations tried");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
