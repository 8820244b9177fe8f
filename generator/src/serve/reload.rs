//! Live reload: the page's script waits for the next build, then reloads, or shows the build's errors.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::Shared;

/// The outcome of the latest build.
#[derive(Debug, Clone, Default)]
pub struct BuildStatus {
    /// Increases with every build, good or bad.
    pub generation: u64,
    /// The error report of the latest build, when it failed.
    pub error: Option<String>,
    /// What the error means for what is served (a failed build, or new pages whose forms cannot load).
    pub title: Option<String>,
}

/// The overlay's heading for a failed build.
pub const BUILD_FAILED: &str = "The site has errors – still showing the last good build";

/// Query of `/_guidepost/wait`.
#[derive(Deserialize)]
pub struct Wait {
    /// The generation the page was loaded with.
    since: u64,
}

/// Answers when a build newer than `since` finished (or after 25 s, to keep connections short).
pub async fn wait(State(shared): State<Shared>, Query(q): Query<Wait>) -> Response {
    let mut rx = shared.changed.subscribe();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(25),
        rx.wait_for(|g| *g > q.since),
    )
    .await;
    status(State(shared)).await
}

/// `{"generation": n, "error": "…" | null, "title": "…" | null}`.
pub async fn status(State(shared): State<Shared>) -> Response {
    let s = shared.status.read().map(|s| s.clone()).unwrap_or_default();
    let body =
        serde_json::json!({ "generation": s.generation, "error": s.error, "title": s.title });
    ([(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
}

/// The client side of live reload.
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        SCRIPT,
    )
        .into_response()
}

/// The tag the dev server adds to every HTML page it serves (never to the built files).
pub fn tag(generation: u64) -> String {
    format!(
        "<script src=\"/_guidepost/reload.js\" data-generation=\"{generation}\" defer></script>"
    )
}

const SCRIPT: &str = r#"// guidepost serve: reload when the site is rebuilt, show build errors over the page.
(function () {
  var me = document.currentScript;
  var since = Number(me && me.dataset.generation) || 0;
  function show(error, title) {
    var box = document.getElementById('gp-build-error');
    if (!error) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement('section');
      box.id = 'gp-build-error';
      box.setAttribute('role', 'alert');
      box.className = 'gp-build-error';
      document.body.prepend(box);
    }
    box.textContent = '';
    var h = document.createElement('h2');
    h.textContent = title || 'The site has errors – still showing the last good build';
    var pre = document.createElement('pre');
    pre.textContent = error;
    box.append(h, pre);
  }
  function poll() {
    fetch('/_guidepost/wait?since=' + since, { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.generation > since) {
          since = s.generation;
          if (s.error) { show(s.error, s.title); } else { location.reload(); return; }
        }
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  fetch('/_guidepost/status', { cache: 'no-store' }).then(function (r) { return r.json(); })
    .then(function (s) { if (s.error) show(s.error, s.title); }).catch(function () {});
  poll();
})();
"#;
