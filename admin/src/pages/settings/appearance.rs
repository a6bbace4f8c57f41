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
    /// Text and background pairs that must stay readable.
    #[serde(default)]
    contrast: Vec<Pair>,
}

/// A text and background pair and the least contrast it needs (WCAG AA).
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Pair {
    text: String,
    background: String,
    minimum: f64,
    about: String,
}

/// A pair under its minimum in one colour scheme.
#[derive(Debug, Clone, PartialEq)]
struct Unreadable {
    pair: Pair,
    dark: bool,
    ratio: f64,
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
        {paste_box(form)}
        {readability(form, kit.clone())}
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
    let error = fields::error_line(form, path.clone(), id.clone());
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

/// A look copied from the theme playground: its scheme (`None` for light) and tokens,
/// and whether it also had `::part()` rules, which stay with the page.
#[derive(Debug, Clone, PartialEq)]
struct Pasted {
    theme: Option<String>,
    variables: serde_json::Map<String, Value>,
    rules_left_out: bool,
}

/// Reads what the playground's Copy gives, in either format: the
/// `Comeback.setAppearance({…})` call (its object as JSON), or the CSS block (every
/// `--comeback-…: value;` declaration, and the scheme from its `theme="…"` note).
/// `None` when it holds no token and no scheme.
fn parse_paste(text: &str) -> Option<Pasted> {
    let scheme = |theme: &str| ["dark", "auto"].contains(&theme).then(|| theme.to_owned());
    if let (Some(start), Some(end)) = (text.find('{'), text.rfind('}')) {
        if let Ok(Value::Object(object)) = serde_json::from_str::<Value>(&text[start..=end]) {
            let variables: serde_json::Map<String, Value> = object
                .get("variables")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(name, value)| Some((name.clone(), value.as_str()?.trim().into())))
                .collect();
            let theme = object.get("theme").and_then(Value::as_str);
            let rules = object.get("rules").and_then(Value::as_str);
            return (theme.is_some() || !variables.is_empty()).then(|| Pasted {
                theme: theme.and_then(scheme),
                variables,
                rules_left_out: rules.is_some_and(|rules| !rules.trim().is_empty()),
            });
        }
    }
    let variables: serde_json::Map<String, Value> = text
        .split([';', '{', '}'])
        .filter_map(|piece| {
            let (name, value) = piece.split_once(':')?;
            let name = name.trim();
            (name.starts_with("--comeback-") && !value.trim().is_empty())
                .then(|| (name.to_owned(), value.trim().into()))
        })
        .collect();
    let theme = text
        .split_once("theme=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .and_then(|(theme, _)| scheme(theme));
    (theme.is_some() || !variables.is_empty()).then(|| Pasted {
        theme,
        variables,
        rules_left_out: text.contains("::part("),
    })
}

/// "Paste from the theme playground": a look a theme developer made there replaces the
/// section's scheme and tokens (saved only with Save, checked as any edit).
fn paste_box(form: Form) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let said = RwSignal::new(None::<(bool, String)>);
    let take = move |_| {
        let Some(pasted) = text.with(|text| parse_paste(text)) else {
            said.set(Some((
                false,
                "Nothing to take: paste the CSS block or the Comeback.setAppearance call \
                 the playground copies."
                    .into(),
            )));
            return;
        };
        let section = section_path("appearance");
        match &pasted.theme {
            Some(theme) => form.set(&section.key("theme"), Value::String(theme.clone())),
            None => form.remove(&section.key("theme")),
        }
        let count = pasted.variables.len();
        form.set(&section.key("variables"), Value::Object(pasted.variables));
        let mut message = format!(
            "Took {count} token{} and the {} scheme; save to publish them.",
            if count == 1 { "" } else { "s" },
            pasted.theme.as_deref().unwrap_or("light")
        );
        if pasted.rules_left_out {
            message.push_str(
                " The ::part() rules were left out: they stay in the page's CSS, the \
                 dashboard sets tokens only.",
            );
        }
        said.set(Some((true, message)));
        text.set(String::new());
    };
    form.editable.then(|| {
        view! {
            <details class="tokens">
                <summary>"Paste from the theme playground"</summary>
                <label for="appearance-paste">
                    "The CSS or the Comeback.setAppearance call its Copy gives (replaces the \
                     scheme and tokens below)"
                </label>
                <textarea id="appearance-paste" rows="5" spellcheck="false" bind:value=text></textarea>
                <div>
                    <button type="button" class="quiet small" on:click=take>"Use this look"</button>
                </div>
                <p role="status" class=move || match said.get() {
                    Some((false, _)) => "error",
                    _ => "note",
                }>{move || said.get().map(|(_, message)| message)}</p>
            </details>
        }
    })
}

/// The pairs the look being edited puts under WCAG AA contrast, in each scheme it
/// shows (light, dark, or both for `auto`); pairs with a colour that is not a hex
/// colour (a `var(…)`, a name) are not judged.
fn unreadable(kit: &Kit, look: &Value) -> Vec<Unreadable> {
    let variables = look
        .get("variables")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let schemes: &[bool] = match look.get("theme").and_then(Value::as_str) {
        Some("dark") => &[true],
        Some("auto") => &[false, true],
        _ => &[false],
    };
    let mut found = Vec::new();
    for &dark in schemes {
        for pair in &kit.contrast {
            let colour = |name: &str| resolve(&kit.tokens, &variables, name, dark, 0);
            let (Some(text), Some(background)) = (colour(&pair.text), colour(&pair.background))
            else {
                continue;
            };
            let ratio = contrast(text, background);
            if ratio + 1e-9 < pair.minimum {
                found.push(Unreadable {
                    pair: pair.clone(),
                    dark,
                    ratio,
                });
            }
        }
    }
    found
}

/// The colour token `name` takes: the value set, else the scheme's default (through
/// the token it follows, where it follows one); `None` when that is not a hex colour.
fn resolve(
    tokens: &[Token],
    variables: &serde_json::Map<String, Value>,
    name: &str,
    dark: bool,
    depth: usize,
) -> Option<[f64; 3]> {
    if let Some(value) = variables.get(name) {
        return rgb(value.as_str()?);
    }
    let token = tokens.iter().find(|token| token.name == name)?;
    match &token.follows {
        Some(follows) if depth < 4 => resolve(tokens, variables, follows, dark, depth + 1),
        _ => rgb(match (&token.dark, dark) {
            (Some(dark), true) => dark,
            _ => &token.light,
        }),
    }
}

/// A hex colour's red, green and blue, from 0 to 1.
fn rgb(text: &str) -> Option<[f64; 3]> {
    let hex = hex_colour(text)?;
    let channel = |at: usize| {
        u8::from_str_radix(&hex[at..at + 2], 16)
            .ok()
            .map(|c| f64::from(c) / 255.0)
    };
    Some([channel(1)?, channel(3)?, channel(5)?])
}

/// The WCAG contrast ratio of two colours, from 1 to 21.
fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
    let luminance = |[r, g, b]: [f64; 3]| {
        let linear = |c: f64| {
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    };
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// A live note of every pair the look puts under WCAG AA contrast.
fn readability(form: Form, kit: Kit) -> impl IntoView {
    let found = Memo::new(move |_| {
        form.document
            .with(|document| unreadable(&kit, &document["appearance"]))
    });
    view! {
        <div class="readability" role="status">
            {move || (!found.with(Vec::is_empty)).then(|| view! {
                <p class="warning">
                    <strong>{move || format!("Hard to read: {} below WCAG AA contrast", found.with(Vec::len))}</strong>
                </p>
                <ul>
                    {move || found.get().into_iter().map(|item| view! {
                        <li data-pair=format!("{} {}", item.pair.text, item.pair.background)>
                            {item.pair.about.clone()} " " <code>{item.pair.text.clone()}</code> " on "
                            <code>{item.pair.background.clone()}</code>
                            {format!(
                                ": {:.2}:1, needs {}:1{}",
                                item.ratio,
                                item.pair.minimum,
                                if item.dark { " (dark)" } else { "" }
                            )}
                        </li>
                    }).collect_view()}
                </ul>
            })}
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
    let error = fields::error_line(form, path.clone(), id.clone());
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
                        aria-label=format!("Default for {name}")>"Default"</button>
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
    use serde_json::json;

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

    fn kit() -> Kit {
        let colour = |name: &str, light: &str, dark: &str| Token {
            name: name.into(),
            kind: "color".into(),
            light: light.into(),
            dark: Some(dark.into()),
            follows: None,
            about: String::new(),
            widget: None,
        };
        let mut button = colour("--comeback-launcher-background", "var(--cb-accent)", "");
        button.dark = None;
        button.follows = Some("--comeback-color-accent".into());
        Kit {
            tokens: vec![
                colour("--comeback-color-accent", "#2f6b4f", "#7fc8a0"),
                colour("--comeback-color-on-accent", "#ffffff", "#10241a"),
                button,
            ],
            contrast: vec![Pair {
                text: "--comeback-color-on-accent".into(),
                background: "--comeback-launcher-background".into(),
                minimum: 4.5,
                about: "The launcher's label.".into(),
            }],
        }
    }

    #[test]
    fn contrast_follows_the_wcag_formula() {
        let black = [0.0; 3];
        let white = [1.0; 3];
        assert!((contrast(black, white) - 21.0).abs() < 1e-9);
        assert!((contrast(white, white) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic 4.54:1.
        let grey = rgb("#767676").unwrap();
        assert!((contrast(grey, white) - 4.54).abs() < 0.01);
    }

    #[test]
    fn the_defaults_are_readable_and_a_pale_accent_is_not() {
        let kit = kit();
        assert_eq!(unreadable(&kit, &json!({"theme": "auto"})), vec![]);
        let pale = json!({"variables": {"--comeback-color-accent": "#ffeeee"}});
        let found = unreadable(&kit, &pale);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(!found[0].dark && found[0].ratio < 1.2);
        // In the dark scheme the dark text on the same pale accent reads well.
        let dark = json!({"theme": "dark", "variables": {"--comeback-color-accent": "#ffeeee"}});
        assert_eq!(unreadable(&kit, &dark), vec![]);
        // A colour that is not hex is not judged.
        let named = json!({"variables": {"--comeback-color-accent": "white"}});
        assert_eq!(unreadable(&kit, &named), vec![]);
    }

    #[test]
    fn a_look_from_the_playground_is_read_in_either_format() {
        let call = "Comeback.setAppearance({\n  \"theme\": \"dark\",\n  \"variables\": {\n    \"--comeback-color-accent\": \"#c9a54a\"\n  },\n  \"rules\": \":host(comeback-loyalty) [part~=\\\"balance\\\"] { font-size: 2rem }\"\n});\n";
        let pasted = parse_paste(call).unwrap();
        assert_eq!(pasted.theme.as_deref(), Some("dark"));
        assert_eq!(pasted.variables["--comeback-color-accent"], "#c9a54a");
        assert!(pasted.rules_left_out);

        let css = "/* Set theme=\"auto\" on each <comeback-…> element. */\n:root {\n  --comeback-color-accent: var(--color-indigo-600);\n  --comeback-radius: 4px;\n}\ncomeback-loyalty::part(balance) { font-size: 2.5rem }\n";
        let pasted = parse_paste(css).unwrap();
        assert_eq!(pasted.theme.as_deref(), Some("auto"));
        assert_eq!(pasted.variables.len(), 2);
        assert_eq!(
            pasted.variables["--comeback-color-accent"],
            "var(--color-indigo-600)"
        );
        assert!(pasted.rules_left_out);

        let light = parse_paste(":root { --comeback-radius: 0; }").unwrap();
        assert_eq!(light.theme, None);
        assert!(!light.rules_left_out);
        assert_eq!(parse_paste("hello"), None);
        assert_eq!(parse_paste("{\"variables\": {}}"), None);
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
