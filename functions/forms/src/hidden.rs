//! Which characters cannot be seen: a character → whether every field refuses it (used by validation,
//! and by the messages to name such a character by its code point instead of echoing it).

/// Characters refused in every field, never stripped: C0 controls other than tab, line feed and carriage
/// return; DEL and the C1 controls; the soft hyphen; bidi marks, embeddings, overrides and isolates;
/// zero-width characters and word joiners; the byte-order mark; and the other invisible format
/// characters (Arabic letter mark, Mongolian vowel separator, interlinear annotation marks).
pub(crate) fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}'
        | '\u{B}'
        | '\u{C}'
        | '\u{E}'..='\u{1F}'
        | '\u{7F}'..='\u{9F}'
        | '\u{AD}'
        | '\u{61C}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}')
}
