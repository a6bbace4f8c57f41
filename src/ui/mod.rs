//! Small view pieces shared by the widgets. They take already-translated text, so a
//! widget re-renders them as plain values instead of wiring a reactive closure per string.

use leptos::prelude::*;

/// Placeholder bars with the footprint of loaded content, so nothing jumps.
pub fn skeleton(loading: String) -> impl IntoView {
    view! {
        <div class="cb-skeleton" part="skeleton" aria-busy="true">
            <span></span>
            <span></span>
            <span></span>
            <span></span>
            <p class="cb-sr-only">{loading}</p>
        </div>
    }
}

/// The polite message shown when something failed, with a button to try again.
pub fn fallback(
    message: String,
    retry_label: String,
    on_retry: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <div class="cb-fallback" part="fallback" role="status">
            <p>{message}</p>
            <button type="button" class="cb-btn cb-btn--quiet" on:click=move |_| on_retry()>
                {retry_label}
            </button>
        </div>
    }
}

/// Copies `text` to the clipboard; resolves to whether it worked. `false` where the
/// page has no `navigator.clipboard` (a shop on plain http): calling it there would throw.
pub async fn copy_to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator = window.navigator();
    let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|clipboard| clipboard.is_object());
    if !has_clipboard {
        return false;
    }
    let promise = navigator.clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}
