//! The events `<comeback-recommendations>` fires on its element (they bubble and cross
//! the shadow root). Both carry the card's product: `{product_id, title, price, currency,
//! url, kind}`, `price` in minor units of `currency`, `kind` the list's kind as the server
//! built it (`popular` for a personal kind asked for signed out).

/// "Add to cart" was pressed. The widget never touches the cart: the shop's own cart
/// code listens for this and adds the product.
pub const ADD: &str = "comeback:recommendations:add";
/// A card's link was followed; the browser then navigates to `url`. Cancelable:
/// `preventDefault()` keeps the shopper on the page (a client-side router takes over).
pub const CLICK: &str = "comeback:recommendations:click";

/// Every event this widget fires.
pub const ALL: &[&str] = &[ADD, CLICK];
