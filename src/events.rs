//! DOM events the widgets fire: every name in one list, one way to fire them.
//!
//! Events are `CustomEvent`s dispatched on the widget's host element with `bubbles` and
//! `composed`, so a listener on the element, on `document` or through
//! `Comeback.on(name, fn)` receives them. `detail` is a plain object.

use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, EventTarget};

use crate::wire::object_of;

/// Fired on `document` by the loader once the bundle has loaded.
pub const READY: &str = "comeback:ready";
/// Something failed inside a widget; `detail` is `{widget, code, message}`.
pub const ERROR: &str = "comeback:error";
/// The loyalty widget has shown a balance; `detail` is `{balance, tier,
/// early_access_products}` (the product ids the shopper may already see early).
pub const LOYALTY_LOADED: &str = "comeback:loyalty:loaded";
/// A reward was redeemed; `detail` is `{reward_id, code, points_spent, balance, expires_at}`.
pub const LOYALTY_REDEEMED: &str = "comeback:loyalty:redeemed";
/// The shopper copied a discount code; `detail` is `{code}`.
pub const LOYALTY_CODE_COPIED: &str = "comeback:loyalty:code-copied";
/// The signed-out shopper chose "Join"; cancelable (call `preventDefault()` to open your
/// own sign-up instead of following `join-url`); `detail` is `{url}`.
pub const LOYALTY_JOIN: &str = "comeback:loyalty:join";
/// The signed-out shopper chose "Sign in"; cancelable like `join`; `detail` is `{url}`.
pub const LOYALTY_SIGN_IN: &str = "comeback:loyalty:sign-in";

/// The shopper set their birthday; `detail` is `{birthday}` (`--MM-DD`).
pub const LOYALTY_BIRTHDAY_SAVED: &str = "comeback:loyalty:birthday-saved";
/// The shopper saved their contact preferences; `detail` is
/// `{contact_channel, marketing_consent}`.
pub const LOYALTY_PREFERENCES_SAVED: &str = "comeback:loyalty:preferences-saved";

/// The launcher's panel opened; `detail` is `{tab}`.
pub const LAUNCHER_OPEN: &str = "comeback:launcher:open";
/// The launcher's panel closed; `detail` is `null`.
pub const LAUNCHER_CLOSE: &str = "comeback:launcher:close";

/// Every event name, for the README table and for tests.
pub const ALL: &[&str] = &[
    READY,
    ERROR,
    LOYALTY_LOADED,
    LOYALTY_REDEEMED,
    LOYALTY_CODE_COPIED,
    LOYALTY_JOIN,
    LOYALTY_SIGN_IN,
    LOYALTY_BIRTHDAY_SAVED,
    LOYALTY_PREFERENCES_SAVED,
    LAUNCHER_OPEN,
    LAUNCHER_CLOSE,
];

/// The `detail` of [`ERROR`]: `{widget, code, message}`. `code` is an API error code,
/// `network`, `timeout`, `config` or `panic`; `message` is for developers.
pub fn error_detail(widget: &str, code: &str, message: &str) -> JsValue {
    object_of(&[
        ("widget", widget.into()),
        ("code", code.into()),
        ("message", message.into()),
    ])
}

/// Fires `name` on `target` with `detail`. Returns `false` when a listener called
/// `preventDefault()` on a cancelable event. Never throws: an event that cannot be
/// built is dropped, since a widget must not fail because of an event.
pub fn emit(target: &EventTarget, name: &str, detail: &JsValue, cancelable: bool) -> bool {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_cancelable(cancelable);
    init.set_detail(detail);
    match CustomEvent::new_with_event_init_dict(name, &init) {
        Ok(event) => target.dispatch_event(&event).unwrap_or(true),
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::ALL;

    #[test]
    fn names_follow_the_convention_and_are_unique() {
        for (index, name) in ALL.iter().enumerate() {
            assert!(name.starts_with("comeback:"), "{name}");
            assert!(!name.contains(char::is_uppercase), "{name}");
            assert!(!ALL[..index].contains(name), "{name} listed twice");
        }
    }
}
