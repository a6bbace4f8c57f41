//! The README's generated tables: the elements' attributes, the events, the tokens and
//! the parts, each between `<!-- kit:<name> -->` and `<!-- /kit:<name> -->`. `cargo run
//! --example kit -- readme` rewrites them; the test below fails while they are stale.

use comeback::events::Ty;
use comeback::theme::{self, Part, Token};
use comeback::widgets::WidgetKind;

use super::{all_events, attributes, element, follows};

/// The README with every generated section rewritten, or which marker is missing.
pub fn update(readme: &str) -> Result<String, String> {
    let mut text = readme.to_owned();
    for (name, body) in sections() {
        let open = format!("<!-- kit:{name} -->\n");
        let close = format!("<!-- /kit:{name} -->");
        let start = text
            .find(&open)
            .ok_or_else(|| format!("README.md has no `{}` marker", open.trim()))?
            + open.len();
        let end = start
            + text[start..]
                .find(&close)
                .ok_or_else(|| format!("README.md has no `{close}` marker"))?;
        text.replace_range(start..end, &body);
    }
    Ok(text)
}

/// Each generated section's name and text.
fn sections() -> [(&'static str, String); 4] {
    [
        ("attributes", attributes_table()),
        ("events", events_table()),
        ("tokens", tokens_table()),
        ("parts", parts_list()),
    ]
}

fn attributes_table() -> String {
    let mut out = String::from("| element | attribute | values | meaning |\n|---|---|---|---|\n");
    let shared = attributes(WidgetKind::ALL[0]).take(comeback::widgets::SHARED_ATTRIBUTES.len());
    for attribute in shared {
        out.push_str(&row(&[
            "any",
            &code(attribute.name),
            &values(&attribute.value),
            attribute.about,
        ]));
    }
    for kind in WidgetKind::ALL {
        let name = format!("`<{}>`", element(*kind));
        for attribute in kind.attributes() {
            let mut about = attribute.about.to_owned();
            if !attribute.observed {
                about.push_str(" Read when the widget starts.");
            }
            out.push_str(&row(&[
                &name,
                &code(attribute.name),
                &values(&attribute.value),
                &about,
            ]));
        }
    }
    out
}

fn events_table() -> String {
    let mut out = String::from("| event | detail | when |\n|---|---|---|\n");
    for event in all_events() {
        let detail = match event.detail {
            Ty::Object(fields) => {
                let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
                format!("`{{{}}}`", names.join(", "))
            }
            Ty::Null => "`null`".to_owned(),
            _ => "see `comeback.d.ts`".to_owned(),
        };
        out.push_str(&row(&[&code(event.name), &detail, event.about]));
    }
    out
}

fn tokens_table() -> String {
    let mut out = String::from(
        "| custom property | kind | default (light) | dark | styles |\n|---|---|---|---|---|\n",
    );
    let own = WidgetKind::ALL.iter().flat_map(|k| k.theme().tokens);
    for token in theme::TOKENS.iter().chain(own) {
        out.push_str(&row(&[
            &code(token.name),
            token.kind.as_str(),
            &default(token, token.light),
            &token
                .dark
                .map_or_else(|| "same".to_owned(), |dark| default(token, dark)),
            token.about,
        ]));
    }
    out
}

fn parts_list() -> String {
    let shared: Vec<String> = theme::PARTS.iter().map(described).collect();
    let mut out = format!("Every element has {}.\n\n", shared.join(" and "));
    for kind in WidgetKind::ALL {
        let names: Vec<String> = kind.theme().parts.iter().map(described).collect();
        out.push_str(&format!(
            "- `<{}>`: {}.\n",
            element(*kind),
            names.join(", ")
        ));
    }
    out
}

/// A part's name, with what it is in brackets when the name alone does not say.
fn described(part: &Part) -> String {
    if part.about.is_empty() {
        code(part.name)
    } else {
        let about = lower_first(part.about.trim_end_matches('.'));
        format!("{} ({about})", code(part.name))
    }
}

/// A default as the README shows it: a token it follows by name.
fn default(token: &Token, value: &str) -> String {
    match follows(token) {
        Some(other) if value == token.light => format!("follows {}", code(other)),
        _ => code(value),
    }
}

/// An attribute's values for the table.
fn values(ty: &Ty) -> String {
    match ty {
        Ty::Enum(words) => words.iter().map(|w| code(w)).collect::<Vec<_>>().join(", "),
        Ty::Number => "number".to_owned(),
        Ty::Bool => "present or absent".to_owned(),
        _ => "text".to_owned(),
    }
}

fn code(text: &str) -> String {
    format!("`{text}`")
}

fn row(cells: &[&str]) -> String {
    let cells: Vec<String> = cells
        .iter()
        .map(|c| c.replace('|', "\\|").replace('\n', " "))
        .collect();
    format!("| {} |\n", cells.join(" | "))
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if !text.starts_with("`") => first.to_lowercase().chain(chars).collect(),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_tables_are_generated_from_the_source() {
        let readme = include_str!("../../README.md");
        let fresh = update(readme).unwrap();
        assert!(
            fresh == readme,
            "README.md's generated tables are stale: run `cargo run --example kit -- readme`"
        );
    }

    #[test]
    fn a_missing_marker_is_named() {
        let error = update("# nothing here\n").unwrap_err();
        assert!(error.contains("kit:attributes"), "{error}");
    }

    #[test]
    fn sections_are_replaced_between_their_markers() {
        let text = "a\n<!-- kit:attributes -->\nSTALE ROW\n<!-- /kit:attributes -->\nb\n\
                    <!-- kit:events -->\n<!-- /kit:events -->\n<!-- kit:tokens -->\n\
                    <!-- /kit:tokens -->\n<!-- kit:parts -->\n<!-- /kit:parts -->\nc";
        let out = update(text).unwrap();
        assert!(out.starts_with("a\n<!-- kit:attributes -->\n| element |"));
        assert!(!out.contains("STALE ROW"));
        assert!(out.ends_with("<!-- /kit:parts -->\nc"));
        assert_eq!(update(&out).unwrap(), out, "a second run changes nothing");
    }
}
