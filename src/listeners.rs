//! Event listeners on `window` and `document`: the one way a widget listens outside its
//! shadow root.
//!
//! Every such listener is kept in a registry so the panic hook can detach them all at
//! once ([`detach_all`]): after a panic the wasm instance is dead, and a listener left on
//! the page would throw `RuntimeError: unreachable` into it on the next scroll, resize or
//! event. Listeners on elements inside a shadow root need no registry: the panic hook
//! replaces each mounted root's content, and they go with their nodes.
//!
//! The few methods a widget adds to the page's `window.Comeback` ([`expose`]) are kept
//! here for the same reason: after a panic they answer `null` instead of throwing.

use std::cell::{Cell, RefCell};

use js_sys::{Function, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, EventTarget};

struct Entry {
    id: u32,
    target: EventTarget,
    name: &'static str,
    callback: Closure<dyn FnMut(Event)>,
}

/// A method a widget added to `window.Comeback`.
type Method = Closure<dyn Fn(JsValue) -> JsValue>;

thread_local! {
    static REGISTRY: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
    static METHODS: RefCell<Vec<(&'static str, Method)>> = const { RefCell::new(Vec::new()) };
}

/// The page's `window.Comeback` (the loader's), if there is one.
fn comeback() -> Option<JsValue> {
    let comeback = crate::wire::get(&web_sys::window()?.into(), "Comeback");
    comeback.is_object().then_some(comeback)
}

/// Makes `window.Comeback[name]` call `method` with its first argument. A method is made
/// once per page and set again only if something replaced it; the first widget that
/// exposes `name` decides what it does, so every widget of a kind must expose the same.
/// Nothing happens on a page without `window.Comeback`. After a panic the method answers
/// `null` (see [`detach_all`]).
pub fn expose(name: &'static str, method: fn(JsValue) -> JsValue) {
    let Some(comeback) = comeback() else {
        return;
    };
    let function = METHODS.with(|methods| {
        let mut methods = methods.try_borrow_mut().ok()?;
        if let Some((_, known)) = methods.iter().find(|(known, _)| *known == name) {
            return Some(known.as_ref().clone());
        }
        let closure = Method::new(method);
        let function = closure.as_ref().clone();
        methods.push((name, closure));
        Some(function)
    });
    if let Some(function) = function {
        let key = JsValue::from_str(name);
        if Reflect::get(&comeback, &key).ok().as_ref() != Some(&function) {
            let _ = Reflect::set(&comeback, &key, &function);
        }
    }
}

/// A registered listener; [`GlobalListener::remove`] detaches it (dropping the handle
/// does not, so the widget says when, typically in `on_cleanup`).
#[derive(Debug)]
#[must_use = "remove the listener when its widget unmounts"]
pub struct GlobalListener(Option<u32>);

impl GlobalListener {
    /// Detaches the listener (nothing happens if the panic hook already did).
    pub fn remove(self) {
        let Some(id) = self.0 else {
            return;
        };
        let entry = REGISTRY.with(|registry| {
            let mut registry = registry.try_borrow_mut().ok()?;
            let index = registry.iter().position(|entry| entry.id == id)?;
            Some(registry.swap_remove(index))
        });
        if let Some(entry) = entry {
            detach(&entry);
        }
    }
}

/// Calls `handler` for every `name` event on `window`.
pub fn on_window(name: &'static str, handler: impl FnMut(Event) + 'static) -> GlobalListener {
    match web_sys::window() {
        Some(window) => listen(window.unchecked_into(), name, handler),
        None => GlobalListener(None),
    }
}

/// Calls `handler` for every `name` event on `document`.
pub fn on_document(name: &'static str, handler: impl FnMut(Event) + 'static) -> GlobalListener {
    match web_sys::window().and_then(|window| window.document()) {
        Some(document) => listen(document.unchecked_into(), name, handler),
        None => GlobalListener(None),
    }
}

fn listen(
    target: EventTarget,
    name: &'static str,
    handler: impl FnMut(Event) + 'static,
) -> GlobalListener {
    let callback = Closure::<dyn FnMut(Event)>::new(handler);
    if target
        .add_event_listener_with_callback(name, callback.as_ref().unchecked_ref())
        .is_err()
    {
        return GlobalListener(None);
    }
    let id = NEXT_ID.with(|next| {
        let id = next.get();
        next.set(id.wrapping_add(1));
        id
    });
    let entry = Entry {
        id,
        target,
        name,
        callback,
    };
    REGISTRY.with(|registry| match registry.try_borrow_mut() {
        Ok(mut registry) => {
            registry.push(entry);
            GlobalListener(Some(id))
        }
        // Only while the panic hook holds the registry: the listener must not stay.
        Err(_) => {
            detach(&entry);
            GlobalListener(None)
        }
    })
}

fn detach(entry: &Entry) {
    let _ = entry
        .target
        .remove_event_listener_with_callback(entry.name, entry.callback.as_ref().unchecked_ref());
}

/// Detaches every registered listener; for the panic hook. Returns how many there were.
pub fn detach_all() -> usize {
    let entries = REGISTRY.with(|registry| {
        registry
            .try_borrow_mut()
            .map(|mut registry| std::mem::take(&mut *registry))
            .unwrap_or_default()
    });
    for entry in &entries {
        detach(entry);
    }
    let detached = entries.len();
    // The closures themselves are leaked rather than dropped: one of them may be the
    // code that panicked, still on the stack.
    std::mem::forget(entries);
    let methods = METHODS.with(|methods| {
        methods
            .try_borrow_mut()
            .map(|mut methods| std::mem::take(&mut *methods))
            .unwrap_or_default()
    });
    if let (Some(comeback), Some(null)) = (comeback(), answers_null()) {
        for (name, _) in &methods {
            let _ = Reflect::set(&comeback, &JsValue::from_str(name), &null);
        }
    }
    std::mem::forget(methods);
    detached
}

/// A function answering `null` that never calls into this instance: the page's own
/// `JSON.parse` bound to `"null"` (built without `eval`, which a strict CSP forbids).
fn answers_null() -> Option<JsValue> {
    let json = Reflect::get(&js_sys::global(), &JsValue::from_str("JSON")).ok()?;
    let parse: Function = Reflect::get(&json, &JsValue::from_str("parse"))
        .ok()?
        .dyn_into()
        .ok()?;
    Some(parse.bind1(&json, &JsValue::from_str("null")).into())
}

/// How many listeners are registered now (for tests).
pub fn count() -> usize {
    REGISTRY.with(|registry| registry.try_borrow().map(|r| r.len()).unwrap_or(0))
}
