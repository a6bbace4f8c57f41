//! Theme tokens and shadow-root stylesheets.
//!
//! Every colour, radius, spacing, font and shadow a widget uses is a `--comeback-*`
//! custom property with a fallback, read through a private `--cb-*` alias in
//! `theme.css`. [`VARIABLES`] is the one list of public properties (the README's table
//! is made from it). Styles only ever live in constructable stylesheets adopted by the
//! widget's shadow root: never in the page, never as inline `style` attributes.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, ShadowRoot};

/// The shared base stylesheet: resets, tokens, light and dark defaults, primitives.
pub const BASE_CSS: &str = include_str!("theme.css");

/// Public custom properties, with their light-theme defaults.
pub const VARIABLES: &[(&str, &str)] = &[
    ("--comeback-color-accent", "#2f6b4f"),
    ("--comeback-color-on-accent", "#ffffff"),
    ("--comeback-color-text", "#1f2622"),
    ("--comeback-color-muted", "#5b6660"),
    ("--comeback-color-surface", "#ffffff"),
    ("--comeback-color-surface-alt", "#f3f6f2"),
    ("--comeback-color-border", "#d8dfd9"),
    ("--comeback-color-success", "#1f7a4a"),
    ("--comeback-color-danger", "#b3261e"),
    ("--comeback-radius", "12px"),
    ("--comeback-spacing", "16px"),
    ("--comeback-font-family", "inherit"),
    ("--comeback-font-size", "15px"),
    ("--comeback-shadow", "0 1px 3px rgb(0 0 0 / 8%)"),
    ("--comeback-min-height", "320px"),
    ("--comeback-launcher-background", "var(--cb-accent)"),
    ("--comeback-launcher-color", "var(--cb-on-accent)"),
    ("--comeback-launcher-offset-x", "20px"),
    ("--comeback-launcher-offset-y", "20px"),
    ("--comeback-launcher-z-index", "2147483000"),
];

/// Colour scheme of a widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Light surfaces (the default: most shop pages are light).
    #[default]
    Light,
    /// Dark surfaces.
    Dark,
    /// Follows `prefers-color-scheme`.
    Auto,
}

impl Theme {
    /// Parses `light`, `dark` or `auto`.
    pub fn parse(value: &str) -> Option<Theme> {
        match value.to_ascii_lowercase().as_str() {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            "auto" => Some(Theme::Auto),
            _ => None,
        }
    }

    /// The modifier class on the widget root (`cb-root--dark`).
    pub fn class(self) -> &'static str {
        match self {
            Theme::Light => "cb-root--light",
            Theme::Dark => "cb-root--dark",
            Theme::Auto => "cb-root--auto",
        }
    }
}

/// A constructable stylesheet holding `css`.
pub fn sheet(css: &str) -> Result<CssStyleSheet, JsValue> {
    let sheet = CssStyleSheet::new()?;
    sheet.replace_sync(css)?;
    Ok(sheet)
}

/// Makes `sheets` the shadow root's adopted stylesheets, replacing the loader's
/// skeleton sheet.
pub fn adopt(root: &ShadowRoot, sheets: &[&CssStyleSheet]) {
    let list = js_sys::Array::new();
    for sheet in sheets {
        list.push(sheet.unchecked_ref::<JsValue>());
    }
    root.set_adopted_style_sheets(&list);
}

/// Adds `sheet` after the shadow root's adopted stylesheets (a widget's own sheet that
/// it rewrites as it runs).
pub fn add(root: &ShadowRoot, sheet: &CssStyleSheet) {
    let list = js_sys::Array::from(&root.adopted_style_sheets());
    list.push(sheet.unchecked_ref::<JsValue>());
    root.set_adopted_style_sheets(&list);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_public_variable_is_read_with_its_documented_default() {
        let kinds = crate::widgets::WidgetKind::ALL.iter();
        let sheets: String = std::iter::once(BASE_CSS)
            .chain(kinds.map(|kind| kind.css()))
            .collect();
        for (name, default) in VARIABLES {
            let usage = format!("var({name}, {default})");
            assert!(
                sheets.contains(&usage),
                "no stylesheet reads {name} with its documented default {default}"
            );
        }
    }

    #[test]
    fn themes_parse() {
        assert_eq!(Theme::parse("Dark"), Some(Theme::Dark));
        assert_eq!(Theme::parse("auto"), Some(Theme::Auto));
        assert_eq!(Theme::parse("sepia"), None);
    }
}
