//! `GET /api/docs`: the API reference, rendered on the server from the OpenAPI document
//! (no script, nothing fetched from elsewhere).

use actix_web::{web, HttpResponse};
use serde::Serialize;
use serde_json::Value;

use crate::error::AppError;
use crate::web::api::openapi;
use crate::web::render::PageCtx;

#[derive(Serialize)]
struct Group {
    tag: String,
    /// The tag in the reader's language.
    title: String,
    ops: Vec<OpView>,
}

#[derive(Serialize)]
struct OpView {
    id: String,
    method: String,
    path: String,
    summary: String,
    public: bool,
    params: Vec<ParamView>,
    body: Option<ShapeView>,
    responses: Vec<ShapeView>,
}

#[derive(Serialize)]
struct ParamView {
    name: String,
    location: String,
    required: bool,
    schema: String,
}

/// A body: its media type or status, and its schema (a link when it names a shape,
/// its fields when it is an object written in place).
#[derive(Serialize)]
struct ShapeView {
    label: String,
    about: String,
    link: Option<String>,
    fields: Vec<FieldView>,
    schema: Option<String>,
}

/// One field of an object: its name, its type in words, and a link to its shape.
#[derive(Serialize)]
struct FieldView {
    name: String,
    ty: String,
    link: Option<String>,
    required: bool,
    about: String,
}

#[derive(Serialize)]
struct SchemaView {
    name: String,
    about: String,
    ty: String,
    fields: Vec<FieldView>,
}

const REF: &str = "#/components/schemas/";

/// The words the type descriptions are made of, in the reader's language.
struct Words {
    one_of: String,
    array_of: String,
    object_of: String,
    or_null: String,
    any: String,
}

impl Words {
    fn new(ctx: &PageCtx) -> Self {
        Self {
            one_of: ctx.t("api_docs.one_of"),
            array_of: ctx.t("api_docs.array_of"),
            object_of: ctx.t("api_docs.object_of"),
            or_null: ctx.t("api_docs.or_null"),
            any: ctx.t("api_docs.any"),
        }
    }
}

/// A schema in a few words: `string or null`, `array of Employer`, `one of: a, b`.
fn type_words(v: &Value, w: &Words) -> (String, Option<String>) {
    if let Some(name) = v
        .get("$ref")
        .and_then(|r| r.as_str())
        .and_then(|r| r.strip_prefix(REF))
    {
        return (name.to_string(), Some(name.to_string()));
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(parts) = v.get(key).and_then(|p| p.as_array()) {
            let is_null = |p: &&Value| p.get("type").and_then(|t| t.as_str()) == Some("null");
            let words: Vec<(String, Option<String>)> = parts
                .iter()
                .filter(|p| !is_null(p))
                .map(|p| type_words(p, w))
                .collect();
            let link = words.iter().find_map(|(_, l)| l.clone());
            let mut text = words
                .into_iter()
                .map(|(w, _)| w)
                .collect::<Vec<_>>()
                .join(" | ");
            if parts.iter().any(|p| is_null(&p)) {
                text = format!("{text} {}", w.or_null);
            }
            return (text, link);
        }
    }
    if let Some(values) = v.get("enum").and_then(|e| e.as_array()) {
        let list: Vec<String> = values.iter().map(|x| x.to_string()).collect();
        return (format!("{}: {}", w.one_of, list.join(", ")), None);
    }
    let types: Vec<&str> = match v.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(|t| t.as_str()).collect(),
        _ => return (w.any.clone(), None),
    };
    let nullable = types.contains(&"null");
    let (mut text, link) = match types.iter().find(|t| **t != "null").copied() {
        Some("array") => {
            let (inner, link) = v
                .get("items")
                .map(|i| type_words(i, w))
                .unwrap_or((w.any.clone(), None));
            (format!("{} {inner}", w.array_of), link)
        }
        Some("object") => match v.get("additionalProperties") {
            Some(inner) if inner.is_object() => {
                let (inner, link) = type_words(inner, w);
                (format!("{} {inner}", w.object_of), link)
            }
            _ => ("object".into(), None),
        },
        Some(t) => (t.to_string(), None),
        None => ("null".into(), None),
    };
    if let Some(f) = v.get("format").and_then(|f| f.as_str()) {
        text = format!("{text} ({f})");
    }
    if nullable {
        text = format!("{text} {}", w.or_null);
    }
    (text, link)
}

fn fields(v: &Value, w: &Words) -> Vec<FieldView> {
    let required: Vec<&str> = v["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str())
        .collect();
    v["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, p)| {
            let (ty, link) = type_words(p, w);
            FieldView {
                name: name.clone(),
                ty,
                link,
                required: required.contains(&name.as_str()),
                about: code_spans(p["description"].as_str().unwrap_or_default()),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct View {
    groups: Vec<Group>,
    schemas: Vec<SchemaView>,
    /// Said where the page is not in English: summaries come from the code, in English.
    english_note: Option<String>,
}

/// A schema as a link to a named shape, its fields, or in words.
fn shape(label: String, about: String, schema: Option<&Value>, w: &Words) -> ShapeView {
    let (words, link) = schema.map(|s| type_words(s, w)).unwrap_or_default();
    let fields = schema.map(|s| fields(s, w)).unwrap_or_default();
    ShapeView {
        label,
        about,
        schema: (link.is_none() && fields.is_empty() && schema.is_some()).then_some(words),
        fields,
        link,
    }
}

fn first_content(v: &Value) -> Option<(String, &Value)> {
    let (media, c) = v.get("content")?.as_object()?.iter().next()?;
    Some((media.clone(), c.get("schema")?))
}

fn view(doc: &Value, w: &Words) -> View {
    // In the order the API lists its parts, not alphabetically.
    let mut groups: Vec<Group> = doc["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["name"].as_str())
        .map(|tag| Group {
            tag: tag.to_string(),
            title: String::new(),
            ops: Vec::new(),
        })
        .collect();
    let responses = &doc["components"]["responses"];
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let tag = op["tags"][0].as_str().unwrap_or_default().to_string();
            let params = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| ParamView {
                    name: p["name"].as_str().unwrap_or_default().into(),
                    location: p["in"].as_str().unwrap_or_default().into(),
                    required: p["required"].as_bool().unwrap_or(false),
                    schema: type_words(&p["schema"], w).0,
                })
                .collect();
            let body = op
                .get("requestBody")
                .and_then(first_content)
                .map(|(media, s)| shape(media, String::new(), Some(s), w));
            let responses = op["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(status, r)| {
                    let r = match r.get("$ref").and_then(|x| x.as_str()) {
                        Some(x) => &responses[x.rsplit('/').next().unwrap_or_default()],
                        None => r,
                    };
                    let about = code_spans(r["description"].as_str().unwrap_or_default());
                    match first_content(r) {
                        Some((media, s)) => shape(format!("{status} {media}"), about, Some(s), w),
                        None => shape(status.clone(), about, None, w),
                    }
                })
                .collect();
            let ov = OpView {
                id: op["operationId"].as_str().unwrap_or_default().into(),
                method: method.to_uppercase(),
                path: format!("/api/v1{path}"),
                summary: code_spans(op["summary"].as_str().unwrap_or_default()),
                public: op.get("security").is_some(),
                params,
                body,
                responses,
            };
            match groups.iter_mut().find(|g| g.tag == tag) {
                Some(g) => g.ops.push(ov),
                None => groups.push(Group {
                    tag,
                    title: String::new(),
                    ops: vec![ov],
                }),
            }
        }
    }
    let schemas = doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, s)| SchemaView {
            name: name.clone(),
            about: code_spans(s["description"].as_str().unwrap_or_default()),
            ty: type_words(s, w).0,
            fields: fields(s, w),
        })
        .collect();
    View {
        groups,
        schemas,
        english_note: None,
    }
}

/// Text from the code's comments as HTML: escaped, with `backticked` words as code.
/// The template writes it unescaped ({{{ }}}), so everything else is escaped here.
fn code_spans(text: &str) -> String {
    // Split before escaping: the escape writes a backtick as `&#x60;`.
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            let part = handlebars::html_escape(part);
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part
            }
        })
        .collect()
}

/// The locale key of a tag: "Contact days" is `api_docs.tag.contact_days`.
fn tag_key(tag: &str) -> String {
    let slug: String = tag
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphabetic() { c } else { '_' })
        .collect();
    format!("api_docs.tag.{slug}")
}

pub async fn show(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let title = ctx.t("api_docs.title");
    let words = Words::new(&ctx);
    let mut v = view(openapi::document(), &words);
    for g in &mut v.groups {
        g.title = ctx.t(&tag_key(&g.tag));
    }
    if ctx.lang != crate::i18n::Lang::En {
        v.english_note = Some(ctx.t("api_docs.english_note"));
    }
    ctx.ok("api/reference", &title, v)
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/docs", web::get().to(show));
}
