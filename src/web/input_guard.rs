//! The text rule (`validate::text_problem`) applied to everything a request carries
//! before any handler parses it: the path, the query string, and form and JSON bodies
//! (file parsers apply it to the files themselves). So a NUL byte or a megabyte-long
//! value is refused with a clear 4xx wherever it is sent, instead of reaching a
//! database that answers 500.

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::HttpMessage;
use futures_core::Stream;
use serde_json::Value;

use crate::domain::validate::text_problem;
use crate::error::{AppError, FieldErrors};

/// A `%XX` escape in a raw path that decodes to a control character.
fn path_has_control(path: &str) -> bool {
    let b = path.as_bytes();
    b.iter().any(|c| c.is_ascii_control())
        || b.windows(3).any(|w| {
            w[0] == b'%'
                && std::str::from_utf8(&w[1..])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .is_some_and(|v| v < 0x20 || v == 0x7f)
        })
}

/// `file` names a field that carries a whole file as text (the import page's rows): its
/// reader checks it line by line and says where, so it is left to it here.
fn check_pairs(pairs: Vec<(String, String)>, errors: &mut FieldErrors, file: Option<&str>) {
    for (k, v) in pairs {
        if file == Some(k.as_str()) {
            continue;
        }
        if let Some(msg) = text_problem(&k).or_else(|| text_problem(&v)) {
            errors.add(&k, msg);
        }
    }
}

/// Every string in a JSON document, named by its path (`contacts.0.name`).
fn check_json(v: &Value, at: &str, errors: &mut FieldErrors) {
    match v {
        Value::String(s) => {
            if let Some(msg) = text_problem(s) {
                errors.add(if at.is_empty() { "body" } else { at }, msg);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_json(item, &join(at, &i.to_string()), errors);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                if let Some(msg) = text_problem(k) {
                    errors.add(&join(at, "key"), msg);
                }
                check_json(item, &join(at, k), errors);
            }
        }
        _ => {}
    }
}

fn join(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_string()
    } else {
        format!("{at}.{name}")
    }
}

fn check_body(content_type: &str, body: &[u8], errors: &mut FieldErrors, file: Option<&str>) {
    if content_type.contains("json") {
        // Unreadable JSON is left for the handler to explain.
        if let Ok(v) = serde_json::from_slice::<Value>(body) {
            check_json(&v, "", errors);
        }
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        if let Ok(pairs) = serde_urlencoded::from_bytes(body) {
            check_pairs(pairs, errors, file);
        }
    }
}

/// A form or JSON body, read up to the form limit and no further. Browsers never
/// compress what they send, and a compressed body would be checked (and held) only
/// after expanding, so compressed forms and JSON are refused.
async fn read_limited(req: &mut ServiceRequest) -> Result<Bytes, AppError> {
    let encoded = req
        .headers()
        .get("content-encoding")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|e| !e.trim().eq_ignore_ascii_case("identity"));
    if encoded {
        return Err(AppError::BadBody(
            "compressed form and JSON bodies are not accepted".into(),
        ));
    }
    let declared = req
        .headers()
        .get("content-length")
        .and_then(|h| h.to_str().ok())
        .and_then(|l| l.trim().parse::<usize>().ok());
    let limit = crate::web::form_limit(req.path());
    if declared.is_some_and(|n| n > limit) {
        return Err(AppError::TooLarge);
    }
    let mut payload = req.take_payload();
    let mut body = actix_web::web::BytesMut::new();
    while let Some(chunk) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut payload).poll_next(cx)).await
    {
        let chunk = chunk.map_err(|e| AppError::BadBody(e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::EitherBody<impl MessageBody>>, actix_web::Error> {
    if path_has_control(req.path()) {
        return Ok(req.error_response(AppError::NotFound).map_into_right_body());
    }
    let mut errors = FieldErrors::default();
    if let Ok(pairs) = serde_urlencoded::from_str(req.query_string()) {
        check_pairs(pairs, &mut errors, None);
    }
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    // Forms and JSON are read here (they are small); files (.ics, CSV) go to their
    // parsers, which apply the same rule without a second copy of the upload.
    let structured = content_type.contains("json")
        || content_type.starts_with("application/x-www-form-urlencoded");
    if errors.is_empty() && structured {
        let body = match read_limited(&mut req).await {
            Ok(b) => b,
            Err(e) => return Ok(req.error_response(e).map_into_right_body()),
        };
        let file = req.path().starts_with("/imports/").then_some("csv");
        check_body(&content_type, &body, &mut errors, file);
        req.set_payload(Payload::from(body));
    }
    if !errors.is_empty() {
        return Ok(req
            .error_response(AppError::Validation(errors))
            .map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_wherever_they_are() {
        assert!(path_has_control("/review/%00"));
        assert!(path_has_control("/review/%1f"));
        assert!(!path_has_control("/employers/%C3%A4"));
        let mut e = FieldErrors::default();
        check_body(
            "application/json",
            br#"{"name":"ok","contacts":[{"name":"a\u0000b"}]}"#,
            &mut e,
            None,
        );
        assert!(e.0.contains_key("contacts.0.name"), "{e:?}");
        let mut e = FieldErrors::default();
        check_body(
            "application/x-www-form-urlencoded",
            b"email=a%00@x.fi",
            &mut e,
            None,
        );
        assert!(e.0.contains_key("email"));
    }
}
