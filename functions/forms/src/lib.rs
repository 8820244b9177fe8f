//! guidepost-forms: form definitions, identifier checks, validation, routing and e-mail composition.
//! Pure library shared by the generator and the form function: no AWS, no HTTP. The contract with the
//! other crates is `API.md` beside this crate.

mod browser;
pub mod capacity;
mod data_file;
mod definition;
mod email;
#[cfg(feature = "files")]
mod files;
mod hidden;
mod html;
pub mod identifiers;
pub mod messages;
pub mod model;
mod reference;
pub mod strings;
pub mod suggest;
mod validate;
pub mod yaml;

pub use browser::{BrowserMessages, GOT_PLACEHOLDER, browser_messages};
pub use data_file::{Cell, Column, ColumnType, DataFile, DataFileError, check_data_file};
pub use definition::{
    DataRow, DataTable, DataTables, DataValue, DefinitionError, Desk, Desks, ExportError, FormSet,
    FormSource, check_desks, check_forms, is_plain_address,
};
pub use email::{Email, Envelope, compose_desk_email, compose_receipt};
#[cfg(feature = "files")]
pub use files::load_forms;
pub use html::{
    ACCOUNT_TOKEN_FIELD, ACTION_PREFIX, FILL_TIME_FIELD, RECEIPT_ID, escape, form_markers,
    render_form, render_privacy, render_receipt,
};
pub use jiff::civil::Date;
pub use model::{
    ACCOUNT_ACTIONS, AccountSpec, Field, FieldKind, Form, Lang, Privacy, ReminderStep,
};
pub use reference::{is_reference, reference_from_bytes};
pub use validate::{Answer, FieldErrors, RawInput, Submission, Value};
