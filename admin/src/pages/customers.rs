//! The customer search: by id, email or name.

use comeback_core::dashboard::{CustomerHit, CustomerSearch};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::{show, Column, Table};
use crate::format::{day, money};
use crate::load::use_get;
use crate::route::{encode, Route};
use crate::{api, App};

/// The columns of the search results.
const RESULTS: &[Column] = &[
    Column::text("Customer"),
    Column::text("Email"),
    Column::text("Name"),
    Column::number("Points"),
    Column::number("Orders"),
    Column::number("Spent"),
    Column::text("Last order"),
];

/// Most customers a search lists.
const LIMIT: u32 = 50;

/// The search form and, once something was searched, its results.
#[component]
pub fn Customers(
    /// What was searched for (empty: nothing yet).
    query: String,
) -> impl IntoView {
    let app = App::get();
    let text = RwSignal::new(query.clone());
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        app.go(&Route::Customers {
            query: text.get_untracked().trim().to_owned(),
        });
    };
    let searched = query.trim().to_owned();
    let results = (!searched.is_empty()).then(|| {
        let (state, _) = use_get::<CustomerSearch, _>(move || {
            let session = app.session()?;
            Some(api::admin_url(
                &session,
                &format!("/customers?q={}&limit={LIMIT}", encode(&searched)),
            ))
        });
        show(
            state,
            |found| view! { <Results customers=found.customers/> },
        )
    });
    view! {
        <h1>"Customers"</h1>
        <form class="search" role="search" on:submit=submit>
            <label>"Customer id, email or name"
                <input type="search" name="q" bind:value=text autofocus/></label>
            <button type="submit">"Search"</button>
        </form>
        {results}
    }
}

#[component]
fn Results(customers: Vec<CustomerHit>) -> impl IntoView {
    if customers.is_empty() {
        return view! { <p class="empty">"No customer matches."</p> }.into_any();
    }
    view! {
        <Table columns=RESULTS class="customers">
                {customers.into_iter().map(|hit| {
                    let href = Route::Customer { id: hit.customer_id.clone() }.href();
                    let spent = hit.currency.as_deref().map_or("—".into(), |c| money(hit.spent, c));
                    view! {
                        <tr>
                            <td><a href=href>{hit.customer_id}</a></td>
                            <td>{hit.email.unwrap_or_default()}</td>
                            <td>{hit.name.unwrap_or_default()}</td>
                            <td class="number">{hit.balance}</td>
                            <td class="number">{hit.orders}</td>
                            <td class="number">{spent}</td>
                            <td>{hit.last_order_at.map(day).unwrap_or_default()}</td>
                        </tr>
                    }
                }).collect_view()}
            </Table>
    }
    .into_any()
}
