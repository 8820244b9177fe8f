//! Response builders: the redirect to the receipt page, JSON answers, the form page again with errors, and
//! short problem answers in the form's language. Every answer is `Cache-Control: no-store`.

use axum::Json;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use guidepost_forms::{FieldErrors, Lang};
use serde_json::json;

use crate::messages::html_lang;
use crate::request::BodyKind;
use guidepost_forms::escape;

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// 303 See Other to `location` (the receipt page).
pub fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => no_store((StatusCode::SEE_OTHER, [(LOCATION, value)]).into_response()),
        Err(_) => no_store(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
    }
}

/// 200 `{"reference": …}`.
pub fn json_reference(reference: &str) -> Response {
    no_store(Json(json!({ "reference": reference })).into_response())
}

/// 422 `{"errors": {field: [message, …]}}`.
pub fn json_field_errors(errors: &FieldErrors) -> Response {
    no_store(
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({ "errors": errors })),
        )
            .into_response(),
    )
}

/// 422 with the form page, re-rendered with the user's input and the errors.
pub fn html_invalid(page: String) -> Response {
    let html = [(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    )];
    no_store((StatusCode::UNPROCESSABLE_ENTITY, html, page).into_response())
}

/// A short problem answer: `{"error": text}` for JSON, a minimal page for a form post.
pub fn problem(status: StatusCode, kind: BodyKind, lang: Lang, text: &str) -> Response {
    match kind {
        BodyKind::Json => no_store((status, Json(json!({ "error": text }))).into_response()),
        BodyKind::Form => {
            let page = format!(
                "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n\
                 <body>\n<main>\n<p>{}</p>\n</main>\n</body>\n</html>\n",
                html_lang(lang),
                status.canonical_reason().unwrap_or("Error"),
                escape(text),
            );
            let html = [(
                CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            )];
            no_store((status, html, page).into_response())
        }
    }
}

/// A plain-text answer, when not even the form is known (404, 415).
pub fn plain(status: StatusCode, text: &'static str) -> Response {
    let plain = [(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    )];
    no_store((status, plain, text).into_response())
}
