//! The form definition as written in `content/forms/<id>.yaml`: serde structs that refuse unknown keys
//! and keep the source location of everything a later check may need to point at.

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::model::{ChoiceStyle, Lang};

/// A whole form file.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawForm {
    pub id: Spanned<String>,
    pub lang: Lang,
    pub title: String,
    pub intro: String,
    #[serde(default)]
    pub submitter_email: Option<Spanned<String>>,
    #[serde(default)]
    pub privacy: Option<Spanned<String>>,
    pub groups: Vec<RawGroup>,
    #[serde(default)]
    pub rules: Vec<Spanned<RawRule>>,
    pub routing: Vec<Spanned<RawRoute>>,
    pub receipt: String,
    #[serde(default)]
    pub account: Option<RawAccount>,
}

/// A fieldset.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGroup {
    pub legend: String,
    #[serde(default)]
    pub hint: Option<String>,
    pub fields: Vec<Spanned<RawField>>,
}

/// The field types a definition may name.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawType {
    Text,
    LongText,
    Email,
    Phone,
    Date,
    Choice,
    YesNo,
    Capacity,
    Personnummer,
    Organisationsnummer,
    HsaId,
    Fodselsnummer,
    FhNumber,
    Organisasjonsnummer,
}

/// A field; which of the optional keys apply depends on `type`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawField {
    pub name: Spanned<String>,
    pub label: String,
    #[serde(default)]
    pub hint: Option<String>,
    #[serde(rename = "type")]
    pub kind: Spanned<RawType>,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub autocomplete: Option<Spanned<String>>,
    #[serde(default)]
    pub max_chars: Option<Spanned<u32>>,
    #[serde(default)]
    pub max_chars_from: Option<Spanned<RawCell>>,
    #[serde(default)]
    pub style: Option<Spanned<ChoiceStyle>>,
    #[serde(default)]
    pub options: Option<Spanned<Vec<RawOption>>>,
    #[serde(default)]
    pub options_from: Option<Spanned<RawOptionsFrom>>,
    #[serde(default)]
    pub not_in_past: Option<Spanned<bool>>,
    #[serde(default)]
    pub max_ahead: Option<Spanned<String>>,
    #[serde(default)]
    pub error: Option<String>,
}

/// One option written in the form.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOption {
    pub value: String,
    pub label: String,
}

/// Options taken from the rows of a data file: the value from the key column, the label from `label`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOptionsFrom {
    pub data: Spanned<String>,
    pub label: Spanned<String>,
}

/// One cell of a data file: the row whose key is `row`, the column `column`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCell {
    pub data: Spanned<String>,
    pub row: Spanned<String>,
    pub column: Spanned<String>,
}

/// A condition on another field's value.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCondition {
    pub field: Spanned<String>,
    #[serde(default)]
    pub equals: Option<Spanned<String>>,
}

/// A rule across fields.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub(crate) enum RawRule {
    RequiredWhen {
        field: Spanned<String>,
        when: RawCondition,
    },
    AllowedValues {
        field: Spanned<String>,
        depends_on: Spanned<String>,
        data: Spanned<String>,
        column: Spanned<String>,
    },
    CapacityRange {
        field: Spanned<String>,
        depends_on: Spanned<String>,
        data: Spanned<String>,
        column: Spanned<String>,
    },
    DateOrder {
        start: Spanned<String>,
        end: Spanned<String>,
    },
    MustBeYes {
        field: Spanned<String>,
    },
}

/// A routing rule.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRoute {
    pub desk: Spanned<String>,
    #[serde(default)]
    pub when: Option<RawCondition>,
}

/// A privacy notice file, `content/forms/privacy/<name>.yaml`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPrivacy {
    pub lang: Lang,
    pub controller: String,
    pub purpose: String,
    pub legal_basis: String,
    pub retention: String,
    pub rights: String,
    pub contact: String,
    #[serde(default)]
    pub page: Option<Spanned<String>>,
}

/// `account:` as written.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAccount {
    pub action: Spanned<String>,
    pub end_date: Spanned<String>,
    pub person_name: Spanned<String>,
    pub contact_email: Spanned<String>,
    #[serde(default)]
    pub external_email: Option<Spanned<String>>,
    pub reminders: Spanned<String>,
}
