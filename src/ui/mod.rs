//! Small view primitives shared by the widgets.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::embed::WidgetContext;
use crate::i18n::Key;

/// Placeholder bars with the same footprint as loaded content, so nothing jumps.
#[component]
pub fn Skeleton() -> impl IntoView {
    let ctx = WidgetContext::get();
    view! {
        <div class="cb-skeleton" part="skeleton" aria-busy="true">
            <span></span>
            <span></span>
            <span></span>
            <span></span>
            <p class="cb-sr-only">{move || ctx.t(Key::Loading)}</p>
        </div>
    }
}

/// The polite message shown when something failed, with a way to try again.
#[component]
pub fn Fallback(
    /// The message to show.
    #[prop(into)]
    message: Signal<String>,
    /// Called when the shopper asks to try again; no button without it.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    view! {
        <div class="cb-fallback" part="fallback" role="status">
            <p>{message}</p>
            {on_retry.map(|retry| view! {
                <button type="button" class="cb-btn cb-btn--quiet" on:click=move |_| retry.run(())>
                    {move || ctx.t(Key::Retry)}
                </button>
            })}
        </div>
    }
}

/// A button that copies `text` to the clipboard, says so for a moment, and calls
/// `on_copied`.
#[component]
pub fn CopyButton(
    /// The text to copy.
    #[prop(into)]
    text: String,
    /// Called after a successful copy.
    #[prop(optional)]
    on_copied: Option<Callback<String>>,
) -> impl IntoView {
    let ctx = WidgetContext::get();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let text = text.clone();
        leptos::task::spawn_local(async move {
            let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
                return;
            };
            if JsFuture::from(clipboard.write_text(&text)).await.is_ok() {
                copied.set(true);
                if let Some(on_copied) = on_copied {
                    on_copied.run(text);
                }
                gloo_timers::future::TimeoutFuture::new(2_000).await;
                copied.try_set(false);
            }
        });
    };
    view! {
        <button type="button" class="cb-btn cb-btn--quiet" part="copy-button" on:click=copy>
            <span aria-live="polite">
                {move || ctx.t(if copied.get() { Key::Copied } else { Key::Copy })}
            </span>
        </button>
    }
}
