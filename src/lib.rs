//! Comeback widgets: the Rust half of the embed runtime.
//!
//! `loader.js` (beside this file) defines the `<comeback-*>` custom elements, gives
//! each an open shadow root and imports this module once. It then calls [`mount`] per
//! element and keeps the returned [`MountHandle`] to push updates (attributes, token,
//! locale, appearance) and to unmount. Everything a widget needs (API client, theme,
//! strings, events) is built here once per mount from the validated [`config::Config`]
//! and handed down through Leptos context.

// Never panic in a merchant's page: no unwrap/expect on runtime paths (tests may).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

/// A stylesheet under `src/` as `build.rs` ships it: minified, the source's comments
/// and indentation left out of the wasm.
macro_rules! include_css {
    ($path:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/", $path))
    };
}

pub mod api;
pub mod config;
pub mod embed;
pub mod events;
pub mod i18n;
pub mod listeners;
pub mod load;
#[cfg(feature = "test-panic")]
pub mod test_hooks;
pub mod theme;
pub mod ui;
pub mod widgets;
pub mod wire;

pub use embed::{mount, MountHandle};
