//! Content errors: a position in a file, what is wrong, and what to do about it.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in the content, the data, the templates or the site configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    /// The file, relative to the project root (`content/natverk/anslutning.md`).
    pub file: PathBuf,
    /// 1-based line, counted from the top of the file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl ContentError {
    /// An error at `file:line:column`.
    pub fn new(file: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Self {
            file: file.to_path_buf(),
            line: line.max(1),
            column: column.max(1),
            message: message.into(),
            help: None,
        }
    }

    /// Adds advice on how to fix the problem.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n   help: {help}")?;
        }
        Ok(())
    }
}

/// Every error one run found, in a stable order (by file, then position).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorReport {
    /// The errors, sorted.
    pub errors: Vec<ContentError>,
}

impl ErrorReport {
    /// A report of the given errors, sorted by file and position, duplicates removed.
    pub fn new(mut errors: Vec<ContentError>) -> Self {
        errors.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        errors.dedup();
        Self { errors }
    }
}

impl fmt::Display for ErrorReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            writeln!(f, "{}. {e}", i + 1)?;
        }
        let n = self.errors.len();
        write!(f, "{n} error{} found", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for ErrorReport {}

/// Turns a byte offset in `text` into a 1-based (line, column), column counted in characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_characters() {
        let text = "ab\nåäö x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, text.find('x').unwrap_or(0)), (2, 5));
    }

    #[test]
    fn report_numbers_errors_in_file_order() {
        let report = ErrorReport::new(vec![
            ContentError::new(Path::new("content/b.md"), 2, 1, "second"),
            ContentError::new(Path::new("content/a.md"), 9, 1, "first").help("do this"),
        ]);
        assert_eq!(
            report.to_string(),
            "1. content/a.md:9:1: first\n   help: do this\n2. content/b.md:2:1: second\n2 errors found"
        );
    }
}
