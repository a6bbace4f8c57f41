//! The attributes of `<comeback-recommendations>`, read by [`super::model::Ask::parse`].

use crate::events::Ty;
use crate::widgets::Attribute;

/// A list's kind, as the `kind` attribute names it and the events report it
/// (`comeback_core::recommend::Kind::as_str`).
pub const KIND: Ty = Ty::Enum(&[
    "also-bought",
    "for-you",
    "buy-again",
    "popular",
    "trending",
    "new-arrivals",
    "blend",
]);

/// Every attribute the element reads besides `theme` and `lang`.
pub const ATTRIBUTES: &[Attribute] = &[
    Attribute {
        name: "kind",
        value: KIND,
        observed: true,
        about: "Which list: `also-bought` (bought together with `product`), `for-you` (from the shopper's history), `buy-again` (what they buy again, on their own cadence), `popular`, `trending`, `new-arrivals`, or `blend` (the default: personal first, then bought together, then popular). Signed out, `for-you` and `buy-again` show the popular list.",
    },
    Attribute {
        name: "product",
        value: Ty::String,
        observed: true,
        about: "The page's product id (product pages). Needed by `also-bought`; with consent it is also remembered as recently viewed (below).",
    },
    Attribute {
        name: "limit",
        value: Ty::Number,
        observed: true,
        about: "How many cards, 1–24 (default 4).",
    },
    Attribute {
        name: "min",
        value: Ty::Number,
        observed: true,
        about: "Fewest items worth showing (default 1): with fewer the element hides and takes no space.",
    },
    Attribute {
        name: "exclude",
        value: Ty::String,
        observed: true,
        about: "Product ids to leave out, comma-separated (at most 100), for example what is already in the cart; a theme may update it as the cart changes.",
    },
];
