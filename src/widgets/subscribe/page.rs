//! What the toggle keeps in the page outside its shadow root, on purpose: the hidden
//! field in the product form, so the shop's cart receives the choice without glue code,
//! and the choices `Comeback.subscription(product)` answers with.
//!
//! The field is an `<input type="hidden">` in the light DOM of the closest `<form>`
//! around the element, named by the `field` attribute: the toggle reuses an input of that
//! name already in the form, creates one when there is none, and touches nothing else.
//! When the toggle goes away (unmounted, or its product has no plan any more) an input
//! it created is removed and one it reused is emptied, so no stale subscription reaches
//! the cart.

use std::cell::{Cell, RefCell};

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

use super::model::Summary;
use crate::wire::{number, object_of};

thread_local! {
    /// The choice each toggle shows, by toggle, the most recently changed last.
    static CHOICES: RefCell<Vec<(u32, Summary)>> = const { RefCell::new(Vec::new()) };
    /// The hidden input each toggle writes, by toggle: kept here, not in the toggle's
    /// reactive state, so its cleanup can still let the input go.
    static FIELDS: RefCell<Vec<(u32, Field)>> = const { RefCell::new(Vec::new()) };
    static NEXT_TOGGLE: Cell<u32> = const { Cell::new(0) };
}

/// A number for a newly mounted toggle, its key in the page's list of choices.
pub fn new_toggle() -> u32 {
    NEXT_TOGGLE.with(|next| {
        let id = next.get();
        next.set(id.wrapping_add(1));
        id
    })
}

/// Writes `value` into toggle `id`'s field called `name` in the form around `host`
/// (see [`Field::write`]).
pub fn write_field(id: u32, host: &Element, name: &str, value: &str) {
    FIELDS.with(|fields| {
        let Ok(mut fields) = fields.try_borrow_mut() else {
            return;
        };
        let index = match fields.iter().position(|(toggle, _)| *toggle == id) {
            Some(index) => index,
            None => {
                fields.push((id, Field::default()));
                fields.len() - 1
            }
        };
        fields[index].1.write(host, name, value);
    });
}

/// Lets toggle `id`'s field go (see [`Field::release`]).
pub fn release_field(id: u32) {
    let field = FIELDS.with(|fields| {
        let mut fields = fields.try_borrow_mut().ok()?;
        let index = fields.iter().position(|(toggle, _)| *toggle == id)?;
        Some(fields.swap_remove(index).1)
    });
    if let Some(mut field) = field {
        field.release();
    }
}

/// Records what toggle `id` shows now (`None`: nothing, so it has no choice), and makes
/// sure `Comeback.subscription` answers from this list.
pub fn show_choice(id: u32, choice: Option<Summary>) {
    CHOICES.with(|choices| {
        if let Ok(mut choices) = choices.try_borrow_mut() {
            choices.retain(|(toggle, _)| *toggle != id);
            if let Some(choice) = choice {
                choices.push((id, choice));
            }
        }
    });
    crate::listeners::expose("subscription", subscription);
}

/// `Comeback.subscription(product)`: the choice of the toggle for `product` (the one
/// changed last if the page holds several), or `null` when no toggle shows that product.
/// A fresh object each call, so a caller changing it changes nothing here.
fn subscription(product: JsValue) -> JsValue {
    let Some(product) = product.as_string() else {
        return JsValue::NULL;
    };
    CHOICES
        .with(|choices| {
            let choices = choices.try_borrow().ok()?;
            let (_, choice) = choices.iter().rev().find(|(_, c)| c.product == product)?;
            Some(detail(choice))
        })
        .unwrap_or(JsValue::NULL)
}

/// The detail of `comeback:subscribe:changed` and the answer of `Comeback.subscription`:
/// `{product, plan, interval, price, regular, saving, currency}`.
pub fn detail(choice: &Summary) -> JsValue {
    let maybe = |value: &Option<String>| value.as_deref().map_or(JsValue::NULL, JsValue::from);
    object_of(&[
        ("product", choice.product.as_str().into()),
        ("plan", maybe(&choice.plan)),
        ("interval", maybe(&choice.interval)),
        ("price", number(choice.price)),
        ("regular", number(choice.regular)),
        ("saving", number(choice.saving)),
        ("currency", choice.currency.as_str().into()),
    ])
}

/// The hidden input one toggle writes, once it has written one.
#[derive(Debug, Default)]
struct Field {
    /// The input and whether the toggle created it.
    input: Option<(Element, bool)>,
}

impl Field {
    /// Writes `value` into the field called `name` of the form around `host`, creating
    /// the input if the form has none of that name. Without a form there is nothing to
    /// write (the shop reads the event or `Comeback.subscription` instead).
    fn write(&mut self, host: &Element, name: &str, value: &str) {
        let form = host.closest("form").ok().flatten();
        // The element moved to another form, or `field` changed: let the old input go.
        let still = self.input.as_ref().is_some_and(|(input, _)| {
            form.as_ref().is_some_and(|f| f.contains(Some(input)))
                && input.get_attribute("name").as_deref() == Some(name)
        });
        if !still {
            self.release();
        }
        let Some(form) = form else {
            return;
        };
        if self.input.is_none() {
            self.input = named_input(&form, name)
                .map(|input| (input, false))
                .or_else(|| created_input(&form, name).map(|input| (input, true)));
        }
        if let Some((input, _)) = &self.input {
            // The `value` property (not the attribute): it is what the form submits for
            // any input a shop may have put there, hidden or not.
            let _ = Reflect::set(
                input,
                &JsValue::from_str("value"),
                &JsValue::from_str(value),
            );
        }
    }

    /// Lets the input go: removed if the toggle created it, emptied if it was the shop's.
    fn release(&mut self) {
        match self.input.take() {
            Some((input, true)) => input.remove(),
            Some((input, false)) => {
                let _ = Reflect::set(&input, &JsValue::from_str("value"), &JsValue::from_str(""));
            }
            None => {}
        }
    }
}

/// The first `<input>` of `form` whose `name` is `name` (compared as text, so a name
/// needs no CSS escaping).
fn named_input(form: &Element, name: &str) -> Option<Element> {
    let inputs = form.query_selector_all("input").ok()?;
    (0..inputs.length())
        .filter_map(|index| inputs.item(index)?.dyn_into::<Element>().ok())
        .find(|input| input.get_attribute("name").as_deref() == Some(name))
}

/// A new `<input type="hidden" name=…>` at the end of `form`.
fn created_input(form: &Element, name: &str) -> Option<Element> {
    let input = form.owner_document()?.create_element("input").ok()?;
    input.set_attribute("type", "hidden").ok()?;
    input.set_attribute("name", name).ok()?;
    form.append_child(&input).ok()?;
    Some(input)
}
