//! The JSON API under `/api/v1`. Handlers only extract, call the domain, and answer.

pub mod clients;
pub mod contact_days;
pub mod contacts;
pub mod employers;
pub mod fidelity;
pub mod follow_ups;
pub mod leads;
pub mod mail;
pub mod me;
pub mod outreach;
pub mod partners;
pub mod plan;

use actix_web::HttpResponse;
use serde::Serialize;
use serde_json::json;

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
