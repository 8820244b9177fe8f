//! Responses, built only here at the edge: a [`Received`] or a [`Rejection`] → the answer. The redirect
//! to the receipt page, JSON answers, the form page again with errors, and short problem answers in the
//! form's language. Every answer is `Cache-Control: no-store`.

use std::collections::BTreeMap;

use axum::Json;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use guidepost_forms::{FieldErrors, Form, Lang, escape};
use serde_json::json;

use crate::http::messages::{Message, status_title, too_many};
use crate::outcome::{Received, Rejection};
use crate::pages::FormPages;
use crate::pipeline::parse::BodyKind;
use crate::settings::Settings;

/// What `form` needs to answer with.
pub struct Answering<'a> {
    /// The form posted to.
    pub form: &'a Form,
    /// The body kind the client sent (urlencoded when unknown).
    pub kind: BodyKind,
    /// Receipt paths and the action prefix.
    pub settings: &'a Settings,
    /// The built pages, for a 422 to a form post.
    pub pages: &'a FormPages,
}

impl Answering<'_> {
    /// The answer to a submission the client gets a reference for.
    pub fn received(&self, received: &Received) -> Response {
        match self.kind {
            BodyKind::Form => {
                let location = self
                    .settings
                    .receipt_location(&self.form.id, &received.reference);
                see_other(&location)
            }
            BodyKind::Json => json_reference(&received.reference),
        }
    }

    /// The answer to a rejection.
    pub fn rejected(&self, rejection: &Rejection) -> Response {
        let lang = self.form.lang;
        let refuse =
            |status, message: Message| problem(status, self.kind, lang, message.text(lang));
        match rejection {
            Rejection::RateLimited { retry_after_secs } => {
                let text = too_many(*retry_after_secs, lang);
                let mut answer = problem(StatusCode::TOO_MANY_REQUESTS, self.kind, lang, &text);
                let seconds = HeaderValue::from(*retry_after_secs);
                answer.headers_mut().insert(RETRY_AFTER, seconds);
                answer
            }
            Rejection::WrongOrigin => refuse(StatusCode::FORBIDDEN, Message::WrongOrigin),
            Rejection::UnsupportedMediaType => plain(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send the form as application/x-www-form-urlencoded or application/json.\n",
            ),
            Rejection::TooLarge => refuse(StatusCode::PAYLOAD_TOO_LARGE, Message::TooLarge),
            Rejection::Unreadable => refuse(StatusCode::BAD_REQUEST, Message::Unreadable),
            Rejection::NotText(names) => {
                let text = Message::NotText.text(lang);
                let errors: BTreeMap<String, Vec<String>> = names
                    .iter()
                    .map(|name| (name.clone(), vec![text.to_owned()]))
                    .collect();
                json_field_errors(&FieldErrors(errors))
            }
            Rejection::Invalid { input, errors } => match self.kind {
                BodyKind::Json => json_field_errors(errors),
                BodyKind::Form => {
                    let action = self.settings.action(&self.form.id);
                    html_invalid(self.pages.invalid_page(self.form, input, errors, &action))
                }
            },
            Rejection::NoDesk(_) => {
                refuse(StatusCode::INTERNAL_SERVER_ERROR, Message::TryAgainLater)
            }
            Rejection::SpoolFailed(_) => {
                refuse(StatusCode::SERVICE_UNAVAILABLE, Message::TryAgainLater)
            }
            Rejection::AccountLink(link) => {
                let status = StatusCode::from_u16(link.status()).unwrap_or(StatusCode::BAD_REQUEST);
                let (heading, text) = link.words(lang);
                problem(status, self.kind, lang, &format!("{heading}. {text}"))
            }
        }
    }
}

/// `response` with `Cache-Control: no-store`.
/// The response with `Cache-Control: no-store`.
pub fn no_store(mut response: Response) -> Response {
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
    html_page(StatusCode::UNPROCESSABLE_ENTITY, page)
}

/// An HTML page answer, never cached (it may show a reference or the user's input).
pub fn html_page(status: StatusCode, page: String) -> Response {
    let html = [(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    )];
    no_store((status, html, page).into_response())
}

/// A short problem answer: `{"error": text}` for JSON, a minimal page in `lang` (its title too) for a
/// form post.
pub fn problem(status: StatusCode, kind: BodyKind, lang: Lang, text: &str) -> Response {
    match kind {
        BodyKind::Json => no_store((status, Json(json!({ "error": text }))).into_response()),
        BodyKind::Form => {
            let page = format!(
                "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n\
                 <body>\n<main>\n<p>{}</p>\n</main>\n</body>\n</html>\n",
                lang.code(),
                status_title(status.as_u16(), lang),
                escape(text),
            );
            html_page(status, page)
        }
    }
}

/// A plain-text answer, when not even the form is known (404, 415).
pub fn plain(status: StatusCode, text: impl Into<axum::body::Body>) -> Response {
    let plain = [(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    )];
    let body: axum::body::Body = text.into();
    no_store((status, plain, body).into_response())
}
