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
        // What the Markdown stage itself writes beside raw HTML: a table's scroll region and a task box.
        .add_tag_attributes("div", ["role", "tabindex", "aria-labelledby"])
        .add_tag_attributes("span", ["aria-hidden"])
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
    fn the_scroll_region_and_task_box_the_markdown_stage_writes_survive() {
        let html = "<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"s5\" tabindex=\"0\"><table><tbody><tr><td>1</td></tr></tbody></table></div><span class=\"task-box\" aria-hidden=\"true\">☐</span>";
        assert_eq!(sanitize(html), html);
    }

    #[test]
    fn allowed_markup_and_heading_ids_stay() {
        let html = "<h2 id=\"s5\">S5</h2><details><summary>Mer</summary><p><abbr title=\"x\">SLA</abbr></p></details>";
        assert_eq!(sanitize(html), html);
    }
}
