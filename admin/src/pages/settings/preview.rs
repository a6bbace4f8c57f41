//! The preview beside a section's form: the section's widget, as a shopper who is not
//! signed in sees it with the saved settings, in a frame of `/admin/preview.html`
//! (which loads the widget from this server's bundle).

use leptos::prelude::*;
use serde_json::Value;

/// The widget that shows a section, and the attribute it needs from the settings.
fn widget_of(
    section: &str,
    saved: &Value,
) -> Option<(&'static str, Option<(&'static str, String)>)> {
    match section {
        "loyalty" => Some(("loyalty", None)),
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

/// The preview of one section's widget.
#[component]
pub fn Preview(
    /// The frame's address.
    url: String,
    /// The section's name, for the frame's title.
    label: String,
) -> impl IntoView {
    view! {
        <section class="preview" aria-labelledby="settings-preview">
            <h2 id="settings-preview">"Preview"</h2>
            <p class="note">
                "The widget as a shopper who is not signed in sees it, with the saved \
                 settings: save to see a change here."
            </p>
            <iframe title=format!("Preview of the {label} widget") src=url></iframe>
        </section>
    }
}
