//! The fields of a schema-driven form: [`field`] picks the input a schema calls for;
//! the single inputs (text, numbers, yes/no, choices, and a JSON text box for whatever
//! else, so no part of a document is ever out of reach) live here, the groups
//! (objects, lists, maps, tagged variants) in [`super::groups`].
//!
//! Each input reads the working copy at its own path through a memo, so typing in one
//! field redraws nothing else.

use leptos::prelude::*;
use serde_json::Value;

use super::groups;
use super::path::Path;
use super::schema::{Kind, Node, Property};
use super::typed::{parse_json, parse_number, same_number};
use super::words::{code_spans, help_text, label, multiline, section_label};
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
    /// Whether its texts are long (Markdown, bodies): several lines each.
    pub long: bool,
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
            long: false,
        }
    }
}

/// The ids a field's input points at with `aria-describedby`: its help text and its
/// error, when shown.
pub(super) fn described_by(id: &str, help: bool, error: bool) -> Option<String> {
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
pub(super) fn caption(slot: &Slot) -> impl IntoView {
    let key = slot.key.clone();
    view! {
        {slot.label.clone()}
        {key.map(|key| view! { " " <code class="key">{key}</code> })}
    }
}

/// The help text under a label, from the schema's description, with its `code`.
pub(super) fn help(id: &str, node: &Node) -> impl IntoView {
    node.description.as_deref().map(|text| {
        let parts = code_spans(text)
            .into_iter()
            .map(|(code, part)| {
                if code {
                    view! { <code>{part}</code> }.into_any()
                } else {
                    part.into_any()
                }
            })
            .collect_view();
        view! { <p class="help" id=format!("{id}-help")>{parts}</p> }
    })
}

/// The server's message for this field, when it refused it.
pub fn error_line(form: Form, path: Path, id: String) -> impl IntoView {
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
        Kind::Object(_) | Kind::Tagged { .. } if optional => {
            groups::optional_group(form, slot, node)
        }
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
        long: false,
    };
    input(form, slot, node, false)
}

/// The input of `node` itself, its presence settled.
pub(super) fn input(form: Form, slot: Slot, node: Node, optional: bool) -> AnyView {
    let node = Node {
        description: help_text(node.description.as_deref(), &slot.label),
        ..node
    };
    match node.kind.clone() {
        Kind::Object(properties) => groups::object(form, slot, node, properties),
        Kind::Tagged { tag, variants } => groups::tagged(form, slot, node, tag, variants),
        Kind::Array(items) => groups::list(form, slot, node, items),
        Kind::Map(values) => groups::map(form, slot, node, values),
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
    // Blank is a value of its own for an optional text: the key is left out.
    let placeholder = match (&node.example, optional) {
        (Some(example), _) => Some(format!("e.g. {example}")),
        (None, true) => Some("Not set".to_owned()),
        (None, false) => None,
    };
    let control = if slot.long || multiline(node.description.as_deref(), &value.get_untracked()) {
        view! {
            <textarea id=frame.id.clone() rows="6" prop:value=move || value.get()
                on:input=write disabled=!form.editable
                aria-invalid=frame.invalid() aria-describedby=frame.described()></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=frame.id.clone() type="text" prop:value=move || value.get()
                placeholder=placeholder
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
    // Blank is a value of its own for an optional number: the default applies.
    let placeholder = match (&node.example, optional) {
        (Some(example), _) => Some(format!("e.g. {example}")),
        (None, true) => Some("Not set".to_owned()),
        (None, false) => minimum.map(|minimum| format!("at least {minimum}")),
    };
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
pub(super) fn json(form: Form, slot: Slot, node: Node, optional: bool) -> AnyView {
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
