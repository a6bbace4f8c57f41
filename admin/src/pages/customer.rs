//! One customer: points, tier, history, codes and contact preferences; adjust their
//! points with a reason, or sign them out everywhere.

use comeback_core::api::{Adjustment, AdjustmentRequest, AdminCustomer};
use comeback_core::error::ErrorCode;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use serde::Serialize;

use super::activity::Activity;
use super::{Column, Failure, Figure, Table};
use crate::format::{count, day, day_time};
use crate::load::{use_get, Loaded};
use crate::route::encode;
use crate::{api, App};

/// The columns of the points history.
const HISTORY: &[Column] = &[
    Column::text("When"),
    Column::text("What"),
    Column::text("Reference"),
    Column::number("Points"),
];

/// The columns of the discount codes table.
const CODES: &[Column] = &[
    Column::text("Code"),
    Column::text("Reward"),
    Column::text("Status"),
    Column::text("Expires"),
];

/// The page of customer `id`.
#[component]
pub fn Customer(
    /// The shop's customer id.
    id: String,
) -> impl IntoView {
    let app = App::get();
    let path = format!("/customers/{}", encode(&id));
    let (state, reload) = use_get::<AdminCustomer, _>({
        let path = path.clone();
        move || Some(api::admin_url(&app.session()?, &path))
    });
    let (adjust_path, activity_path, access_path) = (path.clone(), path.clone(), path);
    let loyalty = move || match state.get() {
        Loaded::Loading => view! { <p class="loading" role="status">"Loading…"</p> }.into_any(),
        // A customer known from orders or a profile, with no points record yet.
        Loaded::Failed(error) if error.code == Some(ErrorCode::NotFound) => {
            view! { <p class="empty">"No points record."</p> }.into_any()
        }
        Loaded::Failed(error) => view! { <Failure error/> }.into_any(),
        Loaded::Ready(customer) => view! {
            <Points customer=customer.clone()/>
            <History customer=customer.clone()/>
            <Codes customer/>
        }
        .into_any(),
    };
    view! {
        <h1>{format!("Customer {id}")}</h1>
        {loyalty}
        <Adjust path=adjust_path reload/>
        <Activity path=activity_path/>
        <Access path=access_path/>
    }
}

/// The name a value has on the wire (`order_paid`, `active`).
fn wire_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[component]
fn Points(customer: AdminCustomer) -> impl IntoView {
    let tier = customer
        .tier
        .current
        .clone()
        .unwrap_or_else(|| "none".into());
    let next = customer
        .tier
        .next
        .clone()
        .map(|next| format!("{} points to {next}", count(customer.tier.points_to_next)));
    let preferences = customer.preferences.clone().map(|preferences| {
        let channel = preferences
            .contact_channel
            .map_or("not chosen".into(), |channel| wire_name(&channel));
        let consent = match preferences.marketing_consent {
            Some(true) => "yes",
            Some(false) => "no",
            None => "not asked",
        };
        format!("contact by {channel}; marketing consent: {consent}")
    });
    view! {
        <section aria-labelledby="points">
            <h2 id="points">"Points"</h2>
            <div class="figures">
                <Figure label="Balance" value=count(customer.balance)/>
                <Figure label="Lifetime" value=count(customer.lifetime_points)/>
                <Figure label="Tier" value=tier note=next.unwrap_or_default()/>
                {(customer.points_debt > 0).then(|| view! {
                    <Figure label="Owed after refunds" value=count(customer.points_debt)/>
                })}
                {customer.next_expiry.map(|expiry| view! {
                    <Figure label="Expiring next" value=count(expiry.points)
                        note=format!("on {}", expiry.on.to_iso())/>
                })}
            </div>
            <p class="meta">
                {format!("Customer since {}", day(customer.created_at))}
                {preferences.map(|text| format!("; {text}"))}
            </p>
        </section>
    }
}

/// The form that adds or takes away points, with the reason the shopper will read.
#[component]
fn Adjust(path: String, reload: RwSignal<u32>) -> impl IntoView {
    let app = App::get();
    let points = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    // One key per intended adjustment: a retried submit (a lost answer) applies once.
    let key = StoredValue::new(api::new_idempotency_key());
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let Ok(amount) = points.get_untracked().trim().parse::<i64>() else {
            outcome.set(Some(Err(
                "Points must be a whole number, such as 50 or -20.".into(),
            )));
            return;
        };
        if amount == 0 {
            outcome.set(Some(Err("Points must not be 0.".into())));
            return;
        }
        let Some(session) = app.session_untracked() else {
            return;
        };
        let request = AdjustmentRequest {
            points: amount,
            reason: reason.get_untracked().trim().to_owned(),
        };
        let url = api::admin_url(&session, &format!("{path}/adjustments"));
        busy.set(true);
        leptos::task::spawn_local(async move {
            let key_now = key.get_value();
            let result =
                api::send::<_, Adjustment>("POST", &url, &request, Some(&session), Some(&key_now))
                    .await;
            busy.set(false);
            match result {
                Ok(done) => {
                    key.set_value(api::new_idempotency_key());
                    points.set(String::new());
                    reason.set(String::new());
                    outcome.set(Some(Ok(format!(
                        "Done: the balance is now {}.",
                        count(done.balance)
                    ))));
                    reload.update(|n| *n += 1);
                }
                Err(error) => {
                    app.check(&error);
                    outcome.set(Some(Err(error.message)));
                }
            }
        });
    };
    view! {
        <section aria-labelledby="adjust">
            <h2 id="adjust">"Adjust points"</h2>
            <form class="adjust" on:submit=submit>
                <label>"Points (negative to take away)"
                    <input name="points" inputmode="numeric" required bind:value=points/></label>
                <label>"Reason (the customer sees it)"
                    <input name="reason" required maxlength="200" bind:value=reason/></label>
                <button type="submit" disabled=busy>"Adjust"</button>
            </form>
            {move || outcome.get().map(|outcome| match outcome {
                Ok(message) => view! { <p class="ok" role="status">{message}</p> }.into_any(),
                Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn History(customer: AdminCustomer) -> impl IntoView {
    view! {
        <section aria-labelledby="history">
            <h2 id="history">"History"</h2>
            {if customer.history.is_empty() {
                view! { <p class="empty">"No points yet."</p> }.into_any()
            } else {
                view! {
                    <Table columns=HISTORY class="history">
                            {customer.history.into_iter().map(|entry| view! {
                                <tr>
                                    <td>{day_time(entry.created_at)}</td>
                                    <td>{wire_name(&entry.kind)}</td>
                                    <td>{entry.reference}</td>
                                    <td class="number">{entry.points}</td>
                                </tr>
                            }).collect_view()}
                        </Table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Codes(customer: AdminCustomer) -> impl IntoView {
    (!customer.codes.is_empty()).then(|| {
        view! {
            <section aria-labelledby="codes">
                <h2 id="codes">"Discount codes"</h2>
                <Table columns=CODES>
                        {customer.codes.into_iter().map(|code| view! {
                            <tr>
                                <td><code>{code.code}</code></td>
                                <td>{code.reward_id}</td>
                                <td>{wire_name(&code.status)}</td>
                                <td>{day(code.expires_at)}</td>
                            </tr>
                        }).collect_view()}
                    </Table>
            </section>
        }
    })
}

/// Signs the customer out of every device: tokens issued until now stop working.
#[component]
fn Access(path: String) -> impl IntoView {
    let app = App::get();
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let revoke = move |_| {
        let Some(session) = app.session_untracked() else {
            return;
        };
        let url = api::admin_url(&session, &format!("{path}/revoke-tokens"));
        leptos::task::spawn_local(async move {
            let result = api::send::<_, serde_json::Value>(
                "POST",
                &url,
                &serde_json::json!({}),
                Some(&session),
                None,
            )
            .await;
            outcome.set(Some(match result {
                Ok(_) => Ok("Signed out everywhere: the widgets ask them to sign in again.".into()),
                Err(error) => {
                    app.check(&error);
                    Err(error.message)
                }
            }));
        });
    };
    view! {
        <section aria-labelledby="access">
            <h2 id="access">"Sign-in"</h2>
            <button type="button" class="quiet" on:click=revoke>"Sign out of every device"</button>
            {move || outcome.get().map(|outcome| match outcome {
                Ok(message) => view! { <p class="ok" role="status">{message}</p> }.into_any(),
                Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            })}
        </section>
    }
}
