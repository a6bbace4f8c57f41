//! Decoders of the help API's answer (`GET …/help?locale=`), built on the shared field
//! readers in [`crate::wire`]. Article bodies arrive as node trees (`[tag, {attributes}?,
//! children…]`); only the tags and attributes [`Tag`] allows are kept, and every link
//! passes [`crate::config::safe_link`] (or is `mailto:` / `tel:`).

use comeback_core::help::Index;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use super::model::{folding_of, Article, Body, Contact, Content, Node, Step, StepKind, Tag, Tree};
use crate::wire::*;

impl FromJs for Content {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let index = get(value, "index");
        let postings = get(&index, "postings");
        if !Array::is_array(&postings) {
            return Err(DecodeError("postings"));
        }
        let postings = postings
            .unchecked_into::<Array>()
            .iter()
            .map(|list| numbers(&list))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Content {
            articles: list(value, "articles")?,
            trees: optional_list(value, "trees")?,
            contact: Contact::from_js(&get(value, "contact"))?,
            index: Index {
                terms: strings(&index, "terms")?,
                postings,
                folding: folding_of(&opt_string(&index, "fold")?.unwrap_or_default()),
            },
        })
    }
}

/// A list of postings (non-negative integers).
fn numbers(list: &JsValue) -> Result<Vec<u32>, DecodeError> {
    if !Array::is_array(list) {
        return Err(DecodeError("postings"));
    }
    list.unchecked_ref::<Array>()
        .iter()
        .map(|n| {
            n.as_f64()
                .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n))
                .map(|n| n as u32)
                .ok_or(DecodeError("postings"))
        })
        .collect()
}

impl FromJs for Article {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(Article {
            id: string(value, "id")?,
            title: string(value, "title")?,
            body: body(&get(value, "body")),
            body_text: opt_string(value, "body_text")?.unwrap_or_default(),
            tags: strings(value, "tags")?,
            pages: strings(value, "pages")?,
        })
    }
}

impl FromJs for Tree {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(Tree {
            id: string(value, "id")?,
            title: string(value, "title")?,
            steps: known(value, "steps")?,
        })
    }
}

impl FromJs for Step {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let answers = get(value, "answers");
        let answers = if Array::is_array(&answers) {
            answers
                .unchecked_into::<Array>()
                .iter()
                .map(|a| Ok((string(&a, "label")?, string(&a, "next")?)))
                .collect::<Result<Vec<_>, DecodeError>>()?
        } else {
            Vec::new()
        };
        Ok(Step {
            id: string(value, "id")?,
            // A kind this build does not know drops the step (see `known`).
            kind: named(value, "kind", StepKind::parse)?,
            text: string(value, "text")?,
            answers,
            article: opt_string(value, "article")?,
        })
    }
}

impl FromJs for Contact {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        Ok(Contact {
            phone: opt_string(value, "phone")?,
            email: opt_string(value, "email")?,
            hours: opt_string(value, "hours")?,
            address: opt_string(value, "address")?,
        })
    }
}

/// An article body; anything that is not a node the widget knows is left out.
fn body(value: &JsValue) -> Body {
    if !Array::is_array(value) {
        return Vec::new();
    }
    value
        .unchecked_ref::<Array>()
        .iter()
        .filter_map(|n| node(&n, 0))
        .collect()
}

/// Nesting deeper than this is cut (a well-formed article never comes near it).
const MAX_DEPTH: u32 = 24;

fn node(value: &JsValue, depth: u32) -> Option<Node> {
    if let Some(text) = value.as_string() {
        return Some(Node::Text(text));
    }
    if depth > MAX_DEPTH || !Array::is_array(value) {
        return None;
    }
    let parts: Array = value.clone().unchecked_into();
    let tag = Tag::parse(&parts.get(0).as_string()?)?;
    let mut attributes = Vec::new();
    let mut first_child = 1;
    let second = parts.get(1);
    if second.is_object() && !Array::is_array(&second) {
        first_child = 2;
        for name in ["href", "src", "alt", "start"] {
            let Some(value) = get(&second, name)
                .as_string()
                .or_else(|| get(&second, name).as_f64().map(|n| (n as i64).to_string()))
            else {
                continue;
            };
            if !tag.keeps(name) {
                continue;
            }
            let kept = match name {
                "href" => link(&value),
                "src" => crate::config::safe_link(&value)
                    .filter(|v| v.starts_with("https:") || v.starts_with("http:")),
                _ => Some(value),
            };
            if let Some(kept) = kept {
                attributes.push((name, kept));
            }
        }
    }
    // An image whose address was refused shows nothing at all.
    if tag == Tag::Img && !attributes.iter().any(|(name, _)| *name == "src") {
        return None;
    }
    let children = (first_child..parts.length())
        .filter_map(|at| node(&parts.get(at), depth + 1))
        .collect();
    Some(Node::Element {
        tag,
        attributes,
        children,
    })
}

/// A link an article may hold: http(s) through [`crate::config::safe_link`], or
/// `mailto:` / `tel:` without control characters.
fn link(href: &str) -> Option<String> {
    let lower = href.trim().to_ascii_lowercase();
    if (lower.starts_with("mailto:") || lower.starts_with("tel:"))
        && !href.chars().any(char::is_control)
    {
        return Some(href.trim().to_owned());
    }
    crate::config::safe_link(href)
}
