//! Splits a Markdown file into its YAML front matter and body, remembering the line each starts on.

use std::path::Path;

use crate::error::ContentError;

/// A page's text split at its `---` lines.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub front_matter: &'a str,
    /// The file line the YAML starts on (2 unless the file starts with blank lines).
    pub front_matter_line: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// The file line the body starts on.
    pub body_line: usize,
}

/// Splits `text`; a file without a front matter block, or with an unclosed one, is an error.
pub fn split_front_matter<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, ContentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(
            ContentError::new(file, 1, 1, "the page does not start with front matter")
                .help("begin the file with a line `---`, then `title: …`, then another line `---`"),
        );
    }
    let start = first.len();
    let mut offset = start;
    for (line, l) in (2..).zip(lines) {
        if l.trim_end() == "---" {
            return Ok(Split {
                front_matter: &text[start..offset],
                front_matter_line: 2,
                body: &text[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(
        ContentError::new(file, 1, 1, "the front matter is not closed")
            .help("add a line `---` after the last front matter key"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let split = split_front_matter("---\ntitle: A\nlang: sv\n---\n\nText\n", Path::new("a.md"))
            .expect("valid");
        assert_eq!(split.front_matter, "title: A\nlang: sv\n");
        assert_eq!(split.front_matter_line, 2);
        assert_eq!(split.body, "\nText\n");
        assert_eq!(split.body_line, 5);
    }

    #[test]
    fn missing_and_unclosed_front_matter_are_errors() {
        let err = split_front_matter("# Title\n", Path::new("a.md")).expect_err("no fm");
        assert_eq!(err.message, "the page does not start with front matter");
        let err = split_front_matter("---\ntitle: A\n", Path::new("a.md")).expect_err("open");
        assert_eq!(err.message, "the front matter is not closed");
    }
}
