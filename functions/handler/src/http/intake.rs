//! Intake at the edge: a request for a known form → who may send (the per-client rate limit, the allowed
//! origins) → the body kind and bytes (415, 413, 400 otherwise), or the [`Rejection`]. The answer itself
//! is built by [`crate::http::response`].

use std::net::SocketAddr;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;
use axum::http::header::ORIGIN;

use crate::http::request::{BodyError, MAX_BODY_BYTES, body_kind, read_body};
use crate::outcome::Rejection;
use crate::pipeline::parse::BodyKind;
use crate::policy::retry_after_secs;
use crate::state::Parts;

/// Admits `request`: the gate first (before the body is read), then the body.
pub(crate) async fn admit(parts: &Parts, request: Request) -> Result<(BodyKind, Bytes), Rejection> {
    gate(parts, &request)?;
    let (head, body) = request.into_parts();
    let kind = body_kind(&head.headers).ok_or(Rejection::UnsupportedMediaType)?;
    match read_body(&head.headers, body, MAX_BODY_BYTES).await {
        Ok(bytes) => Ok((kind, bytes)),
        Err(BodyError::TooLarge) => Err(Rejection::TooLarge),
        Err(BodyError::Unreadable) => Err(Rejection::Unreadable),
    }
}

/// Refuses when the client's bucket is empty (429) or a browser posts from another origin (403).
fn gate(parts: &Parts, request: &Request) -> Result<(), Rejection> {
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if let (Some(limiter), Some(client)) = (&parts.limiter, client)
        && let Err(wait) = limiter.check(client, Instant::now())
    {
        let retry_after_secs = retry_after_secs(wait);
        return Err(Rejection::RateLimited { retry_after_secs });
    }
    if !origin_allowed(&parts.settings.allowed_origins, request.headers()) {
        return Err(Rejection::WrongOrigin);
    }
    Ok(())
}

/// More than one `Origin` header is always refused (a browser sends one; which of two would be checked
/// is not something to guess). With allowed origins configured, a request carrying an `Origin` header
/// must name one of them (requests without one, from non-browser clients, pass).
fn origin_allowed(allowed: &[String], headers: &HeaderMap) -> bool {
    if headers.get_all(ORIGIN).iter().count() > 1 {
        return false;
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

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

    #[test]
    fn two_origin_headers_are_refused() {
        let allowed = vec!["https://www.region.example".to_owned()];
        let mut headers = HeaderMap::new();
        headers.append(
            ORIGIN,
            HeaderValue::from_static("https://www.region.example"),
        );
        headers.append(ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!origin_allowed(&allowed, &headers));
        assert!(
            !origin_allowed(&[], &headers),
            "even with no origins configured"
        );
    }
}
