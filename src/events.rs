//! DOM events: the shared names, and the one way every widget fires its events.
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
/// The events every page may see, whatever widgets it holds. Each widget's own events
/// are in its folder's `events.rs` (`crate::widgets::WidgetKind::events`).
pub const SHARED: &[&str] = &[READY, ERROR];

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
    use crate::widgets::WidgetKind;

    #[test]
    fn names_follow_the_convention_and_are_unique() {
        let mut all: Vec<&str> = super::SHARED.to_vec();
        for kind in WidgetKind::ALL {
            for name in kind.events() {
                let prefix = ["comeback:", kind.as_str(), ":"].concat();
                assert!(
                    name.starts_with(&prefix),
                    "{name} is not a {} event",
                    kind.as_str()
                );
                all.push(name);
            }
        }
        for (index, name) in all.iter().enumerate() {
            assert!(name.starts_with("comeback:"), "{name}");
            assert!(!name.contains(char::is_uppercase), "{name}");
            assert!(!all[..index].contains(name), "{name} listed twice");
        }
    }
}
