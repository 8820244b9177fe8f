//! Serves the built site from the output folder (pretty URLs, 404 page, security headers) and hands
//! `/forms/…` to the form function's router.

use std::path::{Component, Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt as _;

use super::Shared;

/// The headers CloudFront's response-headers policy sets too: no inline script or style anywhere.
pub const SECURITY_HEADERS: [(&str, &str); 6] = [
    (
        "content-security-policy",
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("x-frame-options", "DENY"),
    (
        "permissions-policy",
        "camera=(), microphone=(), geolocation=()",
    ),
    ("cross-origin-opener-policy", "same-origin"),
];

/// `/forms/{id}` and `/forms/{id}/receipt`: the form function, with the forms of the latest good build.
async fn forms(State(shared): State<Shared>, request: Request) -> Response {
    let state = shared.forms.read().ok().and_then(|s| s.clone());
    let Some(state) = state else {
        return (StatusCode::NOT_FOUND, "This site has no forms.\n").into_response();
    };
    let response = guidepost_handler::router(state).oneshot(request).await;
    let mut response = response.unwrap_or_else(|e| match e {});
    if is_html(&response) {
        let generation = shared.status.read().map(|s| s.generation).unwrap_or(0);
        response = inject(response, generation).await;
    }
    with_headers(response)
}

/// The 404 page for `path`: the deepest `404.html` in a folder above it (`/nhn/x/` → `nhn/404.html`, in
/// that section's language), else the site's own.
fn not_found_file(out: &Path, path: &str) -> PathBuf {
    let segments: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .collect();
    (0..segments.len())
        .rev()
        .map(|n| out.join(segments[..n].join("/")).join("404.html"))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| out.join("404.html"))
}

/// Any other path: the form function (anything but GET/HEAD below `/forms/`, the receipt pages
/// `/forms/{id}/receipt` and the account pages `/forms/_accounts/…`), or a file of the built site.
pub async fn static_file(State(shared): State<Shared>, request: Request) -> Response {
    let reading = matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    let path = request.uri().path();
    let accounts = format!("{}_accounts/", guidepost_forms::ACTION_PREFIX);
    let function = path.starts_with(guidepost_forms::ACTION_PREFIX)
        && (!reading || path.ends_with("/receipt") || path.starts_with(&accounts));
    if function {
        return forms(State(shared), request).await;
    }
    let Some(out) = shared.options.build.out.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let generation = shared.status.read().map(|s| s.generation).unwrap_or(0);
    let path = request.uri().path().to_string();
    let (status, file) = match resolve(&out, &path) {
        Some(file) => (StatusCode::OK, file),
        None => (StatusCode::NOT_FOUND, not_found_file(&out, &path)),
    };
    let Ok(bytes) = tokio::fs::read(&file).await else {
        return with_headers((StatusCode::NOT_FOUND, "Not found.\n").into_response());
    };
    let mime = mime_for(&file);
    let body = if mime.starts_with("text/html") {
        Body::from(add_tag(&String::from_utf8_lossy(&bytes), generation))
    } else {
        Body::from(bytes)
    };
    let mut response = (
        status,
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response();
    if path.ends_with('/') || !path.contains('.') {
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    with_headers(response)
}

/// `/a/b/` → `out/a/b/index.html`; `/a/b` (a folder) → same; refuses `..` and other escapes.
fn resolve(out: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let rel = Path::new(decoded.trim_start_matches('/'));
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let path = out.join(rel);
    if path.is_file() {
        return Some(path);
    }
    let index = path.join("index.html");
    index.is_file().then_some(index)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn mime_for(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

async fn inject(response: Response, generation: u64) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 4 * 1024 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "Response too large.\n").into_response();
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(
        parts,
        Body::from(add_tag(&String::from_utf8_lossy(&bytes), generation)),
    )
}

/// Adds the live-reload script before `</body>`.
fn add_tag(html: &str, generation: u64) -> String {
    let tag = super::reload::tag(generation);
    match html.rfind("</body>") {
        Some(i) => format!("{}{tag}\n{}", &html[..i], &html[i..]),
        None => format!("{html}{tag}"),
    }
}

/// Adds the security headers.
pub fn with_headers(mut response: Response) -> Response {
    for (name, value) in SECURITY_HEADERS {
        response
            .headers_mut()
            .insert(name, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_escape_the_site() {
        let dir = std::env::temp_dir();
        assert_eq!(resolve(&dir, "/../etc/passwd"), None);
        assert_eq!(resolve(&dir, "/%2e%2e/etc/passwd"), None);
    }
}
