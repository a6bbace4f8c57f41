//! The inputs of a schema-driven form, one function per kind of [`Node`]: text,
//! numbers, yes/no, choices, objects, lists, maps, tagged variants, and a JSON text
//! box for whatever else, so no part of a document is ever out of reach.
//!
//! Each input reads the working copy at its own path through a memo, so typing in one
//! field redraws nothing else; lists, maps and optional groups redraw their structure
//! only when their length, keys or presence change.

use leptos::prelude::*;
use serde_json::{Map, Value};

use super::path::Path;
use super::schema::{item_title, label, multiline, section_label, Kind, Node, Property, Variant};
use super::{field_id, Form};

/// Where a field sits and how it is introduced.
#[derive(Debug, Clone)]
pub struct Slot {
    /// Its place in the document.
    pub path: Path,
    /// Its schema, unresolved.
    pub schema: Value,
    /// Its label.
    pub label: String,
    /// The raw key, shown beside the label (none for list items).
    pub key: Option<String>,
    /// Whether the key must be present.
    pub required: bool,
}

impl Slot {
    /// The slot of `property` of the object at `parent`.
    pub fn property(parent: &Path, property: &Property) -> Slot {
        Slot {
            path: parent.key(&property.name),
            schema: property.schema.clone(),
            label: label(&property.name),
            key: Some(property.name.clone()),
            required: property.required,
        }
    }
}

/// The ids a field's input points at with `aria-describedby`: its help text and its
/// error, when shown.
fn described_by(id: &str, help: bool, error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if help {
        ids.push(format!("{id}-help"));
    }
    if error {
        ids.push(format!("{id}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// The label's text with the raw key in a small code span.
fn caption(slot: &Slot) -> impl IntoView {
    let key = slot.key.clone();
    view! {
        {slot.label.clone()}
        {key.map(|key| view! { " " <code class="key">{key}</code> })}
    }
}

/// The help text under a label, from the schema's description.
fn help(id: &str, node: &Node) -> impl IntoView {
    node.description
        .clone()
        .map(|text| view! { <p class="help" id=format!("{id}-help")>{text}</p> })
}

/// The server's message for this field, when it refused it.
fn error_line(form: Form, path: Path, id: String) -> impl IntoView {
    move || {
        form.error_at(&path)
            .map(|message| view! { <p class="error" id=format!("{id}-error")>{message}</p> })
    }
}

/// The field for `slot`: the input its schema calls for.
pub fn field(form: Form, slot: Slot) -> AnyView {
    let node = form
        .schemas
        .with_value(|schemas| schemas.resolve(&slot.schema));
    let optional = !slot.required || node.nullable;
    match &node.kind {
        // An absent object or variant has no inputs to show: it gets "Set" and "Clear".
        Kind::Object(_) | Kind::Tagged { .. } if optional => optional_group(form, slot, node),
        _ => input(form, slot, node, optional),
    }
}

/// A whole section of the document, `name` at the top level: its inputs as if it
/// were required (whether the section is there at all is the page's business).
pub fn section(form: Form, name: &str, schema: Value) -> AnyView {
    let node = form.schemas.with_value(|schemas| schemas.resolve(&schema));
    let slot = Slot {
        path: Path::root().key(name),
        schema,
        label: section_label(name),
        key: Some(name.to_owned()),
        required: true,
    };
    input(form, slot, node, false)
}

fn input(form: Form, slot: Slot, node: Node, optional: bool) -> AnyView {
    match node.kind.clone() {
        Kind::Object(properties) => object(form, slot, node, properties),
        Kind::Tagged { tag, variants } => tagged(form, slot, node, tag, variants),
        Kind::Array(items) => list(form, slot, node, items),
        Kind::Map(values) => map(form, slot, node, values),
        Kind::Text => text(form, slot, node, optional),
        Kind::Integer { minimum } => {
            number(form, slot, node, optional, true, minimum.map(|m| m as f64))
        }
        Kind::Number { minimum } => number(form, slot, node, optional, false, minimum),
        Kind::Boolean => boolean(form, slot, node),
        Kind::Choice(choices) => {
            let options = choices
                .into_iter()
                .map(|choice| (choice.value, choice.description))
                .collect();
            choice(form, slot, node, optional, options)
        }
        Kind::Json => json(form, slot, node, optional),
    }
}

/// An optional object: its inputs and "Clear" when present, "Not set" and "Set" when
/// absent.
fn optional_group(form: Form, slot: Slot, node: Node) -> AnyView {
    let path = slot.path.clone();
    let present = Memo::new(move |_| form.value(&path).is_some());
    (move || {
        let slot = slot.clone();
        let node = node.clone();
        let id = field_id(&slot.path);
        if present.get() {
            let clear = {
                let path = slot.path.clone();
                move |_| form.remove(&path)
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
fn object(form: Form, slot: Slot, node: Node, properties: Vec<Property>) -> AnyView {
    let id = field_id(&slot.path);
    let has_help = node.description.is_some();
    let path = slot.path.clone();
    let has_error = Memo::new(move |_| form.error_at(&path).is_some());
    let fields = properties
        .iter()
        .map(|property| field(form, Slot::property(&slot.path, property)))
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
fn tagged(form: Form, slot: Slot, node: Node, tag: String, variants: Vec<Variant>) -> AnyView {
    let id = field_id(&slot.path);
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
                <label for=select_id.clone()>"Kind"</label>
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
fn list(form: Form, slot: Slot, node: Node, items: Value) -> AnyView {
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
        let path = slot.path.clone();
        let items = items.clone();
        move || {
            let count = length.get();
            (0..count)
                .map(|index| item(form, &path, &items, index, count, open))
                .collect_view()
        }
    };
    let add = {
        let path = slot.path.clone();
        move |_| {
            let value = form.schemas.with_value(|schemas| schemas.new_value(&items));
            let at = path.index(length.get_untracked());
            form.set(&at, value);
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

/// One item of a list, as a card titled by its id or name.
fn item(form: Form, list: &Path, items: &Value, index: usize, count: usize, open: bool) -> AnyView {
    let path = list.index(index);
    let fallback = format!("Item {}", index + 1);
    let title = {
        let path = path.clone();
        let fallback = fallback.clone();
        Memo::new(move |_| {
            form.value(&path)
                .as_ref()
                .and_then(item_title)
                .unwrap_or_else(|| fallback.clone())
        })
    };
    let move_by = {
        let list = list.clone();
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
        }
    };
    let up = {
        let move_by = move_by.clone();
        move |_| move_by(index.saturating_sub(1))
    };
    let down = move |_| move_by(index + 1);
    let remove = {
        let path = path.clone();
        move |_| form.remove(&path)
    };
    let controls = form.editable.then(|| {
        view! {
            <div class="controls">
                <button type="button" class="quiet small" on:click=up disabled=index == 0
                    aria-label=move || format!("Move {} up", title.get())>"Move up"</button>
                <button type="button" class="quiet small" on:click=down disabled=index + 1 == count
                    aria-label=move || format!("Move {} down", title.get())>"Move down"</button>
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
    };
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
    use super::path::Step;
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
fn map(form: Form, slot: Slot, node: Node, values: Value) -> AnyView {
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
            form.set(&path.key(&key), value);
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
        let path = path.clone();
        move |_| form.remove(&path)
    };
    let slot = Slot {
        path,
        schema: values.clone(),
        label: format!("Value of {key}"),
        key: None,
        required: true,
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

/// What a leaf input shares: its id, whether it has help text, and the server's
/// error and the input's own complaint (a number that is not one, JSON that does not
/// parse), both pointed at by `aria-describedby`.
#[derive(Debug, Clone)]
struct Frame {
    id: String,
    has_help: bool,
    error: Memo<bool>,
    problem: RwSignal<Option<String>>,
}

impl Frame {
    fn new(form: Form, path: &Path, node: &Node) -> Frame {
        let problem = RwSignal::new(None::<String>);
        // The form knows which fields do not read, to hold the save until they do.
        Effect::new({
            let path = path.clone();
            move |_| {
                let bad = problem.with(Option::is_some);
                if form
                    .problems
                    .with_untracked(|problems| problems.contains(&path))
                    != bad
                {
                    form.problems.update(|problems| {
                        if bad {
                            problems.insert(path.clone());
                        } else {
                            problems.remove(&path);
                        }
                    });
                }
            }
        });
        on_cleanup({
            let path = path.clone();
            move || {
                form.problems.try_update(|problems| problems.remove(&path));
            }
        });
        let error_path = path.clone();
        Frame {
            id: field_id(path),
            has_help: node.description.is_some(),
            error: Memo::new(move |_| form.error_at(&error_path).is_some()),
            problem,
        }
    }

    fn described(&self) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        let Frame {
            id,
            has_help,
            error,
            problem,
        } = self.clone();
        move || {
            let mut ids = described_by(&id, has_help, error.get()).unwrap_or_default();
            if problem.with(Option::is_some) {
                ids = format!("{ids} {id}-problem").trim().to_owned();
            }
            (!ids.is_empty()).then_some(ids)
        }
    }

    fn invalid(&self) -> impl Fn() -> Option<&'static str> + Send + Sync + 'static {
        let (error, problem) = (self.error, self.problem);
        move || (error.get() || problem.with(Option::is_some)).then_some("true")
    }

    /// The input's own complaint, under it.
    fn problem_line(&self) -> impl IntoView {
        let (id, problem) = (self.id.clone(), self.problem);
        move || {
            problem
                .get()
                .map(|message| view! { <p class="error" id=format!("{id}-problem")>{message}</p> })
        }
    }
}

/// A labelled leaf field: label, help, the control, then its errors.
fn leaf(form: Form, slot: &Slot, node: &Node, frame: &Frame, control: AnyView) -> AnyView {
    view! {
        <div class="field">
            <label for=frame.id.clone()>{caption(slot)}</label>
            {help(&frame.id, node)}
            {control}
            {frame.problem_line()}
            {error_line(form, slot.path.clone(), frame.id.clone())}
        </div>
    }
    .into_any()
}

/// A text: one line, or several for Markdown and bodies. An optional text left empty
/// is taken out of the document.
fn text(form: Form, slot: Slot, node: Node, optional: bool) -> AnyView {
    let frame = Frame::new(form, &slot.path, &node);
    let path = slot.path.clone();
    let value = Memo::new(move |_| {
        form.value(&path)
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default()
    });
    let write = {
        let path = slot.path.clone();
        move |event| {
            let text = event_target_value(&event);
            if text.is_empty() && optional {
                form.remove(&path);
            } else {
                form.set(&path, Value::String(text));
            }
        }
    };
    let control = if multiline(node.description.as_deref(), &value.get_untracked()) {
        view! {
            <textarea id=frame.id.clone() rows="6" prop:value=move || value.get()
                on:input=write disabled=!form.editable
                aria-invalid=frame.invalid() aria-describedby=frame.described()></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=frame.id.clone() type="text" prop:value=move || value.get()
                on:input=write disabled=!form.editable
                aria-invalid=frame.invalid() aria-describedby=frame.described()/>
        }
        .into_any()
    };
    leaf(form, &slot, &node, &frame, control)
}

/// A number, whole or not, typed as text so a half-typed one is never rewritten; it
/// is written to the document as a JSON number once it reads as one.
fn number(
    form: Form,
    slot: Slot,
    node: Node,
    optional: bool,
    whole: bool,
    minimum: Option<f64>,
) -> AnyView {
    let frame = Frame::new(form, &slot.path, &node);
    let path = slot.path.clone();
    let value = Memo::new(move |_| form.value(&path));
    let text = RwSignal::new(number_text(value.get_untracked().as_ref()));
    let problem = frame.problem;
    Effect::new(move |_| {
        let value = value.get();
        let same = text.with_untracked(|text| {
            matches!(parse_number(text, whole), Ok(typed) if same_number(typed.as_ref(), value.as_ref()))
        });
        if !same {
            text.set(number_text(value.as_ref()));
            problem.set(None);
        }
    });
    let write = {
        let path = slot.path.clone();
        move |event| {
            let typed = event_target_value(&event);
            text.set(typed.clone());
            match parse_number(&typed, whole) {
                Ok(Some(number)) => {
                    problem.set(None);
                    form.set(&path, number);
                }
                Ok(None) if optional => {
                    problem.set(None);
                    form.remove(&path);
                }
                Ok(None) => problem.set(Some("Enter a number.".into())),
                Err(message) => problem.set(Some(message)),
            }
        }
    };
    let placeholder = minimum.map(|minimum| format!("at least {minimum}"));
    let control = view! {
        <input id=frame.id.clone() type="text"
            inputmode=if whole { "numeric" } else { "decimal" }
            placeholder=placeholder
            prop:value=move || text.get() on:input=write disabled=!form.editable
            aria-invalid=frame.invalid() aria-describedby=frame.described()/>
    }
    .into_any();
    leaf(form, &slot, &node, &frame, control)
}

/// A number as the input shows it.
fn number_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::Number(number)) => number.to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// Reads a typed number: `Ok(None)` when empty, a JSON integer for a whole number, a
/// JSON float otherwise; the error says what to type.
pub fn parse_number(text: &str, whole: bool) -> Result<Option<Value>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if whole {
        return text
            .parse::<i64>()
            .map(|number| Some(Value::from(number)))
            .map_err(|_| "Enter a whole number, such as 30.".into());
    }
    match text.parse::<f64>() {
        Ok(number) if number.is_finite() => Ok(Some(Value::from(number))),
        _ => Err("Enter a number, such as 1.5.".into()),
    }
}

/// Whether two numbers are the same value (`1` and `1.0` are).
pub fn same_number(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a == b || (a.as_f64().is_some() && a.as_f64() == b.as_f64()),
        _ => false,
    }
}

/// Yes or no, as a checkbox (absent reads as the schema's default, else no).
fn boolean(form: Form, slot: Slot, node: Node) -> AnyView {
    let frame = Frame::new(form, &slot.path, &node);
    let path = slot.path.clone();
    let default = node
        .default
        .as_ref()
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let checked = Memo::new(move |_| {
        form.value(&path)
            .and_then(|value| value.as_bool())
            .unwrap_or(default)
    });
    let write = {
        let path = slot.path.clone();
        move |event| form.set(&path, Value::Bool(event_target_checked(&event)))
    };
    view! {
        <div class="field check">
            <input id=frame.id.clone() type="checkbox" prop:checked=move || checked.get()
                on:change=write disabled=!form.editable
                aria-invalid=frame.invalid() aria-describedby=frame.described()/>
            <label for=frame.id.clone()>{caption(&slot)}</label>
            {help(&frame.id, &node)}
            {error_line(form, slot.path.clone(), frame.id.clone())}
        </div>
    }
    .into_any()
}

/// One of a few texts, as a select; an optional one can be unset.
fn choice(
    form: Form,
    slot: Slot,
    node: Node,
    optional: bool,
    options: Vec<(String, Option<String>)>,
) -> AnyView {
    let frame = Frame::new(form, &slot.path, &node);
    let path = slot.path.clone();
    let current = Memo::new(move |_| {
        form.value(&path).map(|value| {
            value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned)
        })
    });
    let write = {
        let path = slot.path.clone();
        move |event| match event_target_value(&event) {
            chosen if chosen.is_empty() => form.remove(&path),
            chosen => form.set(&path, Value::String(chosen)),
        }
    };
    let known: Vec<String> = options.iter().map(|(value, _)| value.clone()).collect();
    let rows = options
        .into_iter()
        .map(|(value, about)| {
            let text = match about {
                Some(about) => format!("{} — {about}", label(&value)),
                None => label(&value),
            };
            let mine = value.clone();
            view! {
                <option value=value
                    prop:selected=move || current.get().as_deref() == Some(mine.as_str())>
                    {text}
                </option>
            }
        })
        .collect_view();
    let control = view! {
        <select id=frame.id.clone() on:change=write disabled=!form.editable
            aria-invalid=frame.invalid() aria-describedby=frame.described()>
            {move || {
                let value = current.get();
                let unknown = value.as_ref().filter(|value| !known.contains(value)).cloned();
                let unset = (optional || value.is_none()).then(|| view! {
                    <option value="" selected=value.is_none()>"(not set)"</option>
                });
                view! {
                    {unset}
                    {unknown.map(|value| view! { <option value=value.clone() selected>{value.clone()}</option> })}
                }
            }}
            {rows}
        </select>
    }
    .into_any();
    leaf(form, &slot, &node, &frame, control)
}

/// Whatever the form cannot draw, as JSON text: the text is kept as typed while it
/// does not parse (the error says why), and written to the document once it does.
fn json(form: Form, slot: Slot, node: Node, optional: bool) -> AnyView {
    let frame = Frame::new(form, &slot.path, &node);
    let path = slot.path.clone();
    let value = Memo::new(move |_| form.value(&path));
    let text = RwSignal::new(json_text(value.get_untracked().as_ref()));
    let problem = frame.problem;
    Effect::new(move |_| {
        let value = value.get();
        let same = text.with_untracked(|text| parse_json(text).ok() == Some(value.clone()));
        if !same {
            text.set(json_text(value.as_ref()));
            problem.set(None);
        }
    });
    let write = {
        let path = slot.path.clone();
        move |event| {
            let typed = event_target_value(&event);
            text.set(typed.clone());
            match parse_json(&typed) {
                Ok(Some(value)) => {
                    problem.set(None);
                    form.set(&path, value);
                }
                Ok(None) => {
                    problem.set(None);
                    if optional {
                        form.remove(&path);
                    } else {
                        form.set(&path, Value::Null);
                    }
                }
                Err(message) => problem.set(Some(message)),
            }
        }
    };
    let control = view! {
        <textarea id=frame.id.clone() class="json" rows="8" spellcheck="false"
            prop:value=move || text.get() on:input=write disabled=!form.editable
            aria-invalid=frame.invalid() aria-describedby=frame.described()></textarea>
        <p class="note">"Edited as JSON."</p>
    }
    .into_any();
    leaf(form, &slot, &node, &frame, control)
}

/// A value as the JSON box shows it: pretty-printed, empty for none.
fn json_text(value: Option<&Value>) -> String {
    value
        .map(|value| serde_json::to_string_pretty(value).unwrap_or_default())
        .unwrap_or_default()
}

/// Reads the JSON box: `Ok(None)` for empty text or `null`.
pub fn parse_json(text: &str) -> Result<Option<Value>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    serde_json::from_str::<Value>(text)
        .map(|value| Some(value).filter(|value| !value.is_null()))
        .map_err(|error| format!("This is not valid JSON: {error}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_are_written_as_json_numbers() {
        assert_eq!(parse_number(" 30 ", true), Ok(Some(json!(30))));
        assert!(parse_number("30", true).unwrap().unwrap().is_i64());
        assert!(parse_number("1.5", true).is_err());
        assert_eq!(parse_number("1.5", false), Ok(Some(json!(1.5))));
        assert_eq!(parse_number("", false), Ok(None));
        assert!(parse_number("NaN", false).is_err());
        assert!(parse_number("1e999", false).is_err());
        assert!(same_number(Some(&json!(1)), Some(&json!(1.0))));
        assert!(!same_number(Some(&json!(1)), None));
    }

    #[test]
    fn json_text_keeps_errors_and_reads_null_as_none() {
        assert_eq!(parse_json(""), Ok(None));
        assert_eq!(parse_json("null"), Ok(None));
        assert_eq!(parse_json("{\"a\": [1]}"), Ok(Some(json!({"a": [1]}))));
        assert!(parse_json("{\"a\": ").is_err());
    }

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
