//! The receipt a page shows in place of its form once the form is sent: thanks, the reference and the
//! form's own "what happens next". The function renders it for a post without JavaScript; the page's
//! script builds the same box from the same strings after a fetch.

use std::fmt::Write as _;

use super::{escape, paragraph_texts};
use crate::model::Form;
use crate::strings;

/// The `id` of the receipt box, so that the address `…#receipt` scrolls to it.
pub const RECEIPT_ID: &str = "receipt";

/// The receipt box for `form` with `reference` (escaped here; the caller checks its shape).
pub fn render_receipt(form: &Form, reference: &str) -> String {
    let lang = form.lang;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<div class=\"receipt\" id=\"{RECEIPT_ID}\" tabindex=\"-1\">\n<h2>{}</h2>\n\
         <p>{} <strong class=\"reference\">{}</strong></p>",
        escape(strings::receipt_thanks(lang)),
        escape(strings::receipt_reference(lang)),
        escape(reference),
    );
    let mut next = paragraph_texts(&form.receipt).peekable();
    if next.peek().is_some() {
        let _ = writeln!(out, "<h3>{}</h3>", escape(strings::next_heading(lang)));
        for paragraph in next {
            let _ = writeln!(out, "<p>{}</p>", escape(&paragraph));
        }
    }
    out.push_str("</div>\n");
    out
}
