//! The one place ammonia is configured: an allowlist for raw HTML written in Markdown.

use std::sync::OnceLock;

use ammonia::Builder;

fn builder() -> &'static Builder<'static> {
    static BUILDER: OnceLock<Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = Builder::default();
        b.add_tags([
            "details",
            "summary",
            "section",
            "input",
            "figure",
            "figcaption",
            "mark",
        ])
        .add_generic_attributes(["id", "class", "lang", "dir", "title"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("th", ["scope", "colspan", "rowspan"])
        .add_tag_attributes("td", ["colspan", "rowspan"])
        .add_tag_attributes("ol", ["start"])
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"));
        b
    })
}

/// Keeps allowed markup; drops `<script>`, `on*=` attributes, `style`, and `javascript:` URLs.
pub fn sanitize(html: &str) -> String {
    builder().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let out = sanitize(
            "<p onclick=\"x()\">a</p><script>alert(1)</script><a href=\"javascript:alert(1)\">b</a>",
        );
        assert_eq!(out, "<p>a</p><a rel=\"noopener noreferrer\">b</a>");
    }

    #[test]
    fn allowed_markup_and_heading_ids_stay() {
        let html = "<h2 id=\"s5\">S5</h2><details><summary>Mer</summary><p><abbr title=\"x\">SLA</abbr></p></details>";
        assert_eq!(sanitize(html), html);
    }
}
