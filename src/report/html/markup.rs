//! A small HTML writer. Elements nest by closures, so that every element opened is closed;
//! tag and attribute names are compile-time constants, and every text and attribute value
//! passes through [`escape`]. The only text written as it is are the document type and the
//! style sheet, which are constants too.
//!
//! Block-level tags end their line, so that two reports diff line by line.

use std::borrow::Cow;

/// Characters that HTML gives a meaning to, with the entity that stands for each.
const ENTITIES: [(char, &str); 5] = [
    ('&', "&amp;"),
    ('<', "&lt;"),
    ('>', "&gt;"),
    ('"', "&quot;"),
    ('\'', "&#39;"),
];

/// Tags whose content starts on a new line.
const CONTAINERS: &[&str] = &[
    "html", "head", "body", "header", "main", "footer", "section", "article", "nav", "div",
    "table", "thead", "tbody", "tr", "ul", "ol", "dl",
];

/// Tags after whose end a new line starts.
const BLOCKS: &[&str] = &[
    "html", "head", "body", "header", "main", "footer", "section", "article", "nav", "div",
    "table", "thead", "tbody", "tr", "ul", "ol", "dl", "title", "style", "meta", "h1", "h2", "h3",
    "h4", "p", "li", "dt", "dd", "th", "td", "caption",
];

/// Text made safe to stand in HTML content and in quoted attribute values; borrowed when
/// it has nothing to escape.
pub fn escape(text: &str) -> Cow<'_, str> {
    let special = |c: char| ENTITIES.iter().any(|(s, _)| *s == c);
    if !text.contains(special) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match ENTITIES.iter().find(|(s, _)| *s == c) {
            Some((_, entity)) => out.push_str(entity),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// An HTML document being written.
#[derive(Default)]
pub struct Markup {
    out: String,
}

impl Markup {
    pub fn new() -> Self {
        Markup::default()
    }

    /// Text that is part of the product, never of the user's input: the document type and
    /// the style sheet.
    pub fn constant(&mut self, text: &'static str) {
        self.out.push_str(text);
    }

    /// Text, escaped.
    pub fn text(&mut self, text: &str) {
        self.out.push_str(&escape(text));
    }

    /// An element whose content `body` writes.
    pub fn el(
        &mut self,
        tag: &'static str,
        attrs: &[(&'static str, &str)],
        body: impl FnOnce(&mut Self),
    ) {
        self.open(tag, attrs);
        if CONTAINERS.contains(&tag) {
            self.out.push('\n');
        }
        body(self);
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
        if BLOCKS.contains(&tag) {
            self.out.push('\n');
        }
    }

    /// An element holding only text.
    pub fn leaf(&mut self, tag: &'static str, attrs: &[(&'static str, &str)], text: &str) {
        self.el(tag, attrs, |m| m.text(text));
    }

    /// An element that has no content and no end tag, such as `meta`.
    pub fn void(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) {
        self.open(tag, attrs);
        if BLOCKS.contains(&tag) {
            self.out.push('\n');
        }
    }

    fn open(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            self.out.push_str(&escape(value));
            self.out.push('"');
        }
        self.out.push('>');
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_replaces_every_special_character() {
        assert_eq!(escape("plain text"), "plain text");
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        // An entity already written is text too, and is escaped again.
        assert_eq!(escape("&amp;"), "&amp;amp;");
        assert_eq!(escape("Zürich – ≥ 90 %"), "Zürich – ≥ 90 %");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn elements_close_and_attributes_are_escaped() {
        let mut m = Markup::new();
        m.el("p", &[("title", "a \"b\" <c>")], |m| {
            m.text("x < y");
            m.leaf("code", &[], "it's");
        });
        assert_eq!(
            m.finish(),
            "<p title=\"a &quot;b&quot; &lt;c&gt;\">x &lt; y<code>it&#39;s</code></p>\n"
        );
    }

    #[test]
    fn containers_put_their_content_on_its_own_lines() {
        let mut m = Markup::new();
        m.el("tr", &[], |m| {
            m.leaf("td", &[], "1");
            m.leaf("td", &[], "2");
        });
        assert_eq!(m.finish(), "<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n");
    }
}
