//! `GET /forms/{id}/receipt?ref=…`: where a post without JavaScript lands. The form's own page with the
//! receipt (reference and the form's "what happens next") in the form's place, so a reader without
//! JavaScript sees the same as one with it. Only a reference of the right shape is shown back; the page
//! holds nothing the sender typed.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use guidepost_forms::is_reference;

use crate::http::messages::Message;
use crate::http::response::{html_page, plain, problem};
use crate::pipeline::parse::BodyKind;
use crate::state::AppState;

/// The one `ref` in the query; none when it is missing or given twice.
fn reference_in(query: Option<&str>) -> Option<String> {
    let mut refs = form_urlencoded::parse(query?.as_bytes())
        .filter(|(key, _)| key == "ref")
        .map(|(_, value)| value.into_owned());
    let first = refs.next()?;
    refs.next().is_none().then_some(first)
}

/// The axum handler: 200 with the page, 404 in the form's language for a missing or malformed
/// reference, 404 for an unknown form.
pub async fn receipt(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let parts = &*state.inner;
    let Some(form) = parts.forms.get(&id) else {
        return plain(StatusCode::NOT_FOUND, "No such form.\n");
    };
    let reference = reference_in(query.as_deref());
    match reference.as_deref().filter(|r| is_reference(r)) {
        Some(reference) => html_page(StatusCode::OK, parts.pages.receipt_page(form, reference)),
        None => problem(
            StatusCode::NOT_FOUND,
            BodyKind::Form,
            form.lang,
            Message::NoReference.text(form.lang),
        ),
    }
}
