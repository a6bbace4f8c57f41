//! Hooks for the end-to-end tests, compiled only with the `test-panic` feature: the
//! bundle a shop downloads has none of them (`make bundle` never enables it).

use wasm_bindgen::prelude::*;

/// Panics on purpose, so a test can check what a dead instance does to the page.
#[wasm_bindgen(js_name = "__comeback_test_panic")]
pub fn test_panic() {
    panic!("a panic asked for by a test");
}
