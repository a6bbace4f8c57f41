//! The dashboard's pages, one module each.

pub mod activity;
pub mod customer;
pub mod customers;
pub mod overview;
pub mod segments;
pub mod settings;
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

/// A column of a [`Table`]: its heading, and whether it holds numbers (right-aligned).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    label: &'static str,
    number: bool,
}

impl Column {
    /// A column of text.
    pub const fn text(label: &'static str) -> Column {
        Column {
            label,
            number: false,
        }
    }

    /// A column of numbers.
    pub const fn number(label: &'static str) -> Column {
        Column {
            label,
            number: true,
        }
    }
}

/// A table with its column headings; its rows are the children.
#[component]
pub fn Table(
    /// The columns, in order.
    columns: &'static [Column],
    /// A class for the table, if any.
    #[prop(optional)]
    class: &'static str,
    /// The rows (`<tr>` elements).
    children: Children,
) -> impl IntoView {
    view! {
        <table class=(!class.is_empty()).then_some(class)>
            <thead><tr>
                {columns.iter().map(|column| view! {
                    <th class=column.number.then_some("number")>{column.label}</th>
                }).collect_view()}
            </tr></thead>
            <tbody>{children()}</tbody>
        </table>
    }
}
