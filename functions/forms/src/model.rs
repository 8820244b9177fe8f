//! The checked, resolved form: what `check_forms` returns, what `forms.json` holds, and what
//! validation, routing, HTML and e-mail read. Nothing here refers back to a file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::identifiers::IdKind;

pub use jiff::civil::Date;

/// The language a form is written in; picks every message and UI string.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Swedish.
    Sv,
    /// Norwegian Bokmål.
    Nb,
    /// English.
    En,
}

impl Lang {
    /// Every language, in a fixed order.
    pub const ALL: [Lang; 3] = [Lang::Sv, Lang::Nb, Lang::En];

    /// Parses a language code as pages and the site configuration write it.
    pub fn parse(code: &str) -> Result<Lang, String> {
        match code {
            "sv" => Ok(Lang::Sv),
            "nb" => Ok(Lang::Nb),
            "en" => Ok(Lang::En),
            "no" | "nn" => Err(format!(
                "unsupported language `{code}`: Norwegian pages use `nb` (bokmål)"
            )),
            _ => Err(format!("unsupported language `{code}`")),
        }
    }

    /// The BCP 47 code (`sv`, `nb`, `en`), as used in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::Nb => "nb",
            Lang::En => "en",
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// One form, resolved.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Form {
    /// The id (the file name without `.yaml`).
    pub id: String,
    /// The form's language.
    pub lang: Lang,
    /// The title (page heading and e-mail subject).
    pub title: String,
    /// Text shown before the fields.
    pub intro: String,
    /// The fieldsets, in order.
    pub groups: Vec<Group>,
    /// Rules across fields.
    pub rules: Vec<Rule>,
    /// Routing rules; the last one always matches.
    pub routing: Vec<Route>,
    /// What happens next (shown after sending and in the receipt).
    pub receipt: String,
    /// The name of the e-mail field holding the submitter's address, if any.
    pub submitter_email: Option<String>,
    /// How the answers are handled (shown before the submit button and in the receipt), if named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy: Option<Privacy>,
    /// The honeypot field's name.
    pub honeypot: String,
    /// How accepted orders enter the account register, for a form that orders accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountSpec>,
}

/// The option values an account form's action choice must have: a new account, an extension, an ending.
pub const ACCOUNT_ACTIONS: [&str; 3] = ["order", "extend", "end"];

/// Which fields of an account form the register reads, and when reminders go out.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AccountSpec {
    /// The choice field whose value is `order`, `extend` or `end`.
    pub action: String,
    /// The date field with the account's last day.
    pub end_date: String,
    /// The text field with the external person's name.
    pub person_name: String,
    /// The e-mail field with the contact person's address.
    pub contact_email: String,
    /// The e-mail field with the external person's own address, if the form asks for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_email: Option<String>,
    /// The reminders, most days before the end date first.
    pub reminders: Vec<ReminderStep>,
}

/// One reminder: how many days before the end date, and whether the external person gets it too.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReminderStep {
    /// Days before the end date.
    pub days_before: u32,
    /// The external person gets it too (when the order gave their address).
    pub external: bool,
}

/// A privacy notice: who handles the answers, why, on what ground, for how long, the submitter's
/// rights and whom to ask. Written once per organisation and language in `content/forms/privacy/`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Privacy {
    /// The notice's name (its file name without `.yaml`).
    pub name: String,
    /// Who is responsible for the personal data.
    pub controller: String,
    /// Why the data is collected.
    pub purpose: String,
    /// The legal basis.
    pub legal_basis: String,
    /// How long the data is kept.
    pub retention: String,
    /// The submitter's rights.
    pub rights: String,
    /// Where to ask about the data.
    pub contact: String,
    /// A site path to the full text, if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
}

/// A fieldset with a legend.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Group {
    /// The legend.
    pub legend: String,
    /// Optional text under the legend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The fields, in order.
    pub fields: Vec<Field>,
}

/// One field.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Field {
    /// The name sent by the browser (`a-z`, `0-9`, `_`); the HTML id is `f-<name>`.
    pub name: String,
    /// The label or question.
    pub label: String,
    /// Help text under the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Whether an answer is required (rules may require it too).
    pub required: bool,
    /// An `autocomplete` token for the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autocomplete: Option<String>,
    /// The editor's own message for an unanswered field, in the form's language (replaces the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The type and its settings.
    #[serde(flatten)]
    pub kind: FieldKind,
}

/// A field's type and its settings.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text.
    Text {
        /// The most characters allowed.
        max_chars: u32,
    },
    /// Several lines of text with a character limit.
    LongText {
        /// The most characters allowed.
        max_chars: u32,
    },
    /// An e-mail address.
    Email,
    /// A phone number.
    Phone,
    /// A date, `YYYY-MM-DD`.
    Date {
        /// Refuse dates before today.
        #[serde(default)]
        not_in_past: bool,
        /// The furthest ahead a date may be.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_ahead: Option<Span>,
    },
    /// Pick one or several options.
    Choice {
        /// Radios, a select, or checkboxes.
        style: ChoiceStyle,
        /// The options.
        options: Vec<ChoiceOption>,
    },
    /// Yes or no (radios).
    YesNo,
    /// A capacity: a number and a unit (kbit/s, Mbit/s, Gbit/s).
    Capacity,
    /// An identity or organisation number.
    Identifier {
        /// Which number.
        identifier: Identifier,
    },
}

/// How a choice is shown.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceStyle {
    /// Radio buttons: exactly one.
    Radio,
    /// A drop-down: exactly one.
    Select,
    /// Checkboxes: any number.
    Checkboxes,
}

/// One option of a choice.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ChoiceOption {
    /// The value sent.
    pub value: String,
    /// The text shown.
    pub label: String,
}

/// The identifier types a field can ask for.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Identifier {
    /// Swedish personnummer or samordningsnummer.
    Personnummer,
    /// Swedish organisationsnummer.
    Organisationsnummer,
    /// HSA-id.
    HsaId,
    /// Norwegian fødselsnummer, D-number or H-number.
    Fodselsnummer,
    /// Norwegian FH number.
    FhNumber,
    /// Norwegian organisasjonsnummer.
    Organisasjonsnummer,
}

impl Identifier {
    /// The kind named in messages before anything is known about the input.
    pub fn kind(self) -> IdKind {
        match self {
            Identifier::Personnummer => IdKind::Personnummer,
            Identifier::Organisationsnummer => IdKind::Organisationsnummer,
            Identifier::HsaId => IdKind::HsaId,
            Identifier::Fodselsnummer => IdKind::Fodselsnummer,
            Identifier::FhNumber => IdKind::FhNumber,
            Identifier::Organisasjonsnummer => IdKind::Organisasjonsnummer,
        }
    }

    /// Whether the number identifies a person (masked in receipts).
    pub fn is_personal(self) -> bool {
        matches!(
            self,
            Identifier::Personnummer | Identifier::Fodselsnummer | Identifier::FhNumber
        )
    }
}

/// A length of time ahead of today.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// How many units.
    pub amount: u16,
    /// Which unit.
    pub unit: SpanUnit,
}

/// The unit of a [`Span`].
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SpanUnit {
    /// Days.
    Days,
    /// Months.
    Months,
    /// Years.
    Years,
}

/// A value a condition compares with; absent means "has any value".
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Condition {
    /// The field looked at.
    pub field: String,
    /// The value it must have (for checkboxes: one of its values); `None`: any value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
}

/// A rule across fields.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    /// `field` must be answered when the condition holds.
    RequiredWhen {
        /// The field that becomes required.
        field: String,
        /// When.
        when: Condition,
    },
    /// `field`'s value must be one of those listed for `depends_on`'s value (from a data file);
    /// an empty list (a data row without the column) means no value may be chosen, and a value of
    /// `depends_on` with no row at all leaves `field` unconstrained.
    AllowedValues {
        /// The constrained field.
        field: String,
        /// The field whose value picks the row.
        depends_on: String,
        /// Allowed values per value of `depends_on`.
        allowed: BTreeMap<String, Vec<String>>,
    },
    /// A capacity field must lie in the range listed for `depends_on`'s value (from a data file).
    CapacityRange {
        /// The constrained capacity field.
        field: String,
        /// The field whose value picks the row.
        depends_on: String,
        /// The range per value of `depends_on`, in bit/s.
        ranges: BTreeMap<String, Range>,
    },
    /// `end` must be later than `start` (both dates).
    DateOrder {
        /// The earlier date.
        start: String,
        /// The later date.
        end: String,
    },
    /// A yes/no field that must be answered yes.
    MustBeYes {
        /// The field.
        field: String,
    },
}

/// A closed range of rates in bit/s.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    /// The least rate, bit/s.
    pub min_bps: u64,
    /// The greatest rate, bit/s.
    pub max_bps: u64,
}

/// A routing rule: when the condition holds (or always, without one), the desk key.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Route {
    /// The desk key (the address comes from the handler's configuration).
    pub desk: String,
    /// When this route applies; `None`: always.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
}

impl Form {
    /// Every field in form order.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.groups.iter().flat_map(|g| g.fields.iter())
    }

    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields().find(|f| f.name == name)
    }
}

impl Field {
    /// The HTML id of the field's input (or of its first radio/checkbox).
    pub fn html_id(&self) -> String {
        format!("f-{}", self.name)
    }

    /// The label of a choice option, or the value itself.
    pub fn option_label<'a>(&'a self, value: &'a str) -> &'a str {
        match &self.kind {
            FieldKind::Choice { options, .. } => options
                .iter()
                .find(|o| o.value == value)
                .map_or(value, |o| o.label.as_str()),
            _ => value,
        }
    }
}
