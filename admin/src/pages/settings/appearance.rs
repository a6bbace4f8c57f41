//! The Appearance section: the colour scheme and every design token of the theme kit
//! (`/comeback/kit.json`, the list the theme playground and the README's tables are
//! made from) as a row with its default, a colour picker for colours, and a way back
//! to the default. Tokens the kit does not list (written in the file by hand) show as
//! rows too. Without the kit the section falls back to the generic form.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::Value;

use super::section_path;
use crate::form::path::Path;
use crate::form::words::label;
use crate::form::{field_id, fields, Form};
use crate::load::{use_get, Loaded};

/// Where the widget bundle's kit is served (the server's `/comeback/`).
const KIT_URL: &str = "/comeback/kit.json";

/// What the editor reads of the kit.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Kit {
    tokens: Vec<Token>,
}

/// A design token as the kit lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Token {
    name: String,
    kind: String,
    light: String,
    #[serde(default)]
    dark: Option<String>,
    #[serde(default)]
    follows: Option<String>,
    about: String,
    #[serde(default)]
    widget: Option<String>,
}

/// The Appearance section's form.
#[component]
pub fn Appearance(
    /// The form.
    form: Form,
    /// The section's schema, for the generic form when the kit cannot be read.
    schema: Value,
) -> impl IntoView {
    let (kit, _) = use_get::<Kit, _>(|| Some(KIT_URL.to_owned()));
    move || match kit.get() {
        Loaded::Loading => view! { <p class="note">"Loading the design tokens…"</p> }.into_any(),
        Loaded::Failed(_) => fields::section(form, "appearance", schema.clone()),
        Loaded::Ready(kit) => view! { <Tokens form kit/> }.into_any(),
    }
}

/// The scheme and the kit's tokens, shared ones first, then each widget's own.
#[component]
fn Tokens(form: Form, kit: Kit) -> impl IntoView {
    let section = section_path("appearance");
    let variables = section.key("variables");
    let known: Vec<String> = kit.tokens.iter().map(|t| t.name.clone()).collect();
    let shared: Vec<Token> = kit
        .tokens
        .iter()
        .filter(|t| t.widget.is_none())
        .cloned()
        .collect();
    let mut widgets: Vec<(String, Vec<Token>)> = Vec::new();
    for token in kit.tokens.iter().filter(|t| t.widget.is_some()) {
        let widget = token.widget.clone().unwrap_or_default();
        match widgets.iter_mut().find(|(name, _)| *name == widget) {
            Some((_, tokens)) => tokens.push(token.clone()),
            None => widgets.push((widget, vec![token.clone()])),
        }
    }
    // Tokens set that the kit does not know: kept and editable, never hidden.
    let others = {
        let variables = variables.clone();
        Memo::new(move |_| {
            form.value(&variables)
                .and_then(|value| value.as_object().cloned())
                .unwrap_or_default()
                .keys()
                .filter(|name| !known.contains(name))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let rows = {
        let variables = variables.clone();
        move |tokens: Vec<Token>| {
            tokens
                .into_iter()
                .map(|token| row(form, &variables, token))
                .collect_view()
        }
    };
    let other_rows = {
        let variables = variables.clone();
        move || {
            others
                .get()
                .into_iter()
                .map(|name| {
                    let token = Token {
                        name,
                        kind: String::new(),
                        light: String::new(),
                        dark: None,
                        follows: None,
                        about: "Not a token of this version's widgets.".into(),
                        widget: None,
                    };
                    row(form, &variables, token)
                })
                .collect_view()
        }
    };
    view! {
        <h2 id=field_id(&section) tabindex="-1">"Appearance"</h2>
        <p class="help">
            "How the widgets look on every page of the shop. A theme developer's settings on a \
             page (" <code>"comebackSettings.appearance"</code> ", the element's " <code>"theme"</code>
            ") win over these. Shop pages show a change within a minute."
        </p>
        {scheme(form, section.key("theme"))}
        <fieldset class="tokens">
            <legend>"Every widget"</legend>
            {rows(shared)}
        </fieldset>
        {widgets.into_iter().map(|(widget, tokens)| view! {
            <details class="tokens">
                <summary>{format!("{} widget", label(&widget))}</summary>
                {rows(tokens)}
            </details>
        }).collect_view()}
        {move || (!others.with(Vec::is_empty)).then(|| view! {
            <fieldset class="tokens">
                <legend>"Other tokens"</legend>
                {other_rows.clone()}
            </fieldset>
        })}
    }
}

/// The colour scheme: light (the default), dark, or as the shopper's system is set.
fn scheme(form: Form, path: Path) -> impl IntoView {
    let id = field_id(&path);
    let value = {
        let path = path.clone();
        move || {
            form.value(&path)
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        }
    };
    let change = {
        let path = path.clone();
        move |event| match event_target_value(&event).as_str() {
            "" => form.remove(&path),
            theme => form.set(&path, Value::String(theme.to_owned())),
        }
    };
    let error = {
        let (path, id) = (path.clone(), id.clone());
        move || {
            form.error_at(&path)
                .map(|message| view! { <p class="error" id=format!("{id}-error")>{message}</p> })
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>"Colour scheme " <code class="key">"theme"</code></label>
            <select id=id disabled=!form.editable on:change=change>
                {[
                    ("", "Light (the default)"),
                    ("dark", "Dark"),
                    ("auto", "As the shopper's system is set"),
                ]
                .map(|(choice, text)| {
                    let value = value.clone();
                    view! { <option value=choice prop:selected=move || value() == choice>{text}</option> }
                })
                .collect_view()}
            </select>
            {error}
        </div>
    }
}

/// What an empty input means: the token's default.
fn default_text(token: &Token) -> String {
    if let Some(follows) = &token.follows {
        return format!("Same as {follows}");
    }
    match &token.dark {
        Some(dark) if *dark != token.light => format!("{} (dark: {dark})", token.light),
        _ => token.light.clone(),
    }
}

/// A `#rrggbb` for the colour picker: the value when it is a hex colour, else the
/// default's, else black.
fn picker_value(value: &str, token: &Token) -> String {
    [value, token.light.as_str()]
        .into_iter()
        .find_map(hex_colour)
        .unwrap_or_else(|| "#000000".into())
}

/// `#rgb` or `#rrggbb` as `#rrggbb`, lowercase; `None` for anything else.
fn hex_colour(text: &str) -> Option<String> {
    let digits = text.trim().strip_prefix('#')?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match digits.len() {
        6 => Some(format!("#{}", digits.to_ascii_lowercase())),
        3 => Some(
            digits
                .chars()
                .flat_map(|c| [c, c])
                .fold(String::from("#"), |mut out, c| {
                    out.push(c.to_ascii_lowercase());
                    out
                }),
        ),
        _ => None,
    }
}

/// One token: what it styles, its value (empty for the default), a picker for colours.
fn row(form: Form, variables: &Path, token: Token) -> AnyView {
    let path = variables.key(&token.name);
    let id = field_id(&path);
    let value = Memo::new({
        let path = path.clone();
        move |_| {
            form.value(&path)
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        }
    });
    let set = {
        let path = path.clone();
        move |text: String| {
            let text = text.trim();
            if text.is_empty() {
                form.remove(&path);
            } else {
                form.set(&path, Value::String(text.to_owned()));
            }
        }
    };
    let has_error = Memo::new({
        let path = path.clone();
        move |_| form.error_at(&path).is_some()
    });
    let error = {
        let (path, id) = (path.clone(), id.clone());
        move || {
            form.error_at(&path)
                .map(|message| view! { <p class="error" id=format!("{id}-error")>{message}</p> })
        }
    };
    let picker = (token.kind == "color").then(|| {
        let set = set.clone();
        let token = token.clone();
        view! {
            <input type="color" class="swatch" disabled=!form.editable
                aria-label=format!("Pick {}", token.name)
                prop:value=move || picker_value(&value.get(), &token)
                on:input=move |event| set(event_target_value(&event))/>
        }
    });
    let reset = {
        let path = path.clone();
        let name = token.name.clone();
        move || {
            (form.editable && !value.get().is_empty()).then(|| {
                let path = path.clone();
                view! {
                    <button type="button" class="quiet small" on:click=move |_| form.remove(&path)
                        aria-label=format!("Use the default of {name}")>"Default"</button>
                }
            })
        }
    };
    view! {
        <div class="field token">
            <label for=id.clone()>{token.about.clone()} " " <code class="key">{token.name.clone()}</code></label>
            <div class="token-input">
                {picker}
                <input id=id.clone() prop:value=move || value.get() placeholder=default_text(&token)
                    disabled=!form.editable spellcheck="false" autocomplete="off"
                    on:change=move |event| set(event_target_value(&event))
                    aria-invalid=move || has_error.get().then_some("true")
                    aria-describedby=move || has_error.get().then(|| format!("{id}-error"))/>
                {reset}
            </div>
            {error}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(light: &str, dark: Option<&str>, follows: Option<&str>) -> Token {
        Token {
            name: "--comeback-color-accent".into(),
            kind: "color".into(),
            light: light.into(),
            dark: dark.map(Into::into),
            follows: follows.map(Into::into),
            about: String::new(),
            widget: None,
        }
    }

    #[test]
    fn the_picker_shows_a_hex_value_or_the_default() {
        let accent = token("#2f6b4f", Some("#7fc8a0"), None);
        assert_eq!(picker_value("#ABC", &accent), "#aabbcc");
        assert_eq!(picker_value("#8A3B12", &accent), "#8a3b12");
        assert_eq!(picker_value("rebeccapurple", &accent), "#2f6b4f");
        assert_eq!(
            picker_value("", &token("var(--cb-accent)", None, None)),
            "#000000"
        );
        assert_eq!(hex_colour("#12345"), None);
        assert_eq!(hex_colour("#ggg"), None);
    }

    #[test]
    fn an_empty_input_says_what_the_default_is() {
        assert_eq!(
            default_text(&token("#2f6b4f", Some("#7fc8a0"), None)),
            "#2f6b4f (dark: #7fc8a0)"
        );
        assert_eq!(default_text(&token("12px", None, None)), "12px");
        assert_eq!(
            default_text(&token(
                "var(--cb-accent)",
                None,
                Some("--comeback-color-accent")
            )),
            "Same as --comeback-color-accent"
        );
    }
}
