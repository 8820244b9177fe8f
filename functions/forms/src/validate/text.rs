//! Typed text → what may be kept: whether
//! an answer is empty once the invisible is set aside ([`looks_empty`]), and the trimming and line-break
//! handling of text that is kept ([`clean_text`]).

/// Whether nothing visible was typed: only spaces, line breaks and hidden characters. Such an answer
/// counts as empty (a required field is then missing), whatever invisible characters it holds.
pub(super) fn looks_empty(raw: &str) -> bool {
    raw.chars().all(|c| c.is_whitespace() || is_hidden(c))
}

/// Trims; single-line text gets spaces for line breaks and tabs, long text `\n` for every line break.
/// Hidden characters are refused before this is called, so none is left to drop.
pub(super) fn clean_text(raw: &str, multi_line: bool) -> String {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    let kept: String = unified
        .chars()
        .filter_map(|c| match c {
            '\n' if multi_line => Some('\n'),
            '\n' | '\t' => Some(' '),
            c if c.is_control() => None,
            '\u{2028}' | '\u{2029}' => Some(if multi_line { '\n' } else { ' ' }),
            c => Some(c),
        })
        .collect();
    kept.trim().to_string()
}

pub(crate) use crate::hidden::is_hidden;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_the_invisible_ones() {
        for c in [
            '\u{0}', '\u{1B}', '\u{7F}', '\u{85}', '\u{AD}', '\u{200B}', '\u{200D}', '\u{200E}',
            '\u{202E}', '\u{2066}', '\u{2069}', '\u{FEFF}', '\u{61C}',
        ] {
            assert!(is_hidden(c), "{:04X}", u32::from(c));
        }
        for c in [
            'a', 'å', ' ', '\t', '\n', '\r', '\u{A0}', '-', '€', '\u{2028}',
        ] {
            assert!(!is_hidden(c), "{:04X}", u32::from(c));
        }
    }

    #[test]
    fn only_invisible_characters_look_empty() {
        assert!(looks_empty("\u{200B}\u{FEFF} \u{AD}\n"));
        assert!(looks_empty(""));
        assert!(!looks_empty("\u{200B}a"));
    }
}
