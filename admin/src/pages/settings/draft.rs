//! Unsaved changes of the settings page kept in the tab's session storage, one draft
//! per shop, so another page or a reload never loses them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A working copy and the version it was edited from.
#[derive(Debug, Serialize, Deserialize)]
pub struct Draft {
    /// The version the edit started from.
    pub base_version: i64,
    /// The working copy.
    pub document: Value,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn key(shop: &str) -> String {
    format!("comeback.admin.settings-draft.{shop}")
}

/// Keeps the working copy of `shop`.
pub fn keep(shop: &str, base_version: i64, document: &Value) {
    let draft = serde_json::json!({"base_version": base_version, "document": document});
    if let Some(storage) = storage() {
        let _ = storage.set_item(&key(shop), &draft.to_string());
    }
}

/// Takes the kept working copy of `shop` out, if any.
pub fn take(shop: &str) -> Option<Draft> {
    let storage = storage()?;
    let text = storage.get_item(&key(shop)).ok()??;
    let _ = storage.remove_item(&key(shop));
    serde_json::from_str(&text).ok()
}

/// Forgets the kept working copy of `shop`.
pub fn drop(shop: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(shop));
    }
}
