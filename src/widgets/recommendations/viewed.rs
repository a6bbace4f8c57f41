//! The recently viewed list on this device (`localStorage`, [`model::VIEWED_KEY`]): read
//! for every request and updated when the element sits on a product page. The caller
//! checks consent first; this module only keeps the list. `Comeback.track('view',
//! {product})` in `loader.js` writes the same list the same way for pages without the
//! element.

use js_sys::{Array, JSON};
use wasm_bindgen::JsCast;

use super::model;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The stored ids, most recent first; empty when there are none or storage is
/// unavailable (private mode, blocked) or holds something else.
pub fn read() -> Vec<String> {
    let stored = storage()
        .and_then(|s| s.get_item(model::VIEWED_KEY).ok().flatten())
        .and_then(|text| JSON::parse(&text).ok())
        .filter(Array::is_array);
    let Some(list) = stored else {
        return Vec::new();
    };
    let ids: Vec<String> = list
        .unchecked_into::<Array>()
        .iter()
        .filter_map(|id| id.as_string())
        .collect();
    // Cleaned as if nothing new was viewed: a list another script wrote stays bounded.
    model::remember(&ids, "")
}

/// Records `product` as viewed now and returns the list as stored.
pub fn record(product: &str) -> Vec<String> {
    let list = model::remember(&read(), product);
    if let Some(storage) = storage() {
        let array: Array = list
            .iter()
            .map(|id| wasm_bindgen::JsValue::from_str(id))
            .collect();
        if let Ok(text) = JSON::stringify(&array) {
            // A full or blocked storage only costs the personal touch.
            let _ = storage.set_item(model::VIEWED_KEY, &String::from(text));
        }
    }
    list
}
