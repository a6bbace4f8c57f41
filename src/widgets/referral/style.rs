//! What `<comeback-referral>` adds to the theme: its own tokens, its parts and the pairs it must
//! keep readable (see [`crate::theme`]).
use crate::theme::{pair, Part, Token, TokenKind, WidgetTheme};
/// The widget's theme, as the registry lists it.
pub const THEME: WidgetTheme = WidgetTheme {
    tokens: &[
        Token {
            name: "--comeback-referral-qr-size",
            kind: TokenKind::Length,
            light: "132px",
            dark: None,
            about: "The QR code's side.",
        },
        Token {
            name: "--comeback-referral-banner-background",
            kind: TokenKind::Color,
            light: "var(--cb-surface-alt)",
            dark: None,
            about: "The friend's banner.",
        },
    ],
    parts: &[
        Part {
            name: "skeleton",
            about: "",
        },
        Part {
            name: "link",
            about: "",
        },
        Part {
            name: "code",
            about: "",
        },
        Part {
            name: "copy-button",
            about: "",
        },
        Part {
            name: "copied",
            about: "",
        },
        Part {
            name: "share",
            about: "",
        },
        Part {
            name: "share-button",
            about: "",
        },
        Part {
            name: "email-link",
            about: "",
        },
        Part {
            name: "qr",
            about: "",
        },
        Part {
            name: "you-get",
            about: "",
        },
        Part {
            name: "friend-gets",
            about: "",
        },
        Part {
            name: "detail",
            about: "",
        },
        Part {
            name: "stats",
            about: "",
        },
        Part {
            name: "referrals",
            about: "",
        },
        Part {
            name: "referral",
            about: "Each referral, with `data-status`.",
        },
        Part {
            name: "friend",
            about: "",
        },
        Part {
            name: "status",
            about: "",
        },
        Part {
            name: "when-paid",
            about: "",
        },
        Part {
            name: "reason",
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
            name: "banner",
            about: "Banner mode: on the root.",
        },
        Part {
            name: "offer",
            about: "",
        },
        Part {
            name: "claim-form",
            about: "",
        },
        Part {
            name: "email",
            about: "",
        },
        Part {
            name: "claim-button",
            about: "",
        },
        Part {
            name: "error",
            about: "",
        },
        Part {
            name: "friend-code",
            about: "",
        },
        Part {
            name: "copy-code-button",
            about: "",
        },
        Part {
            name: "dismiss-button",
            about: "",
        },
    ],
    contrast: &[pair(
        "--comeback-color-text",
        "--comeback-referral-banner-background",
        4.5,
        "The friend's banner.",
    )],
};
