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
/// Fired on `document` by the loader when `Comeback.consent(granted)` is called.
pub const CONSENT: &str = "comeback:consent";
/// Fired on `document` by the loader when `Comeback.track(name)` is called.
pub const TRACK: &str = "comeback:track";

/// The events every page may see, whatever widgets it holds (the loader fires all but
/// `error`). Each widget's own events are in its folder's `events.rs`
/// (`crate::widgets::WidgetKind::events`).
pub const SHARED: &[Event] = &[
    Event {
        name: READY,
        detail: Ty::Object(&[field("version", Ty::String)]),
        cancelable: false,
        about: "The bundle has loaded (on `document`).",
    },
    Event {
        name: ERROR,
        detail: Ty::Object(&[
            field("widget", Ty::String),
            field("code", Ty::String),
            field("message", Ty::String),
        ]),
        cancelable: false,
        about: "A widget failed: `code` is an API error code, `network`, `timeout`, \
                `config`, `load` or `panic`. The widget shows a polite fallback.",
    },
    Event {
        name: CONSENT,
        detail: Ty::Object(&[field("granted", Ty::Bool)]),
        cancelable: false,
        about: "`Comeback.consent(granted)` was called (on `document`); the widgets update.",
    },
    Event {
        name: TRACK,
        detail: Ty::Object(&[field("name", Ty::String)]),
        cancelable: false,
        about: "`Comeback.track(name)` was called (on `document`).",
    },
];

/// One event a widget (or the loader) fires: its name, the shape of its `detail`, whether
/// a listener may cancel it, and what it means (the README's table and `comeback.d.ts`
/// are generated from these lists; the end-to-end suite checks every event it sees
/// against them).
#[derive(Debug, Clone, Copy)]
pub struct Event {
    /// `comeback:<kind>:<what>`.
    pub name: &'static str,
    /// The shape of `detail`.
    pub detail: Ty,
    /// Whether `preventDefault()` changes what the widget does.
    pub cancelable: bool,
    /// When it fires and what the fields mean, for people (Markdown).
    pub about: &'static str,
}

/// The shape of a JSON-like value (an event's `detail`): enough to write the TypeScript
/// type and to check a real value against it.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// `null` (a `detail` with nothing to say).
    Null,
    /// `true` or `false`.
    Bool,
    /// Any number (counts, minor units, ids that are numbers).
    Number,
    /// Any string.
    String,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// The type or `null`.
    Nullable(&'static Ty),
    /// An array of the type.
    List(&'static Ty),
    /// An object keyed by any string (question ids, say), every value of the type.
    Map(&'static Ty),
    /// An object with these fields.
    Object(&'static [Field]),
    /// Any one of these.
    OneOf(&'static [Ty]),
}

/// A field of a [`Ty::Object`].
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The property name.
    pub name: &'static str,
    /// Its shape.
    pub ty: Ty,
    /// Whether the property may be absent.
    pub optional: bool,
}

/// A field that is always present.
pub const fn field(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        optional: false,
    }
}

/// A field that may be absent.
pub const fn optional(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        optional: true,
    }
}

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
    use super::{Event, Ty};
    use crate::widgets::WidgetKind;

    /// The shared events and every kind's.
    fn every_event() -> impl Iterator<Item = &'static Event> {
        let kinds = WidgetKind::ALL.iter().flat_map(|kind| kind.events());
        super::SHARED.iter().chain(kinds)
    }

    #[test]
    fn names_follow_the_convention_and_are_unique() {
        let mut all: Vec<&str> = super::SHARED.iter().map(|e| e.name).collect();
        for kind in WidgetKind::ALL {
            for name in kind.events().iter().map(|e| e.name) {
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

    /// Why `ty` (or a type inside it) cannot be written as TypeScript, if it cannot.
    fn flaw(ty: &Ty) -> Option<String> {
        match ty {
            Ty::Null | Ty::Bool | Ty::Number | Ty::String => None,
            Ty::Enum(names) => names.is_empty().then(|| "an empty enum".to_owned()),
            Ty::Nullable(inner) | Ty::List(inner) | Ty::Map(inner) => flaw(inner),
            Ty::OneOf(options) => options.iter().find_map(flaw),
            Ty::Object(fields) => fields.iter().enumerate().find_map(|(index, field)| {
                if fields[..index].iter().any(|f| f.name == field.name) {
                    Some(["field ", field.name, " twice"].concat())
                } else {
                    flaw(&field.ty)
                }
            }),
        }
    }

    #[test]
    fn every_event_is_described_and_its_detail_well_formed() {
        for event in every_event() {
            let about = event.about.trim();
            assert!(!about.is_empty(), "{} has no about", event.name);
            assert!(
                about.ends_with('.'),
                "{}: about ends without a full stop",
                event.name
            );
            assert_eq!(flaw(&event.detail), None, "{}", event.name);
        }
    }

    #[test]
    fn the_check_finds_each_flaw() {
        use super::field;
        assert_eq!(flaw(&Ty::Enum(&[])), Some("an empty enum".to_owned()));
        const TWICE: Ty = Ty::List(&Ty::Object(&[field("a", Ty::Null), field("a", Ty::Bool)]));
        assert_eq!(flaw(&TWICE), Some("field a twice".to_owned()));
        let deep = Ty::Map(&Ty::OneOf(&[Ty::Nullable(&Ty::Enum(&[]))]));
        assert!(flaw(&deep).is_some());
    }
}
