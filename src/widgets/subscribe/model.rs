//! The subscribe toggle's decisions, kept free of the DOM so they are tested natively:
//! what the element's attributes ask for, the shopper's choice and how it moves when a
//! plan or an interval is picked, the value of the hidden form field and the event
//! detail it makes, and how an interval is worded. Prices come only from core's
//! [`OfferedPlan::price`], the rule the renewal follows too.

use comeback_core::orders::{Interval, IntervalUnit};
use comeback_core::subscription::{form_value, OfferedPlan, Price, SubscriptionOffer};
use comeback_core::Locale;

use super::strings::Key;

/// The hidden field's name when the element has no `field` attribute.
pub const DEFAULT_FIELD: &str = "comeback_subscription";
/// Longest product id or field name the widget accepts; longer ones are typos.
pub const MAX_ATTR_LEN: usize = 128;

/// What one element asks for, from its attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    /// The product (`product`); without one the toggle shows nothing.
    pub product: Option<String>,
    /// The name of the hidden field in the product form (`field`).
    pub field: String,
}

impl Ask {
    /// Reads the attributes (each `None` when absent): trimmed, blank or overlong values
    /// count as absent.
    pub fn parse(product: Option<&str>, field: Option<&str>) -> Ask {
        let clean = |value: Option<&str>| {
            value
                .map(str::trim)
                .filter(|v| !v.is_empty() && v.len() <= MAX_ATTR_LEN)
                .map(str::to_owned)
        };
        Ask {
            product: clean(product),
            field: clean(field).unwrap_or_else(|| DEFAULT_FIELD.to_owned()),
        }
    }

    /// The offer's request path under the shop's API prefix, if there is a product.
    pub fn path(&self, locale: Locale) -> Option<String> {
        let product = self.product.as_deref()?;
        Some(
            [
                "/subscriptions/offer?product=",
                &crate::api::encode(product),
                "&locale=",
                locale.as_str(),
            ]
            .concat(),
        )
    }
}

/// The shopper's choice on one toggle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Choice {
    /// Buy once (the default: nobody is subscribed without choosing it).
    #[default]
    OneTime,
    /// Subscribe to `plan`, delivered every `interval` (`P2W`).
    Subscribe {
        /// The plan's id.
        plan: String,
        /// One of the plan's intervals.
        interval: String,
    },
}

impl Choice {
    /// The value of the hidden form field: empty for a one-time purchase, else core's
    /// [`form_value`] (`tea-club:P2W`), the same string the shop's cart sends to checkout.
    pub fn form_value(&self) -> String {
        match self {
            Choice::OneTime => String::new(),
            Choice::Subscribe { plan, interval } => form_value(plan, interval),
        }
    }

    /// The chosen plan's id, if subscribing.
    pub fn plan(&self) -> Option<&str> {
        match self {
            Choice::OneTime => None,
            Choice::Subscribe { plan, .. } => Some(plan),
        }
    }
}

/// The plan called `id` in `offer`.
pub fn plan<'a>(offer: &'a SubscriptionOffer, id: &str) -> Option<&'a OfferedPlan> {
    offer.plans.iter().find(|plan| plan.id == id)
}

/// The choice after the shopper picks `plan_id` (or one-time for `None`). The interval
/// picked before stays when the new plan offers it, else the plan's first (its default).
/// A plan the offer does not hold, or one without intervals, leaves the choice as it was.
pub fn choose_plan(offer: &SubscriptionOffer, current: &Choice, plan_id: Option<&str>) -> Choice {
    let Some(plan_id) = plan_id else {
        return Choice::OneTime;
    };
    let Some(plan) = plan(offer, plan_id) else {
        return current.clone();
    };
    let kept = match current {
        Choice::Subscribe { interval, .. } if plan.intervals.contains(interval) => {
            Some(interval.clone())
        }
        _ => None,
    };
    match kept.or_else(|| plan.intervals.first().cloned()) {
        Some(interval) => Choice::Subscribe {
            plan: plan.id.clone(),
            interval,
        },
        None => current.clone(),
    }
}

/// The choice after the shopper picks `interval` for the chosen plan; an interval the
/// plan does not offer (or a one-time choice) changes nothing.
pub fn choose_interval(offer: &SubscriptionOffer, current: &Choice, interval: &str) -> Choice {
    match current {
        Choice::Subscribe { plan: id, .. }
            if plan(offer, id).is_some_and(|p| p.intervals.iter().any(|i| i == interval)) =>
        {
            Choice::Subscribe {
                plan: id.clone(),
                interval: interval.to_owned(),
            }
        }
        _ => current.clone(),
    }
}

/// The choice kept when a new offer arrives (another language, a changed product): the
/// same plan and interval if still offered, else the plan's default interval, else one-time.
pub fn fit(offer: &SubscriptionOffer, choice: &Choice) -> Choice {
    match choice {
        Choice::OneTime => Choice::OneTime,
        Choice::Subscribe { plan, interval } => {
            let picked = choose_plan(offer, &Choice::OneTime, Some(plan));
            choose_interval(offer, &picked, interval)
        }
    }
}

/// What a choice costs and saves per unit: the event's and `Comeback.subscription`'s
/// detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The product.
    pub product: String,
    /// The plan's id (`None` for one-time).
    pub plan: Option<String>,
    /// The interval (`None` for one-time).
    pub interval: Option<String>,
    /// What one unit costs with this choice, minor units.
    pub price: i64,
    /// The one-time price.
    pub regular: i64,
    /// `regular - price`.
    pub saving: i64,
    /// ISO 4217.
    pub currency: String,
}

/// The [`Summary`] of `choice` on `offer`. A plan the offer no longer holds reads as
/// one-time, which is also what the form field says then.
pub fn summary(offer: &SubscriptionOffer, choice: &Choice) -> Summary {
    let chosen = choice
        .plan()
        .and_then(|id| plan(offer, id))
        .zip(match choice {
            Choice::Subscribe { interval, .. } => Some(interval),
            Choice::OneTime => None,
        });
    let (plan, interval, price) = match chosen {
        Some((plan, interval)) => (
            Some(plan.id.clone()),
            Some(interval.clone()),
            plan.price(offer.unit_price),
        ),
        None => (None, None, Price::undiscounted(offer.unit_price)),
    };
    Summary {
        product: offer.product_id.clone(),
        plan,
        interval,
        price: price.price,
        regular: price.regular,
        saving: price.saving,
        currency: offer.currency.clone(),
    }
}

/// Whether the toggle shows at all: some plan covers the product (with an interval to
/// choose). Otherwise it renders nothing and keeps no space.
pub fn shows(offer: &SubscriptionOffer) -> bool {
    offer.plans.iter().any(|plan| !plan.intervals.is_empty())
}

/// The note under a plan about cancelling: after its minimum number of deliveries
/// (when it has one above 1), else any time.
pub fn cancel_note(plan: &OfferedPlan) -> (Key, Option<u32>) {
    match plan.min_deliveries {
        Some(n) if n > 1 => (Key::MinDeliveries, Some(n)),
        _ => (Key::CancelAnyTime, None),
    }
}

/// How an interval is worded: the key and its `{n}` (`P2W` is "Every 2 weeks", `P1W`
/// "Every week"); `None` for a string that is not an interval (shown as it is).
pub fn every(interval: &str) -> Option<(Key, u16)> {
    let Interval { count, unit } = Interval::parse(interval)?;
    let one = count == 1;
    let key = match unit {
        IntervalUnit::Day if one => Key::EveryDay,
        IntervalUnit::Day => Key::EveryDays,
        IntervalUnit::Week if one => Key::EveryWeek,
        IntervalUnit::Week => Key::EveryWeeks,
        IntervalUnit::Month if one => Key::EveryMonth,
        IntervalUnit::Month => Key::EveryMonths,
        IntervalUnit::Year if one => Key::EveryYear,
        IntervalUnit::Year => Key::EveryYears,
    };
    Some((key, count))
}

#[cfg(test)]
mod tests {
    use comeback_core::subscription::Discount;

    use super::*;
    use crate::i18n::{Strings, Text};

    fn plan(id: &str, percent: Option<u8>, intervals: &[&str]) -> OfferedPlan {
        OfferedPlan {
            id: id.into(),
            name: format!("Plan {id}"),
            discount: percent.map(|percent| Discount::Percent { percent }),
            free_shipping: true,
            intervals: intervals.iter().map(|i| i.to_string()).collect(),
            min_deliveries: None,
        }
    }

    fn offer() -> SubscriptionOffer {
        SubscriptionOffer {
            product_id: "wuyi".into(),
            currency: "CNY".into(),
            unit_price: 12_800,
            plans: vec![
                plan("tea-club", Some(10), &["P2W", "P4W", "P8W"]),
                plan("monthly", Some(15), &["P1M", "P4W"]),
            ],
        }
    }

    fn subscribe(plan: &str, interval: &str) -> Choice {
        Choice::Subscribe {
            plan: plan.into(),
            interval: interval.into(),
        }
    }

    #[test]
    fn attributes_are_trimmed_and_the_field_has_a_default() {
        let ask = Ask::parse(Some(" wuyi "), None);
        assert_eq!(ask.product.as_deref(), Some("wuyi"));
        assert_eq!(ask.field, DEFAULT_FIELD);
        assert_eq!(Ask::parse(Some(""), Some("  ")).product, None);
        assert_eq!(Ask::parse(None, Some(" plan ")).field, "plan");
        assert_eq!(
            Ask::parse(Some(&"x".repeat(MAX_ATTR_LEN + 1)), None).product,
            None
        );
        assert_eq!(
            Ask::parse(Some("tea 1"), None)
                .path(Locale::ZhHant)
                .as_deref(),
            Some("/subscriptions/offer?product=tea%201&locale=zh-Hant")
        );
        assert_eq!(Ask::parse(None, None).path(Locale::En), None);
    }

    #[test]
    fn one_time_is_the_default_and_writes_an_empty_field() {
        let choice = Choice::default();
        assert_eq!(choice, Choice::OneTime);
        assert_eq!(choice.form_value(), "");
        let detail = summary(&offer(), &choice);
        assert_eq!(detail.plan, None);
        assert_eq!(detail.interval, None);
        assert_eq!(
            (detail.price, detail.regular, detail.saving),
            (12_800, 12_800, 0)
        );
        assert_eq!(detail.currency, "CNY");
        assert_eq!(detail.product, "wuyi");
    }

    #[test]
    fn subscribing_picks_the_plans_first_interval_and_prices_by_the_core_rule() {
        let offer = offer();
        let choice = choose_plan(&offer, &Choice::OneTime, Some("tea-club"));
        assert_eq!(choice, subscribe("tea-club", "P2W"));
        assert_eq!(choice.form_value(), "tea-club:P2W");
        let detail = summary(&offer, &choice);
        assert_eq!(detail.plan.as_deref(), Some("tea-club"));
        assert_eq!(detail.interval.as_deref(), Some("P2W"));
        assert_eq!(
            (detail.price, detail.regular, detail.saving),
            (11_520, 12_800, 1_280)
        );
        let rule = offer.plans[0].price(offer.unit_price);
        assert_eq!(
            (detail.price, detail.saving),
            (rule.price, rule.saving),
            "the badge and the renewal share one rule"
        );
    }

    #[test]
    fn an_interval_is_kept_across_plans_that_offer_it() {
        let offer = offer();
        let four = choose_interval(&offer, &subscribe("tea-club", "P2W"), "P4W");
        assert_eq!(four, subscribe("tea-club", "P4W"));
        assert_eq!(
            choose_plan(&offer, &four, Some("monthly")),
            subscribe("monthly", "P4W")
        );
        let eight = subscribe("tea-club", "P8W");
        assert_eq!(
            choose_plan(&offer, &eight, Some("monthly")),
            subscribe("monthly", "P1M")
        );
        // Back to one-time, then subscribing again starts from the default.
        assert_eq!(choose_plan(&offer, &four, None), Choice::OneTime);
    }

    #[test]
    fn choices_the_offer_does_not_hold_change_nothing() {
        let offer = offer();
        let choice = subscribe("tea-club", "P2W");
        assert_eq!(choose_interval(&offer, &choice, "P3W"), choice);
        assert_eq!(
            choose_interval(&offer, &Choice::OneTime, "P2W"),
            Choice::OneTime
        );
        assert_eq!(choose_plan(&offer, &choice, Some("nope")), choice);
        let mut empty = offer.clone();
        empty.plans[0].intervals.clear();
        assert_eq!(
            choose_plan(&empty, &Choice::OneTime, Some("tea-club")),
            Choice::OneTime
        );
    }

    #[test]
    fn a_new_offer_keeps_what_it_still_offers() {
        let offer = offer();
        assert_eq!(
            fit(&offer, &subscribe("tea-club", "P8W")),
            subscribe("tea-club", "P8W")
        );
        let mut fewer = offer.clone();
        fewer.plans[0].intervals = vec!["P4W".into()];
        assert_eq!(
            fit(&fewer, &subscribe("tea-club", "P8W")),
            subscribe("tea-club", "P4W")
        );
        fewer.plans.remove(0);
        assert_eq!(fit(&fewer, &subscribe("tea-club", "P8W")), Choice::OneTime);
        assert_eq!(fit(&fewer, &Choice::OneTime), Choice::OneTime);
        // A plan that vanished reads as one-time in the detail too.
        assert_eq!(summary(&fewer, &subscribe("tea-club", "P8W")).plan, None);
    }

    #[test]
    fn the_toggle_shows_only_when_a_plan_has_an_interval() {
        let mut offer = offer();
        assert!(shows(&offer));
        offer.plans.iter_mut().for_each(|p| p.intervals.clear());
        assert!(!shows(&offer));
        offer.plans.clear();
        assert!(!shows(&offer));
    }

    #[test]
    fn a_plan_without_discount_costs_the_regular_price() {
        let mut offer = offer();
        offer.plans[0].discount = None;
        let detail = summary(&offer, &subscribe("tea-club", "P2W"));
        assert_eq!((detail.price, detail.saving), (12_800, 0));
    }

    #[test]
    fn intervals_are_worded_in_each_locale_with_plurals() {
        let say = |interval: &str, locale: Locale| {
            let (key, n) = every(interval).unwrap();
            let strings = Strings::new(locale, None, &Default::default());
            strings.fill(key, &[("n", &n.to_string())])
        };
        assert_eq!(say("P2W", Locale::En), "Every 2 weeks");
        assert_eq!(say("P2W", Locale::ZhHans), "每 2 周");
        assert_eq!(say("P2W", Locale::ZhHant), "每 2 週");
        assert_eq!(say("P1W", Locale::En), "Every week");
        assert_eq!(say("P1M", Locale::En), "Every month");
        assert_eq!(say("P3M", Locale::ZhHans), "每 3 个月");
        assert_eq!(say("P45D", Locale::En), "Every 45 days");
        assert_eq!(say("P1D", Locale::ZhHant), "每天");
        assert_eq!(say("P1Y", Locale::En), "Every year");
        assert_eq!(say("P2Y", Locale::En), "Every 2 years");
        assert_eq!(every("2w"), None);
        assert_eq!(Key::EveryWeeks.text(Locale::En), "Every {n} weeks");
    }

    #[test]
    fn the_cancel_note_names_a_minimum_above_one() {
        let mut plan = plan("p", None, &["P1M"]);
        assert_eq!(cancel_note(&plan), (Key::CancelAnyTime, None));
        plan.min_deliveries = Some(1);
        assert_eq!(cancel_note(&plan), (Key::CancelAnyTime, None));
        plan.min_deliveries = Some(3);
        assert_eq!(cancel_note(&plan), (Key::MinDeliveries, Some(3)));
    }
}
