//! What `<comeback-recommendations>` adds to the theme: its own tokens, its parts and the pairs it must
//! keep readable (see [`crate::theme`]).
use crate::theme::{Part, Token, TokenKind, WidgetTheme};
/// The widget's theme, as the registry lists it.
pub const THEME: WidgetTheme = WidgetTheme {
    tokens: &[
        Token {
            name: "--comeback-recs-card-width",
            kind: TokenKind::Length,
            light: "160px",
            dark: None,
            about: "Narrowest card before the row wraps.",
        },
        Token {
            name: "--comeback-recs-image-ratio",
            kind: TokenKind::Number,
            light: "1",
            dark: None,
            about: "Width / height of the card images.",
        },
    ],
    parts: &[
        Part {
            name: "root",
            about: "No frame of its own: the cards carry the surface, border and shadow.",
        },
        Part {
            name: "heading",
            about: "Hide it with `display: none`; it still names the list for screen readers.",
        },
        Part {
            name: "list",
            about: "",
        },
        Part {
            name: "skeleton",
            about: "Each placeholder card.",
        },
        Part {
            name: "card",
            about: "",
        },
        Part {
            name: "image",
            about: "",
        },
        Part {
            name: "title",
            about: "The link.",
        },
        Part {
            name: "price",
            about: "",
        },
        Part {
            name: "compare-at-price",
            about: "The old price.",
        },
        Part {
            name: "reason",
            about: "",
        },
        Part {
            name: "add-button",
            about: "",
        },
    ],
    contrast: &[],
};
