//! A form → the messages the browser script shows for the checks it makes before sending
//! (`forms/messages.json`), made by the same functions as the server's, so both say the same thing.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::messages::{Problem, field_message, too_long};
use crate::model::{FieldKind, Form};
use crate::strings;

/// The placeholder the browser script replaces with the count typed.
pub const GOT_PLACEHOLDER: &str = "{got}";

/// What the browser script needs to word its errors for one form.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct BrowserMessages {
    /// Heading of the error summary.
    pub summary: &'static str,
    /// Prefix of the page title while errors are shown.
    pub title_prefix: &'static str,
    /// Receipt wording: thanks, before the reference, "what happens next".
    pub thanks: &'static str,
    /// Before the reference.
    pub reference: &'static str,
    /// Heading above the form's receipt text.
    pub next: &'static str,
    /// Field name → problem → message (`too_long` holds `{got}` for the count typed).
    pub fields: BTreeMap<String, BTreeMap<&'static str, String>>,
}

/// The browser messages for `form`, in its language.
pub fn browser_messages(form: &Form) -> BrowserMessages {
    let lang = form.lang;
    let mut fields = BTreeMap::new();
    for field in form.fields() {
        let say = |p: Problem| field_message(&p, field, lang);
        let mut m = BTreeMap::new();
        m.insert("required", say(Problem::required_for(&field.kind)));
        match &field.kind {
            FieldKind::Text { max_chars } | FieldKind::LongText { max_chars } => {
                m.insert("too_long", too_long(*max_chars, GOT_PLACEHOLDER, lang));
            }
            FieldKind::Email => {
                m.insert("email", say(Problem::Email));
            }
            FieldKind::Date { .. } => {
                m.insert("date_format", say(Problem::DateFormat));
            }
            FieldKind::YesNo => {
                m.insert("must_be_yes", say(Problem::MustBeYes));
            }
            _ => {}
        }
        fields.insert(field.name.clone(), m);
    }
    BrowserMessages {
        summary: strings::error_summary_heading(lang),
        title_prefix: strings::title_error_prefix(lang),
        thanks: strings::receipt_thanks(lang),
        reference: strings::receipt_reference(lang),
        next: strings::next_heading(lang),
        fields,
    }
}
