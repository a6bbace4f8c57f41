//! The attributes of `<comeback-launcher>`. The closed button the loader draws before the
//! launcher's code loads honours them too.

use crate::events::Ty;
use crate::widgets::Attribute;

/// Every attribute the element reads besides `theme` and `lang`.
pub const ATTRIBUTES: &[Attribute] = &[
    Attribute {
        name: "open",
        value: Ty::String,
        observed: true,
        about: "A tab name (`rewards`): the panel is open on that tab (any other value: its first tab). `Comeback.open()`, deep links and a click on the closed button set it; the launcher removes it when the shopper closes the panel. Setting it loads the launcher's code if the closed button has not yet.",
    },
    Attribute {
        name: "label",
        value: Ty::String,
        observed: true,
        about: "The button's text (default \"Rewards\" in the shopper's language).",
    },
    Attribute {
        name: "position",
        value: Ty::Enum(&["bottom-right", "bottom-left"]),
        observed: true,
        about: "`bottom-right` (default) or `bottom-left`.",
    },
    Attribute {
        name: "tabs",
        value: Ty::String,
        observed: true,
        about: "Which tabs, in order, comma-separated (default every widget the registry gives a tab, in registry order; this release: `rewards`, the `<comeback-loyalty>` tab). `help` (`<comeback-help>`), `subscriptions` (`<comeback-subscriptions>`) and `referral` (`<comeback-referral>`) are shown only where listed, as will be each newer widget's tab, so no shop finds a tab it never set up: `tabs=\"rewards, help, subscriptions, referral\"`. A tab's label is its widget's `<kind>.tab` string (`loyalty.tab`, `help.tab`), which `strings` can override.",
    },
    Attribute {
        name: "avoid",
        value: Ty::String,
        observed: true,
        about: "A CSS selector of the page's own buttons the launcher must never cover (default `[data-comeback-avoid], [name=checkout], .checkout-button, #checkout-button, .shopify-payment-button`). When one would sit under the button, the button moves up above it.",
    },
];
