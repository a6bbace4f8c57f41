//! The preview beside a section's form: the section's widget, as a shopper who is not
//! signed in sees it, in a frame of `/admin/preview.html`
//! (which loads the widget from this server's bundle). An owner's unsaved changes reach
//! the frame as a message: the look at once, the rest through the preview endpoint.

use comeback_core::settings::PREVIEW_READS;
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

/// What the dashboard tells the preview's frame: `{"appearance": <look>, "document":
/// <draft or null>, "reads": PREVIEW_READS}`. The look is laid on as the page's own appearance at once; the
/// rest of an unsaved draft (the document without its appearance, `null` when it
/// matches the saved version) is what the frame's widgets read, through the preview
/// endpoint, after the frame reloads.
pub fn frame_message(draft: &Value, saved: &Value) -> Value {
    let split = |document: &Value| {
        let mut rest = document.clone();
        let look = rest
            .as_object_mut()
            .and_then(|sections| sections.remove("appearance"))
            .unwrap_or(Value::Null);
        (rest, look)
    };
    let (draft_rest, draft_look_of) = split(draft);
    let (saved_rest, saved_look_of) = split(saved);
    serde_json::json!({
        "appearance": draft_look(&draft_look_of, &saved_look_of),
        "document": if draft_rest == saved_rest { Value::Null } else { draft_rest },
        "reads": PREVIEW_READS,
    })
}

/// Posts `message` to the frame's page, to this origin only.
fn post(frame: &web_sys::HtmlIFrameElement, message: &Value) {
    let (Some(target), Ok(message), Some(origin)) = (
        frame.content_window(),
        js_sys::JSON::parse(&message.to_string()),
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
    /// What to tell the frame as the settings are edited ([`frame_message`]).
    message: Signal<Value>,
    /// Whether the settings are edited here (otherwise the frame shows the saved ones).
    editable: bool,
) -> impl IntoView {
    let frame = NodeRef::<leptos::html::Iframe>::new();
    Effect::new(move |_| {
        let message = message.get();
        if let Some(frame) = frame.get() {
            post(&frame, &message);
        }
    });
    let loaded = move |_| {
        if let Some(frame) = frame.get_untracked() {
            post(&frame, &message.get_untracked());
        }
    };
    let note = if editable {
        "The widget as a shopper who is not signed in would see it with your changes, before \
         they are saved."
    } else {
        "The widget as a shopper who is not signed in sees it."
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
    fn the_frame_gets_the_look_and_only_a_draft_that_differs() {
        let saved = json!({"loyalty": {"points_per_unit": 1}, "appearance": {"theme": "dark"}});
        let mut draft = saved.clone();
        draft["appearance"]["theme"] = json!("auto");
        assert_eq!(
            frame_message(&draft, &saved),
            json!({
                "appearance": {"theme": "auto", "variables": {}},
                "document": null,
                "reads": PREVIEW_READS,
            })
        );
        draft["loyalty"]["points_per_unit"] = json!(2);
        assert_eq!(
            frame_message(&draft, &saved)["document"],
            json!({"loyalty": {"points_per_unit": 2}})
        );
    }

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
