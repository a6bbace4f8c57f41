//! What `<comeback-subscribe>` adds to the theme: its own tokens, its parts and the pairs it must
//! keep readable (see [`crate::theme`]).
use crate::theme::{pair, Part, Token, TokenKind, WidgetTheme};
/// The widget's theme, as the registry lists it.
pub const THEME: WidgetTheme = WidgetTheme {
    tokens: &[
        Token {
            name: "--comeback-subscribe-badge-background",
            kind: TokenKind::Color,
            light: "var(--cb-accent)",
            dark: None,
            about: "The saving badge.",
        },
        Token {
            name: "--comeback-subscribe-badge-color",
            kind: TokenKind::Color,
            light: "var(--cb-on-accent)",
            dark: None,
            about: "The saving badge's text.",
        },
    ],
    parts: &[
        Part {
            name: "options",
            about: "",
        },
        Part {
            name: "option",
            about: "Each choice.",
        },
        Part {
            name: "price",
            about: "",
        },
        Part {
            name: "compare-at-price",
            about: "",
        },
        Part {
            name: "badge",
            about: "The saving.",
        },
        Part {
            name: "details",
            about: "",
        },
        Part {
            name: "interval",
            about: "",
        },
        Part {
            name: "notes",
            about: "",
        },
    ],
    contrast: &[pair(
        "--comeback-subscribe-badge-color",
        "--comeback-subscribe-badge-background",
        4.5,
        "The saving badge.",
    )],
};
