//! What `<comeback-survey>` adds to the theme: its own tokens, its parts and the pairs it must
//! keep readable (see [`crate::theme`]).
use crate::theme::{Part, Token, TokenKind, WidgetTheme};
/// The widget's theme, as the registry lists it.
pub const THEME: WidgetTheme = WidgetTheme {
    tokens: &[
        Token {
            name: "--comeback-survey-width",
            kind: TokenKind::Length,
            light: "380px",
            dark: None,
            about: "The pop-up's and side tab's width.",
        },
        Token {
            name: "--comeback-survey-offset-x",
            kind: TokenKind::Length,
            light: "20px",
            dark: None,
            about: "The pop-up from the side of the screen.",
        },
        Token {
            name: "--comeback-survey-offset-y",
            kind: TokenKind::Length,
            light: "20px",
            dark: None,
            about: "The pop-up from the bottom.",
        },
        Token {
            name: "--comeback-survey-z-index",
            kind: TokenKind::Layer,
            light: "2147482000",
            dark: None,
            about: "Under the launcher.",
        },
        Token {
            name: "--comeback-survey-point-size",
            kind: TokenKind::Length,
            light: "36px",
            dark: None,
            about: "Each point of a scale.",
        },
    ],
    parts: &[
        Part {
            name: "title",
            about: "",
        },
        Part {
            name: "close-button",
            about: "",
        },
        Part {
            name: "side-tab",
            about: "",
        },
        Part {
            name: "intro",
            about: "",
        },
        Part {
            name: "reward",
            about: "",
        },
        Part {
            name: "progress",
            about: "",
        },
        Part {
            name: "form",
            about: "",
        },
        Part {
            name: "question",
            about: "With `data-question` and `data-kind`.",
        },
        Part {
            name: "question-text",
            about: "",
        },
        Part {
            name: "optional",
            about: "",
        },
        Part {
            name: "scale",
            about: "",
        },
        Part {
            name: "scale-point",
            about: "With `data-value`.",
        },
        Part {
            name: "scale-ends",
            about: "",
        },
        Part {
            name: "options",
            about: "",
        },
        Part {
            name: "option",
            about: "With `data-option`.",
        },
        Part {
            name: "hint",
            about: "",
        },
        Part {
            name: "text",
            about: "",
        },
        Part {
            name: "char-count",
            about: "",
        },
        Part {
            name: "error",
            about: "",
        },
        Part {
            name: "back-button",
            about: "",
        },
        Part {
            name: "next-button",
            about: "",
        },
        Part {
            name: "send-button",
            about: "",
        },
        Part {
            name: "thanks",
            about: "",
        },
        Part {
            name: "saved",
            about: "",
        },
        Part {
            name: "rewarded",
            about: "",
        },
        Part {
            name: "failed",
            about: "",
        },
    ],
    contrast: &[],
};
