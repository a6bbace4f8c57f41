//! A form drawn from a JSON Schema, editing a working copy of a JSON document: the
//! settings page's editor. [`schema`] says what to draw for a schema, [`path`] names
//! the places in the document, [`fields`] draws the inputs. Every input reads and
//! writes the document at its own path, so a keystroke redraws only what depends on
//! the value it changed.

pub mod fields;
pub mod path;
pub mod schema;

use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::JsCast;

use self::path::Path;
use self::schema::Schemas;
use crate::route::encode;

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
/// object), so labels, error links and focus can find it.
pub fn field_id(path: &Path) -> String {
    format!("field-{}", encode(&path.to_string()))
}

/// Moves the focus to the element drawn for `path`, opening the list items around it
/// first; does nothing when it is not on the page.
pub fn focus(path: &Path) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let Some(element) = document.get_element_by_id(&field_id(path)) else {
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
