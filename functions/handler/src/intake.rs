//! Intake: a request for a known form → who may send (the per-client rate limit, the allowed origins) →
//! (body kind, input), or the early 4xx answer with its log outcome: 429, 403, 415, 413, 400, or 422 for
//! nested JSON values.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request};
use axum::http::header::{ORIGIN, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use guidepost_forms::{FieldErrors, Form, RawInput};

use crate::messages::Message;
use crate::parse::{ParseError, parse_json, parse_urlencoded};
use crate::request::{BodyError, BodyKind, MAX_BODY_BYTES, body_kind, read_body};
use crate::response::{json_field_errors, plain, problem};
use crate::state::Parts;

/// An answer given before validation, with the log outcome.
pub type Early = (Response, &'static str);

/// 429 when the client's bucket is empty, 403 when a browser posts from another origin.
pub(crate) fn gate(parts: &Parts, form: &Form, request: &Request) -> Option<Early> {
    let kind = body_kind(request.headers()).unwrap_or(BodyKind::Form);
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if let (Some(limiter), Some(client)) = (&parts.limiter, client)
        && let Err(wait) = limiter.check(client, Instant::now())
    {
        let text = Message::TooMany.text(form.lang);
        let mut answer = problem(StatusCode::TOO_MANY_REQUESTS, kind, form.lang, text);
        let seconds = crate::ratelimit::retry_after_secs(wait);
        answer
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(seconds));
        return Some((answer, "rate_limited"));
    }
    if !origin_allowed(&parts.settings.allowed_origins, request.headers()) {
        let text = Message::WrongOrigin.text(form.lang);
        let answer = problem(StatusCode::FORBIDDEN, kind, form.lang, text);
        return Some((answer, "wrong_origin"));
    }
    None
}

/// With allowed origins configured, a request carrying an `Origin` header must name one of them
/// (requests without one, from non-browser clients, pass).
fn origin_allowed(allowed: &[String], headers: &HeaderMap) -> bool {
    if allowed.is_empty() {
        return true;
    }
    match headers.get(ORIGIN).map(|o| o.to_str()) {
        None => true,
        Some(Ok(origin)) => allowed
            .iter()
            .any(|a| a.eq_ignore_ascii_case(origin.trim())),
        Some(Err(_)) => false,
    }
}

/// Request → (body kind, input), or the 4xx answer.
pub async fn read_input(form: &Form, request: Request) -> Result<(BodyKind, RawInput), Early> {
    let lang = form.lang;
    let (head, body) = request.into_parts();
    let Some(kind) = body_kind(&head.headers) else {
        let text = "Send the form as application/x-www-form-urlencoded or application/json.\n";
        let answer = plain(StatusCode::UNSUPPORTED_MEDIA_TYPE, text);
        return Err((answer, "unsupported_media_type"));
    };
    let refuse = |status, message: Message, outcome| {
        (problem(status, kind, lang, message.text(lang)), outcome)
    };
    let bytes = match read_body(&head.headers, body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(BodyError::TooLarge) => {
            return Err(refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                Message::TooLarge,
                "too_large",
            ));
        }
        Err(BodyError::Unreadable) => {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                Message::Unreadable,
                "unreadable",
            ));
        }
    };
    let parsed = match kind {
        BodyKind::Form => parse_urlencoded(&bytes),
        BodyKind::Json => parse_json(&bytes),
    };
    match parsed {
        Ok(input) => Ok((kind, input)),
        Err(ParseError::NestedValues(names)) => {
            let text = Message::NotText.text(lang);
            let errors: BTreeMap<String, Vec<String>> = names
                .into_iter()
                .map(|n| (n, vec![text.to_owned()]))
                .collect();
            Err((json_field_errors(&FieldErrors(errors)), "invalid"))
        }
        Err(ParseError::NotUtf8 | ParseError::NotJsonObject(_)) => Err(refuse(
            StatusCode::BAD_REQUEST,
            Message::Unreadable,
            "unreadable",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_checked_only_when_configured_and_sent() {
        let mut headers = HeaderMap::new();
        assert!(origin_allowed(&[], &headers));
        let allowed = vec!["https://www.region.example".to_owned()];
        assert!(origin_allowed(&allowed, &headers), "no Origin header");
        headers.insert(
            ORIGIN,
            HeaderValue::from_static("https://WWW.region.example"),
        );
        assert!(origin_allowed(&allowed, &headers));
        headers.insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!origin_allowed(&allowed, &headers));
        headers.insert(ORIGIN, HeaderValue::from_static("null"));
        assert!(!origin_allowed(&allowed, &headers));
    }
}
