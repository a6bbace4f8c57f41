//! The theme developers' kit, generated from the same lists the runtime is built from
//! (the widget registry, each widget's `element.rs`, `events.rs` and `style.rs`, and the
//! shared lists in `theme.rs`, `events.rs` and `widgets/mod.rs`), so it never drifts:
//!
//! - `cargo run --example kit -- json`: `kit.json`, what the theming playground
//!   (`www/theme.html`) builds its controls from and the end-to-end suite checks every
//!   event against;
//! - `cargo run --example kit -- dts`: `comeback.d.ts`, the TypeScript declarations
//!   shipped with the bundle ([`dts`]);
//! - `cargo run --example kit -- readme`: rewrites the README's generated tables in place
//!   ([`readme`]); a test fails while they are out of date.
//!
//! `scripts/bundle.sh` writes the first two into `pkg/`.

mod dts;
mod readme;

use comeback::events::{self, Event, Field, Ty};
use comeback::theme::{self, Part, Token};
use comeback::widgets::{Attribute, WidgetKind, SHARED_ATTRIBUTES};
use comeback_core::Locale;
use serde_json::{json, Value};

fn main() {
    let what = std::env::args().nth(1).unwrap_or_default();
    match what.as_str() {
        "json" => println!("{}", serde_json::to_string_pretty(&kit()).expect("JSON")),
        "dts" => print!("{}", dts::declarations()),
        "readme" => {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
            let text = std::fs::read_to_string(path).expect("README.md");
            let updated = readme::update(&text).unwrap_or_else(|error| panic!("{error}"));
            std::fs::write(path, updated).expect("README.md");
        }
        _ => {
            eprintln!("usage: cargo run --example kit -- json|dts|readme");
            std::process::exit(2);
        }
    }
}

/// The theme developers' kit as JSON (`pkg/kit.json`).
fn kit() -> Value {
    let widgets: Vec<Value> = WidgetKind::ALL
        .iter()
        .map(|kind| {
            json!({
                "kind": kind.as_str(),
                "element": element(*kind),
                "tab": kind.tab(),
                "attributes": attributes(*kind).map(attribute_json).collect::<Vec<_>>(),
                "parts": parts(*kind).map(part_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    let tokens: Vec<Value> = theme::TOKENS
        .iter()
        .map(|token| token_json(token, None))
        .chain(WidgetKind::ALL.iter().flat_map(|kind| {
            kind.theme()
                .tokens
                .iter()
                .map(|token| token_json(token, Some(*kind)))
        }))
        .collect();
    let contrast: Vec<Value> = theme::CONTRAST
        .iter()
        .chain(
            WidgetKind::ALL
                .iter()
                .flat_map(|kind| kind.theme().contrast),
        )
        .map(|pair| {
            json!({
                "text": pair.text,
                "background": pair.background,
                "minimum": pair.minimum,
                "about": pair.about,
            })
        })
        .collect();
    let events: Vec<Value> = all_events()
        .map(|event| {
            json!({
                "name": event.name,
                "cancelable": event.cancelable,
                "about": event.about,
                "detail": schema(&event.detail),
            })
        })
        .collect();
    json!({
        "version": env!("CARGO_PKG_VERSION"),
        "locales": Locale::ALL.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
        "themes": ["light", "dark", "auto"],
        "tokens": tokens,
        "widgets": widgets,
        "contrast": contrast,
        "events": events,
    })
}

/// `comeback-<kind>`.
pub fn element(kind: WidgetKind) -> String {
    ["comeback-", kind.as_str()].concat()
}

/// Every event: the shared ones, then each widget's in registry order.
pub fn all_events() -> impl Iterator<Item = &'static Event> {
    let own = WidgetKind::ALL.iter().flat_map(|kind| kind.events());
    events::SHARED.iter().chain(own)
}

/// Every attribute of a kind's element: the shared ones (`theme`, `lang`), then its own.
pub fn attributes(kind: WidgetKind) -> impl Iterator<Item = &'static Attribute> {
    SHARED_ATTRIBUTES.iter().chain(kind.attributes())
}

/// Every part of a kind: the runtime's shared parts (as the widget describes them, where
/// it does), then its own.
pub fn parts(kind: WidgetKind) -> impl Iterator<Item = &'static Part> {
    let own = kind.theme().parts;
    let shared = theme::PARTS
        .iter()
        .map(move |shared| own.iter().find(|p| p.name == shared.name).unwrap_or(shared));
    let rest = own
        .iter()
        .filter(|part| theme::PARTS.iter().all(|shared| shared.name != part.name));
    shared.chain(rest)
}

/// The token whose value a default such as `var(--cb-accent)` takes.
pub fn follows(token: &Token) -> Option<&'static str> {
    theme::follows(token.light)
}

fn token_json(token: &Token, widget: Option<WidgetKind>) -> Value {
    json!({
        "name": token.name,
        "kind": token.kind.as_str(),
        "light": token.light,
        "dark": token.dark,
        "follows": follows(token),
        "about": token.about,
        "widget": widget.map(WidgetKind::as_str),
    })
}

fn attribute_json(attribute: &Attribute) -> Value {
    json!({
        "name": attribute.name,
        "observed": attribute.observed,
        "about": attribute.about,
        "value": schema(&attribute.value),
    })
}

fn part_json(part: &Part) -> Value {
    json!({ "name": part.name, "about": part.about })
}

/// A [`Ty`] as the JSON schema `kit.json` uses (see `www/theme.js` and the e2e harness).
fn schema(ty: &Ty) -> Value {
    match ty {
        Ty::Null => json!({"type": "null"}),
        Ty::Bool => json!({"type": "boolean"}),
        Ty::Number => json!({"type": "number"}),
        Ty::String => json!({"type": "string"}),
        Ty::Enum(words) => json!({ "enum": words }),
        Ty::Nullable(inner) => json!({ "nullable": schema(inner) }),
        Ty::List(inner) => json!({ "list": schema(inner) }),
        Ty::Map(inner) => json!({ "map": schema(inner) }),
        Ty::Object(fields) => {
            json!({ "object": fields.iter().map(field_json).collect::<Vec<_>>() })
        }
        Ty::OneOf(options) => json!({ "oneOf": options.iter().map(schema).collect::<Vec<_>>() }),
    }
}

fn field_json(field: &Field) -> Value {
    json!({"name": field.name, "optional": field.optional, "type": schema(&field.ty)})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kit_lists_every_widget_token_and_event() {
        let kit = kit();
        let widgets = kit["widgets"].as_array().unwrap();
        assert_eq!(widgets.len(), WidgetKind::ALL.len());
        for widget in widgets {
            let parts = widget["parts"].as_array().unwrap();
            assert!(
                parts.iter().any(|p| p["name"] == "root"),
                "{}",
                widget["kind"]
            );
            let attributes = widget["attributes"].as_array().unwrap();
            assert!(attributes.iter().any(|a| a["name"] == "theme"));
        }
        let tokens = kit["tokens"].as_array().unwrap();
        assert_eq!(tokens.len(), theme::all_tokens().count());
        let launcher = tokens
            .iter()
            .find(|t| t["name"] == "--comeback-launcher-background")
            .unwrap();
        assert_eq!(launcher["follows"], "--comeback-color-accent");
        assert_eq!(launcher["widget"], "launcher");
        let events = kit["events"].as_array().unwrap();
        assert!(events.iter().any(|e| e["name"] == "comeback:ready"));
        assert!(events.len() > WidgetKind::ALL.len());
    }

    #[test]
    fn schemas_say_every_shape() {
        const DETAIL: Ty = Ty::Object(&[
            events::field("id", Ty::Nullable(&Ty::String)),
            events::optional("tags", Ty::List(&Ty::Enum(&["a", "b"]))),
            events::field("answers", Ty::Map(&Ty::OneOf(&[Ty::Number, Ty::Bool]))),
        ]);
        assert_eq!(
            schema(&DETAIL),
            json!({"object": [
                {"name": "id", "optional": false, "type": {"nullable": {"type": "string"}}},
                {"name": "tags", "optional": true, "type": {"list": {"enum": ["a", "b"]}}},
                {"name": "answers", "optional": false,
                 "type": {"map": {"oneOf": [{"type": "number"}, {"type": "boolean"}]}}},
            ]})
        );
    }
}
