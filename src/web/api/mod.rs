//! The JSON API under `/api/v1`. Handlers only extract, call the domain, and answer.

pub mod audit;
pub mod clients;
pub mod contact_days;
pub mod contacts;
pub mod employers;
pub mod exports;
pub mod fidelity;
pub mod follow_ups;
pub mod imports;
pub mod leads;
pub mod mail;
pub mod matches;
pub mod me;
pub mod openapi;
pub mod outreach;
pub mod partners;
pub mod placements;
pub mod plan;
pub mod profiles;
pub mod proposals;
pub mod query_docs;
pub mod registry;

use actix_web::{web, HttpResponse};
use serde::Serialize;
use serde_json::json;

/// The API's features, each with its own routes, under `/api/v1`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    openapi::table().register(cfg);
}

/// The one route table: the routes and the OpenAPI document both come from it.
pub fn table(r: &mut registry::Registry) {
    r.tag("Contract")
        .get("/openapi.json", openapi::serve)
        .summary("This document")
        .other(200, "application/json");
    me::routes(r);
    mail::routes(r);
    crate::web::calendar::api_routes(r);
    employers::routes(r);
    contacts::routes(r);
    outreach::routes(r);
    follow_ups::routes(r);
    leads::routes(r);
    clients::routes(r);
    profiles::routes(r);
    matches::routes(r);
    proposals::routes(r);
    placements::routes(r);
    plan::routes(r);
    contact_days::routes(r);
    partners::routes(r);
    imports::routes(r);
    exports::routes(r);
    audit::routes(r);
    fidelity::routes(r);
}

/// `{"items": [...], "next": cursor-or-null}`, the shape of every list.
pub fn list_body<T: Serialize>(items: &[T], next: Option<String>) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "items": items, "next": next }))
}

/// 201 with the new resource and its address.
pub fn created<T: Serialize>(location: String, body: &T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header(("Location", location))
        .json(body)
}
