//! The one place that parses YAML (serde-saphyr, YAML 1.2): typed values with file:line:col errors.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::ContentError;

pub use serde_saphyr::Spanned;

/// Parses `text` as YAML into `T`. `first_line` is the file line the text starts on (1 for a whole file,
/// 2 for front matter after the opening `---`), so errors point into the file, not into the block.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    first_line: usize,
) -> Result<T, ContentError> {
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        let message = plain_message(&e.without_snippet().to_string());
        // serde reports a missing key where the mapping ends; the block's first line is clearer.
        let (line, column) = if message.starts_with("missing required key") {
            (1, 1)
        } else {
            (line, column)
        };
        ContentError::new(file, line + first_line - 1, column, message.clone())
            .help(help_for(&message))
    })
}

/// The file line of a spanned value, given the line its YAML text starts on.
pub fn line_of<T>(value: &Spanned<T>, first_line: usize) -> (usize, usize) {
    let loc = value.referenced;
    (
        (loc.line() as usize).max(1) + first_line - 1,
        (loc.column() as usize).max(1),
    )
}

/// The parser's message without its trailing " at line N, column M" (we print the position ourselves),
/// with its wording brought in line with ours.
fn plain_message(raw: &str) -> String {
    let msg = match raw.rfind(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    };
    let msg = msg.trim().trim_start_matches("error: ");
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        return match rest.split_once(", expected one of ") {
            Some((key, keys)) => format!("unknown key {key} (expected one of: {keys})"),
            None => format!("unknown key {rest}"),
        };
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

fn help_for(message: &str) -> String {
    if message.starts_with("unknown key") {
        "check the spelling of the key, or remove it; docs/content.md lists every key".into()
    } else if message.starts_with("the key") {
        "keep one of the two lines".into()
    } else if message.starts_with("wrong type") {
        "check the value: docs/content.md says what each key holds".into()
    } else if message.starts_with("missing required key") {
        "add the key with a value; docs/content.md says what each key means".into()
    } else {
        "fix the YAML at this position; put quotes around text that contains `:` or starts with a symbol"
            .into()
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

    #[test]
    fn lang_no_stays_the_string_no() {
        let doc: Doc = parse("title: Hei\nlang: no\n", Path::new("x.md"), 2).expect("parses");
        assert_eq!(
            (doc.title.as_str(), doc.lang.as_deref()),
            ("Hei", Some("no"))
        );
        let untyped: serde_json::Value =
            parse("lang: no\nok: yes\n", Path::new("x.yaml"), 1).expect("parses");
        assert_eq!(untyped["lang"], "no");
        assert_eq!(untyped["ok"], "yes");
    }

    #[test]
    fn errors_point_into_the_file_not_the_block() {
        let err = parse::<Doc>("title: Hej\ntitel: x\n", Path::new("content/a.md"), 2)
            .expect_err("unknown key");
        assert_eq!(
            err.to_string(),
            "content/a.md:3:1: unknown key `titel` (expected one of: title, lang)\n   \
             help: check the spelling of the key, or remove it; docs/content.md lists every key"
        );
    }

    #[test]
    fn missing_key_is_named() {
        let err = parse::<Doc>("lang: sv\n", Path::new("content/a.md"), 2).expect_err("missing");
        assert_eq!(err.message, "missing required key `title`");
        assert_eq!((err.line, err.column), (2, 1));
    }

    #[test]
    fn syntax_errors_say_invalid_yaml() {
        let err = parse::<Doc>("title: Pris: 5 kr\n", Path::new("a.md"), 2).expect_err("colon");
        assert_eq!(
            err.message,
            "invalid YAML: mapping values are not allowed in this context"
        );
        assert_eq!((err.line, err.column), (2, 12));
        let err = parse::<Doc>("title: A\ntitle: B\n", Path::new("a.md"), 2).expect_err("twice");
        assert_eq!(err.message, "the key `title` is written twice");
    }
}
