//! `<comeback-subscribe product="…">`: subscribe and save on the product page. A choice
//! between a one-time purchase and each plan that covers the product (its price with the
//! old one struck and the saving, then its intervals, free shipping and when it may be
//! cancelled); a product no plan covers (or an offer that cannot be read) shows nothing
//! and keeps no space, so the page never shows a hole or an error for it.
//!
//! The choice reaches the shop's cart three ways, none needing glue code for the first:
//! the hidden field in the product form ([`page`]), `comeback:subscribe:changed` on every
//! change ([`events`]), and `Comeback.subscription(product)`, which this chunk adds to
//! `window.Comeback` when the first toggle has loaded (before that the method is absent:
//! call it as `Comeback.subscription?.(id) ?? null`, or read the form field).
//!
//! Attributes: `product`, `field` (the hidden field's name, `comeback_subscription` by
//! default), `theme`, `lang`. Parts: `root`, `options`, `option`, `price`,
//! `compare-at-price`, `badge`, `details`, `interval`, `notes`.

pub mod element;
pub mod events;
pub mod model;
mod page;
pub mod strings;
pub mod style;
mod wire;

use comeback_core::subscription::{OfferedPlan, SubscriptionOffer};
use leptos::prelude::*;

use crate::embed::WidgetContext;
use crate::i18n::Strings;
use crate::load::{use_load_with_options, Loaded, UseLoadOptions};
use model::{Ask, Choice};
use strings::Key;

/// The widget's stylesheet.
pub const CSS: &str = include_css!("widgets/subscribe/style.css");

/// The widget as the registry loads it (see [`crate::widgets::Widget`]).
pub fn widget() -> crate::widgets::Widget {
    crate::widgets::Widget {
        view: || SubscribeWidget().into_any(),
        css: CSS,
    }
}

/// The class of the placeholder shown while the offer loads (an expression, so the
/// element is built node by node: see the launcher's icon).
const PENDING: &str = "cb-subscribe__pending";

/// The toggle's handles; every field is copyable, so handlers capture the whole struct.
#[derive(Clone, Copy)]
struct Toggle {
    ctx: WidgetContext,
    ask: Memo<Ask>,
    choice: RwSignal<Choice>,
    /// This toggle's number in the page's lists of choices and fields.
    id: u32,
}

/// The subscribe toggle. Reads everything from [`WidgetContext`].
#[component]
pub fn SubscribeWidget() -> impl IntoView {
    let ctx = WidgetContext::get();
    let ask = Memo::new(move |_| {
        ctx.settings
            .with(|s| Ask::parse(s.attr("product"), s.attr("field")))
    });
    let toggle = Toggle {
        ctx,
        ask,
        choice: RwSignal::new(Choice::OneTime),
        id: page::new_toggle(),
    };
    // Public: the offer needs no token, so every shopper (and the read cache) shares it.
    let offer = use_load_with_options(
        move |api, _token| {
            let path = ask.with(|ask| ask.path(ctx.settings.with_untracked(|s| s.locale)));
            async move {
                let Some(path) = path else {
                    web_sys::console::warn_1(
                        &"Comeback: <comeback-subscribe> needs a product attribute".into(),
                    );
                    return Ok(None);
                };
                api.get::<SubscriptionOffer>(&path, None).await.map(Some)
            }
        },
        UseLoadOptions {
            by_locale: true,
            keep_while_reloading: true,
        },
    );
    // A new offer (or none): keep what it still offers, and say so in the page.
    Effect::new(move |_| {
        ask.track();
        offer.state.with(|state| match state {
            Loaded::Loading => {}
            Loaded::Ready(Some(offer)) if model::shows(offer) => {
                let choice = model::fit(offer, &toggle.choice.get_untracked());
                toggle.choice.set(choice.clone());
                toggle.publish(offer, &choice);
            }
            _ => toggle.withdraw(),
        });
    });
    on_cleanup(move || toggle.withdraw());
    move || {
        let s = ctx.strings();
        match offer.state.get() {
            Loaded::Ready(Some(offer)) if model::shows(&offer) => {
                toggle.render(&s, &offer).into_any()
            }
            // Only the shop's `--comeback-min-height` is kept while asking (0 by default).
            Loaded::Loading => view! { <div class=PENDING aria-busy="true"></div> }.into_any(),
            _ => ().into_any(),
        }
    }
}

impl Toggle {
    /// The shopper picked `choice` on `offer`.
    fn choose(self, offer: &SubscriptionOffer, choice: Choice) {
        if self.choice.with_untracked(|c| *c == choice) {
            return;
        }
        self.choice.set(choice.clone());
        let summary = self.publish(offer, &choice);
        self.ctx
            .emit(events::CHANGED, &page::detail(&summary), false);
    }

    /// Writes `choice` to the form field and the page's list of choices.
    fn publish(self, offer: &SubscriptionOffer, choice: &Choice) -> model::Summary {
        let host = self.ctx.host();
        let name = self.ask.with_untracked(|ask| ask.field.clone());
        let value = choice.form_value();
        page::write_field(self.id, &host, &name, &value);
        let summary = model::summary(offer, choice);
        page::show_choice(self.id, Some(summary.clone()));
        summary
    }

    /// The toggle shows nothing (any more): no field, no choice.
    fn withdraw(self) {
        page::release_field(self.id);
        page::show_choice(self.id, None);
    }

    fn render(self, s: &Strings, offer: &SubscriptionOffer) -> impl IntoView {
        let (theme, locale) = self
            .ctx
            .settings
            .with(|st| (st.theme.class(), st.locale.as_str()));
        let chosen = self.choice.get();
        let one_time = {
            let offer = offer.clone();
            self.option(
                s.get(Key::OneTime).to_owned(),
                "",
                chosen == Choice::OneTime,
                view! { <span class="cb-subscribe__price" part="price">{s.money(offer.unit_price, &offer.currency)}</span> }
                    .into_any(),
                move || self.choose(&offer, Choice::OneTime),
            )
        };
        let plans = offer
            .plans
            .iter()
            .filter(|plan| !plan.intervals.is_empty())
            .map(|plan| {
                let on = chosen.plan() == Some(plan.id.as_str());
                let details = on.then(|| self.details(s, offer, plan, &chosen));
                let pick = {
                    let offer = offer.clone();
                    let id = plan.id.clone();
                    move || {
                        let next =
                            model::choose_plan(&offer, &self.choice.get_untracked(), Some(&id));
                        self.choose(&offer, next);
                    }
                };
                view! {
                    {self.option(plan.name.clone(), &plan.id, on, plan_price(s, offer, plan), pick)}
                    {details}
                }
            })
            .collect_view();
        view! {
            <div class=["cb-root cb-subscribe ", theme].concat() part="root" lang=locale>
                <fieldset class="cb-subscribe__options" part="options">
                    <legend class="cb-sr-only">{s.get(Key::Options).to_owned()}</legend>
                    {one_time}
                    {plans}
                </fieldset>
            </div>
        }
    }

    /// One radio choice: its label, what it costs, and what picking it does.
    fn option(
        self,
        label: String,
        value: &str,
        on: bool,
        price: AnyView,
        pick: impl Fn() + 'static,
    ) -> impl IntoView {
        let class = if on {
            "cb-subscribe__option cb-subscribe__option--selected"
        } else {
            "cb-subscribe__option"
        };
        view! {
            <label class=class part="option">
                <input type="radio" class="cb-subscribe__radio" name="cb-subscribe-choice"
                    value=value.to_owned() prop:checked=on on:change=move |_| pick()/>
                <span class="cb-subscribe__label">{label}</span>
                {price}
            </label>
        }
    }

    /// Under the chosen plan: its intervals, free shipping and the cancel note.
    fn details(
        self,
        s: &Strings,
        offer: &SubscriptionOffer,
        plan: &OfferedPlan,
        chosen: &Choice,
    ) -> impl IntoView {
        let current = match chosen {
            Choice::Subscribe { interval, .. } => interval.as_str(),
            Choice::OneTime => "",
        };
        let options = plan
            .intervals
            .iter()
            .map(|interval| {
                view! {
                    <option value=interval.clone() prop:selected=interval == current>
                        {every(s, interval)}
                    </option>
                }
            })
            .collect_view();
        let offer = offer.clone();
        let on_change = move |ev| {
            let interval = event_target_value(&ev);
            let next = model::choose_interval(&offer, &self.choice.get_untracked(), &interval);
            self.choose(&offer, next);
        };
        let shipping = plan.free_shipping.then(|| {
            view! { <li>{s.get(Key::FreeShipping).to_owned()}</li> }
        });
        let (key, n) = model::cancel_note(plan);
        let cancel = s.fill(key, &[("n", &n.unwrap_or_default().to_string())]);
        view! {
            <div class="cb-subscribe__details" part="details">
                <label class="cb-subscribe__interval">
                    <span>{s.get(Key::Interval).to_owned()}</span>
                    <select part="interval" on:change=on_change>{options}</select>
                </label>
                <ul class="cb-subscribe__notes" part="notes">
                    {shipping}
                    <li>{cancel}</li>
                </ul>
            </div>
        }
    }
}

/// A plan's price per unit: the new one, the old one struck, and the saving.
fn plan_price(s: &Strings, offer: &SubscriptionOffer, plan: &OfferedPlan) -> AnyView {
    let price = plan.price(offer.unit_price);
    let new = s.money(price.price, &offer.currency);
    if price.saving <= 0 {
        return view! { <span class="cb-subscribe__price" part="price">{new}</span> }.into_any();
    }
    let old = s.money(price.regular, &offer.currency);
    let was = s.fill(Key::Was, &[("price", &old)]);
    let save = s.fill(
        Key::Save,
        &[("money", &s.money(price.saving, &offer.currency))],
    );
    view! {
        <span class="cb-subscribe__price" part="price">
            {new}
            <s class="cb-subscribe__was" part="compare-at-price">
                <span class="cb-sr-only">{was}</span>
                <span aria-hidden="true">{old}</span>
            </s>
        </span>
        <span class="cb-subscribe__badge" part="badge">{save}</span>
    }
    .into_any()
}

/// "Every 2 weeks" for `P2W`, in the shopper's language.
fn every(s: &Strings, interval: &str) -> String {
    match model::every(interval) {
        Some((key, n)) => s.fill(key, &[("n", &n.to_string())]),
        None => interval.to_owned(),
    }
}
