//! The preview beside a section's form: the section's widget, as a shopper who is not
//! signed in sees it with the saved settings, in a frame of `/admin/preview.html`
//! (which loads the widget from this server's bundle). The Appearance section's frame
//! also shows the unsaved look as it is edited, sent to the frame as a message.

use leptos::prelude::*;
use serde_json::Value;

/// The widget that shows a section, and the attribute it needs from the settings.
fn widget_of(
    section: &str,
    saved: &Value,
) -> Option<(&'static str, Option<(&'static str, String)>)> {
    match section {
        "loyalty" | "appearance" => Some(("loyalty", None)),
        "referrals" => Some(("referral", None)),
        "help" => Some(("help", None)),
        // The toggle of the first product a plan names.
        "subscriptions" => {
            let product = saved
                .pointer("/subscriptions/plans")?
                .as_array()?
                .iter()
                .find_map(|plan| plan.get("products")?.as_array()?.first()?.as_str())?;
            Some(("subscribe", Some(("product", product.to_owned()))))
        }
        _ => None,
    }
}

/// The address of the preview of `section` for `shop`; `None` for a section without a
/// widget to show (or a subscription section without a product). `version` makes a
/// new save load a new page.
pub fn preview_url(shop: &str, section: &str, saved: &Value, version: i64) -> Option<String> {
    let (widget, attribute) = widget_of(section, saved)?;
    let mut url = format!(
        "preview.html?shop={}&widget={widget}&v={version}",
        js_sys::encode_uri_component(shop)
    );
    if let Some((name, value)) = attribute {
        url.push_str(&format!("&{name}={}", js_sys::encode_uri_component(&value)));
    }
    Some(url)
}

/// The look the preview shows for an edited Appearance section, as the page's own
/// appearance (which wins over the shop's saved one): the draft's scheme (light when it
/// sets none) and tokens, and `initial` for each token only the saved version sets, so
/// that the widget falls back to that token's default as it will once saved.
pub fn draft_look(draft: &Value, saved: &Value) -> Value {
    let tokens = |look: &Value| {
        look.get("variables")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let mut variables = tokens(draft);
    for name in tokens(saved).keys() {
        if !variables.contains_key(name) {
            variables.insert(name.clone(), Value::String("initial".into()));
        }
    }
    let theme = draft
        .get("theme")
        .and_then(Value::as_str)
        .unwrap_or("light");
    serde_json::json!({ "theme": theme, "variables": variables })
}

/// Posts `look` to the frame's page as `{"appearance": look}`, to this origin only.
fn post_look(frame: &web_sys::HtmlIFrameElement, look: &Value) {
    let message = serde_json::json!({ "appearance": look }).to_string();
    let (Some(target), Ok(message), Some(origin)) = (
        frame.content_window(),
        js_sys::JSON::parse(&message),
        web_sys::window().and_then(|window| window.location().origin().ok()),
    ) else {
        return;
    };
    let _ = target.post_message(&message, &origin);
}

/// The preview of one section's widget.
#[component]
pub fn Preview(
    /// The frame's address.
    url: String,
    /// The section's name, for the frame's title.
    label: String,
    /// The unsaved look to show as it changes (the Appearance section's).
    #[prop(optional)]
    look: Option<Signal<Value>>,
) -> impl IntoView {
    let frame = NodeRef::<leptos::html::Iframe>::new();
    if let Some(look) = look {
        Effect::new(move |_| {
            let look = look.get();
            if let Some(frame) = frame.get() {
                post_look(&frame, &look);
            }
        });
    }
    let loaded = move |_| {
        if let (Some(look), Some(frame)) = (look, frame.get_untracked()) {
            post_look(&frame, &look.get_untracked());
        }
    };
    let note = if look.is_some() {
        "The widget as a shopper who is not signed in sees it, with the appearance as you \
         edit it."
    } else {
        "The widget as a shopper who is not signed in sees it, with the saved settings: save \
         to see a change here."
    };
    view! {
        <section class="preview" aria-labelledby="settings-preview">
            <h2 id="settings-preview">"Preview"</h2>
            <p class="note">{note}</p>
            <iframe node_ref=frame title=format!("Preview of the {label} widget") src=url
                on:load=loaded></iframe>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_draft_look_unsets_what_only_the_saved_version_sets() {
        let saved = json!({"theme": "dark", "variables": {"--comeback-radius": "4px", "--comeback-color-accent": "#111111"}});
        let draft = json!({"variables": {"--comeback-color-accent": "#8a3b12"}});
        assert_eq!(
            draft_look(&draft, &saved),
            json!({"theme": "light", "variables": {"--comeback-color-accent": "#8a3b12", "--comeback-radius": "initial"}})
        );
        assert_eq!(
            draft_look(&Value::Null, &Value::Null),
            json!({"theme": "light", "variables": {}})
        );
    }
}
