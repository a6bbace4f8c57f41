//! Retention at a glance: repeat purchases, points, referrals, surveys, subscriptions,
//! help and recommendations over a chosen period.

use comeback_core::dashboard::{NamedCount, Overview as Figures};
use leptos::prelude::*;

use super::{show, Column, Figure, Table};
use crate::chart::{WeeklyBars, WeeklyLine};
use crate::format::{count, days, percent, signed};
use crate::load::use_get;
use crate::route::Route;
use crate::{api, App};

/// The periods offered, in days.
const PERIODS: [(u32, &str); 4] = [
    (7, "7 days"),
    (30, "30 days"),
    (90, "90 days"),
    (365, "12 months"),
];

/// The overview of the last `days` days.
#[component]
pub fn Overview(
    /// Length of the period, ending now.
    days: u32,
) -> impl IntoView {
    let app = App::get();
    let (state, _) = use_get::<Figures, _>(move || {
        let session = app.session()?;
        let now = (js_sys::Date::now() / 1000.0) as i64;
        let from = now - i64::from(days) * 86_400;
        Some(api::admin_url(
            &session,
            &format!("/overview?from={from}&to={now}"),
        ))
    });
    view! {
        <h1>"Overview"</h1>
        <nav class="periods" aria-label="Period">
            {PERIODS.map(|(length, label)| view! {
                <a href=Route::Overview { days: length }.href()
                    aria-current=(length == days).then_some("page")>{label}</a>
            }).collect_view()}
        </nav>
        {show(state, |figures| view! { <Sections figures/> })}
    }
}

#[component]
fn Sections(figures: Figures) -> impl IntoView {
    let orders = figures.orders;
    view! {
        <section aria-labelledby="orders">
            <h2 id="orders">"Orders and repeat purchases"</h2>
            <div class="figures">
                <Figure label="Orders" value=count(orders.orders)/>
                <Figure label="Customers who ordered" value=count(orders.customers)/>
                <Figure label="Repeat-purchase rate" value=percent(orders.repeat_rate)/>
                <Figure label="Time between orders"
                    value=orders.median_days_between_orders.map_or("—".into(), days)
                    note="median"/>
            </div>
            <WeeklyBars title="Orders per week".into() points=orders.weekly/>
        </section>
        {figures.points.map(|points| view! {
            <section aria-labelledby="points">
                <h2 id="points">"Points"</h2>
                <div class="figures">
                    <Figure label="Issued" value=count(points.issued)/>
                    <Figure label="Redeemed" value=count(points.redeemed)/>
                    <Figure label="Expired" value=count(points.expired)/>
                    <Figure label="Outstanding" value=count(points.outstanding)
                        note="every balance now: what the shop owes"/>
                </div>
                <Shares title="Customers per tier" counts=points.tiers/>
            </section>
        })}
        {figures.referrals.map(|referrals| view! {
            <section aria-labelledby="referrals">
                <h2 id="referrals">"Referrals"</h2>
                <Shares title="Referral funnel" counts=vec![
                    NamedCount { name: "Link visits".into(), count: referrals.visits },
                    NamedCount { name: "Friends who claimed".into(), count: referrals.claims },
                    NamedCount { name: "First orders".into(), count: referrals.first_orders },
                    NamedCount { name: "Advocates paid".into(), count: referrals.paid },
                ]/>
            </section>
        })}
        {figures.surveys.map(|surveys| view! {
            <section aria-labelledby="surveys">
                <h2 id="surveys">"Surveys"</h2>
                <div class="figures">
                    <Figure label="Responses" value=count(surveys.responses)/>
                    <Figure label="NPS" value=surveys.nps.map_or("—".into(), signed)/>
                    <Figure label="CSAT" value=surveys.csat.map_or("—".into(), percent)
                        note="satisfied (4 or 5 of 5)"/>
                </div>
                <WeeklyLine title="NPS per week".into() points=surveys.nps_weekly low=-100.0 high=100.0/>
                <WeeklyLine title="CSAT per week".into() points=surveys.csat_weekly low=0.0 high=1.0/>
            </section>
        })}
        {figures.subscriptions.map(|subscriptions| view! {
            <section aria-labelledby="subscriptions">
                <h2 id="subscriptions">"Subscriptions"</h2>
                <div class="figures">
                    <Figure label="Active" value=count(subscriptions.active)/>
                    <Figure label="Paused" value=count(subscriptions.paused)/>
                    <Figure label="Skipped deliveries" value=count(subscriptions.skips)/>
                    <Figure label="Cancelled" value=count(subscriptions.cancelled)/>
                </div>
                <Shares title="Why they cancelled" counts=subscriptions.cancel_reasons/>
            </section>
        })}
        {figures.help.map(|help| view! {
            <section aria-labelledby="help">
                <h2 id="help">"Help"</h2>
                <div class="figures">
                    <Figure label="Solved without a ticket" value=count(help.solved)/>
                    <Figure label="Not solved" value=count(help.not_solved)/>
                    <Figure label="Tickets" value=count(help.tickets)/>
                    <Figure label="Deflection" value=help.deflection.map_or("—".into(), percent)/>
                </div>
            </section>
        })}
        {figures.recommendations.map(|recommendations| view! {
            <section aria-labelledby="recommendations">
                <h2 id="recommendations">"Recommendations"</h2>
                <div class="figures">
                    <Figure label="Clicks" value=count(recommendations.clicks)
                        note="cards whose link was followed"/>
                    <Figure label="Added to cart" value=count(recommendations.adds)/>
                </div>
                <Table columns=INTERACTION_COLUMNS>
                    {recommendations.kinds.into_iter().map(|kind| view! {
                        <tr>
                            <td>{kind.kind.as_str()}</td>
                            <td class="number">{count(kind.clicks)}</td>
                            <td class="number">{count(kind.adds)}</td>
                        </tr>
                    }).collect_view()}
                </Table>
            </section>
        })}
    }
}

/// The columns of the recommendations table.
const INTERACTION_COLUMNS: &[Column] = &[
    Column::text("List"),
    Column::number("Clicks"),
    Column::number("Added to cart"),
];

/// Named counts as horizontal bars, the largest filling the row.
#[component]
fn Shares(title: &'static str, counts: Vec<NamedCount>) -> impl IntoView {
    let top = counts.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    view! {
        <figure class="shares">
            <figcaption>{title}</figcaption>
            {if counts.is_empty() {
                view! { <p class="empty">"Nothing yet."</p> }.into_any()
            } else {
                view! {
                    <dl>
                        {counts.into_iter().map(|named| {
                            let width = format!("width: {:.1}%", named.count as f64 / top as f64 * 100.0);
                            view! {
                                <dt>{named.name}</dt>
                                <dd><span class="share" style=width></span>{count(named.count)}</dd>
                            }
                        }).collect_view()}
                    </dl>
                }.into_any()
            }}
        </figure>
    }
}
