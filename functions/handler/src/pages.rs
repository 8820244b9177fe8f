//! The built form pages, read once at start: `<site>/forms/pages.json` (form id → page file relative to the
//! site root, written by the generator) → each page's HTML. On a 422 the form between the page's
//! `form_markers` is replaced by the form rendered with the user's input and the errors, and the
//! `<title>` gets an error prefix; after a post without JavaScript the receipt takes the form's place.
//! A form without a page gets a minimal page.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use guidepost_forms::{
    FieldErrors, Form, RawInput, escape, form_markers, render_form, render_receipt, strings,
};

/// Form id → the page's HTML.
#[derive(Clone, Debug, Default)]
pub struct FormPages(BTreeMap<String, String>);

/// Why the pages cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PagesError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// `pages.json` is not a map of form id → relative path.
    #[error("{path}: {message}")]
    Index {
        /// The index file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A listed page does not carry the form's markers.
    #[error("{path}: no `{marker}` … end marker pair for form `{form}`")]
    NoMarkers {
        /// The page file.
        path: PathBuf,
        /// The form id.
        form: String,
        /// The start marker looked for.
        marker: String,
    },
}

impl FormPages {
    /// No pages: every form gets the minimal page.
    pub fn none() -> Self {
        FormPages::default()
    }

    /// Pages given directly (form id → HTML), e.g. by the dev server.
    pub fn from_html(pages: BTreeMap<String, String>) -> Self {
        FormPages(pages)
    }

    /// Reads `<site_dir>/forms/pages.json` and every page it lists. A missing index means no pages;
    /// a listed page that is missing or lacks its markers is an error.
    pub fn load(site_dir: &Path) -> Result<FormPages, PagesError> {
        let index_path = site_dir.join("forms").join("pages.json");
        let index_text = match std::fs::read_to_string(&index_path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FormPages::none()),
            Err(source) => {
                return Err(PagesError::Read {
                    path: index_path,
                    source,
                });
            }
        };
        let index: BTreeMap<String, String> =
            serde_json::from_str(&index_text).map_err(|e| PagesError::Index {
                path: index_path.clone(),
                message: e.to_string(),
            })?;
        let mut pages = BTreeMap::new();
        for (form, relative) in index {
            let relative = relative.trim_start_matches('/');
            let inside = Path::new(relative)
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
            if !inside {
                let message =
                    format!("page `{relative}` of form `{form}` is not a path inside the site");
                return Err(PagesError::Index {
                    path: index_path,
                    message,
                });
            }
            let path = site_dir.join(relative);
            let html = std::fs::read_to_string(&path).map_err(|source| PagesError::Read {
                path: path.clone(),
                source,
            })?;
            let (start, end) = form_markers(&form);
            if marked_span(&html, &start, &end).is_none() {
                return Err(PagesError::NoMarkers {
                    path,
                    form,
                    marker: start,
                });
            }
            pages.insert(form, html);
        }
        Ok(FormPages(pages))
    }

    /// Whether `form_id` has a built page.
    pub fn has_page(&self, form_id: &str) -> bool {
        self.0.contains_key(form_id)
    }

    /// The page to answer a 422 with: the built page with the form re-rendered (input kept, errors shown)
    /// and an error prefix on the title, or a minimal page.
    pub fn invalid_page(
        &self,
        form: &Form,
        values: &RawInput,
        errors: &FieldErrors,
        action: &str,
    ) -> String {
        let rendered = render_form(form, values, errors, action);
        self.with_form_replaced(form, &rendered, strings::title_error_prefix(form.lang))
    }

    /// The page that shows a sent form's receipt: the built page with the receipt (reference and "what
    /// happens next") where the form was, and a "sent" prefix on the title, or a minimal page.
    pub fn receipt_page(&self, form: &Form, reference: &str) -> String {
        let rendered = render_receipt(form, reference);
        self.with_form_replaced(form, &rendered, strings::title_sent_prefix(form.lang))
    }

    /// The form's page with `html` in the form's place and `prefix` before the title (the account
    /// register's pages look like the form they belong to).
    pub fn page_with(&self, form: &Form, html: &str, prefix: &str) -> String {
        self.with_form_replaced(form, html, prefix)
    }

    /// The form's page with what lies between its markers replaced by `rendered`, `prefix` before the
    /// title; a minimal page when the form has no built page.
    fn with_form_replaced(&self, form: &Form, rendered: &str, prefix: &str) -> String {
        let (start, end) = form_markers(&form.id);
        match self.0.get(&form.id) {
            Some(page) => match marked_span(page, &start, &end) {
                Some((from, to)) => prefix_title(
                    &format!("{}{rendered}{}", &page[..from], &page[to..]),
                    prefix,
                ),
                None => minimal_page(form, rendered, prefix),
            },
            None => minimal_page(form, rendered, prefix),
        }
    }
}

/// The byte range strictly between the start and end markers.
fn marked_span(page: &str, start: &str, end: &str) -> Option<(usize, usize)> {
    let from = page.find(start)? + start.len();
    let to = from + page[from..].find(end)?;
    Some((from, to))
}

/// Inserts `prefix` at the start of the first `<title>`'s text (once).
fn prefix_title(page: &str, prefix: &str) -> String {
    let lower = page.to_ascii_lowercase();
    let Some(open) = lower.find("<title") else {
        return page.to_owned();
    };
    let Some(close) = lower[open..].find('>').map(|i| open + i + 1) else {
        return page.to_owned();
    };
    if page[close..].starts_with(prefix) {
        return page.to_owned();
    }
    format!("{}{}{}", &page[..close], escape(prefix), &page[close..])
}

fn minimal_page(form: &Form, rendered: &str, prefix: &str) -> String {
    let title = escape(&form.title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{prefix}{title}</title>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n{rendered}\n</main>\n</body>\n</html>\n",
        lang = form.lang.code(),
        prefix = escape(prefix),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_gets_its_prefix_once() {
        let page = "<html><head><TITLE lang=\"sv\">Beställ nät</TITLE></head></html>";
        let once = prefix_title(page, "Fel: ");
        assert_eq!(
            once,
            "<html><head><TITLE lang=\"sv\">Fel: Beställ nät</TITLE></head></html>"
        );
        assert_eq!(prefix_title(&once, "Fel: "), once);
        assert_eq!(prefix_title("<p>no title</p>", "Fel: "), "<p>no title</p>");
    }

    #[test]
    fn the_span_is_between_the_markers() {
        let page = "a<!--s-->old form<!--e-->b";
        let (from, to) = marked_span(page, "<!--s-->", "<!--e-->").expect("span");
        assert_eq!(&page[from..to], "old form");
        assert_eq!(
            marked_span("a<!--e--><!--s-->", "<!--s-->", "<!--e-->"),
            None
        );
    }
}
