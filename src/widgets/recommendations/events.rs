//! The events `<comeback-recommendations>` fires on its element (they bubble and cross
//! the shadow root). Both carry the card's product ([`PRODUCT`]).

use crate::events::{field, Event, Ty};

/// "Add to cart" was pressed.
pub const ADD: &str = "comeback:recommendations:add";
/// A card's link was followed (cancelable).
pub const CLICK: &str = "comeback:recommendations:click";

/// The card's product: `price` in minor units of `currency`, `kind` the list's kind as the
/// server built it (`comeback_core::recommend::Kind::as_str`).
const PRODUCT: Ty = Ty::Object(&[
    field("product_id", Ty::String),
    field("title", Ty::String),
    field("price", Ty::Number),
    field("currency", Ty::String),
    field("url", Ty::String),
    field("kind", super::element::KIND),
]);

/// Every event this widget fires.
pub const ALL: &[Event] = &[
    Event {
        name: ADD,
        detail: PRODUCT,
        cancelable: false,
        about: "**Add to cart** was pressed on a card: add the product with your cart code \
                (the widget does not). `price` is in minor units of `currency`; `kind` is \
                the list's kind as built (`popular` for a personal kind asked for signed \
                out).",
    },
    Event {
        name: CLICK,
        detail: PRODUCT,
        cancelable: true,
        about: "A card's link was followed; the browser then goes to `url`. Cancelable: \
                `preventDefault()` keeps the shopper on the page (a client-side router \
                takes over).",
    },
];

#[cfg(test)]
mod tests {
    use comeback_core::recommend::Kind;

    use crate::events::Ty;

    #[test]
    fn the_kind_field_lists_every_kind() {
        let Ty::Object(fields) = super::PRODUCT else {
            panic!("the product is an object");
        };
        let kind = fields.iter().find(|f| f.name == "kind").map(|f| f.ty);
        let Some(Ty::Enum(names)) = kind else {
            panic!("kind is an enum");
        };
        let all: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names, all.as_slice());
    }
}
