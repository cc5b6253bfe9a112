//! The JSON API under `/api/v1`. Handlers only extract, call the domain, and answer.

pub mod clients;
pub mod contact_days;
pub mod contacts;
pub mod employers;
pub mod fidelity;
pub mod follow_ups;
pub mod leads;
pub mod mail;
pub mod matches;
pub mod me;
pub mod outreach;
pub mod partners;
pub mod placements;
pub mod plan;
pub mod profiles;
pub mod proposals;

use actix_web::{web, HttpResponse};
use serde::Serialize;
use serde_json::json;

/// The API's features, each with its own routes, under `/api/v1`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(me::routes)
        .configure(mail::routes)
        .configure(crate::web::calendar::api_routes)
        .configure(employers::routes)
        .configure(contacts::routes)
        .configure(outreach::routes)
        .configure(follow_ups::routes)
        .configure(leads::routes)
        .configure(clients::routes)
        .configure(profiles::routes)
        .configure(matches::routes)
        .configure(proposals::routes)
        .configure(placements::routes)
        .configure(plan::routes)
        .configure(contact_days::routes)
        .configure(partners::routes)
        .configure(fidelity::routes);
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
