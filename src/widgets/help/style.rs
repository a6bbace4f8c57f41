//! What `<comeback-help>` adds to the theme: its own tokens, its parts and the pairs it must
//! keep readable (see [`crate::theme`]).
use crate::theme::{Part, WidgetTheme};
/// The widget's theme, as the registry lists it.
pub const THEME: WidgetTheme = WidgetTheme {
    tokens: &[],
    parts: &[
        Part {
            name: "skeleton",
            about: "",
        },
        Part {
            name: "title",
            about: "",
        },
        Part {
            name: "search",
            about: "",
        },
        Part {
            name: "results-status",
            about: "",
        },
        Part {
            name: "results",
            about: "",
        },
        Part {
            name: "result",
            about: "Each result; matches are `<mark>` elements tinted by the accent.",
        },
        Part {
            name: "article-link",
            about: "",
        },
        Part {
            name: "tree-button",
            about: "",
        },
        Part {
            name: "channels",
            about: "",
        },
        Part {
            name: "back-button",
            about: "",
        },
        Part {
            name: "article",
            about: "",
        },
        Part {
            name: "feedback",
            about: "\"Did this help?\"",
        },
        Part {
            name: "contact-button",
            about: "",
        },
        Part {
            name: "wizard",
            about: "",
        },
        Part {
            name: "progress",
            about: "",
        },
        Part {
            name: "question",
            about: "",
        },
        Part {
            name: "answer",
            about: "",
        },
        Part {
            name: "restart-button",
            about: "",
        },
        Part {
            name: "known",
            about: "What the shopper already told the wizard.",
        },
        Part {
            name: "contact-form",
            about: "",
        },
        Part {
            name: "send-button",
            about: "",
        },
        Part {
            name: "ticket-status",
            about: "",
        },
    ],
    contrast: &[],
};
