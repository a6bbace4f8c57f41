//! What the referral widget asks of the page it sits in: the link resolved against the
//! page's address, the browser's share sheet and a copy that still works without the
//! Clipboard API, and the stored referral the loader keeps (`comeback:referral:<shop>`,
//! read by the banner, which only adds that the friend closed it).

use js_sys::{Function, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::model;
use crate::wire::{get, object_of};

/// `link` as an absolute http(s) address: the API may send a path (`/?ref=K7M-2QX`),
/// which is resolved against the page's address. `None` for any other scheme.
pub fn resolve(link: &str) -> Option<String> {
    let here = web_sys::window()?.location().href().ok()?;
    let url = web_sys::Url::new_with_base(link.trim(), &here).ok()?;
    matches!(url.protocol().as_str(), "http:" | "https:").then(|| url.href())
}

fn navigator() -> Option<JsValue> {
    Some(web_sys::window()?.navigator().into())
}

/// `navigator.share`, where the browser has it.
fn share_function() -> Option<Function> {
    Reflect::get(&navigator()?, &"share".into())
        .ok()?
        .dyn_into()
        .ok()
}

/// Whether the browser has a share sheet (the Web Share API).
pub fn can_share() -> bool {
    share_function().is_some()
}

/// Opens the share sheet with `text` and `url`; resolves to whether the shopper shared
/// (closing the sheet is not a failure to report).
pub async fn share(title: &str, text: &str, url: &str) -> bool {
    let (Some(share), Some(navigator)) = (share_function(), navigator()) else {
        return false;
    };
    let data = object_of(&[
        ("title", title.into()),
        ("text", text.into()),
        ("url", url.into()),
    ]);
    let Ok(promise) = share.call1(&navigator, &data) else {
        return false;
    };
    match promise.dyn_into::<js_sys::Promise>() {
        Ok(promise) => JsFuture::from(promise).await.is_ok(),
        Err(_) => false,
    }
}

/// Copies `text`: through the Clipboard API, else by selecting it in `field` (the
/// widget's read-only field holding it) and the browser's copy command. Resolves to
/// whether it was copied; when not, the text is left selected for the shopper.
pub async fn copy(text: &str, field: Option<web_sys::HtmlInputElement>) -> bool {
    if crate::ui::copy_to_clipboard(text).await {
        return true;
    }
    let Some(field) = field else {
        return false;
    };
    let _ = field.focus();
    field.select();
    let document: Option<JsValue> = field.owner_document().map(Into::into);
    let exec = document.as_ref().and_then(|document| {
        Reflect::get(document, &"execCommand".into())
            .ok()?
            .dyn_into::<Function>()
            .ok()
    });
    match (exec, document) {
        (Some(exec), Some(document)) => exec
            .call1(&document, &"copy".into())
            .is_ok_and(|done| done.as_bool() == Some(true)),
        _ => false,
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The stored entry (`{code, until, dismissed?}`), if it parses as an object.
fn entry(shop: &str) -> Option<JsValue> {
    let text = storage()?.get_item(&model::storage_key(shop)).ok()??;
    JSON::parse(&text).ok().filter(JsValue::is_object)
}

/// The referral code this device still holds for `shop` (canonical), unless the friend
/// closed its banner.
pub fn stored_code(shop: &str) -> Option<String> {
    let entry = entry(shop)?;
    if get(&entry, "dismissed").as_bool() == Some(true) {
        return None;
    }
    let code = get(&entry, "code").as_string();
    model::live_code(
        code.as_deref(),
        get(&entry, "until").as_f64(),
        js_sys::Date::now() / 1000.0,
    )
}

/// Remembers that the friend closed the banner of the stored code. The loader writes a
/// new entry (without the mark) when another link brings another code.
pub fn dismiss(shop: &str) {
    let (Some(entry), Some(storage)) = (entry(shop), storage()) else {
        return;
    };
    let _ = Reflect::set(&entry, &"dismissed".into(), &JsValue::TRUE);
    if let Ok(text) = JSON::stringify(&entry) {
        // A full or blocked storage only means the banner shows again on the next page.
        let _ = storage.set_item(&model::storage_key(shop), &String::from(text));
    }
}
