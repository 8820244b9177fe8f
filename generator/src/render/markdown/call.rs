//! The `{{ name(key="value") }}` syntax of a shortcode paragraph, parsed.

use std::collections::BTreeMap;

/// A shortcode's name and arguments.
pub type ShortcodeCall = (String, BTreeMap<String, String>);

/// `{{ table(data="x", caption="y") }}` → `Some(Ok(("table", {data: x, caption: y})))`;
/// `None` when the text is not shaped like a shortcode at all.
pub fn parse_shortcode(text: &str) -> Option<Result<ShortcodeCall, String>> {
    let inner = text.strip_prefix("{{")?.strip_suffix("}}")?.trim();
    let bad = || {
        Err(format!(
            "`{text}` is not a valid shortcode: write it as {{{{ name(key=\"value\") }}}}"
        ))
    };
    let Some((name, rest)) = inner.split_once('(') else {
        return Some(bad());
    };
    let Some(args_text) = rest.trim_end().strip_suffix(')') else {
        return Some(bad());
    };
    let mut args = BTreeMap::new();
    let mut rest = args_text.trim();
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else {
            return Some(bad());
        };
        let Some(after) = after.trim_start().strip_prefix('"') else {
            return Some(bad());
        };
        let Some((value, after)) = after.split_once('"') else {
            return Some(bad());
        };
        args.insert(key.trim().to_string(), value.to_string());
        rest = after.trim_start().trim_start_matches(',').trim_start();
    }
    Some(Ok((name.trim().to_string(), args)))
}
