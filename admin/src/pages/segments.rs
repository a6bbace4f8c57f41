//! Customer segments by recency, frequency and money (RFM) and by the buy-again
//! cadence, each listed and exported for the shop's one-to-one emails.

use comeback_core::dashboard::{Segment, SegmentPage, SegmentSizes};
use leptos::prelude::*;

use super::{show, Column, Table};
use crate::format::{count, day, money};
use crate::load::use_get;
use crate::route::Route;
use crate::{api, App};

/// The columns of a segment's customers.
const MEMBERS: &[Column] = &[
    Column::text("Customer"),
    Column::text("Email"),
    Column::number("Orders"),
    Column::number("Spent"),
    Column::text("Last order"),
    Column::text("Due"),
    Column::text("Recommended"),
];

/// What each segment holds, in words.
fn about(segment: Segment) -> &'static str {
    match segment {
        Segment::Champions => "Bought recently, often, and spent the most.",
        Segment::AtRisk => "Used to buy often or much, but not lately.",
        Segment::Lost => "Have not bought for a long time.",
        Segment::New => "First order in the last 30 days.",
        Segment::DueToBuyAgain => "Due to buy again soon, by their own cadence.",
    }
}

/// A segment's title.
fn title(segment: Segment) -> &'static str {
    match segment {
        Segment::Champions => "Champions",
        Segment::AtRisk => "At risk",
        Segment::Lost => "Lost",
        Segment::New => "New",
        Segment::DueToBuyAgain => "Due to buy again",
    }
}

/// The segments' sizes, and the customers of the open one.
#[component]
pub fn Segments(
    /// The open segment, if any.
    segment: Option<Segment>,
    /// How far `due-to-buy-again` looks ahead.
    days: u32,
) -> impl IntoView {
    let app = App::get();
    let (sizes, _) = use_get::<SegmentSizes, _>(move || {
        Some(api::admin_url(
            &app.session()?,
            &format!("/segments?days={days}"),
        ))
    });
    view! {
        <h1>"Segments"</h1>
        {show(sizes, move |sizes| view! { <Sizes sizes open=segment days/> })}
        {segment.map(|segment| view! { <Members segment days/> })}
    }
}

#[component]
fn Sizes(sizes: SegmentSizes, open: Option<Segment>, days: u32) -> impl IntoView {
    let size_of = |segment: Segment| {
        sizes
            .segments
            .iter()
            .find(|named| named.name == segment.as_str())
            .map_or(0, |named| named.count)
    };
    view! {
        <ul class="segments">
            {Segment::ALL.map(|segment| {
                let href = Route::Segments { segment: Some(segment), days }.href();
                let about = if segment == Segment::DueToBuyAgain {
                    format!("{} Within {} days.", about(segment), sizes.due_within_days)
                } else {
                    about(segment).to_owned()
                };
                view! {
                    <li aria-current=(open == Some(segment)).then_some("page")>
                        <a href=href>{title(segment)}</a>
                        <span class="value">{count(size_of(segment))}</span>
                        <span class="note">{about}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn Members(segment: Segment, days: u32) -> impl IntoView {
    let app = App::get();
    let path = format!("/segments/{}", segment.as_str());
    let (state, _) = use_get::<SegmentPage, _>({
        let path = path.clone();
        move || {
            Some(api::admin_url(
                &app.session()?,
                &format!("{path}?days={days}"),
            ))
        }
    });
    let export = move |format: &str| {
        app.session_untracked().map(|session| {
            api::admin_url(
                &session,
                &format!("{path}/export?format={format}&days={days}"),
            )
        })
    };
    view! {
        <section aria-labelledby="members">
            <h2 id="members">{title(segment)}</h2>
            <p class="exports">
                "Export for your emails: "
                <a href=export("csv") download>"CSV"</a>
                " · "
                <a href=export("xlsx") download>"Excel (.xlsx)"</a>
            </p>
            {show(state, |page| {
                if page.customers.is_empty() {
                    return view! { <p class="empty">"No customer in this segment."</p> }.into_any();
                }
                view! {
                    <Table columns=MEMBERS class="members">
                            {page.customers.into_iter().map(|member| {
                                let hit = member.customer;
                                let spent = hit.currency.as_deref().map_or("—".into(), |c| money(hit.spent, c));
                                let href = Route::Customer { id: hit.customer_id.clone() }.href();
                                view! {
                                    <tr>
                                        <td><a href=href>{hit.customer_id}</a></td>
                                        <td>{hit.email.unwrap_or_default()}</td>
                                        <td class="number">{hit.orders}</td>
                                        <td class="number">{spent}</td>
                                        <td>{hit.last_order_at.map(day).unwrap_or_default()}</td>
                                        <td>{member.due_on.unwrap_or_default()}</td>
                                        <td>{member.recommended.join(", ")}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </Table>
                }.into_any()
            })}
        </section>
    }
}
