//! Everything the shop knows of one customer beyond points: profile, orders,
//! subscriptions, referrals, survey answers and help tickets.

use comeback_core::dashboard::{CustomerActivity, OrderState};
use leptos::prelude::*;

use super::{show, Column, Table};
use crate::format::{day, day_time, interval, money};
use crate::load::use_get;
use crate::{api, App};

/// The columns of the orders table.
const ORDERS: &[Column] = &[
    Column::text("Placed"),
    Column::text("Order"),
    Column::text("Products"),
    Column::number("Total"),
    Column::text("Status"),
];

/// The columns of the subscriptions table.
const SUBSCRIPTIONS: &[Column] = &[
    Column::text("Product"),
    Column::text("Plan"),
    Column::text("Delivered"),
    Column::text("Status"),
    Column::text("Next delivery"),
    Column::number("Deliveries"),
];

/// The columns of the survey answers table.
const ANSWERS: &[Column] = &[
    Column::text("Answered"),
    Column::text("Survey"),
    Column::number("NPS"),
    Column::number("CSAT"),
    Column::text("Answers"),
];

/// The columns of the tickets table.
const TICKETS: &[Column] = &[
    Column::text("Sent"),
    Column::text("Subject"),
    Column::text("Order"),
];

/// The activity of the customer at `path` (`/customers/<id>`).
#[component]
pub fn Activity(
    /// The customer's path under the admin API.
    path: String,
) -> impl IntoView {
    let app = App::get();
    let (state, _) = use_get::<CustomerActivity, _>(move || {
        Some(api::admin_url(&app.session()?, &format!("{path}/activity")))
    });
    show(state, |activity| {
        view! {
            <Profile activity=activity.clone()/>
            <Orders activity=activity.clone()/>
            <Subscriptions activity=activity.clone()/>
            <Answers activity=activity.clone()/>
            <Tickets activity/>
        }
    })
}

fn order_state(state: OrderState) -> &'static str {
    match state {
        OrderState::Paid => "paid",
        OrderState::PartiallyRefunded => "partly refunded",
        OrderState::Refunded => "refunded",
    }
}

#[component]
fn Profile(activity: CustomerActivity) -> impl IntoView {
    let profile = activity.profile.unwrap_or_default();
    let referrals = activity.referrals;
    view! {
        <section aria-labelledby="profile">
            <h2 id="profile">"Profile"</h2>
            <dl class="pairs">
                <dt>"Email"</dt><dd>{profile.email.unwrap_or_else(|| "—".into())}</dd>
                <dt>"Name"</dt><dd>{profile.name.unwrap_or_else(|| "—".into())}</dd>
                <dt>"Referral code"</dt><dd>{referrals.code.unwrap_or_else(|| "—".into())}</dd>
                <dt>"Friends referred"</dt>
                <dd>{format!("{} first orders, {} rewarded", referrals.referred, referrals.paid)}</dd>
            </dl>
        </section>
    }
}

#[component]
fn Orders(activity: CustomerActivity) -> impl IntoView {
    view! {
        <section aria-labelledby="orders">
            <h2 id="orders">"Orders"</h2>
            {if activity.orders.is_empty() {
                view! { <p class="empty">"No order recorded."</p> }.into_any()
            } else {
                view! {
                    <Table columns=ORDERS>
                            {activity.orders.into_iter().map(|order| {
                                let products = order.lines.iter().map(|line| {
                                    let name = line.title.clone().unwrap_or_else(|| line.product_id.clone());
                                    if line.quantity == 1 { name } else { format!("{name} × {}", line.quantity) }
                                }).collect::<Vec<_>>().join(", ");
                                view! {
                                    <tr>
                                        <td>{day_time(order.placed_at)}</td>
                                        <td>{order.order_id}</td>
                                        <td>{products}</td>
                                        <td class="number">{money(order.total, &order.currency)}</td>
                                        <td>{order_state(order.status)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </Table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Subscriptions(activity: CustomerActivity) -> impl IntoView {
    (!activity.subscriptions.is_empty()).then(|| {
        view! {
            <section aria-labelledby="subscriptions">
                <h2 id="subscriptions">"Subscriptions"</h2>
                <Table columns=SUBSCRIPTIONS>
                        {activity.subscriptions.into_iter().map(|subscription| view! {
                            <tr>
                                <td>{format!("{} × {}", subscription.title, subscription.quantity)}</td>
                                <td>{subscription.plan_name}</td>
                                <td>{interval(&subscription.interval)}</td>
                                <td>{subscription.status.as_str()}</td>
                                <td>{subscription.next_delivery.map(|d| d.to_iso()).unwrap_or_default()}</td>
                                <td class="number">{subscription.deliveries}</td>
                            </tr>
                        }).collect_view()}
                    </Table>
            </section>
        }
    })
}

#[component]
fn Answers(activity: CustomerActivity) -> impl IntoView {
    (!activity.survey_answers.is_empty()).then(|| {
        view! {
            <section aria-labelledby="answers">
                <h2 id="answers">"Survey answers"</h2>
                <Table columns=ANSWERS>
                        {activity.survey_answers.into_iter().map(|answer| view! {
                            <tr>
                                <td>{day(answer.submitted_at)}</td>
                                <td>{answer.survey_id}</td>
                                <td class="number">{answer.nps.map(|n| n.to_string()).unwrap_or_default()}</td>
                                <td class="number">{answer.csat.map(|n| n.to_string()).unwrap_or_default()}</td>
                                <td>{serde_json::to_string(&answer.answers).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </Table>
            </section>
        }
    })
}

#[component]
fn Tickets(activity: CustomerActivity) -> impl IntoView {
    (!activity.tickets.is_empty()).then(|| {
        view! {
            <section aria-labelledby="tickets">
                <h2 id="tickets">"Help tickets"</h2>
                <Table columns=TICKETS>
                        {activity.tickets.into_iter().map(|ticket| view! {
                            <tr>
                                <td>{day_time(ticket.created_at)}</td>
                                <td>{ticket.subject}</td>
                                <td>{ticket.order_id.unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </Table>
            </section>
        }
    })
}
