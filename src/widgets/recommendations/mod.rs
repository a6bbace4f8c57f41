//! `<comeback-recommendations>`: a row of product cards (image, title linking to the
//! product, price with the old price struck through on sale, why it is recommended, and
//! "Add to cart", which only tells the shop's own cart code through an event).
//!
//! The loader mounts it when it nears the viewport; it then fetches at once, reserving
//! the cards' final size with a skeleton, fetches again when `kind`, `product`, `limit`,
//! `exclude`, the shopper, the locale or consent change, and hides, giving its space back,
//! when fewer than `min` items come back or the request fails (with one console warning
//! and `comeback:error`): recommendations are extra, so the page never shows a hole or
//! an error for them. With consent, a `product` is remembered as recently viewed on the
//! device and the list is sent with each request (`viewed=`), so signed-out shoppers get
//! personal lists without any tracking on the server.
//!
//! Attributes: `kind`, `product`, `limit`, `min`, `exclude`, `theme`, `lang`.

pub mod element;
pub mod events;
pub mod model;
pub mod strings;
pub mod style;
mod viewed;
mod wire;

use comeback_core::recommend::{Recommendations, RecommendedItem};
use leptos::prelude::*;

use crate::api::encode;
use crate::embed::WidgetContext;
use crate::i18n::{format_number, Common, Strings};
use crate::load::{use_load_with_options, Loaded, UseLoadOptions};
use crate::wire::{number, object_of};
use model::{Ask, Reason};
use strings::Key;

/// The widget's stylesheet.
pub const CSS: &str = include_css!("widgets/recommendations/style.css");

/// The widget as the registry loads it (see [`crate::widgets::Widget`]).
pub fn widget() -> crate::widgets::Widget {
    crate::widgets::Widget {
        view: || RecommendationsWidget().into_any(),
        css: CSS,
    }
}

/// The recommendation row. Reads everything from [`WidgetContext`].
#[component]
pub fn RecommendationsWidget() -> impl IntoView {
    let ctx = WidgetContext::get();
    let ask = Memo::new(move |_| {
        ctx.settings.with(|s| {
            Ask::parse(
                s.attr("kind"),
                s.attr("product"),
                s.attr("limit"),
                s.attr("min"),
                s.attr("exclude"),
            )
        })
    });
    let consent = Memo::new(move |_| ctx.settings.with(|s| s.consent));
    let list = use_load_with_options(
        move |api, token| {
            // Read tracked: a changed ask or consent fetches again.
            let ask = ask.get();
            let viewed = match (consent.get(), &ask.product) {
                (false, _) => Vec::new(),
                (true, Some(product)) => viewed::record(product),
                (true, None) => viewed::read(),
            };
            let path = ask.path(&viewed, ctx.settings.with_untracked(|s| s.locale));
            async move {
                if !ask.is_complete() {
                    web_sys::console::warn_1(
                        &"Comeback: <comeback-recommendations kind=\"also-bought\"> needs a product attribute"
                            .into(),
                    );
                    return Ok(None);
                }
                api.get::<Recommendations>(&path, token.as_deref())
                    .await
                    .map(Some)
            }
        },
        // A changed `exclude` (a theme following its cart) or `product` keeps the cards
        // shown until the new list comes: the skeleton shows on the first load only.
        UseLoadOptions {
            by_locale: true,
            keep_while_reloading: true,
        },
    );
    let root_class = move || {
        let theme = ctx.settings.with(|s| s.theme.class());
        ["cb-root cb-recommendations ", theme].concat()
    };
    let locale = move || ctx.settings.with(|s| s.locale.as_str());
    // Hidden, with no space kept, when the list failed, is too short, or cannot be asked for.
    let hidden = move || {
        list.state.with(|state| match state {
            Loaded::Loading => false,
            Loaded::Ready(Some(recs)) => ask.with(|ask| !model::shows(recs.items.len(), ask)),
            Loaded::Ready(None) | Loaded::Failed(_) => true,
        })
    };
    view! {
        <section class=root_class part="root" lang=locale hidden=hidden>
            {move || {
                let s = ctx.strings();
                let ask = ask.get();
                match list.state.get() {
                    Loaded::Loading => skeleton(&s, &ask).into_any(),
                    Loaded::Ready(Some(recs)) if model::shows(recs.items.len(), &ask) => {
                        cards(ctx, &s, recs, ask.limit).into_any()
                    }
                    _ => ().into_any(),
                }
            }}
        </section>
    }
}

/// The heading naming the list; the list points at it for its accessible name.
fn heading(s: &Strings, kind: comeback_core::recommend::Kind) -> impl IntoView {
    view! {
        <h2 class="cb-recommendations__heading" part="heading" id="cb-recommendations-heading">
            {s.get(model::heading(kind)).to_owned()}
        </h2>
    }
}

/// `limit` cards of the final size without content, so nothing moves when the answer
/// comes (their button keeps its label, invisible, for the same height). Screen readers
/// hear "Loading…" instead.
fn skeleton(s: &Strings, ask: &Ask) -> impl IntoView {
    let add = s.get(Key::Add).to_owned();
    let cards = (0..ask.limit)
        .map(|_| {
            view! {
                <li class="cb-recommendations__card cb-recommendations__card--skeleton" part="skeleton">
                    <span class="cb-recommendations__image"></span>
                    <span class="cb-recommendations__title"><i></i></span>
                    <span class="cb-recommendations__price"><i></i></span>
                    <span class="cb-recommendations__reason"><i></i></span>
                    <span class="cb-btn cb-recommendations__add"><span>{add.clone()}</span></span>
                </li>
            }
        })
        .collect_view();
    view! {
        {heading(s, ask.kind)}
        <ul class="cb-recommendations__list" role="list" aria-hidden="true">
            {cards}
        </ul>
        <p class="cb-sr-only" role="status">{s.get(Common::Loading).to_owned()}</p>
    }
}

/// The list's heading and its cards, at most `limit`.
fn cards(ctx: WidgetContext, s: &Strings, recs: Recommendations, limit: usize) -> impl IntoView {
    let kind = recs.kind;
    let currency = recs.currency;
    let cards = recs
        .items
        .into_iter()
        .take(limit)
        .enumerate()
        .map(|(index, item)| card(ctx, s, item, index, &currency, kind.as_str()))
        .collect_view();
    view! {
        {heading(s, kind)}
        <ul class="cb-recommendations__list" part="list" role="list" aria-labelledby="cb-recommendations-heading">
            {cards}
        </ul>
    }
}

/// One product's card; `index` makes the ids the button's description points at.
fn card(
    ctx: WidgetContext,
    s: &Strings,
    item: RecommendedItem,
    index: usize,
    currency: &str,
    kind: &'static str,
) -> impl IntoView {
    let price = s.money(item.price, currency);
    let was = model::struck(item.price, item.compare_at_price).map(|old| {
        let old = s.money(old, currency);
        let said = s.fill(Key::Was, &[("price", &old)]);
        view! {
            <s class="cb-recommendations__was" part="compare-at-price">
                <span class="cb-sr-only">{said}</span>
                <span aria-hidden="true">{old}</span>
            </s>
        }
    });
    let reason = match model::reason(&item.why) {
        Reason::Plain(key) => s.get(key).to_owned(),
        Reason::Title(key, title) => s.fill(key, &[("title", &title)]),
        Reason::Count(key, n) => s.fill(key, &[("n", &format_number(i64::from(n), s.locale))]),
    };
    let image = match item.image.clone() {
        Some(src) => view! {
            <img class="cb-recommendations__image" part="image" src=src alt=item.title.clone()
                loading="lazy" decoding="async" width="320" height="320"/>
        }
        .into_any(),
        None => view! { <span class="cb-recommendations__image" part="image"></span> }.into_any(),
    };
    let title_id = ["cb-recommendations-title-", &index.to_string()].concat();
    let url = item.url.clone();
    let title = item.title.clone();
    let currency = currency.to_owned();
    let product_id = item.product_id.clone();
    // The event detail, built when the shopper acts.
    let detail = move || {
        object_of(&[
            ("product_id", item.product_id.as_str().into()),
            ("title", item.title.as_str().into()),
            ("price", number(item.price)),
            ("currency", currency.as_str().into()),
            ("url", item.url.as_str().into()),
            ("kind", kind.into()),
        ])
    };
    let detail = std::rc::Rc::new(detail);
    // Counted for the shop's dashboard: what was done, on which list, to which product,
    // sent as a beacon (the browser delivers it while a followed link leaves the page).
    let report = move |action: &'static str| {
        let url = [
            ctx.api().base(),
            "/recommendations/events?action=",
            action,
            "&kind=",
            kind,
            "&product_id=",
            &encode(&product_id),
        ]
        .concat();
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().send_beacon(&url);
        }
    };
    let on_click = {
        let detail = detail.clone();
        let report = report.clone();
        move |ev: leptos::ev::MouseEvent| {
            report("click");
            if !ctx.emit(events::CLICK, &detail(), true) {
                ev.prevent_default();
            }
        }
    };
    let on_add = move |_| {
        report("add");
        ctx.emit(events::ADD, &detail(), false);
    };
    view! {
        <li class="cb-recommendations__card" part="card">
            {image}
            <a class="cb-recommendations__title" part="title" id=title_id.clone() href=url on:click=on_click>
                {title}
            </a>
            <p class="cb-recommendations__price" part="price"><span>{price}</span>{was}</p>
            <p class="cb-recommendations__reason" part="reason">{reason}</p>
            <button type="button" class="cb-btn cb-recommendations__add" part="add-button"
                aria-describedby=title_id on:click=on_add>
                {s.get(Key::Add).to_owned()}
            </button>
        </li>
    }
}
