//! The API's one route table. Every `/api/v1` route is added here with what it answers,
//! and the same table both registers the routes with actix and writes the OpenAPI
//! document (`openapi.rs`): a route cannot exist without being documented.
//!
//! What a handler reads (query, JSON body, token) is taken from its signature through
//! [`DocArg`]; what it answers is stated beside the route and checked against the
//! running server by the schemathesis test.

use actix_web::http::Method;
use actix_web::{web, FromRequest, Handler, HttpRequest, Responder};
use schemars::{JsonSchema, Schema, SchemaGenerator};

/// Builds one schema with a generator: a `$ref` to a component, or an inline schema.
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

fn schema_of<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

fn inline_of<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    T::json_schema(g)
}

/// The success answer of an operation.
#[derive(Clone, Copy)]
pub enum Success {
    /// A JSON body with this status.
    Json(u16, SchemaFn),
    /// `{"items": [...], "next": cursor-or-null}`.
    Page(SchemaFn),
    /// 204, no body.
    NoContent,
    /// Another media type (an .ics file, say), described in words.
    Other(u16, &'static str),
    /// A list download: CSV by default, a JSON array with `format=json`.
    CsvOrJson,
}

/// The request body, as read from the handler's extractors or stated.
#[derive(Clone, Copy)]
pub enum Body {
    Json(SchemaFn),
    /// A JSON object of the input's fields, each optional, plus `version`.
    /// A merge patch of the type's fields; `true` where the record has a version the
    /// patch may name.
    /// A merge patch of the schema's fields, without the ones read only on create.
    Patch(SchemaFn, &'static [&'static str]),
    /// A file in the body, of this media type.
    Raw(&'static str),
}

/// What an operation's arguments say about it.
#[derive(Default, Clone)]
pub struct Reads {
    pub query: Option<SchemaFn>,
    pub body: Option<Body>,
    /// A signed-in caller is needed (token or session).
    pub auth: bool,
}

/// One documented route.
pub struct Op {
    pub method: Method,
    pub path: &'static str,
    pub tag: &'static str,
    pub handler: &'static str,
    pub summary: &'static str,
    pub reads: Reads,
    pub success: Success,
    /// Response headers worth naming, with what they carry.
    pub headers: Vec<(&'static str, &'static str)>,
    /// Where a created record's id is in the answer (a JSON pointer), for links.
    pub id_at: &'static str,
    /// Path parameters that are not numeric ids, with their schema.
    pub path_schemas: Vec<(&'static str, SchemaFn)>,
    /// Body fields (or query parameters) this operation cannot do without, where the
    /// type itself, shared with partial updates, leaves every field optional.
    pub required: Vec<&'static str>,
    make: Box<dyn Fn(Method) -> actix_web::Route>,
}

impl Op {
    pub fn summary(&mut self, s: &'static str) -> &mut Self {
        self.summary = s;
        self
    }
    pub fn ok<T: JsonSchema>(&mut self) -> &mut Self {
        self.success = Success::Json(200, schema_of::<T>);
        self
    }
    pub fn created<T: JsonSchema>(&mut self) -> &mut Self {
        self.success = Success::Json(201, schema_of::<T>);
        self
    }
    pub fn page<T: JsonSchema>(&mut self) -> &mut Self {
        self.success = Success::Page(schema_of::<T>);
        self
    }
    pub fn no_content(&mut self) -> &mut Self {
        self.success = Success::NoContent;
        self
    }
    /// 200 with a CSV file, or a JSON array when asked with `format=json`.
    pub fn csv_or_json(&mut self) -> &mut Self {
        self.success = Success::CsvOrJson;
        self
    }
    pub fn other(&mut self, status: u16, media: &'static str) -> &mut Self {
        self.success = Success::Other(status, media);
        self
    }
    /// The body is a partial update of `T`'s fields (every such record counts versions:
    /// the change may name the `version` it was made from, and a stale one answers 409).
    pub fn patch_of<T: JsonSchema>(&mut self) -> &mut Self {
        self.reads.body = Some(Body::Patch(inline_of::<T>, &[]));
        self
    }
    /// Like `patch_of`, without fields that only a new record reads (the domain refuses
    /// them on a change).
    pub fn patch_without<T: JsonSchema>(
        &mut self,
        create_only: &'static [&'static str],
    ) -> &mut Self {
        self.reads.body = Some(Body::Patch(inline_of::<T>, create_only));
        self
    }
    /// The body is `T` (where the handler reads it untyped).
    pub fn body<T: JsonSchema>(&mut self) -> &mut Self {
        self.reads.body = Some(Body::Json(schema_of::<T>));
        self
    }
    pub fn raw_body(&mut self, media: &'static str) -> &mut Self {
        self.reads.body = Some(Body::Raw(media));
        self
    }
    /// The new record's id is at this JSON pointer of the answer (not `/id`).
    pub fn id_at(&mut self, pointer: &'static str) -> &mut Self {
        self.id_at = pointer;
        self
    }
    /// A path parameter's values (the default is a numeric id).
    pub fn path_param<T: JsonSchema>(&mut self, name: &'static str) -> &mut Self {
        self.path_schemas.push((name, schema_of::<T>));
        self
    }
    /// Fields the body (or query) must carry, not null: the server refuses the call
    /// without them.
    pub fn requires(&mut self, fields: &[&'static str]) -> &mut Self {
        self.required.extend_from_slice(fields);
        self
    }
    pub fn header(&mut self, name: &'static str, about: &'static str) -> &mut Self {
        self.headers.push((name, about));
        self
    }
    /// The path's `{parameters}`.
    pub fn path_params(&self) -> impl Iterator<Item = &'static str> {
        self.path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split('}').next())
    }
}

/// The table being built: routes in the order they are added.
#[derive(Default)]
pub struct Registry {
    pub ops: Vec<Op>,
    tag: &'static str,
}

impl Registry {
    /// Routes added from now on belong to this group in the reference.
    pub fn tag(&mut self, tag: &'static str) -> &mut Self {
        self.tag = tag;
        self
    }

    pub fn get<F, A>(&mut self, path: &'static str, f: F) -> &mut Op
    where
        F: Handler<A> + Clone,
        A: FromRequest + DocArg + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::GET, path, f)
    }
    pub fn post<F, A>(&mut self, path: &'static str, f: F) -> &mut Op
    where
        F: Handler<A> + Clone,
        A: FromRequest + DocArg + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::POST, path, f)
    }
    pub fn put<F, A>(&mut self, path: &'static str, f: F) -> &mut Op
    where
        F: Handler<A> + Clone,
        A: FromRequest + DocArg + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::PUT, path, f)
    }
    pub fn patch<F, A>(&mut self, path: &'static str, f: F) -> &mut Op
    where
        F: Handler<A> + Clone,
        A: FromRequest + DocArg + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::PATCH, path, f)
    }
    pub fn delete<F, A>(&mut self, path: &'static str, f: F) -> &mut Op
    where
        F: Handler<A> + Clone,
        A: FromRequest + DocArg + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::DELETE, path, f)
    }

    fn add<F, A>(&mut self, method: Method, path: &'static str, f: F) -> &mut Op
    where
        F: Handler<A> + Clone,
        A: FromRequest + DocArg + 'static,
        F::Output: Responder + 'static,
    {
        let mut reads = Reads::default();
        A::describe(&mut reads);
        self.ops.push(Op {
            method,
            path,
            tag: self.tag,
            handler: std::any::type_name::<F>(),
            summary: "",
            reads,
            success: Success::NoContent,
            headers: Vec::new(),
            id_at: "/id",
            path_schemas: Vec::new(),
            required: Vec::new(),
            make: Box::new(move |m| web::method(m).to(f.clone())),
        });
        self.ops.last_mut().expect("just pushed")
    }

    /// Registers every route with actix, then for each path one that answers 405 with
    /// the methods it takes (a route only matches its own method, so without it a known
    /// path with another method would fall through to "not found").
    pub fn register(self, cfg: &mut web::ServiceConfig) {
        let mut allowed: Vec<(&'static str, Vec<String>)> = Vec::new();
        for op in self.ops {
            match allowed.iter_mut().find(|(p, _)| *p == op.path) {
                Some((_, methods)) => methods.push(op.method.to_string()),
                None => allowed.push((op.path, vec![op.method.to_string()])),
            }
            let path = numeric_ids(op.path);
            cfg.route(&path, (op.make)(op.method.clone()));
            // HTTP asks HEAD wherever GET is answered (actix leaves the body out).
            if op.method == Method::GET {
                cfg.route(&path, (op.make)(Method::HEAD));
            }
        }
        // Literal paths before ones with parameters, which would match them too.
        allowed.sort_by_key(|(p, _)| p.matches('{').count());
        for (path, methods) in allowed {
            let allow = methods.join(", ");
            cfg.service(
                web::resource(numeric_ids(path)).default_service(web::to(move || {
                    let allow = allow.clone();
                    async move {
                        Err::<actix_web::HttpResponse, _>(crate::error::AppError::MethodNotAllowed(
                            allow,
                        ))
                    }
                })),
            );
        }
    }
}

/// The path as actix matches it: an id segment (`{id}`, `{eid}`, `{employer_id}`) matches
/// only digits, so `/outreach/deleted` is never read as `/outreach/{id}` with a bad id.
fn numeric_ids(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + end];
        out.push_str(&rest[..start]);
        if name.ends_with("id") {
            out.push_str(&format!("{{{name}:\\d+}}"));
        } else {
            out.push_str(&rest[start..=start + end]);
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod path_tests {
    #[test]
    fn id_segments_match_digits_only() {
        assert_eq!(
            super::numeric_ids("/partners/{id}/events/{eid}"),
            "/partners/{id:\\d+}/events/{eid:\\d+}"
        );
        assert_eq!(super::numeric_ids("/imports/{kind}"), "/imports/{kind}");
    }
}

/// What an extractor tells the document about the request.
pub trait DocArg {
    fn describe(_reads: &mut Reads) {}
}

impl<T: JsonSchema> DocArg for crate::web::query::Query<T> {
    fn describe(reads: &mut Reads) {
        reads.query = Some(inline_of::<T>);
    }
}

impl<T: JsonSchema> DocArg for crate::web::json_body::Json<T> {
    fn describe(reads: &mut Reads) {
        reads.body = Some(Body::Json(schema_of::<T>));
    }
}

impl DocArg for web::Bytes {
    fn describe(reads: &mut Reads) {
        reads.body = Some(Body::Raw("application/octet-stream"));
    }
}

impl DocArg for crate::web::extract::ApiUser {
    fn describe(reads: &mut Reads) {
        reads.auth = true;
    }
}

impl<T: ?Sized + 'static> DocArg for web::Data<T> {}
impl<T> DocArg for web::Path<T> {}
impl DocArg for HttpRequest {}

macro_rules! doc_tuple {
    ($($t:ident),*) => {
        impl<$($t: DocArg),*> DocArg for ($($t,)*) {
            fn describe(reads: &mut Reads) {
                $($t::describe(reads);)*
            }
        }
    };
}
impl DocArg for () {}
doc_tuple!(A);
doc_tuple!(A, B);
doc_tuple!(A, B, C);
doc_tuple!(A, B, C, D);
doc_tuple!(A, B, C, D, E);
doc_tuple!(A, B, C, D, E, F);
