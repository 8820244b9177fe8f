//! The one owner of the YAML parser (serde-saphyr, YAML 1.2, strict booleans) and of the wording of
//! its errors: text → a typed value, or a [`YamlError`] with the file line and column and a help line.
//! The generator's pages, data files and site files and the forms' definitions all parse through here.

use serde::de::DeserializeOwned;

pub use serde_saphyr::{Location, Spanned};

/// A YAML syntax or shape error, positioned in the file and worded for the site's editors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based file line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: &'static str,
}

/// Parses `text` as YAML into `T`. `first_line` is the file line the text starts on (1 for a whole file,
/// 2 for front matter after the opening `---`), so errors point into the file, not into the block.
pub fn parse<T: DeserializeOwned>(text: &str, first_line: usize) -> Result<T, YamlError> {
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((1, 1), |l| (to_usize(l.line()), to_usize(l.column())));
        let raw = e.without_snippet().to_string();
        // A tab in the indentation: point at the tab itself, wherever the parser noticed it.
        if let Some((tab_line, tab_column)) = tab_indent(text, line, &raw) {
            return YamlError {
                line: tab_line + first_line - 1,
                column: tab_column,
                message: "this line is indented with a tab: YAML indents with spaces only".into(),
                help: "replace the tab with spaces, as many as the lines around it use",
            };
        }
        let message = plain_message(&raw);
        let message = with_the_value(message, text.lines().nth(line.saturating_sub(1)));
        // serde reports a missing key where the mapping ends; the block's first line is clearer.
        let (line, column) = if message.starts_with("missing required key") {
            (1, 1)
        } else {
            (line.max(1), column.max(1))
        };
        YamlError {
            line: line + first_line - 1,
            column,
            help: help_for(&message),
            message,
        }
    })
}

/// The file line and column of a location, given the line its YAML text starts on.
pub fn position(location: Location, first_line: usize) -> (usize, usize) {
    (
        to_usize(location.line()).max(1) + first_line - 1,
        to_usize(location.column()).max(1),
    )
}

/// The file line and column of a spanned value, given the line its YAML text starts on.
pub fn line_of<T>(value: &Spanned<T>, first_line: usize) -> (usize, usize) {
    position(value.referenced, first_line)
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// A line near `error_line` whose indentation holds a tab (the nearest; any line of the window when
/// the parser's message speaks of a tab, else only the error line), with the tab's 1-based column.
fn tab_indent(text: &str, error_line: usize, raw: &str) -> Option<(usize, usize)> {
    let tab_at = |line: &str| {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        line[..indent].find('\t').map(|at| at + 1)
    };
    let lines: Vec<&str> = text.lines().collect();
    let window: Vec<usize> = if raw.contains("tab") {
        let mut near: Vec<usize> = (error_line.saturating_sub(3)..=error_line + 1)
            .filter(|n| *n >= 1)
            .collect();
        near.sort_by_key(|n| n.abs_diff(error_line));
        near
    } else {
        vec![error_line]
    };
    window.into_iter().find_map(|n| {
        lines
            .get(n.checked_sub(1)?)
            .and_then(|l| tab_at(l))
            .map(|c| (n, c))
    })
}

/// A wrong-type message with the key and value from the source line: "`weight` needs a whole number,
/// not `sextio`"; other messages as they are.
fn with_the_value(message: String, source_line: Option<&str>) -> String {
    let Some(rest) = message.strip_prefix("wrong type of value: ") else {
        return message;
    };
    let wanted = match rest
        .trim_start_matches("invalid ")
        .trim_start_matches("expected ")
    {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => {
            "a whole number (digits only, e.g. `60`)"
        }
        "f32" | "f64" => "a number (e.g. `2.5`)",
        "bool" => "`true` or `false`",
        "string scalar" | "a string" => "text (one value, not a list or keys)",
        "a sequence" => "a list: `[a, b]`, or one line per item starting with `- `",
        "a map" => "keys with values below it",
        _ => return message,
    };
    let Some((key, value)) = source_line.and_then(|l| l.split_once(':')) else {
        return format!("this needs {wanted}");
    };
    let key = key.trim().trim_start_matches("- ");
    let value = value.trim();
    if value.is_empty() {
        format!("`{key}` needs {wanted}")
    } else {
        format!("`{key}` needs {wanted}, not `{value}`")
    }
}

/// The parser's message without its trailing " at line N, column M" (the position is printed by the
/// caller), in the house wording.
fn plain_message(raw: &str) -> String {
    let msg = match raw.rfind(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    };
    let msg = msg.trim().trim_start_matches("error: ");
    for (from, to) in [
        ("unknown field ", "unknown key "),
        ("unknown variant ", "unknown value "),
    ] {
        if let Some(rest) = msg.strip_prefix(from) {
            return match rest.split_once(", expected one of ") {
                Some((name, expected)) => {
                    let options = expected.split(", ").map(|o| o.trim_matches('`'));
                    let hint = crate::suggest::closest(name.trim_matches('`'), options)
                        .map(|c| format!("did you mean `{c}`? "))
                        .unwrap_or_default();
                    format!("{to}{name} ({hint}expected one of: {expected})")
                }
                None => match rest.split_once(", expected ") {
                    Some((name, expected)) => format!("{to}{name} (expected {expected})"),
                    None => format!("{to}{rest}"),
                },
            };
        }
    }
    if let Some(rest) = msg.strip_prefix("missing field ") {
        return format!("missing required key {rest}");
    }
    if let Some(rest) = msg.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest);
        return format!("the key `{key}` is written twice");
    }
    if msg.starts_with("invalid ") || msg.starts_with("expected ") {
        return format!("wrong type of value: {msg}");
    }
    format!("invalid YAML: {msg}")
}

fn help_for(message: &str) -> &'static str {
    if message.starts_with("unknown key") {
        "check the spelling of the key, or remove it; docs/content.md lists every key"
    } else if message.starts_with("unknown value") {
        "use one of the values listed; docs/content.md says what each key holds"
    } else if message.starts_with("the key") {
        "keep one of the two lines"
    } else if message.starts_with("wrong type") || message.contains(" needs ") {
        "check the value: docs/content.md says what each key holds"
    } else if message.starts_with("missing required key") {
        "add the key with a value; docs/content.md says what each key means"
    } else {
        "fix the YAML at this position; put quotes around text that contains `:` or starts with a symbol"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        title: String,
        lang: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Text,
        Email,
    }

    #[test]
    fn lang_no_stays_the_string_no() {
        let doc: Doc = parse("title: Hei\nlang: no\n", 2).expect("parses");
        assert_eq!(
            (doc.title.as_str(), doc.lang.as_deref()),
            ("Hei", Some("no"))
        );
        let untyped: serde_json::Value = parse("lang: no\nok: yes\n", 1).expect("parses");
        assert_eq!(untyped["lang"], "no");
        assert_eq!(untyped["ok"], "yes");
    }

    #[test]
    fn errors_point_into_the_file_not_the_block() {
        let err = parse::<Doc>("title: Hej\ntitel: x\n", 2).expect_err("unknown key");
        assert_eq!(
            (err.line, err.column, err.message.as_str(), err.help),
            (
                3,
                1,
                "unknown key `titel` (did you mean `title`? expected one of: title, lang)",
                "check the spelling of the key, or remove it; docs/content.md lists every key"
            )
        );
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Page {
        title: String,
        weight: i64,
    }

    #[test]
    fn a_tab_in_the_indentation_is_named_at_the_tab() {
        let err = parse::<serde_json::Value>("a:\n  b: 1\n\tc: 2\n", 1).expect_err("tab");
        assert_eq!(
            (err.line, err.column, err.message.as_str(), err.help),
            (
                3,
                1,
                "this line is indented with a tab: YAML indents with spaces only",
                "replace the tab with spaces, as many as the lines around it use"
            )
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_quoted_with_what_the_key_needs() {
        let err = parse::<Page>("title: Hej\nweight: sextio\n", 2).expect_err("weight");
        assert_eq!(
            err.message,
            "`weight` needs a whole number (digits only, e.g. `60`), not `sextio`"
        );
        assert_eq!(
            (err.line, err.help),
            (
                3,
                "check the value: docs/content.md says what each key holds"
            )
        );
        let err = parse::<Page>("title: [Hej]\nweight: 1\n", 1).expect_err("title");
        assert_eq!(
            err.message,
            "`title` needs text (one value, not a list or keys), not `[Hej]`"
        );
    }

    #[test]
    fn missing_key_is_named_at_the_block_start() {
        let err = parse::<Doc>("lang: sv\n", 2).expect_err("missing");
        assert_eq!(err.message, "missing required key `title`");
        assert_eq!((err.line, err.column), (2, 1));
    }

    #[test]
    fn unknown_values_list_the_choices() {
        let err = parse::<Kind>("number\n", 1).expect_err("variant");
        assert_eq!(
            err.message,
            "unknown value `number` (expected one of: text, email)"
        );
        assert_eq!(
            err.help,
            "use one of the values listed; docs/content.md says what each key holds"
        );
    }

    #[test]
    fn syntax_errors_say_invalid_yaml() {
        let err = parse::<Doc>("title: Pris: 5 kr\n", 2).expect_err("colon");
        assert_eq!(
            err.message,
            "invalid YAML: mapping values are not allowed in this context"
        );
        assert_eq!((err.line, err.column), (2, 12));
        let err = parse::<Doc>("title: A\ntitle: B\n", 2).expect_err("twice");
        assert_eq!(err.message, "the key `title` is written twice");
    }
}
