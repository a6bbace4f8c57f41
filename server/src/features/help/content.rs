//! The help content a shop serves, compiled once per locale: articles with their
//! Markdown rendered and sanitised, the trees and contact channels in that locale, and
//! the search index the widget queries without a round trip.
//!
//! Markdown becomes HTML with `pulldown-cmark`, then `ammonia` keeps only harmless
//! markup: no script, no `style` or event attributes, no `javascript:` or `data:` links,
//! links opened without handing the page a window reference. Nothing an author writes can
//! run script or style outside the article.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use comeback_core::help::{fold, Doc, Folding, Index, Step};
use comeback_core::Locale;
use pulldown_cmark::{Event, Options, Parser, TagEnd};
use serde::Serialize;
use utoipa::ToSchema;

use crate::config::help::{ContactConfig, HelpConfig};

/// `GET …/help`: everything the help widget shows, in one locale.
#[derive(Debug, Serialize, ToSchema)]
pub struct HelpView {
    /// The locale of every text here.
    pub locale: &'static str,
    /// The articles, in the shop's order (a search hit's `doc` is a position here).
    pub articles: Vec<ArticleView>,
    /// The troubleshooting trees.
    pub trees: Vec<TreeView>,
    /// How to reach a person.
    pub contact: ContactView,
    /// The search index over `articles`.
    pub index: IndexView,
}

/// An article.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleView {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its body as sanitised HTML, for the shop's own pages.
    pub body_html: String,
    /// Its body as a tree of nodes the widget builds without parsing HTML (pages that
    /// require Trusted Types allow no HTML parsing): each node is a text string or
    /// `[tag, {attributes}?, children…]`, the tags limited to text markup (`p`, `h3`–`h5`,
    /// `ul`, `ol`, `li`, `strong`, `em`, `del`, `code`, `pre`, `blockquote`, `a`, `img`,
    /// `br`, `hr`, tables, definition lists) and links to `http`, `https`, `mailto`, `tel`
    /// or paths. Raw HTML in the Markdown is left out.
    #[schema(value_type = Vec<Object>)]
    pub body: Vec<serde_json::Value>,
    /// Its body as plain text, for result snippets.
    pub body_text: String,
    /// Its tags.
    pub tags: Vec<String>,
    /// The page patterns where it is suggested.
    pub pages: Vec<String>,
}

/// A troubleshooting tree in one locale.
#[derive(Debug, Serialize, ToSchema)]
pub struct TreeView {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its steps; the first one listed is where it starts.
    pub steps: Vec<StepView>,
}

/// A step in one locale: a question with answers, or a `solved` or `contact` leaf.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepView {
    /// Its id.
    pub id: String,
    /// `question`, `solved` or `contact`.
    pub kind: &'static str,
    /// The question, or what the leaf says.
    pub text: String,
    /// A question's answers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<AnswerView>,
    /// The article a solved leaf links to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
}

/// An answer button.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerView {
    /// Its text.
    pub label: String,
    /// The step it leads to.
    pub next: String,
}

/// The contact channels in one locale; absent ones are left out.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ContactView {
    /// Phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Email address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Opening hours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<String>,
    /// Address to visit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// The search index ([`comeback_core::help::Index`]) as the widget reads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndexView {
    /// Every term, sorted.
    pub terms: Vec<String>,
    /// Per term, `article * 4 + field` (0 title, 1 tags, 2 body), ascending.
    pub postings: Vec<Vec<u32>>,
    /// Traditional-to-Simplified pairs for queries: each two characters, the first folds
    /// to the second.
    pub fold: String,
}

/// One locale's compiled answer: the JSON body and its entity tag.
#[derive(Debug)]
pub struct Compiled {
    /// The JSON body.
    pub body: Vec<u8>,
    /// Its strong entity tag, quoted.
    pub etag: String,
}

/// Compiled help content, per shop and locale, made on first request and kept (the
/// config does not change while the process runs).
#[derive(Debug, Clone, Default)]
pub struct HelpCache(Arc<Mutex<ByShopAndLocale>>);

type ByShopAndLocale = HashMap<(String, Locale), Arc<Compiled>>;

impl HelpCache {
    /// The compiled content of `shop` in `locale`.
    pub fn get(&self, shop: &str, help: &HelpConfig, locale: Locale) -> Arc<Compiled> {
        let key = (shop.to_owned(), locale);
        // A poisoned lock only means another request panicked mid-insert; the map is
        // still a valid cache.
        let mut all = self.0.lock().unwrap_or_else(|e| e.into_inner());
        all.entry(key)
            .or_insert_with(|| Arc::new(compile(help, locale)))
            .clone()
    }

    /// Forgets the compiled content of the shops `changed` names (their help
    /// configuration was replaced).
    pub fn forget(&self, changed: &dyn Fn(&str) -> bool) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|(shop, _), _| !changed(shop));
    }
}

/// Compiles `help` for `locale`.
pub fn compile(help: &HelpConfig, locale: Locale) -> Compiled {
    let view = view(help, locale);
    // Serialising plain strings and numbers cannot fail.
    let body = serde_json::to_vec(&view).unwrap_or_default();
    Compiled {
        etag: crate::routes::entity_tag(&body),
        body,
    }
}

/// The view of `help` in `locale`.
pub fn view(help: &HelpConfig, locale: Locale) -> HelpView {
    let articles: Vec<ArticleView> = help
        .articles
        .iter()
        .map(|article| {
            let markdown = article.body.get(locale);
            let (body_html, body_text) = render(markdown);
            ArticleView {
                id: article.id.clone(),
                title: article.title.get(locale).to_owned(),
                body_html,
                body: super::markup::nodes(markdown),
                body_text,
                tags: article.tags.clone(),
                pages: article.pages.clone(),
            }
        })
        .collect();
    HelpView {
        locale: locale.as_str(),
        index: index(&articles),
        articles,
        trees: help
            .trees
            .iter()
            .map(|tree| {
                // The first step listed is where the widget starts.
                let first = tree.first().map(|s| s.id.as_str());
                let mut steps: Vec<&Step> = tree.steps.iter().collect();
                steps.sort_by_key(|s| Some(s.id.as_str()) != first);
                TreeView {
                    id: tree.id.clone(),
                    title: tree.title.get(locale).to_owned(),
                    steps: steps.into_iter().map(|s| step(s, locale)).collect(),
                }
            })
            .collect(),
        contact: contact(&help.contact, locale),
    }
}

fn step(step: &Step, locale: Locale) -> StepView {
    // Validation at start leaves exactly one of the three set.
    let (kind, text) = if let Some(question) = &step.question {
        ("question", question.get(locale))
    } else if let Some(solved) = &step.solved {
        ("solved", solved.get(locale))
    } else {
        (
            "contact",
            step.contact.as_ref().map_or("", |c| c.get(locale)),
        )
    };
    StepView {
        id: step.id.clone(),
        kind,
        text: text.to_owned(),
        answers: step
            .answers
            .iter()
            .map(|a| AnswerView {
                label: a.label.get(locale).to_owned(),
                next: a.next.clone(),
            })
            .collect(),
        article: step.article.clone(),
    }
}

fn contact(contact: &ContactConfig, locale: Locale) -> ContactView {
    ContactView {
        phone: contact.phone.clone(),
        email: contact.email.clone(),
        hours: contact.hours.as_ref().map(|t| t.get(locale).to_owned()),
        address: contact.address.as_ref().map(|t| t.get(locale).to_owned()),
    }
}

/// The index over the articles, folded with the full table, shipping only the pairs
/// the content needs.
fn index(articles: &[ArticleView]) -> IndexView {
    let docs: Vec<Doc> = articles
        .iter()
        .map(|a| Doc {
            title: &a.title,
            tags: &a.tags,
            body: &a.body_text,
        })
        .collect();
    let built = Index::build(&docs, &fold::full, Folding::default());
    let folding = Folding::for_alphabet(&built.alphabet());
    IndexView {
        fold: folding
            .pairs()
            .iter()
            .flat_map(|&(from, to)| [from, to])
            .collect(),
        terms: built.terms,
        postings: built.postings,
    }
}

/// Markdown to sanitised HTML, and to plain text for searching and snippets.
pub fn render(markdown: &str) -> (String, String) {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, options));
    let safe = ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto", "tel"].into())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&html)
        .to_string();
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => text.push(' '),
            _ => {}
        }
    }
    (safe, text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_renders_and_script_never_survives() {
        let (html, text) = render("# Brewing\n\nUse **80°C** water. [Shop](https://tea.example/x)");
        assert!(html.contains("<h1>Brewing</h1>"), "{html}");
        assert!(html.contains("<strong>80°C</strong>"));
        assert!(html.contains(r#"rel="noopener noreferrer nofollow""#));
        assert_eq!(text, "Brewing Use 80°C water. Shop");
        for evil in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
            "<style>body{display:none}</style>",
            "<p style=\"position:fixed\">x</p>",
            "<iframe src=https://evil.example></iframe>",
            "<svg><script>alert(1)</script></svg>",
        ] {
            let (html, _) = render(evil);
            let lower = html.to_ascii_lowercase();
            for banned in [
                "<script",
                "onerror",
                "javascript:",
                "data:",
                "<style",
                "style=",
                "<iframe",
                "<svg",
            ] {
                assert!(!lower.contains(banned), "{evil} gave {html}");
            }
        }
    }
}
