//! The editors' page, `/_guidepost/editor/`: the review report (pages overdue, never reviewed, without
//! a reviewer, by editor) and which pages show each data file and each form, from the content as it is
//! on disk now.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::Shared;
use guidepost::review::{Item, Report};

fn esc(s: &str) -> String {
    guidepost::render::escape(s)
}

fn items(items: &[Item]) -> String {
    let mut out = String::from("<ul>\n");
    for item in items {
        out.push_str(&format!(
            "<li><a href=\"{url}\">{title}</a> <span class=\"hint\">{path}{due}</span></li>\n",
            url = esc(&item.url),
            title = esc(&item.title),
            path = esc(&item.path.display().to_string()),
            due = item
                .due
                .as_ref()
                .map(|d| format!(", due {}", esc(d)))
                .unwrap_or_default(),
        ));
    }
    out.push_str("</ul>\n");
    out
}

fn uses(title: &str, map: &std::collections::BTreeMap<String, Vec<String>>) -> String {
    let mut out = format!("<h2>{}</h2>\n<dl>\n", esc(title));
    for (name, urls) in map {
        let pages = if urls.is_empty() {
            "no page".to_owned()
        } else {
            urls.iter()
                .map(|u| format!("<a href=\"{0}\">{0}</a>", esc(u)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!(
            "<dt><code>{}</code></dt><dd>{pages}</dd>\n",
            esc(name)
        ));
    }
    out.push_str("</dl>\n");
    out
}

fn body(report: &Report) -> String {
    let mut out = format!(
        "<p>Made for {} from the files on disk. A page is due {} months after its <code>reviewed:</code> date unless it sets <code>review_every_months</code>. The same list: <code>guidepost report</code> (or <code>--json</code>).</p>\n",
        esc(&report.today),
        report.review_every_months
    );
    if report.editors.is_empty() {
        out.push_str("<p>Every page is reviewed in time and has a reviewer.</p>\n");
    }
    for (editor, work) in &report.editors {
        out.push_str(&format!("<h2>{}</h2>\n", esc(editor)));
        for (what, list) in [
            ("Overdue for review", &work.overdue),
            ("Never reviewed", &work.never_reviewed),
            ("No reviewer", &work.no_reviewer),
        ] {
            if !list.is_empty() {
                out.push_str(&format!(
                    "<h3>{what} ({})</h3>\n{}",
                    list.len(),
                    items(list)
                ));
            }
        }
    }
    out.push_str(&uses(
        "Data files and the pages that show them",
        &report.data_files,
    ));
    out.push_str(&uses("Forms and the pages that show them", &report.forms));
    out
}

/// `GET /_guidepost/editor/`.
pub async fn page(State(shared): State<Shared>) -> Response {
    let build = &shared.options.build;
    let main = match guidepost::review_report(&build.root, build.drafts, None) {
        Ok(report) => body(&report),
        Err(e) => format!(
            "<p>The content has errors, so there is no report until they are mended:</p>\n<pre>{}</pre>\n",
            esc(&e.to_string())
        ),
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Review and use of content</title>\n<link rel=\"stylesheet\" href=\"/css/site.css\">\n</head>\n<body>\n<main id=\"main\" class=\"wrap\">\n<h1>Review and use of content</h1>\n{main}<p><a href=\"/_guidepost/mail/\">Mail sent by the local form function</a></p>\n</main>\n</body>\n</html>\n"
    );
    super::files::with_headers(
        (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            html,
        )
            .into_response(),
    )
}
