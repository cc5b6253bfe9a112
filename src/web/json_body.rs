//! JSON request bodies, read by actix (size limit, content type, syntax) and turned into
//! typed input by `domain::json_input`, so a wrong field is named by its path with a
//! translated message.

use std::future::Future;
use std::pin::Pin;

pub use crate::domain::json_input::from_value;
use crate::domain::json_input::StrictValue;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

/// A JSON object body read into `T`.
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // Reading (size limit, content type, syntax) stays with actix's extractor and
        // the JsonConfig set in `web::routes`.
        let read = web::Json::<StrictValue>::from_request(req, payload);
        Box::pin(async move {
            let StrictValue(value) = read.await?.into_inner();
            from_value(value).map(Json).map_err(Into::into)
        })
    }
}
