//! The editors' mail page: every message the local form function wrote to the mail folder, newest first.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use mail_parser::MessageParser;

use super::Shared;

/// `/_guidepost/mail/`.
pub async fn list(State(shared): State<Shared>) -> Response {
    let dir = shared.options.mail_dir.clone();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "eml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    files.reverse();
    let mut items = String::new();
    for path in files.iter().take(200) {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let Some(message) = MessageParser::default().parse(&bytes) else {
            continue;
        };
        let to: Vec<String> = message
            .to()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.address().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        items.push_str(&format!(
            "<li class=\"mail\"><details><summary><strong>{subject}</strong><br>To: {to} · {date}</summary>\n<pre>{body}</pre>\n<p class=\"hint\">{name}</p></details></li>\n",
            subject = esc(message.subject().unwrap_or("(no subject)")),
            to = esc(&to.join(", ")),
            date = esc(&message.date().map(|d| d.to_rfc3339()).unwrap_or_default()),
            body = esc(&message.body_text(0).unwrap_or_default()),
            name = esc(&name),
        ));
    }
    if items.is_empty() {
        items = "<li>No mail yet. Submit a form and its messages appear here.</li>".into();
    }
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Mail sent by the local form function</title>\n<link rel=\"stylesheet\" href=\"/css/site.css\">\n</head>\n<body>\n<main id=\"main\" class=\"wrap\">\n<h1>Mail sent by the local form function</h1>\n<p>{count} message(s) in <code>{dir}</code>, newest first. Nothing here leaves this computer.</p>\n<ul class=\"mail-list\">\n{items}</ul>\n</main>\n</body>\n</html>\n",
        count = files.len(),
        dir = esc(&dir.display().to_string()),
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

fn esc(s: &str) -> String {
    guidepost::render::escape(s)
}
