//! The dashboard's pages, one module each.

pub mod activity;
pub mod customer;
pub mod customers;
pub mod overview;
pub mod segments;
pub mod sign_in;

use leptos::prelude::*;

use crate::api::ApiError;
use crate::load::Loaded;

/// A loaded value shown with `ready`, or the loading line, or the error.
pub fn show<T: Clone + Send + Sync + 'static, V: IntoView + 'static>(
    state: ReadSignal<Loaded<T>>,
    ready: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView {
    move || match state.get() {
        Loaded::Loading => view! { <p class="loading" role="status">"Loading…"</p> }.into_any(),
        Loaded::Failed(error) => view! { <Failure error/> }.into_any(),
        Loaded::Ready(value) => ready(value).into_any(),
    }
}

/// What went wrong, where the page would have been.
#[component]
pub fn Failure(
    /// The failure.
    error: ApiError,
) -> impl IntoView {
    view! { <p class="error" role="alert">{error.message}</p> }
}

/// A figure with its label, on the overview and customer pages.
#[component]
pub fn Figure(
    /// What it is.
    label: &'static str,
    /// The figure, written.
    value: String,
    /// A line under it, if any.
    #[prop(optional, into)]
    note: Option<String>,
) -> impl IntoView {
    view! {
        <div class="figure">
            <span class="label">{label}</span>
            <span class="value">{value}</span>
            {note.map(|note| view! { <span class="note">{note}</span> })}
        </div>
    }
}
