//! Body → [`RawInput`]: an `application/x-www-form-urlencoded` body or a flat JSON object ([`BodyKind`]),
//! as ordered (name, value) pairs. Strict: invalid UTF-8 or JSON that is not a flat object is a [`ParseError`],
//! never a panic or a silently replaced character.

use std::fmt;

use guidepost_forms::RawInput;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;

/// The two bodies the function understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/x-www-form-urlencoded`: a plain HTML form post, answered with redirects and pages.
    Form,
    /// `application/json`: answered with JSON.
    Json,
}

/// Why a body is not usable input.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// A name or value is not UTF-8 once percent-decoded.
    #[error("the form body is not UTF-8")]
    NotUtf8,
    /// Not JSON, or JSON that is not an object.
    #[error("the JSON body is not an object: {0}")]
    NotJsonObject(String),
    /// Fields whose JSON value is an object, or an array holding something other than text, numbers or
    /// booleans (the body is otherwise fine).
    #[error("fields with a nested JSON value: {}", .0.join(", "))]
    NestedValues(Vec<String>),
}

/// Decodes an urlencoded body (`+` is a space, `%XX` a byte; a stray `%` stays as it is).
pub fn parse_urlencoded(body: &[u8]) -> Result<RawInput, ParseError> {
    let mut pairs = Vec::new();
    for part in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match part.iter().position(|b| *b == b'=') {
            Some(eq) => (&part[..eq], &part[eq + 1..]),
            None => (part, &b""[..]),
        };
        pairs.push((decode_component(name)?, decode_component(value)?));
    }
    Ok(RawInput(pairs))
}

fn decode_component(raw: &[u8]) -> Result<String, ParseError> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let escaped = match raw.get(i..i + 3) {
            Some([b'%', hi, lo]) => hex(*hi).zip(hex(*lo)),
            _ => None,
        };
        match (escaped, raw[i]) {
            (Some((hi, lo)), _) => {
                bytes.push(hi << 4 | lo);
                i += 3;
            }
            (None, b'+') => {
                bytes.push(b' ');
                i += 1;
            }
            (None, other) => {
                bytes.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(bytes).map_err(|_| ParseError::NotUtf8)
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Reads a flat JSON object: text, numbers and booleans become values, `null` is left out, an array gives
/// one pair per element (multi-choice fields). Repeated keys are kept as repeated pairs, in order, so the
/// validator can report them.
pub fn parse_json(body: &[u8]) -> Result<RawInput, ParseError> {
    let Entries(entries) =
        serde_json::from_slice(body).map_err(|e| ParseError::NotJsonObject(e.to_string()))?;
    let mut pairs = Vec::new();
    let mut nested: Vec<String> = Vec::new();
    let mut mark_nested = |name: &str| {
        if !nested.iter().any(|n| n == name) {
            nested.push(name.to_owned());
        }
    };
    for (name, value) in entries {
        match value {
            Value::Array(items) => {
                for item in items {
                    match scalar(item) {
                        Ok(Some(text)) => pairs.push((name.clone(), text)),
                        Ok(None) => {}
                        Err(()) => mark_nested(&name),
                    }
                }
            }
            other => match scalar(other) {
                Ok(Some(text)) => pairs.push((name, text)),
                Ok(None) => {}
                Err(()) => mark_nested(&name),
            },
        }
    }
    if nested.is_empty() {
        Ok(RawInput(pairs))
    } else {
        Err(ParseError::NestedValues(nested))
    }
}

/// Text for a scalar, `None` for null, `Err` for an array or object.
fn scalar(value: Value) -> Result<Option<String>, ()> {
    match value {
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        Value::Null => Ok(None),
        Value::Array(_) | Value::Object(_) => Err(()),
    }
}

/// A JSON object's entries in document order, duplicates kept.
struct Entries(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a flat JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(input: RawInput) -> Vec<(String, String)> {
        input.0
    }

    fn owned(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn urlencoded_keeps_order_repeats_and_unicode() {
        let body = b"name=Sm%C3%A5+%C3%85sa&level=S1&level=S2&empty=&bare&&x=a%2Bb%26c%3D";
        assert_eq!(
            pairs(parse_urlencoded(body).expect("parses")),
            owned(&[
                ("name", "Små Åsa"),
                ("level", "S1"),
                ("level", "S2"),
                ("empty", ""),
                ("bare", ""),
                ("x", "a+b&c=")
            ])
        );
    }

    #[test]
    fn urlencoded_leaves_stray_percent_signs() {
        assert_eq!(
            pairs(parse_urlencoded(b"p=100%&q=%zz&r=%4").expect("parses")),
            owned(&[("p", "100%"), ("q", "%zz"), ("r", "%4")])
        );
    }

    #[test]
    fn urlencoded_refuses_invalid_utf8_raw_or_encoded() {
        for body in [&b"name=%FF%FE"[..], b"name=\xff", b"%C3=x"] {
            assert_eq!(parse_urlencoded(body).map(pairs), Err(ParseError::NotUtf8));
        }
    }

    #[test]
    fn json_flattens_arrays_and_scalars_keeping_duplicates() {
        let body = r#"{"name": "Åsa", "levels": ["S1", "S2"], "count": 3, "ok": true, "none": null, "name": "again"}"#
            .as_bytes();
        assert_eq!(
            pairs(parse_json(body).expect("parses")),
            owned(&[
                ("name", "Åsa"),
                ("levels", "S1"),
                ("levels", "S2"),
                ("count", "3"),
                ("ok", "true"),
                ("name", "again")
            ])
        );
    }

    #[test]
    fn json_that_is_not_a_flat_object_is_refused() {
        for body in [
            &b"[1, 2]"[..],
            b"\"text\"",
            b"{",
            b"",
            b"{\"a\": \"\xff\"}",
            b"{\"a\":1} trailing",
        ] {
            assert!(
                matches!(parse_json(body), Err(ParseError::NotJsonObject(_))),
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
        assert_eq!(
            parse_json(br#"{"a": {"b": 1}, "c": [[1]], "d": "fine", "a": [{}]}"#).map(pairs),
            Err(ParseError::NestedValues(vec!["a".into(), "c".into()]))
        );
    }
}
