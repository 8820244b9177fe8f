//! One field as HTML: the wrapper, label or legend, hint, error slot and the input(s) for its type.

use std::fmt::Write as _;

use super::escape;
use crate::capacity::UNITS;
use crate::model::{ChoiceOption, ChoiceStyle, Field, FieldKind, Identifier, Lang};
use crate::strings;
use crate::validate::RawInput;

/// What every widget needs: ids, the described-by list and the first value sent.
struct Parts<'a> {
    field: &'a Field,
    lang: Lang,
    id: String,
    messages: &'a [String],
    values: Vec<&'a str>,
}

impl Parts<'_> {
    fn hint_id(&self) -> String {
        format!("{}-hint", self.id)
    }
    fn error_id(&self) -> String {
        format!("{}-error", self.id)
    }
    fn has_error(&self) -> bool {
        !self.messages.is_empty()
    }
    fn first(&self) -> String {
        self.values.first().map(|v| escape(v)).unwrap_or_default()
    }

    /// ` aria-describedby="…"` listing the hint, any extra ids, and the error when shown.
    fn described_by(&self, extra: &[String]) -> String {
        let mut ids: Vec<String> = Vec::new();
        if self.field.hint.is_some() {
            ids.push(self.hint_id());
        }
        ids.extend(extra.iter().cloned());
        if self.has_error() {
            ids.push(self.error_id());
        }
        if ids.is_empty() {
            String::new()
        } else {
            format!(" aria-describedby=\"{}\"", ids.join(" "))
        }
    }

    fn invalid(&self) -> &'static str {
        if self.has_error() {
            " aria-invalid=\"true\""
        } else {
            ""
        }
    }

    /// The label text with "(valfritt)" for optional fields.
    fn label_text(&self) -> String {
        let mut text = escape(&self.field.label);
        if !self.field.required {
            let _ = write!(
                text,
                " <span class=\"optional\">{}</span>",
                strings::optional(self.lang)
            );
        }
        text
    }

    /// The hint and the error slot (empty and hidden when there is no error).
    fn hint_and_error(&self) -> String {
        let mut out = String::new();
        if let Some(hint) = &self.field.hint {
            let _ = writeln!(
                out,
                "<p class=\"hint\" id=\"{}\">{}</p>",
                self.hint_id(),
                escape(hint)
            );
        }
        if self.has_error() {
            let text: Vec<String> = self.messages.iter().map(|m| escape(m)).collect();
            let _ = writeln!(
                out,
                "<p class=\"field-error\" id=\"{}\">{}</p>",
                self.error_id(),
                text.join("<br>")
            );
        } else {
            let _ = writeln!(
                out,
                "<p class=\"field-error\" id=\"{}\" hidden></p>",
                self.error_id()
            );
        }
        out
    }
}

/// The whole field.
pub(super) fn field(field: &Field, lang: Lang, values: &RawInput, messages: &[String]) -> String {
    let parts = Parts {
        field,
        lang,
        id: field.html_id(),
        messages,
        values: values.all(&field.name).collect(),
    };
    let class = if parts.has_error() {
        "form-field form-field--error"
    } else {
        "form-field"
    };
    let inner = match &field.kind {
        FieldKind::Choice {
            style: ChoiceStyle::Select,
            options,
        } => select(&parts, options),
        FieldKind::Choice { style, options } => {
            let kind = if *style == ChoiceStyle::Radio {
                "radio"
            } else {
                "checkbox"
            };
            let options: Vec<(String, String)> = options
                .iter()
                .map(|ChoiceOption { value, label }| (value.clone(), label.clone()))
                .collect();
            choices(&parts, kind, &options)
        }
        FieldKind::YesNo => {
            let options = [("yes", strings::yes(lang)), ("no", strings::no(lang))]
                .map(|(v, l)| (v.to_string(), l.to_string()));
            choices(&parts, "radio", &options)
        }
        FieldKind::Capacity => capacity(&parts, values),
        FieldKind::LongText { max_chars } => textarea(&parts, *max_chars),
        _ => input(&parts),
    };
    format!(
        "<div class=\"{class}\" data-field=\"{}\">\n{inner}</div>\n",
        escape(&field.name)
    )
}

/// type, inputmode, autocomplete and spellcheck for one-line inputs.
fn input_attributes(field: &Field) -> String {
    let (kind, mode, spell) = match &field.kind {
        FieldKind::Email => ("email", None, false),
        FieldKind::Phone => ("tel", Some("tel"), false),
        FieldKind::Date { .. } => ("text", None, false),
        FieldKind::Identifier {
            identifier: Identifier::HsaId,
        } => ("text", None, false),
        FieldKind::Identifier { .. } => ("text", Some("numeric"), false),
        _ => ("text", None, true),
    };
    let mut out = format!(" type=\"{kind}\"");
    if let Some(mode) = mode {
        let _ = write!(out, " inputmode=\"{mode}\"");
    }
    let autocomplete = match (&field.autocomplete, &field.kind) {
        (Some(a), _) => Some(a.as_str()),
        (None, FieldKind::Identifier { .. }) => Some("off"),
        (None, _) => None,
    };
    if let Some(a) = autocomplete {
        let _ = write!(out, " autocomplete=\"{}\"", escape(a));
    }
    if !spell {
        out.push_str(" spellcheck=\"false\"");
    }
    out
}

/// A one-line input; a date also gets the format it accepts (a text input, so the browser's
/// language never shows a different format than the hint states).
fn input(parts: &Parts<'_>) -> String {
    let f = parts.field;
    let is_date = matches!(f.kind, FieldKind::Date { .. });
    let class = if is_date {
        "input input--date"
    } else {
        "input"
    };
    let (format_hint, extra) = if is_date {
        let id = format!("{}-format", parts.id);
        (
            format!(
                "<p class=\"hint\" id=\"{id}\">{}</p>\n",
                strings::date_hint(parts.lang)
            ),
            vec![id],
        )
    } else {
        (String::new(), Vec::new())
    };
    format!(
        "<label class=\"label\" for=\"{id}\">{label}</label>\n{format_hint}{he}<input class=\"{class}\" id=\"{id}\" name=\"{name}\"{attrs} value=\"{value}\"{desc}{inv}>\n",
        id = parts.id,
        label = parts.label_text(),
        he = parts.hint_and_error(),
        name = escape(&f.name),
        attrs = input_attributes(f),
        value = parts.first(),
        desc = parts.described_by(&extra),
        inv = parts.invalid(),
    )
}

/// A long text without `maxlength` (so a pasted text can be trimmed), with a character count.
fn textarea(parts: &Parts<'_>, max: u32) -> String {
    let f = parts.field;
    let count_id = format!("{}-count", parts.id);
    format!(
        "<label class=\"label\" for=\"{id}\">{label}</label>\n{he}<textarea class=\"textarea\" id=\"{id}\" name=\"{name}\" rows=\"6\" data-max-chars=\"{max}\"{desc}{inv}>{value}</textarea>\n<p class=\"char-count\" id=\"{count_id}\" data-max-chars=\"{max}\" aria-live=\"polite\">{before} {max} {after}</p>\n",
        id = parts.id,
        label = parts.label_text(),
        he = parts.hint_and_error(),
        name = escape(&f.name),
        desc = parts.described_by(std::slice::from_ref(&count_id)),
        inv = parts.invalid(),
        value = parts.first(),
        before = strings::chars_before(parts.lang),
        after = strings::chars_after(parts.lang),
    )
}

fn select(parts: &Parts<'_>, options: &[ChoiceOption]) -> String {
    let f = parts.field;
    let chosen = parts.values.first().copied().unwrap_or("");
    let mut out = format!(
        "<label class=\"label\" for=\"{id}\">{label}</label>\n{he}<select class=\"select\" id=\"{id}\" name=\"{name}\"{desc}{inv}>\n<option value=\"\">{choose}</option>\n",
        id = parts.id,
        label = parts.label_text(),
        he = parts.hint_and_error(),
        name = escape(&f.name),
        desc = parts.described_by(&[]),
        inv = parts.invalid(),
        choose = strings::choose(parts.lang),
    );
    for o in options {
        let selected = if o.value == chosen { " selected" } else { "" };
        let _ = writeln!(
            out,
            "<option value=\"{}\"{selected}>{}</option>",
            escape(&o.value),
            escape(&o.label)
        );
    }
    out.push_str("</select>\n");
    out
}

/// Radios or checkboxes in a fieldset whose legend is the field's label. The first input has the
/// field's id (the error summary links to it); the others `-2`, `-3`…
fn choices(parts: &Parts<'_>, kind: &str, options: &[(String, String)]) -> String {
    let f = parts.field;
    let inline = if options.len() == 2 && kind == "radio" {
        " choices--inline"
    } else {
        ""
    };
    let mut out = format!(
        "<fieldset class=\"fieldset\"{desc}>\n<legend class=\"fieldset-legend\">{label}</legend>\n{he}<div class=\"choices{inline}\">\n",
        desc = parts.described_by(&[]),
        label = parts.label_text(),
        he = parts.hint_and_error(),
    );
    for (i, (value, label)) in options.iter().enumerate() {
        let id = if i == 0 {
            parts.id.clone()
        } else {
            format!("{}-{}", parts.id, i + 1)
        };
        let checked = if parts.values.contains(&value.as_str()) {
            " checked"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<div class=\"choice\"><input class=\"choice-input\" type=\"{kind}\" id=\"{id}\" name=\"{}\" value=\"{}\"{checked}{}><label class=\"choice-label\" for=\"{id}\">{}</label></div>",
            escape(&f.name),
            escape(value),
            parts.invalid(),
            escape(label)
        );
    }
    out.push_str("</div>\n</fieldset>\n");
    out
}

/// A number and a unit, grouped in a fieldset; Mbit/s is preselected.
fn capacity(parts: &Parts<'_>, values: &RawInput) -> String {
    let f = parts.field;
    let unit_name = format!("{}_unit", f.name);
    let unit = values.all(&unit_name).next().unwrap_or("Mbit/s");
    let mut out = format!(
        "<fieldset class=\"fieldset\"{desc}>\n<legend class=\"fieldset-legend\">{label}</legend>\n{he}<div class=\"capacity\">\n<label class=\"label\" for=\"{id}\">{amount}</label>\n<input class=\"input input--short\" id=\"{id}\" name=\"{name}\" type=\"text\" inputmode=\"decimal\" spellcheck=\"false\" value=\"{value}\"{inv}>\n<label class=\"label\" for=\"{id}-unit\">{unit_label}</label>\n<select class=\"select\" id=\"{id}-unit\" name=\"{unit_name}\">\n",
        desc = parts.described_by(&[]),
        label = parts.label_text(),
        he = parts.hint_and_error(),
        id = parts.id,
        amount = strings::amount(parts.lang),
        name = escape(&f.name),
        value = parts.first(),
        inv = parts.invalid(),
        unit_label = strings::unit(parts.lang),
    );
    for u in UNITS {
        let selected = if u.symbol() == unit { " selected" } else { "" };
        let _ = writeln!(
            out,
            "<option value=\"{0}\"{selected}>{0}</option>",
            u.symbol()
        );
    }
    out.push_str("</select>\n</div>\n</fieldset>\n");
    out
}
