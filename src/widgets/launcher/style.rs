//! What `<comeback-launcher>` adds to the theme: its own tokens, its parts and the pairs it must
//! keep readable (see [`crate::theme`]).
use crate::theme::{pair, Part, Token, TokenKind, WidgetTheme};
/// The widget's theme, as the registry lists it.
pub const THEME: WidgetTheme = WidgetTheme {
    tokens: &[
        Token {
            name: "--comeback-launcher-background",
            kind: TokenKind::Color,
            light: "var(--cb-accent)",
            dark: None,
            about: "The button.",
        },
        Token {
            name: "--comeback-launcher-color",
            kind: TokenKind::Color,
            light: "var(--cb-on-accent)",
            dark: None,
            about: "The button's label and icon.",
        },
        Token {
            name: "--comeback-launcher-offset-x",
            kind: TokenKind::Length,
            light: "20px",
            dark: None,
            about: "From the side of the screen.",
        },
        Token {
            name: "--comeback-launcher-offset-y",
            kind: TokenKind::Length,
            light: "20px",
            dark: None,
            about: "From the bottom, before any move up.",
        },
        Token {
            name: "--comeback-launcher-z-index",
            kind: TokenKind::Layer,
            light: "2147483000",
            dark: None,
            about: "Its stacking level: above the page and the survey's pop-up.",
        },
    ],
    parts: &[
        Part {
            name: "launcher-button",
            about: "",
        },
        Part {
            name: "launcher-balance",
            about: "",
        },
        Part {
            name: "panel",
            about: "",
        },
        Part {
            name: "tabs",
            about: "",
        },
        Part {
            name: "tab",
            about: "",
        },
        Part {
            name: "tab-panel",
            about: "",
        },
        Part {
            name: "close-button",
            about: "",
        },
    ],
    contrast: &[pair(
        "--comeback-launcher-color",
        "--comeback-launcher-background",
        4.5,
        "The button.",
    )],
};
