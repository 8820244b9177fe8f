//! Names for addresses and ids: text → lower-case ASCII letters, digits and `-` (å/ä→a, ö/ø→o, æ→ae),
//! used for heading ids and to suggest a file name that follows the naming rule.

/// A heading's id from its text: lower-case ASCII, å/ä→a, ö/ø→o, æ→ae, other runs → `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match c {
            'å' | 'ä' | 'á' | 'à' | 'â' => "a",
            'ö' | 'ø' | 'ó' | 'ô' => "o",
            'æ' => "ae",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'ü' | 'ú' => "u",
            'í' | 'ï' => "i",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if mapped == "-" {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(mapped);
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "section".to_string()
    } else {
        trimmed.to_string()
    }
}
