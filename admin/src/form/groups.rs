//! The groups of a schema-driven form: objects, optional objects with "Set" and
//! "Clear", tagged variants, lists of item cards and maps of keys. Each redraws its
//! structure only when its presence, variant, length or keys change; the fields
//! inside read their own values.

use leptos::prelude::*;
use serde_json::{Map, Value};

use super::fields::{caption, described_by, error_line, field, help, input, json, Slot};
use super::path::{Path, Step};
use super::schema::{Kind, Node, Property, Variant};
use super::words::{item_title, label, multiline};
use super::{field_id, focus_soon, Form};

/// An optional object: its inputs and "Clear" when present, "Not set" and "Set" when
/// absent.
pub(super) fn optional_group(form: Form, slot: Slot, node: Node) -> AnyView {
    let path = slot.path.clone();
    let present = Memo::new(move |_| form.value(&path).is_some());
    (move || {
        let slot = slot.clone();
        let node = node.clone();
        let id = field_id(&slot.path);
        if present.get() {
            // The button goes away with what it clears: the focus stays on the field.
            let clear = {
                let path = slot.path.clone();
                move |_| {
                    form.remove(&path);
                    focus_soon(field_id(&path));
                }
            };
            let name = slot.label.clone();
            view! {
                <div class="optional">
                    {input(form, slot, node, true)}
                    {form.editable.then(|| view! {
                        <button type="button" class="quiet small" on:click=clear
                            aria-label=format!("Clear {name}")>"Clear"</button>
                    })}
                </div>
            }
            .into_any()
        } else {
            let set = {
                let path = slot.path.clone();
                let schema = slot.schema.clone();
                move |_| {
                    let value = form
                        .schemas
                        .with_value(|schemas| schemas.new_value(&schema));
                    form.set(&path, value);
                    focus_soon(field_id(&path));
                }
            };
            let has_help = node.description.is_some();
            let has_error = Memo::new({
                let path = slot.path.clone();
                move |_| form.error_at(&path).is_some()
            });
            let name = slot.label.clone();
            view! {
                <div class="field unset" id=id.clone() tabindex="-1"
                    aria-describedby={
                        let id = id.clone();
                        move || described_by(&id, has_help, has_error.get())
                    }>
                    <span class="label">{caption(&slot)}</span>
                    {help(&id, &node)}
                    <span class="note">"Not set"</span>
                    {form.editable.then(|| view! {
                        <button type="button" class="quiet small" on:click=set
                            aria-label=format!("Set {name}")>"Set"</button>
                    })}
                    {error_line(form, slot.path.clone(), id.clone())}
                </div>
            }
            .into_any()
        }
    })
    .into_any()
}

/// An object: a group with a field per property.
pub(super) fn object(form: Form, slot: Slot, node: Node, properties: Vec<Property>) -> AnyView {
    let id = field_id(&slot.path);
    let has_help = node.description.is_some();
    let path = slot.path.clone();
    let has_error = Memo::new(move |_| form.error_at(&path).is_some());
    // A localized Markdown body is an object of texts: each of them is long.
    let long = slot.long
        || slot.key.as_deref() == Some("body")
        || multiline(node.description.as_deref(), "");
    let fields = properties
        .iter()
        .map(|property| {
            let child = Slot {
                long,
                ..Slot::property(&slot.path, property)
            };
            field(form, child)
        })
        .collect_view();
    view! {
        <fieldset class="group" id=id.clone() tabindex="-1"
            aria-describedby={
                let id = id.clone();
                move || described_by(&id, has_help, has_error.get())
            }>
            <legend class:visually-hidden=slot.key.is_none()>{caption(&slot)}</legend>
            {help(&id, &node)}
            {error_line(form, slot.path.clone(), id.clone())}
            {fields}
        </fieldset>
    }
    .into_any()
}

/// A tagged variant: a choice of the variant, then that variant's fields. A value of
/// no known variant is edited as JSON.
pub(super) fn tagged(
    form: Form,
    slot: Slot,
    node: Node,
    tag: String,
    variants: Vec<Variant>,
) -> AnyView {
    let id = field_id(&slot.path);
    let tag_label = label(&tag);
    let tag_path = slot.path.key(&tag);
    let current = Memo::new({
        let tag_path = tag_path.clone();
        move |_| {
            form.value(&tag_path)
                .and_then(|value| value.as_str().map(str::to_owned))
        }
    });
    let known = {
        let values: Vec<String> = variants
            .iter()
            .map(|variant| variant.value.clone())
            .collect();
        Memo::new(move |_| current.get().filter(|value| values.contains(value)))
    };
    let has_help = node.description.is_some();
    let has_error = Memo::new({
        let path = slot.path.clone();
        move |_| form.error_at(&path).is_some()
    });
    let switch = {
        let path = slot.path.clone();
        let variants = variants.clone();
        let tag = tag.clone();
        move |event| {
            let chosen = event_target_value(&event);
            let Some(variant) = variants.iter().find(|variant| variant.value == chosen) else {
                return;
            };
            let old = form
                .document
                .with_untracked(|document| path.get(document).cloned());
            let mut fresh = Map::new();
            for property in &variant.properties {
                // Fields the old variant shares with the new one keep their values.
                let kept = old
                    .as_ref()
                    .and_then(|old| old.get(&property.name))
                    .cloned();
                let value = match kept {
                    Some(value) => value,
                    None if property.required => form
                        .schemas
                        .with_value(|schemas| schemas.new_value(&property.schema)),
                    None => continue,
                };
                fresh.insert(property.name.clone(), value);
            }
            fresh.insert(tag.clone(), Value::String(variant.value.clone()));
            form.set(&path, Value::Object(fresh));
        }
    };
    let options = variants
        .iter()
        .map(|variant| {
            let value = variant.value.clone();
            let text = match &variant.description {
                Some(about) => format!("{} ({about})", label(&value)),
                None => label(&value),
            };
            view! {
                <option value=value.clone()
                    prop:selected=move || current.get().as_deref() == Some(value.as_str())>
                    {text}
                </option>
            }
        })
        .collect_view();
    let body = {
        let slot = slot.clone();
        let node = node.clone();
        move || {
            let Some(chosen) = known.get() else {
                return json(form, slot.clone(), node.clone(), false);
            };
            variants
                .iter()
                .find(|variant| variant.value == chosen)
                .map(|variant| {
                    variant
                        .properties
                        .iter()
                        .filter(|property| property.name != tag)
                        .map(|property| field(form, Slot::property(&slot.path, property)))
                        .collect_view()
                })
                .into_any()
        }
    };
    let select_id = format!("{id}-variant");
    view! {
        <fieldset class="group" id=id.clone() tabindex="-1"
            aria-describedby={
                let id = id.clone();
                move || described_by(&id, has_help, has_error.get())
            }>
            <legend class:visually-hidden=slot.key.is_none()>{caption(&slot)}</legend>
            {help(&id, &node)}
            {error_line(form, slot.path.clone(), id.clone())}
            <div class="field">
                <label for=select_id.clone()>{tag_label}</label>
                <select id=select_id on:change=switch disabled=!form.editable>
                    {move || known.get().is_none().then(|| view! {
                        <option value="" selected>"(other)"</option>
                    })}
                    {options}
                </select>
            </div>
            {body}
        </fieldset>
    }
    .into_any()
}

/// A list: a card per item, with add, remove and move up/down.
pub(super) fn list(form: Form, slot: Slot, node: Node, items: Value) -> AnyView {
    let id = field_id(&slot.path);
    let path = slot.path.clone();
    let length = Memo::new(move |_| {
        form.value(&path)
            .and_then(|value| value.as_array().map(Vec::len))
            .unwrap_or(0)
    });
    // A short list starts open; a long one starts folded, one title per line.
    let open = length.get_untracked() <= 3;
    let has_help = node.description.is_some();
    let has_error = Memo::new({
        let path = slot.path.clone();
        move |_| form.error_at(&path).is_some()
    });
    let cards = {
        let slot = slot.clone();
        let items = items.clone();
        move || {
            let count = length.get();
            (0..count)
                .map(|index| item(form, &slot, &items, index, count, open))
                .collect_view()
        }
    };
    let add = {
        let path = slot.path.clone();
        move |_| {
            let value = form.schemas.with_value(|schemas| schemas.new_value(&items));
            let at = path.index(length.get_untracked());
            form.set(&at, value);
            // The new item opens with the focus in it.
            focus_soon(field_id(&at));
        }
    };
    let name = slot.label.clone();
    view! {
        <div class="list" role="group" id=id.clone() tabindex="-1"
            aria-labelledby=format!("{id}-label")
            aria-describedby={
                let id = id.clone();
                move || described_by(&id, has_help, has_error.get())
            }>
            <span class="label" id=format!("{id}-label")>{caption(&slot)}</span>
            {help(&id, &node)}
            {error_line(form, slot.path.clone(), id.clone())}
            <ol class="items">{cards}</ol>
            {move || (length.get() == 0).then(|| view! { <p class="note">"None."</p> })}
            {form.editable.then(|| view! {
                <button type="button" class="quiet small" on:click=add
                    aria-label=format!("Add to {name}")>"Add"</button>
            })}
        </div>
    }
    .into_any()
}

/// One item of a list, as a card titled by its id or name. A single value (a text, a
/// number, a choice) gets a compact row labelled with the list's name and its place
/// instead.
fn item(form: Form, list: &Slot, items: &Value, index: usize, count: usize, open: bool) -> AnyView {
    let single = form.schemas.with_value(|schemas| {
        !matches!(
            schemas.resolve(items).kind,
            Kind::Object(_) | Kind::Tagged { .. } | Kind::Array(_) | Kind::Map(_) | Kind::Json
        )
    });
    let path = list.path.index(index);
    let fallback = if single {
        format!("{} {}", list.label, index + 1)
    } else {
        format!("Item {}", index + 1)
    };
    let title = {
        let path = path.clone();
        let fallback = fallback.clone();
        Memo::new(move |_| {
            form.value(&path)
                .as_ref()
                .filter(|_| !single)
                .and_then(item_title)
                .unwrap_or_else(|| fallback.clone())
        })
    };
    let button_id =
        |index: usize, what: &str| format!("{}-{what}", field_id(&list.path.index(index)));
    let move_by = {
        let list = list.path.clone();
        move |to: usize| {
            form.document.update(|document| {
                list.swap(document, index, to);
            });
            // The error stays with the item it was about.
            form.error.update(|error| {
                if let Some(error) = error {
                    error.path = swapped(&error.path, &list, index, to);
                }
            });
            // The focus follows the item, on a button it can still use.
            let what = match (to < index, to == 0, to + 1 == count) {
                (true, false, _) | (false, _, true) => "up",
                _ => "down",
            };
            focus_soon(format!("{}-{what}", field_id(&list.index(to))));
        }
    };
    let up = {
        let move_by = move_by.clone();
        move |_| move_by(index.saturating_sub(1))
    };
    let down = move |_| move_by(index + 1);
    let remove = {
        let (path, list) = (path.clone(), list.path.clone());
        move |_| {
            form.remove(&path);
            focus_soon(field_id(&list));
        }
    };
    let controls = form.editable.then(|| {
        view! {
            <div class="controls">
                <button type="button" class="quiet small" on:click=up disabled=index == 0
                    id=button_id(index, "up")
                    aria-label=move || format!("Move up: {}", title.get())>"Move up"</button>
                <button type="button" class="quiet small" on:click=down disabled=index + 1 == count
                    id=button_id(index, "down")
                    aria-label=move || format!("Move down: {}", title.get())>"Move down"</button>
                <button type="button" class="quiet small danger" on:click=remove
                    aria-label=move || format!("Remove {}", title.get())>"Remove"</button>
            </div>
        }
    });
    let slot = Slot {
        path,
        schema: items.clone(),
        label: fallback,
        key: None,
        required: true,
        long: list.long,
    };
    if single {
        return view! { <li class="row">{field(form, slot)}{controls}</li> }.into_any();
    }
    view! {
        <li>
            <details class="item" open=open>
                <summary>{move || title.get()}</summary>
                {controls}
                {field(form, slot)}
            </details>
        </li>
    }
    .into_any()
}

/// `path` after the items `from` and `to` of `list` swapped places.
fn swapped(path: &Path, list: &Path, from: usize, to: usize) -> Path {
    let mut steps = path.0.clone();
    if path.starts_with(list) {
        if let Some(Step::Index(index)) = steps.get_mut(list.0.len()) {
            if *index == from {
                *index = to;
            } else if *index == to {
                *index = from;
            }
        }
    }
    Path(steps)
}

/// A map: a row per key, with the key editable, and add and remove.
pub(super) fn map(form: Form, slot: Slot, node: Node, values: Value) -> AnyView {
    let id = field_id(&slot.path);
    let path = slot.path.clone();
    let keys = Memo::new(move |_| {
        form.value(&path)
            .and_then(|value| {
                value
                    .as_object()
                    .map(|map| map.keys().cloned().collect::<Vec<_>>())
            })
            .unwrap_or_default()
    });
    let has_help = node.description.is_some();
    let has_error = Memo::new({
        let path = slot.path.clone();
        move |_| form.error_at(&path).is_some()
    });
    let rows = {
        let path = slot.path.clone();
        let values = values.clone();
        move || {
            keys.get()
                .into_iter()
                .map(|key| entry(form, &path, &values, key))
                .collect_view()
        }
    };
    let add = {
        let path = slot.path.clone();
        move |_| {
            let taken = keys.get_untracked();
            let key = (1..)
                .map(|n| {
                    if n == 1 {
                        "new".to_owned()
                    } else {
                        format!("new-{n}")
                    }
                })
                .find(|key| !taken.contains(key))
                .unwrap_or_default();
            let value = form
                .schemas
                .with_value(|schemas| schemas.new_value(&values));
            let at = path.key(&key);
            form.set(&at, value);
            // Its key first: "new" is only a placeholder.
            focus_soon(format!("{}-key", field_id(&at)));
        }
    };
    let name = slot.label.clone();
    view! {
        <div class="list" role="group" id=id.clone() tabindex="-1"
            aria-labelledby=format!("{id}-label")
            aria-describedby={
                let id = id.clone();
                move || described_by(&id, has_help, has_error.get())
            }>
            <span class="label" id=format!("{id}-label")>{caption(&slot)}</span>
            {help(&id, &node)}
            {error_line(form, slot.path.clone(), id.clone())}
            <ul class="entries">{rows}</ul>
            {move || keys.with(Vec::is_empty).then(|| view! { <p class="note">"None."</p> })}
            {form.editable.then(|| view! {
                <button type="button" class="quiet small" on:click=add
                    aria-label=format!("Add to {name}")>"Add"</button>
            })}
        </div>
    }
    .into_any()
}

/// One key of a map and its value.
fn entry(form: Form, map: &Path, values: &Value, key: String) -> AnyView {
    let path = map.key(&key);
    let key_id = format!("{}-key", field_id(&path));
    let error_id = key_id.clone();
    let problem = RwSignal::new(None::<String>);
    let rename = {
        let map = map.clone();
        let key = key.clone();
        move |event| {
            let to = event_target_value(&event).trim().to_owned();
            if to.is_empty() {
                problem.set(Some("A key must not be empty.".into()));
                return;
            }
            let mut done = false;
            form.document
                .update(|document| done = map.rename(document, &key, &to));
            problem.set((!done).then(|| format!("“{to}” is already a key.")));
        }
    };
    let remove = {
        let (path, map) = (path.clone(), map.clone());
        move |_| {
            form.remove(&path);
            focus_soon(field_id(&map));
        }
    };
    let slot = Slot {
        path,
        schema: values.clone(),
        label: format!("Value of {key}"),
        key: None,
        required: true,
        long: false,
    };
    let name = key.clone();
    view! {
        <li class="entry">
            <div class="field">
                <label for=key_id.clone()>"Key"</label>
                <input id=key_id.clone() value=key disabled=!form.editable on:change=rename
                    aria-invalid=move || problem.get().is_some().then_some("true")
                    aria-describedby=move || problem.get().is_some().then(|| format!("{key_id}-error"))/>
                {move || problem.get().map(|message| {
                    view! { <p class="error" id=format!("{error_id}-error")>{message}</p> }
                })}
            </div>
            {field(form, slot)}
            {form.editable.then(|| view! {
                <button type="button" class="quiet small danger" on:click=remove
                    aria-label=format!("Remove {name}")>"Remove"</button>
            })}
        </li>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_follows_its_item_when_items_move() {
        let list = Path::parse("loyalty.rewards").unwrap();
        let at = |text: &str| Path::parse(text).unwrap();
        assert_eq!(
            swapped(&at("loyalty.rewards[0].cost"), &list, 0, 1),
            at("loyalty.rewards[1].cost")
        );
        assert_eq!(
            swapped(&at("loyalty.rewards[1]"), &list, 0, 1),
            at("loyalty.rewards[0]")
        );
        assert_eq!(
            swapped(&at("loyalty.rewards[2]"), &list, 0, 1),
            at("loyalty.rewards[2]")
        );
        assert_eq!(swapped(&at("help"), &list, 0, 1), at("help"));
    }
}
