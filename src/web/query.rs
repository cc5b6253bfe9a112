//! Query strings read into typed parameters with field-named, translated errors (actix's
//! own `Query` answers "invalid digit found in string" for `?client_id=abc`).

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use crate::error::{AppError, FieldErrors};

/// The query string read into `T`.
pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Query<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// `query` as a `T`, or the parameter that is wrong and why.
pub fn parse<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let at = e.path().to_string();
        let at = if at == "." { String::new() } else { at };
        let (field, msg) = crate::domain::json_input::message(&at, &e.inner().to_string());
        let field = if field == "body" {
            "query".to_string()
        } else {
            field
        };
        AppError::Validation(FieldErrors::single(&field, msg))
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for Query<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let parsed = parse(req.query_string()).map(Query).map_err(Into::into);
        Box::pin(async move { parsed })
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Q {
        client_id: Option<i64>,
        archived: Option<bool>,
    }

    fn first(q: &str) -> (String, &'static str) {
        match super::parse::<Q>(q) {
            Err(crate::error::AppError::Validation(f)) => {
                let (k, v) = f.0.into_iter().next().unwrap();
                (k, v[0].key)
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_wrong_parameter_is_named() {
        assert!(super::parse::<Q>("client_id=5&archived=true").is_ok());
        assert_eq!(
            first("client_id=abc"),
            ("client_id".into(), "error.expect_number")
        );
        assert_eq!(
            first("archived=maybe"),
            ("archived".into(), "error.expect_bool")
        );
    }
}
