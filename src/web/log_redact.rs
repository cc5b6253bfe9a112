//! What the logs may say about a request. Feed and review-pack addresses carry their
//! secret in the path and some clients put tokens in the query, so a request is logged
//! by its method and its path with every secret-looking segment masked, never with its
//! query string.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};

fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// A run of token characters long and random enough to be a secret (ids, dates,
/// business ids and words are short or have no digits).
fn looks_secret(run: &str) -> bool {
    run.len() >= 16 && run.chars().any(|c| c.is_ascii_digit())
}

/// The path as it may be logged: every secret-looking run masked, wherever it stands
/// (`/review/<secret>%00` or `/me/tokens/pf_<token>` included).
pub fn path(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if looks_secret(run) {
            out.push_str("[secret]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in raw.chars() {
        if token_char(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The request's span: method, redacted path, request id and outcome.
pub struct RedactedSpan;

impl RootSpanBuilder for RedactedSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let id = request
            .extensions()
            .get::<RequestId>()
            .map(|r| r.to_string())
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            http.method = %request.method(),
            http.target = %path(request.path()),
            request_id = %id,
            http.status_code = tracing::field::Empty,
            exception.message = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let (status, error) = match outcome {
            Ok(res) => (res.status(), res.response().error().map(|e| e.to_string())),
            Err(e) => (e.as_response_error().status_code(), Some(e.to_string())),
        };
        span.record("http.status_code", status.as_u16());
        if let Some(e) = error {
            span.record("exception.message", tracing::field::display(e));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_and_ordinary_paths_kept() {
        assert_eq!(
            path("/calendar/3f9a0c1b2d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f506.ics"),
            "/calendar/[secret].ics"
        );
        assert_eq!(
            path("/review/a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"),
            "/review/[secret]"
        );
        assert_eq!(path("/employers/42/contacts"), "/employers/42/contacts");
        assert_eq!(path("/plan/2026-W48"), "/plan/2026-W48");
        assert_eq!(
            path("/api/v1/employers/2858394-9"),
            "/api/v1/employers/2858394-9"
        );
        assert_eq!(path("/static/app.css"), "/static/app.css");
        assert_eq!(
            path("/review/a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6%20"),
            "/review/[secret]%20"
        );
        assert_eq!(
            path("/api/v1/me/tokens/pf_77fe0b19e3ef919ad9b838b7244023d0"),
            "/api/v1/me/tokens/[secret]"
        );
    }
}
