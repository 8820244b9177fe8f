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
        let message = plain_message(&e.without_snippet().to_string());
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
                Some((name, expected)) => format!("{to}{name} (expected one of: {expected})"),
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
    } else if message.starts_with("wrong type") {
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
                "unknown key `titel` (expected one of: title, lang)",
                "check the spelling of the key, or remove it; docs/content.md lists every key"
            )
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
