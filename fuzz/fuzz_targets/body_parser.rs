//! The body parsers: any bytes as an urlencoded or a JSON body never panic; a parsed urlencoded body
//! encodes back to the same pairs.
#![no_main]

use guidepost_handler::pipeline::parse::{parse_json, parse_urlencoded};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(input) = parse_urlencoded(data) {
        let again: String = input
            .0
            .iter()
            .map(|(n, v)| format!("{}={}", encode(n), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let reparsed = parse_urlencoded(again.as_bytes()).expect("re-encoded is UTF-8");
        let kept: Vec<_> = input
            .0
            .iter()
            .filter(|(n, v)| !(n.is_empty() && v.is_empty()))
            .collect();
        let back: Vec<_> = reparsed
            .0
            .iter()
            .filter(|(n, v)| !(n.is_empty() && v.is_empty()))
            .collect();
        assert_eq!(kept, back);
    }
    let _ = parse_json(data);
});

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
