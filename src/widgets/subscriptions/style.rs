//! What `<comeback-subscriptions>` adds to the theme: its own tokens, its parts and the pairs it must
//! keep readable (see [`crate::theme`]).
use crate::theme::{Part, Token, TokenKind, WidgetTheme};
/// The widget's theme, as the registry lists it.
pub const THEME: WidgetTheme = WidgetTheme {
    tokens: &[Token {
        name: "--comeback-subscriptions-image-size",
        kind: TokenKind::Length,
        light: "64px",
        dark: None,
        about: "Each product's picture.",
    }],
    parts: &[
        Part {
            name: "skeleton",
            about: "",
        },
        Part {
            name: "list",
            about: "",
        },
        Part {
            name: "subscription",
            about: "",
        },
        Part {
            name: "image",
            about: "",
        },
        Part {
            name: "title",
            about: "",
        },
        Part {
            name: "status",
            about: "",
        },
        Part {
            name: "next",
            about: "The next delivery.",
        },
        Part {
            name: "price",
            about: "",
        },
        Part {
            name: "actions",
            about: "",
        },
        Part {
            name: "skip-button",
            about: "",
        },
        Part {
            name: "deliver-now-button",
            about: "",
        },
        Part {
            name: "change-button",
            about: "",
        },
        Part {
            name: "pause-button",
            about: "",
        },
        Part {
            name: "resume-button",
            about: "",
        },
        Part {
            name: "cancel-button",
            about: "",
        },
        Part {
            name: "change-form",
            about: "",
        },
        Part {
            name: "save-button",
            about: "",
        },
        Part {
            name: "pause-form",
            about: "",
        },
        Part {
            name: "confirm-pause-button",
            about: "",
        },
        Part {
            name: "cancel-panel",
            about: "",
        },
        Part {
            name: "reason",
            about: "",
        },
        Part {
            name: "confirm-cancel-button",
            about: "",
        },
        Part {
            name: "save-offer-button",
            about: "",
        },
        Part {
            name: "keep-button",
            about: "",
        },
        Part {
            name: "cancelled",
            about: "",
        },
        Part {
            name: "notice",
            about: "",
        },
        Part {
            name: "empty",
            about: "",
        },
        Part {
            name: "signed-out",
            about: "",
        },
        Part {
            name: "signin-button",
            about: "",
        },
        Part {
            name: "retry-button",
            about: "",
        },
    ],
    contrast: &[],
};
