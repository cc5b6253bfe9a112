//! The OpenAPI 3.1 document, written from the route table (`registry.rs`) and the
//! schemas of the types the handlers read and write (schemars, JSON Schema 2020-12,
//! which is OpenAPI 3.1's own dialect).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use actix_web::HttpResponse;
use schemars::generate::SchemaSettings;
use schemars::SchemaGenerator;
use serde_json::{json, Map, Value};

use super::registry::{Body, Op, Registry, Success};

const SCHEMAS: &str = "#/components/schemas/";

fn generator(serialize: bool) -> SchemaGenerator {
    let settings = SchemaSettings::draft2020_12().with(|s| {
        s.definitions_path = "/components/schemas".into();
        s.meta_schema = None;
    });
    if serialize {
        settings.for_serialize().into_generator()
    } else {
        settings.for_deserialize().into_generator()
    }
}

/// The routes, as the API registers them.
pub fn table() -> Registry {
    let mut r = Registry::default();
    super::table(&mut r);
    r
}

/// The document, built once: it depends on nothing but the code.
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| build(&table()))
}

/// `GET /api/v1/openapi.json`.
pub async fn serve() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .json(document())
}

fn build(reg: &Registry) -> Value {
    let mut out = generator(true);
    let mut inp = generator(false);
    let mut paths = Map::new();
    for op in &reg.ops {
        let mut o = operation(op, &mut out, &mut inp);
        if let Some(links) = links(op, reg) {
            if let Some(created) = o["responses"].get_mut("201") {
                created["links"] = links;
            }
        }
        let entry = paths
            .entry(op.path.to_string())
            .or_insert_with(|| json!({}));
        entry[op.method.as_str().to_lowercase()] = o;
    }
    // Problem details carry collisions (a 409 from the contact guard).
    out.subschema_for::<crate::domain::outreach::guard::Collision>();
    out.subschema_for::<crate::domain::employers::duplicates::Duplicate>();
    let mut schemas = out.take_definitions(true);
    let mut request_side = inp.take_definitions(true);
    // A type read and written with different shapes (a defaulted field is optional in,
    // always present out) keeps both, the request's under `<Name>Input`.
    let clashes: BTreeSet<String> = request_side
        .iter()
        .filter(|(k, v)| schemas.get(*k).is_some_and(|o| o != *v))
        .map(|(k, _)| k.clone())
        .collect();
    for (name, mut schema) in std::mem::take(&mut request_side) {
        rename_refs(&mut schema, &clashes);
        let name = if clashes.contains(&name) {
            format!("{name}Input")
        } else {
            name
        };
        schemas.insert(name, schema);
    }
    for item in paths.values_mut() {
        for op in item
            .as_object_mut()
            .into_iter()
            .flat_map(|o| o.values_mut())
        {
            for part in ["parameters", "requestBody"] {
                if let Some(v) = op.get_mut(part) {
                    rename_refs(v, &clashes);
                }
            }
        }
    }
    schemas.insert("Problem".into(), problem_schema());
    let mut schemas = Value::Object(schemas.into_iter().collect());
    standard_formats(&mut schemas);
    paths.values_mut().for_each(standard_formats);
    let tags: Vec<Value> = reg
        .ops
        .iter()
        .map(|o| o.tag)
        .fold(Vec::new(), |mut seen, t| {
            if !seen.contains(&t) {
                seen.push(t);
            }
            seen
        })
        .into_iter()
        .map(|t| json!({ "name": t }))
        .collect();
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Placefirst API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": DESCRIPTION,
            "license": { "name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0" },
        },
        "servers": [{ "url": "/api/v1" }],
        "security": [{ "token": [] }, { "session": [] }],
        "tags": tags,
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token (account page, or `placefirst token create`)."
                },
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "pf_session",
                    "description": "A signed-in browser's session; a state-changing call also needs its CSRF token in the X-CSRF-Token header."
                }
            },
            "responses": error_responses(),
        },
    })
}

const DESCRIPTION: &str = "The JSON API of Placefirst, an employer outreach CRM for IPS teams. \
Every call is made as a user of one organisation and sees only that organisation's records. \
Authenticate with `Authorization: Bearer <token>`; a browser session works too, with its CSRF \
token in `X-CSRF-Token` for writes. Errors are `application/problem+json` (RFC 9457) in the \
language of `Accept-Language` (fi, sv, en). Lists answer `{\"items\": [...], \"next\": cursor}`; \
pass `next` back as `cursor` for the next page. Editable records carry a `version`: send it \
back with a change, and a change made from an older version answers 409 with the current record.";

fn operation(op: &Op, out: &mut SchemaGenerator, inp: &mut SchemaGenerator) -> Value {
    let mut params: Vec<Value> = op
        .path_params()
        .map(|name| {
            let stated = op.path_schemas.iter().find(|(n, _)| *n == name);
            let schema = match stated {
                Some((_, f)) => f(inp).into(),
                None => json!({ "type": "integer", "format": "int64" }),
            };
            json!({ "name": name, "in": "path", "required": true, "schema": schema })
        })
        .collect();
    if let Some(query) = op.reads.query {
        let schema: Value = query(inp).into();
        let required: BTreeSet<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .collect();
        for (name, s) in schema["properties"].as_object().into_iter().flatten() {
            let mut p = json!({
                "name": name,
                "in": "query",
                "required": required.contains(name.as_str()) || op.required.contains(&name.as_str()),
                "schema": without_description(s),
            });
            if let Some(d) = s.get("description") {
                p["description"] = d.clone();
            }
            super::query_docs::describe(&mut p);
            params.push(p);
        }
    }
    let mut o = json!({
        "operationId": operation_id(op),
        "tags": [op.tag],
        "summary": op.summary,
        "responses": responses(op, out),
    });
    if !params.is_empty() {
        o["parameters"] = Value::Array(params);
    }
    if let Some(body) = op.reads.body {
        o["requestBody"] = request_body(body, inp, &op.required);
    }
    if !op.reads.auth {
        o["security"] = json!([]);
    }
    o
}

/// From a create (`POST /things`, 201) to what takes the new id (`/things/{id}...`), so
/// clients and test tools can follow a record from its creation.
fn links(op: &Op, reg: &Registry) -> Option<Value> {
    if !matches!(op.success, Success::Json(201, _)) || op.path_params().next().is_some() {
        return None;
    }
    let prefix = format!("{}/{{id}}", op.path);
    let links: Map<String, Value> = reg
        .ops
        .iter()
        .filter(|o| o.path == prefix || o.path.starts_with(&format!("{prefix}/")))
        .filter(|o| o.path_params().count() == 1)
        .map(|o| {
            (
                operation_id(o),
                json!({
                    "operationId": operation_id(o),
                    "parameters": { "id": format!("$response.body#{}", op.id_at) }
                }),
            )
        })
        .collect();
    (!links.is_empty()).then_some(Value::Object(links))
}

fn without_description(s: &Value) -> Value {
    let mut s = s.clone();
    if let Some(m) = s.as_object_mut() {
        m.remove("description");
    }
    s
}

/// `employers_list` from `placefirst::web::api::employers::list`.
pub fn operation_id(op: &Op) -> String {
    let name = op.handler.trim_start_matches("placefirst::web::");
    let name = name.trim_start_matches("api::");
    name.replace("::", "_")
}

fn request_body(body: Body, inp: &mut SchemaGenerator, required: &[&str]) -> Value {
    let (media, schema) = match body {
        Body::Json(f) => ("application/json", with_required(f(inp).into(), required)),
        Body::Patch(f, create_only) => {
            ("application/json", patch_schema(f(inp).into(), create_only))
        }
        Body::Raw(media) => (media, json!({ "type": "string" })),
    };
    json!({ "required": true, "content": { media: { "schema": schema } } })
}

/// The type's schema (a `$ref` as a rule), narrowed by the fields this operation needs:
/// present and not null. JSON Schema 2020-12 lets `$ref` stand beside other keywords.
fn with_required(mut s: Value, required: &[&str]) -> Value {
    if required.is_empty() {
        return s;
    }
    let not_null: Map<String, Value> = required
        .iter()
        .map(|f| (f.to_string(), json!({ "not": { "type": "null" } })))
        .collect();
    s["required"] = json!(required);
    match s.get_mut("properties").and_then(Value::as_object_mut) {
        Some(props) => props.extend(not_null),
        None => s["properties"] = Value::Object(not_null),
    }
    s
}

/// schemars writes chrono's `NaiveDateTime` as format `partial-date-time`, which no
/// JSON Schema vocabulary defines: say it with a pattern and in words instead.
fn standard_formats(v: &mut Value) {
    match v {
        Value::Object(m) => {
            // schemars' unsigned formats are not in the OpenAPI format registry: a
            // minimum says the same.
            if let Some(f) = m.get("format").and_then(Value::as_str) {
                if f.starts_with("uint") {
                    m.remove("format");
                    m.entry("minimum").or_insert(json!(0));
                }
            }
            if m.get("format").and_then(Value::as_str) == Some("partial-date-time") {
                m.remove("format");
                m.insert(
                    "pattern".into(),
                    json!(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"),
                );
                let about = "Date and time without an offset (2026-11-24T10:00:00); \
                             stored times are UTC.";
                let d = match m.get("description").and_then(Value::as_str) {
                    Some(d) => format!("{d} {about}"),
                    None => about.to_string(),
                };
                m.insert("description".into(), json!(d));
            }
            // Finnish users type dates as 24.11.2026; the reader takes both.
            if m.get("format").and_then(Value::as_str) == Some("date") {
                let about = "An ISO date (2026-11-24); 24.11.2026 is read too.";
                let d = match m.get("description").and_then(Value::as_str) {
                    Some(d) if d.contains("24.11.2026") => d.to_string(),
                    Some(d) => format!("{d} {about}"),
                    None => about.to_string(),
                };
                m.insert("description".into(), json!(d));
            }
            m.values_mut().for_each(standard_formats);
        }
        Value::Array(items) => items.iter_mut().for_each(standard_formats),
        _ => {}
    }
}

/// Every field optional; `version` the one the change was made from.
fn patch_schema(mut s: Value, create_only: &[&str]) -> Value {
    if let Some(m) = s.as_object_mut() {
        m.remove("required");
        m.remove("title");
        if let Some(props) = m.get_mut("properties").and_then(|p| p.as_object_mut()) {
            for f in create_only {
                props.remove(*f);
            }
            props.insert(
                "version".into(),
                json!({
                    "type": ["integer", "null"],
                    "format": "int32",
                    "description": "The version the change was made from; an older one answers 409. \
                                    Absent or null: the change applies to whatever is stored."
                }),
            );
        }
    }
    s
}

fn responses(op: &Op, out: &mut SchemaGenerator) -> Value {
    let mut r = Map::new();
    let headers: Map<String, Value> = op
        .headers
        .iter()
        .map(|(name, about)| {
            (
                name.to_string(),
                json!({ "description": about, "schema": { "type": "string" } }),
            )
        })
        .collect();
    let (status, mut resp) = match op.success {
        Success::Json(status, f) => (
            status,
            json!({
                "description": if status == 201 { "Created" } else { "OK" },
                "content": { "application/json": { "schema": Value::from(f(out)) } }
            }),
        ),
        Success::Page(f) => (
            200,
            json!({
                "description": "One page of the list",
                "content": { "application/json": { "schema": {
                    "type": "object",
                    "required": ["items", "next"],
                    "properties": {
                        "items": { "type": "array", "items": Value::from(f(out)) },
                        "next": {
                            "type": ["string", "null"],
                            "description": "Pass as `cursor` for the next page; null on the last."
                        }
                    }
                } } }
            }),
        ),
        Success::NoContent => (204, json!({ "description": "Done; no body" })),
        Success::CsvOrJson => (
            200,
            json!({
                "description": "The list as a file: CSV, or with `format=json` the records",
                "content": {
                    "text/csv": { "schema": { "type": "string" } },
                    "application/json": { "schema": { "type": "array", "items": { "type": "object" } } }
                }
            }),
        ),
        Success::Other(status, media) => (
            status,
            json!({
                "description": "OK",
                "content": { media: { "schema": {
                    "type": if media.contains("json") { "object" } else { "string" }
                } } }
            }),
        ),
    };
    if !headers.is_empty() {
        resp["headers"] = Value::Object(headers);
    }
    r.insert(status.to_string(), resp);
    for code in error_codes(op) {
        r.insert(
            code.to_string(),
            json!({ "$ref": format!("#/components/responses/{code}") }),
        );
    }
    r.insert(
        "default".into(),
        json!({ "$ref": "#/components/responses/default" }),
    );
    Value::Object(r)
}

/// The refusals an operation can give, from what it reads.
fn error_codes(op: &Op) -> Vec<u16> {
    let mut codes = Vec::new();
    if op.reads.auth {
        codes.extend([401, 403]);
    }
    if op.path_params().next().is_some() {
        codes.push(404);
    }
    if op.method != actix_web::http::Method::GET && op.reads.auth {
        codes.push(409);
    }
    if op.reads.body.is_some() {
        codes.push(413);
    }
    if op.reads.body.is_some() || op.reads.query.is_some() || op.reads.auth {
        codes.push(422);
    }
    codes
}

fn error_responses() -> Value {
    let about = [
        ("401", "No valid token or session"),
        ("403", "The caller's role may not do this"),
        ("404", "No such record in the caller's organisation"),
        (
            "409",
            "A conflict: a duplicate, or a change made from an older `version` (the body then \
             carries `version`, `current` and the fields that differ in `errors`)",
        ),
        ("413", "The body is too large"),
        (
            "422",
            "The input is invalid; `errors` names each field and what is wrong",
        ),
        ("default", "Any other refusal"),
    ];
    about
        .iter()
        .map(|(code, text)| {
            (
                code.to_string(),
                json!({
                    "description": text,
                    "content": { "application/problem+json": {
                        "schema": { "$ref": format!("{SCHEMAS}Problem") }
                    } }
                }),
            )
        })
        .collect::<Map<String, Value>>()
        .into()
}

fn problem_schema() -> Value {
    json!({
        "type": "object",
        "description": "RFC 9457 problem details, in the caller's language.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": { "type": "string" },
            "title": { "type": "string" },
            "status": { "type": "integer" },
            "detail": { "type": "string" },
            "errors": {
                "type": "object",
                "description": "Messages by field.",
                "additionalProperties": { "type": "array", "items": { "type": "string" } }
            },
            "collisions": {
                "type": "array",
                "description": "What the new contact collides with, each with a message in the caller's language.",
                "items": {
                    "$ref": format!("{SCHEMAS}Collision"),
                    "properties": { "message": { "type": "string" } },
                    "required": ["message"]
                }
            },
            "duplicates": {
                "type": "array",
                "description": "Employers in the register the new one looks like; send `acknowledge_duplicates: true` to create it anyway.",
                "items": {
                    "$ref": format!("{SCHEMAS}Duplicate"),
                    "properties": { "message": { "type": "string" } },
                    "required": ["message"]
                }
            },
            "version": { "type": "integer", "description": "The record's current version." },
            "current": { "type": "object", "description": "The record as it is now." }
        }
    })
}

fn rename_refs(v: &mut Value, clashes: &BTreeSet<String>) {
    if clashes.is_empty() {
        return;
    }
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get_mut("$ref") {
                if let Some(name) = r.strip_prefix(SCHEMAS) {
                    if clashes.contains(name) {
                        *r = format!("{SCHEMAS}{name}Input");
                    }
                }
            }
            m.values_mut().for_each(|x| rename_refs(x, clashes));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| rename_refs(x, clashes)),
        _ => {}
    }
}
