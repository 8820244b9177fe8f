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
            body = linked(&message.body_text(0).unwrap_or_default()),
            name = esc(&name),
        ));
    }
    if items.is_empty() {
        items = "<li>No mail yet. Submit a form and its messages appear here.</li>".into();
    }
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Mail sent by the local form function</title>\n<link rel=\"stylesheet\" href=\"/css/site.css\">\n</head>\n<body>\n<main id=\"main\" class=\"wrap\">\n<h1>Mail sent by the local form function</h1>\n<p>{count} message(s) in <code>{dir}</code>, newest first. Nothing here leaves this computer. See also <a href=\"/_guidepost/editor/\">review dates and where content is used</a>.</p>\n{remind}<ul class=\"mail-list\">\n{items}</ul>\n</main>\n</body>\n</html>\n",
        remind = REMIND_FORM,
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

/// The reminder run, for trying the account reminders without waiting months.
const REMIND_FORM: &str = "<form method=\"post\" action=\"/_guidepost/remind\" class=\"remind\">\n<h2>Account reminders</h2>\n<p>Runs the daily reminder run now, as if today were the date below; its mail appears in the list.</p>\n<label class=\"label\" for=\"remind-today\">Date (YYYY-MM-DD)</label>\n<input class=\"input input--short\" id=\"remind-today\" name=\"today\" type=\"text\" inputmode=\"numeric\" autocomplete=\"off\">\n<button type=\"submit\" class=\"button\">Run reminders</button>\n</form>\n";

/// `POST /_guidepost/remind` (`today=YYYY-MM-DD`, empty for today): one reminder run over the dev
/// server's register, then back to the mail page with the report.
pub async fn remind(State(shared): State<Shared>, body: axum::body::Bytes) -> Response {
    let today = form_urlencoded::parse(&body)
        .find(|(k, _)| k == "today")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let date = match today.as_str() {
        "" => None,
        text => match text.parse::<guidepost_forms::Date>() {
            Ok(date) if text.len() == 10 => Some(date),
            _ => {
                let text = "Write the date as YYYY-MM-DD, e.g. 2027-03-01.\n";
                return (axum::http::StatusCode::UNPROCESSABLE_ENTITY, text).into_response();
            }
        },
    };
    let state = shared.forms.read().ok().and_then(|s| s.clone());
    let Some(state) = state else {
        return (
            axum::http::StatusCode::NOT_FOUND,
            "This site has no forms.\n",
        )
            .into_response();
    };
    let report = guidepost_handler::remind::remind_once(&state, date).await;
    println!(
        "reminder run: {}",
        serde_json::to_string(&report).unwrap_or_default()
    );
    (
        axum::http::StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/_guidepost/mail/"),
            (header::CACHE_CONTROL, "no-store"),
        ],
    )
        .into_response()
}

/// The text escaped, with each http(s) address made a link.
fn linked(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|word| {
            let trimmed = word.trim_end();
            if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
                let rest = &word[trimmed.len()..];
                format!("<a href=\"{0}\">{0}</a>{1}", esc(trimmed), esc(rest))
            } else {
                esc(word)
            }
        })
        .collect()
}

fn esc(s: &str) -> String {
    guidepost::render::escape(s)
}
