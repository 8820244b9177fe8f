//! Request → body: which kind of body the client sent (from `Content-Type`, as a [`BodyKind`]) and its
//! bytes, read up to the 64 KiB limit.

use axum::body::{Body, Bytes};
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::pipeline::parse::BodyKind;

/// The largest body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The body kind named by `Content-Type`, or `None` for anything else (→ 415). A `charset` other than
/// UTF-8 is refused too.
pub fn body_kind(headers: &HeaderMap) -> Option<BodyKind> {
    let value = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    let mut parts = value.split(';');
    let kind = match parts.next()?.trim().to_ascii_lowercase().as_str() {
        "application/x-www-form-urlencoded" => BodyKind::Form,
        "application/json" => BodyKind::Json,
        _ => return None,
    };
    for parameter in parts {
        let (name, value) = parameter.split_once('=')?;
        let value = value.trim().trim_matches('"');
        if name.trim().eq_ignore_ascii_case("charset") && !value.eq_ignore_ascii_case("utf-8") {
            return None;
        }
    }
    Some(kind)
}

/// Why the body could not be had.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// Over [`MAX_BODY_BYTES`] (declared or actual).
    #[error("the body is over {MAX_BODY_BYTES} bytes")]
    TooLarge,
    /// The connection failed while reading.
    #[error("the body could not be read")]
    Unreadable,
}

/// Reads the whole body, refusing more than `limit` bytes without reading past it.
pub async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, BodyError> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(BodyError::TooLarge);
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Err(BodyError::TooLarge),
        Err(_) => Err(BodyError::Unreadable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn kind(content_type: &str) -> Option<BodyKind> {
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_str(content_type).expect("header"),
        );
        body_kind(&headers)
    }

    #[test]
    fn content_types_are_recognised_with_parameters() {
        assert_eq!(
            kind("application/x-www-form-urlencoded"),
            Some(BodyKind::Form)
        );
        assert_eq!(
            kind("Application/X-WWW-Form-Urlencoded; charset=UTF-8"),
            Some(BodyKind::Form)
        );
        assert_eq!(kind("application/json"), Some(BodyKind::Json));
        assert_eq!(
            kind("application/json; charset=\"utf-8\""),
            Some(BodyKind::Json)
        );
        assert_eq!(kind("application/json; charset=iso-8859-1"), None);
        assert_eq!(kind("multipart/form-data; boundary=x"), None);
        assert_eq!(kind("text/plain"), None);
        assert_eq!(body_kind(&HeaderMap::new()), None);
    }

    #[tokio::test]
    async fn bodies_over_the_limit_are_refused() {
        let headers = HeaderMap::new();
        let small = read_body(&headers, Body::from("a=b"), 8).await;
        assert_eq!(small.as_deref(), Ok(&b"a=b"[..]));
        assert_eq!(
            read_body(&headers, Body::from("a=bcdefghij"), 8).await,
            Err(BodyError::TooLarge)
        );
        let mut declared = HeaderMap::new();
        declared.insert(CONTENT_LENGTH, HeaderValue::from_static("1000000"));
        assert_eq!(
            read_body(&declared, Body::from("a=b"), 8).await,
            Err(BodyError::TooLarge)
        );
    }
}
