//! Markdown as a tree of plain nodes for the widget, which builds the DOM from them
//! element by element: no HTML is ever parsed in the shopper's page, so the article shows
//! on pages that require Trusted Types, and nothing an author writes can add script,
//! styles or event handlers.
//!
//! A node is a text string or `[tag, {attributes}?, children…]`. Only text markup gets a
//! tag; raw HTML is left out; a link keeps its address only when it is `http`, `https`,
//! `mailto`, `tel` or a path, and an image only when it is `http` or `https`.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde_json::{json, Map, Value};

/// An element being built: its tag (`""` for content kept without an element of its
/// own), attributes and children.
struct Open {
    tag: &'static str,
    attrs: Map<String, Value>,
    children: Vec<Value>,
}

impl Open {
    fn new(tag: &'static str) -> Open {
        Open {
            tag,
            attrs: Map::new(),
            children: Vec::new(),
        }
    }

    fn with(mut self, name: &str, value: impl Into<Value>) -> Open {
        self.attrs.insert(name.to_owned(), value.into());
        self
    }

    /// Appends text, joined to a text child just before it.
    fn text(&mut self, text: &str) {
        if let Some(Value::String(last)) = self.children.last_mut() {
            last.push_str(text);
        } else {
            self.children.push(Value::String(text.to_owned()));
        }
    }

    fn into_node(self) -> Value {
        let mut node = vec![Value::String(self.tag.to_owned())];
        if !self.attrs.is_empty() {
            node.push(Value::Object(self.attrs));
        }
        node.extend(self.children);
        Value::Array(node)
    }
}

/// The node tree of `markdown`.
pub fn nodes(markdown: &str) -> Vec<Value> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut stack = vec![Open::new("")];
    let mut in_head = false;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => {
                if matches!(tag, Tag::TableHead) {
                    in_head = true;
                }
                stack.push(open(&tag, in_head));
            }
            Event::End(end) => {
                if matches!(end, TagEnd::TableHead) {
                    in_head = false;
                }
                close(&mut stack);
            }
            Event::Text(text) => top(&mut stack).text(&text),
            Event::Code(code) => {
                let mut element = Open::new("code");
                element.text(&code);
                top(&mut stack).children.push(element.into_node());
            }
            Event::SoftBreak => top(&mut stack).text(" "),
            Event::HardBreak => top(&mut stack).children.push(json!(["br"])),
            Event::Rule => top(&mut stack).children.push(json!(["hr"])),
            Event::FootnoteReference(label) => top(&mut stack).text(&format!("[{label}]")),
            Event::InlineMath(text) | Event::DisplayMath(text) => top(&mut stack).text(&text),
            // Raw HTML and task-list boxes are not shown.
            Event::Html(_) | Event::InlineHtml(_) | Event::TaskListMarker(_) => {}
        }
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    stack.pop().map(|root| root.children).unwrap_or_default()
}

fn top(stack: &mut [Open]) -> &mut Open {
    // The root is never popped before the end, so the stack is never empty here.
    let last = stack.len() - 1;
    &mut stack[last]
}

/// Closes the innermost element into its parent; content without an element of its own
/// joins the parent's children.
fn close(stack: &mut Vec<Open>) {
    if stack.len() < 2 {
        return;
    }
    let Some(mut done) = stack.pop() else {
        return;
    };
    if done.tag == "img" {
        // An image's children are its alternative text.
        let alt: String = done.children.iter().filter_map(Value::as_str).collect();
        done.children.clear();
        done = done.with("alt", alt);
    }
    let parent = top(stack);
    if done.tag.is_empty() {
        for child in done.children {
            match child {
                Value::String(text) => parent.text(&text),
                other => parent.children.push(other),
            }
        }
    } else {
        parent.children.push(done.into_node());
    }
}

fn open(tag: &Tag<'_>, in_head: bool) -> Open {
    match tag {
        Tag::Paragraph => Open::new("p"),
        // The article's title is the widget's heading: the author's levels sit below it.
        Tag::Heading { level, .. } => Open::new(match level {
            HeadingLevel::H1 => "h3",
            HeadingLevel::H2 => "h4",
            _ => "h5",
        }),
        Tag::BlockQuote(_) => Open::new("blockquote"),
        Tag::CodeBlock(CodeBlockKind::Fenced(_) | CodeBlockKind::Indented) => Open::new("pre"),
        Tag::List(Some(start)) if *start != 1 => Open::new("ol").with("start", *start),
        Tag::List(Some(_)) => Open::new("ol"),
        Tag::List(None) => Open::new("ul"),
        Tag::Item => Open::new("li"),
        Tag::Table(_) => Open::new("table"),
        Tag::TableHead => Open::new("thead"),
        Tag::TableRow => Open::new("tr"),
        Tag::TableCell => Open::new(if in_head { "th" } else { "td" }),
        Tag::Emphasis => Open::new("em"),
        Tag::Strong => Open::new("strong"),
        Tag::Strikethrough => Open::new("del"),
        Tag::Superscript => Open::new("sup"),
        Tag::Subscript => Open::new("sub"),
        Tag::DefinitionList => Open::new("dl"),
        Tag::DefinitionListTitle => Open::new("dt"),
        Tag::DefinitionListDefinition => Open::new("dd"),
        Tag::Link { dest_url, .. } if link_allowed(dest_url) => {
            Open::new("a").with("href", dest_url.as_ref())
        }
        Tag::Image { dest_url, .. } if image_allowed(dest_url) => {
            Open::new("img").with("src", dest_url.as_ref())
        }
        // A link or image to a refused address keeps its text only; raw HTML blocks,
        // footnote bodies and metadata keep nothing of their own.
        Tag::Link { .. }
        | Tag::Image { .. }
        | Tag::HtmlBlock
        | Tag::FootnoteDefinition(_)
        | Tag::MetadataBlock(_) => Open::new(""),
    }
}

/// The scheme of `url`, lower case, if it has one (`https` in `https://…`).
fn scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once(':')?;
    let is_scheme = !scheme.is_empty()
        && !scheme.contains(['/', '?', '#'])
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    is_scheme.then(|| scheme.to_ascii_lowercase())
}

fn link_allowed(url: &str) -> bool {
    // Control characters and backslashes let browsers read an address differently.
    if url.chars().any(|c| c.is_control() || c == '\\') {
        return false;
    }
    match scheme(url) {
        Some(scheme) => ["http", "https", "mailto", "tel"].contains(&scheme.as_str()),
        // A path on the shop's site, but not `//host` (another site).
        None => !url.starts_with("//"),
    }
}

fn image_allowed(url: &str) -> bool {
    link_allowed(url) && matches!(scheme(url).as_deref(), Some("http" | "https"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::nodes;

    #[test]
    fn markdown_becomes_plain_nodes() {
        let tree = nodes("# Brew\n\nUse **80°C** water, `3 g` leaves.\n\n1. One\n2. Two\n\n[Shop](/teas) ![Cup](https://tea.example/cup.png)");
        assert_eq!(
            json!(tree),
            json!([
                ["h3", "Brew"],
                ["p", "Use ", ["strong", "80°C"], " water, ", ["code", "3 g"], " leaves."],
                ["ol", ["li", "One"], ["li", "Two"]],
                ["p", ["a", {"href": "/teas"}, "Shop"], " ", ["img", {"src": "https://tea.example/cup.png", "alt": "Cup"}]]
            ])
        );
    }

    #[test]
    fn raw_html_and_dangerous_addresses_are_left_out() {
        let tree = nodes("Hi <script>alert(1)</script><b onclick=x>bold</b>\n\n<div style=\"position:fixed\">x</div>\n\n[a](javascript:alert(1)) [b](//evil.example) [c](JaVaScRiPt:alert(1)) [d](/\\evil.example) [e](mailto:help@tea.example)\n\n![x](data:image/svg+xml,<svg/onload=alert(1)>)");
        let text = json!(tree).to_string();
        for banned in [
            "script",
            "onclick",
            "style",
            "javascript",
            "JaVaScRiPt",
            "evil",
            "data:",
            "\"div\"",
            "\"b\"",
        ] {
            assert!(!text.contains(banned), "{banned} in {text}");
        }
        assert!(
            text.contains(r#"["a",{"href":"mailto:help@tea.example"},"e"]"#),
            "{text}"
        );
        // The refused links keep their text.
        assert!(text.contains("a b c d"), "{text}");
    }

    #[test]
    fn tables_have_header_cells() {
        let tree = nodes("| Tea | °C |\n|---|---|\n| Green | 80 |");
        assert_eq!(
            json!(tree),
            json!([[
                "table",
                ["thead", ["th", "Tea"], ["th", "°C"]],
                ["tr", ["td", "Green"], ["td", "80"]]
            ]])
        );
    }
}
