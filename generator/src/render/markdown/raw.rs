//! Which raw HTML elements an editor opened and has not closed yet, so a shortcode never lands inside
//! one (the parts around a shortcode are sanitised one by one, which would close it early).

/// Elements that have no end tag.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param",
];

/// Updates `open` (outermost first) with the start and end tags in `html`.
pub fn track(open: &mut Vec<String>, html: &str) {
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.split_once("-->").map_or("", |(_, after)| after);
            continue;
        }
        let closing = rest.starts_with('/');
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        let self_closing = rest[..end].ends_with('/');
        if closing {
            if let Some(i) = open.iter().rposition(|o| *o == name) {
                open.truncate(i);
            }
        } else if !self_closing && !VOID.contains(&name.as_str()) {
            open.push(name);
        }
        rest = &rest[end..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(chunks: &[&str]) -> Vec<String> {
        let mut open = Vec::new();
        for chunk in chunks {
            track(&mut open, chunk);
        }
        open
    }

    #[test]
    fn elements_open_until_their_end_tag() {
        assert_eq!(after(&["<details>\n<summary>Mer</summary>\n"]), ["details"]);
        assert_eq!(
            after(&["<details>", "<p>x</p>", "</details>"]),
            Vec::<String>::new()
        );
        assert_eq!(after(&["<section class=\"a\"><div>"]), ["section", "div"]);
    }

    #[test]
    fn void_self_closing_comments_and_stray_end_tags_open_nothing() {
        assert!(after(&["<br><input type=\"checkbox\"><img src=\"a\" alt=\"\"/>"]).is_empty());
        assert!(after(&["<!-- <details> -->", "</div>", "a < b"]).is_empty());
    }
}
