//! Theme tokens and shadow-root stylesheets.
//!
//! Every colour, radius, spacing, font and shadow a widget uses is a `--comeback-*`
//! custom property (a token) with a fallback, read through a private `--cb-*` alias in
//! `theme.css`. [`TOKENS`] lists the shared tokens and [`PARTS`] the shared parts; each
//! widget's own are in its folder's `style.rs` ([`WidgetTheme`], reached through the
//! registry). These lists are the one source of the README's tables, the playground's
//! controls (`kit.json`) and `comeback.d.ts`; the tests check them against the
//! stylesheets and the views. Styles only ever live in constructable stylesheets adopted by the
//! widget's shadow root: never in the page, never as inline `style` attributes.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, ShadowRoot};

/// The shared base stylesheet: resets, tokens, light and dark defaults, primitives.
pub const BASE_CSS: &str = include_css!("theme.css");

/// What a [`Token`] holds: it decides the playground's control and the value the tests
/// set to see it take effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A CSS colour.
    Color,
    /// A CSS length (`12px`, `1rem`).
    Length,
    /// A `font-family` list.
    Font,
    /// A `box-shadow`.
    Shadow,
    /// A plain number (a ratio).
    Number,
    /// A `z-index`.
    Layer,
}

impl TokenKind {
    /// The kind's name in `kit.json` and the README.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Color => "color",
            TokenKind::Length => "length",
            TokenKind::Font => "font",
            TokenKind::Shadow => "shadow",
            TokenKind::Number => "number",
            TokenKind::Layer => "layer",
        }
    }
}

/// A public custom property: the shop sets it on the element or any ancestor, and the
/// widget's stylesheets read it as `var(<name>, <default>)`.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    /// `--comeback-…`.
    pub name: &'static str,
    /// What it holds.
    pub kind: TokenKind,
    /// The default in the light theme, exactly as the stylesheets write the fallback
    /// (`var(--cb-accent)` follows the accent token).
    pub light: &'static str,
    /// The default in the dark theme, where it differs.
    pub dark: Option<&'static str>,
    /// What it styles, for people.
    pub about: &'static str,
}

/// A `part` a theme developer can style with `comeback-<kind>::part(<name>)`.
#[derive(Debug, Clone, Copy)]
pub struct Part {
    /// The part name.
    pub name: &'static str,
    /// What it is, where the name alone does not say (empty otherwise).
    pub about: &'static str,
}

/// A text and background pair that must stay readable: the playground warns while a
/// theme puts it under `minimum` (WCAG AA: 4.5 for text, 3 for large text and controls),
/// and the tests hold the default themes to it.
#[derive(Debug, Clone, Copy)]
pub struct Contrast {
    /// The token of the text (or icon) colour.
    pub text: &'static str,
    /// The token of the colour behind it.
    pub background: &'static str,
    /// The least contrast ratio.
    pub minimum: f64,
    /// Where the pair shows.
    pub about: &'static str,
}

/// What one widget adds to the theme: its own tokens, its parts and its readable pairs.
#[derive(Debug, Clone, Copy)]
pub struct WidgetTheme {
    /// Tokens only this widget reads (`--comeback-<kind>-…`).
    pub tokens: &'static [Token],
    /// Every part of its shadow tree.
    pub parts: &'static [Part],
    /// Pairs of its own tokens that must stay readable.
    pub contrast: &'static [Contrast],
}

/// The tokens every widget reads, with their light and dark defaults.
pub const TOKENS: &[Token] = &[
    color(
        "--comeback-color-accent",
        "#2f6b4f",
        "#7fc8a0",
        "Buttons, links, progress, focus rings.",
    ),
    color(
        "--comeback-color-on-accent",
        "#ffffff",
        "#10241a",
        "Text on the accent colour.",
    ),
    color("--comeback-color-text", "#1f2622", "#e8efe9", "Body text."),
    color(
        "--comeback-color-muted",
        "#5b6660",
        "#a5b2aa",
        "Secondary text: hints, dates, counts.",
    ),
    color(
        "--comeback-color-surface",
        "#ffffff",
        "#18201c",
        "The widget's background.",
    ),
    color(
        "--comeback-color-surface-alt",
        "#f3f6f2",
        "#222c27",
        "Rows, cards and panels inside the widget.",
    ),
    color(
        "--comeback-color-border",
        "#d8dfd9",
        "#35413a",
        "Frames and dividers.",
    ),
    color(
        "--comeback-color-success",
        "#1f7a4a",
        "#7fd4a2",
        "Confirmations.",
    ),
    color("--comeback-color-danger", "#b3261e", "#ffb4ab", "Errors."),
    Token {
        name: "--comeback-radius",
        kind: TokenKind::Length,
        light: "12px",
        dark: None,
        about: "Corner radius of the frame; buttons and fields use a smaller share of it.",
    },
    Token {
        name: "--comeback-spacing",
        kind: TokenKind::Length,
        light: "16px",
        dark: None,
        about: "The frame's padding; gaps inside are fractions of it.",
    },
    Token {
        name: "--comeback-font-family",
        kind: TokenKind::Font,
        light: "inherit",
        dark: None,
        about: "The page's font unless set.",
    },
    Token {
        name: "--comeback-font-size",
        kind: TokenKind::Length,
        light: "15px",
        dark: None,
        about: "Body text size; headings and small print scale from it.",
    },
    Token {
        name: "--comeback-shadow",
        kind: TokenKind::Shadow,
        light: "0 1px 3px rgb(0 0 0 / 8%)",
        dark: None,
        about: "The frame's shadow.",
    },
    Token {
        name: "--comeback-min-height",
        kind: TokenKind::Length,
        light: "320px",
        dark: None,
        about: "Height reserved while the widget loads on a shopper's first page; on later pages at the same width it reserves the height it settled at on that device.",
    },
];

/// The parts the runtime gives every widget.
pub const PARTS: &[Part] = &[
    Part {
        name: "root",
        about: "The widget's frame.",
    },
    Part {
        name: "fallback",
        about: "The polite message shown when the widget cannot load or its backend fails.",
    },
];

/// The pairs every widget shows.
pub const CONTRAST: &[Contrast] = &[
    pair(
        "--comeback-color-text",
        "--comeback-color-surface",
        4.5,
        "Body text.",
    ),
    pair(
        "--comeback-color-text",
        "--comeback-color-surface-alt",
        4.5,
        "Text in rows and cards.",
    ),
    pair(
        "--comeback-color-muted",
        "--comeback-color-surface",
        4.5,
        "Hints and dates.",
    ),
    pair(
        "--comeback-color-muted",
        "--comeback-color-surface-alt",
        4.5,
        "Hints in rows and cards.",
    ),
    pair(
        "--comeback-color-on-accent",
        "--comeback-color-accent",
        4.5,
        "Button labels.",
    ),
    pair(
        "--comeback-color-accent",
        "--comeback-color-surface",
        4.5,
        "Links and quiet buttons.",
    ),
    pair(
        "--comeback-color-success",
        "--comeback-color-surface",
        4.5,
        "Confirmations.",
    ),
    pair(
        "--comeback-color-danger",
        "--comeback-color-surface",
        4.5,
        "Error messages.",
    ),
];

/// A colour token with its light and dark defaults.
const fn color(
    name: &'static str,
    light: &'static str,
    dark: &'static str,
    about: &'static str,
) -> Token {
    Token {
        name,
        kind: TokenKind::Color,
        light,
        dark: Some(dark),
        about,
    }
}

/// A pair that must reach `minimum`.
pub const fn pair(
    text: &'static str,
    background: &'static str,
    minimum: f64,
    about: &'static str,
) -> Contrast {
    Contrast {
        text,
        background,
        minimum,
        about,
    }
}

/// The contrast ratio of two `#rrggbb` colours (WCAG 2: 1 to 21), or `None` when either
/// is not written that way.
pub fn contrast_ratio(a: &str, b: &str) -> Option<f64> {
    let (a, b) = (luminance(a)?, luminance(b)?);
    let (light, dark) = if a > b { (a, b) } else { (b, a) };
    Some((light + 0.05) / (dark + 0.05))
}

/// The relative luminance of a `#rrggbb` colour.
fn luminance(hex: &str) -> Option<f64> {
    let digits = hex.strip_prefix('#').filter(|d| d.len() == 6)?;
    let channel = |i: usize| -> Option<f64> {
        let value = f64::from(u8::from_str_radix(digits.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if value <= 0.04045 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

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

/// The token a default such as `var(--cb-accent)` follows (`--comeback-color-accent`),
/// read from the base stylesheet's aliases; `None` for a plain value.
pub fn follows(default: &str) -> Option<&'static str> {
    let alias = default.strip_prefix("var(")?.strip_suffix(')')?.trim();
    let declaration = [alias, ":var("].concat();
    let rest = &BASE_CSS[BASE_CSS.find(&declaration)? + declaration.len()..];
    rest.split([',', ')']).next().map(str::trim)
}

/// Every token: the shared ones, then each widget's in registry order.
pub fn all_tokens() -> impl Iterator<Item = &'static Token> {
    let own = crate::widgets::WidgetKind::ALL
        .iter()
        .flat_map(|kind| kind.theme().tokens);
    TOKENS.iter().chain(own)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::widgets::WidgetKind;

    /// Every stylesheet, with the blanks after commas dropped (some are minified).
    fn sheets() -> String {
        let all: String = std::iter::once(BASE_CSS)
            .chain(WidgetKind::ALL.iter().map(|kind| kind.css()))
            .collect();
        all.replace(", ", ",")
    }

    /// `build.rs` ships every stylesheet without comments or indentation, and leaves
    /// quoted strings and descendant combinators as they are.
    #[test]
    fn stylesheets_ship_minified() {
        for css in std::iter::once(BASE_CSS).chain(WidgetKind::ALL.iter().map(|kind| kind.css())) {
            assert!(
                !css.contains("/*") && !css.contains('\n'),
                "not minified: {}",
                &css[..60]
            );
            assert!(!css.contains(": ") && !css.contains(" {") && !css.contains(";}"));
        }
        assert!(BASE_CSS.starts_with(":host{display:block;contain:layout style}"));
        assert!(BASE_CSS.contains(".cb-root *,.cb-root *::before"));
        assert!(crate::widgets::subscribe::CSS.contains(r#"content:"✓ ""#));
    }

    #[test]
    fn every_token_is_read_with_its_documented_defaults() {
        let sheets = sheets();
        for token in all_tokens() {
            let usage = format!("var({},{})", token.name, token.light).replace(", ", ",");
            assert!(
                sheets.contains(&usage),
                "no stylesheet reads {} with its documented default {}",
                token.name,
                token.light
            );
            if let Some(dark) = token.dark {
                let usage = format!("var({},{dark})", token.name);
                assert!(
                    sheets.contains(&usage),
                    "{}: dark default {dark}",
                    token.name
                );
            }
        }
    }

    #[test]
    fn no_stylesheet_reads_an_undeclared_token_and_none_is_declared_twice() {
        let sheets = sheets();
        let declared: Vec<&str> = all_tokens().map(|t| t.name).collect();
        for (index, name) in declared.iter().enumerate() {
            assert!(!declared[..index].contains(name), "{name} declared twice");
        }
        for (at, _) in sheets.match_indices("var(--comeback-") {
            let name: String = sheets[at + 4..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            assert!(
                declared.contains(&name.as_str()),
                "{name} is read but not in a token list"
            );
        }
    }

    /// The default value of every token in one theme, with `var(--cb-…)` followed.
    fn defaults(dark: bool) -> HashMap<&'static str, &'static str> {
        let raw: HashMap<&str, &str> = all_tokens()
            .map(|t| {
                (
                    t.name,
                    if dark {
                        t.dark.unwrap_or(t.light)
                    } else {
                        t.light
                    },
                )
            })
            .collect();
        raw.iter()
            .map(|(name, value)| (*name, follows(value).map_or(*value, |other| raw[other])))
            .collect()
    }

    #[test]
    fn the_default_themes_keep_every_pair_readable() {
        let own = WidgetKind::ALL.iter().flat_map(|k| k.theme().contrast);
        for dark in [false, true] {
            let values = defaults(dark);
            for pair in CONTRAST.iter().chain(own.clone()) {
                let ratio = contrast_ratio(values[pair.text], values[pair.background])
                    .unwrap_or_else(|| {
                        panic!("{} on {} are not #rrggbb", pair.text, pair.background)
                    });
                assert!(
                    ratio >= pair.minimum,
                    "{} on {} ({}): {ratio:.2} < {} in the {} theme",
                    pair.text,
                    pair.background,
                    pair.about,
                    pair.minimum,
                    if dark { "dark" } else { "light" }
                );
            }
        }
    }

    #[test]
    fn contrast_follows_wcag() {
        assert_eq!(
            contrast_ratio("#000000", "#ffffff").map(|r| r.round()),
            Some(21.0)
        );
        assert_eq!(contrast_ratio("#777777", "#777777"), Some(1.0));
        // #767676 on white is the lightest grey that passes AA (4.54).
        let grey = contrast_ratio("#767676", "#ffffff").unwrap();
        assert!((4.5..4.6).contains(&grey), "{grey}");
        assert_eq!(contrast_ratio("red", "#ffffff"), None);
        assert_eq!(contrast_ratio("#fff", "#ffffff"), None);
    }

    #[test]
    fn defaults_that_follow_another_token_name_it() {
        assert_eq!(follows("var(--cb-accent)"), Some("--comeback-color-accent"));
        assert_eq!(
            follows("var(--cb-surface-alt)"),
            Some("--comeback-color-surface-alt")
        );
        assert_eq!(follows("12px"), None);
    }

    #[test]
    fn themes_parse() {
        assert_eq!(Theme::parse("Dark"), Some(Theme::Dark));
        assert_eq!(Theme::parse("auto"), Some(Theme::Auto));
        assert_eq!(Theme::parse("sepia"), None);
    }
}
