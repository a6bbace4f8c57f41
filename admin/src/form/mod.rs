//! A form drawn from a JSON Schema, editing a working copy of a JSON document: the
//! settings page's editor. [`schema`] says what to draw for a schema, [`path`] names
//! the places in the document, [`typed`] reads what is typed, [`words`] writes labels
//! and help, [`fields`] draws the
//! single inputs and [`groups`] the objects, lists and maps. Every input reads and
//! writes the document at its own path, so a keystroke redraws only what depends on
//! the value it changed.

pub mod fields;
pub mod groups;
pub mod path;
pub mod schema;
pub mod typed;
pub mod words;

use std::collections::BTreeSet;

use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::JsCast;

use self::path::{Path, Step};
use self::schema::Schemas;

/// A refusal from the server, placed on the field it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field drawn for it (the one named, or its nearest ancestor on the form).
    pub path: Path,
    /// What is wrong, as the server says it.
    pub message: String,
}

/// The state every input shares; `Copy`, so each closure holds its own.
#[derive(Debug, Clone, Copy)]
pub struct Form {
    /// The working copy being edited.
    pub document: RwSignal<Value>,
    /// The document's schema.
    pub schemas: StoredValue<Schemas>,
    /// Whether inputs may change it; otherwise they are disabled and there is nothing
    /// to add or remove.
    pub editable: bool,
    /// The server's refusal of the last save, on its field.
    pub error: RwSignal<Option<FieldError>>,
    /// The fields on the page whose typed text does not read yet (a number that is
    /// not one, JSON that does not parse): the document still holds their last good
    /// value, so saving waits until they are corrected.
    pub problems: RwSignal<BTreeSet<Path>>,
}

impl Form {
    /// The value at `path`, tracked (absent and `null` are both `None`).
    pub fn value(&self, path: &Path) -> Option<Value> {
        self.document
            .with(|document| path.get(document).filter(|value| !value.is_null()).cloned())
    }

    /// Writes `value` at `path`.
    pub fn set(&self, path: &Path, value: Value) {
        self.document.update(|document| {
            path.set(document, value);
        });
    }

    /// Takes the key or item at `path` out of the document (never writes `null`).
    pub fn remove(&self, path: &Path) {
        self.document.update(|document| {
            path.remove(document);
        });
    }

    /// The server's message for the field at `path`, tracked.
    pub fn error_at(&self, path: &Path) -> Option<String> {
        self.error.with(|error| {
            error
                .as_ref()
                .filter(|error| &error.path == path)
                .map(|error| error.message.clone())
        })
    }
}

/// The `id` of the element drawn for `path` (an input, or the group of a list or an
/// object), so labels, error links and focus can find it: usable in a CSS selector as
/// it is (`loyalty.rewards[0].cost` → `field-loyalty__rewards_0__cost`).
pub fn field_id(path: &Path) -> String {
    let mut id = String::from("field");
    for (at, step) in path.0.iter().enumerate() {
        match step {
            Step::Key(key) => {
                id.push_str(if at == 0 { "-" } else { "__" });
                id.extend(key.chars().map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '_'
                    }
                }));
            }
            Step::Index(index) => id.push_str(&format!("_{index}")),
        }
    }
    id
}

/// Moves the focus to the element drawn for `path`, opening the list items around it
/// first; does nothing when it is not on the page.
pub fn focus(path: &Path) {
    focus_id(&field_id(path));
}

/// Moves the focus to the element `id` once the views just changed are drawn, opening
/// the list items around it.
pub fn focus_soon(id: String) {
    set_timeout(move || focus_id(&id), std::time::Duration::from_millis(30));
}

/// Moves the focus to the element `id`, opening the list items around it first; does
/// nothing when it is not on the page.
pub fn focus_id(id: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let Some(element) = document.get_element_by_id(id) else {
        return;
    };
    let mut around = element.closest("details").ok().flatten();
    while let Some(details) = around {
        let _ = details.set_attribute("open", "");
        around = details
            .parent_element()
            .and_then(|parent| parent.closest("details").ok().flatten());
    }
    if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
        let _ = element.focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_ids_need_no_escaping() {
        let id = |text: &str| field_id(&Path::parse(text).unwrap());
        assert_eq!(
            id("loyalty.rewards[0].cost"),
            "field-loyalty__rewards_0__cost"
        );
        assert_eq!(id("help.labels.zh-Hans"), "field-help__labels__zh-Hans");
        assert_eq!(id("help.labels.a b"), "field-help__labels__a_b");
        assert_eq!(id(""), "field");
    }
}
