//! Punch cards: "buy 6, the 7th is free". Each qualifying order stamps the card; a full
//! card earns a reward and a fresh card starts.
//!
//! Progress is recomputed from the shopper's orders every time, so a refund simply
//! removes its order's stamp. A refund after the card was full therefore lowers
//! `rewards_earned`; the server issues `rewards_earned` minus the rewards in force when
//! that is positive. When a refund leaves fewer than are in force, the server revokes
//! the unused codes of the newest of them; a used one stays in force as a stamp debt,
//! so the next stamps refill the card without paying the reward twice.
//!
//! Time limit (`window_days`): a card has `window_days` calendar days, counting the day
//! of its first stamp, to be filled. A stamp on a later day does not go on that card: the
//! unfinished card lapses and the stamp starts a new one. A card whose window has passed
//! by `today` shows as empty.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// A punch card the shop runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PunchCardRule {
    /// Stable id, such as `coffee`.
    pub id: String,
    /// Stamps that fill a card (the 6 of "buy 6, the 7th is free"); at least 1.
    pub required: u32,
    /// Least order total, in minor units, that earns a stamp; `None` for any total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_spend: Option<i64>,
    /// Products of which an order must contain at least one; empty for any order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub product_ids: Vec<String>,
    /// Days a card has to be filled, counting its first stamp's day; `None` for no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_days: Option<u32>,
}

/// A paid order of the shopper, as far as punch cards care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PunchCardOrder {
    /// The shop's order id; each id stamps at most once.
    pub order_id: String,
    /// When the order was placed.
    pub placed_on: Date,
    /// Order total in minor units.
    pub total: i64,
    /// Products in the order.
    pub product_ids: Vec<String>,
    /// Whether the order was refunded (its stamp is taken back).
    pub refunded: bool,
}

/// Where the shopper stands on a punch card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PunchCardProgress {
    /// Stamps on the current card; always below `required`.
    pub filled: u32,
    /// Stamps that fill a card.
    pub required: u32,
    /// Cards filled so far, each worth one reward.
    pub rewards_earned: u32,
    /// Last day a stamp still counts on the current card; `None` without a time limit
    /// or while the card is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete_by: Option<Date>,
}

impl PunchCardProgress {
    /// Stamps still needed to fill the current card.
    pub fn stamps_left(&self) -> u32 {
        self.required.saturating_sub(self.filled)
    }
}

/// Checks a rule the shop configured. Returns a message naming the first problem.
pub fn validate(rule: &PunchCardRule) -> Result<(), String> {
    if rule.id.trim().is_empty() {
        return Err("a punch card needs an id".into());
    }
    if rule.required == 0 {
        return Err(format!("punch card `{}` needs at least one stamp", rule.id));
    }
    if rule.min_spend.is_some_and(|min| min < 0) {
        return Err(format!(
            "punch card `{}` has a negative minimum spend",
            rule.id
        ));
    }
    if rule.product_ids.iter().any(|id| id.trim().is_empty()) {
        return Err(format!(
            "punch card `{}` lists an empty product id",
            rule.id
        ));
    }
    if rule.window_days == Some(0) {
        return Err(format!(
            "punch card `{}` has a time limit of 0 days",
            rule.id
        ));
    }
    Ok(())
}

/// Whether an order earns a stamp on this card: not refunded, at least the minimum
/// spend, and holding one of the listed products if any are listed.
pub fn qualifies(rule: &PunchCardRule, order: &PunchCardOrder) -> bool {
    !order.refunded
        && rule.min_spend.is_none_or(|min| order.total >= min)
        && (rule.product_ids.is_empty()
            || order
                .product_ids
                .iter()
                .any(|id| rule.product_ids.contains(id)))
}

/// The shopper's progress on `rule` from their orders placed up to `today`.
pub fn progress(rule: &PunchCardRule, orders: &[PunchCardOrder], today: Date) -> PunchCardProgress {
    let required = rule.required.max(1);
    let mut card = Card::default();
    let mut rewards_earned = 0;
    for stamped_on in stamp_dates(rule, orders, today) {
        card.lapse_if_expired(rule.window_days, stamped_on);
        card.stamp(stamped_on);
        if card.filled == required {
            rewards_earned += 1;
            card = Card::default();
        }
    }
    card.lapse_if_expired(rule.window_days, today);
    PunchCardProgress {
        filled: card.filled,
        required,
        rewards_earned,
        complete_by: card.last_day(rule.window_days),
    }
}

/// The card being filled: its stamps and the day of its first one.
#[derive(Debug, Default)]
struct Card {
    filled: u32,
    started_on: Option<Date>,
}

impl Card {
    fn stamp(&mut self, on: Date) {
        self.started_on.get_or_insert(on);
        self.filled += 1;
    }

    /// The last day of the card's window, if it has a first stamp and a window.
    fn last_day(&self, window_days: Option<u32>) -> Option<Date> {
        let window = i64::from(window_days?);
        Some(self.started_on?.add_days(window - 1))
    }

    /// Empties the card if `on` is past its window.
    fn lapse_if_expired(&mut self, window_days: Option<u32>, on: Date) {
        if self.last_day(window_days).is_some_and(|last| on > last) {
            *self = Card::default();
        }
    }
}

/// Dates of the stamping orders placed up to `today`, in stamping order (date, then
/// order id), each order id once.
fn stamp_dates(rule: &PunchCardRule, orders: &[PunchCardOrder], today: Date) -> Vec<Date> {
    let mut stamping: Vec<&PunchCardOrder> = orders
        .iter()
        .filter(|order| order.placed_on <= today && qualifies(rule, order))
        .collect();
    stamping.sort_by(|a, b| (a.placed_on, &a.order_id).cmp(&(b.placed_on, &b.order_id)));
    let mut seen = BTreeSet::new();
    stamping
        .into_iter()
        .filter(|order| seen.insert(order.order_id.as_str()))
        .map(|order| order.placed_on)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(iso: &str) -> Date {
        Date::parse(iso).expect("valid test date")
    }

    fn rule(required: u32) -> PunchCardRule {
        PunchCardRule {
            id: "coffee".into(),
            required,
            min_spend: None,
            product_ids: Vec::new(),
            window_days: None,
        }
    }

    fn order(id: &str, placed_on: &str, total: i64) -> PunchCardOrder {
        PunchCardOrder {
            order_id: id.into(),
            placed_on: day(placed_on),
            total,
            product_ids: vec!["beans".into()],
            refunded: false,
        }
    }

    fn orders_on(dates: &[&str]) -> Vec<PunchCardOrder> {
        dates
            .iter()
            .enumerate()
            .map(|(index, date)| order(&format!("o{index}"), date, 1_000))
            .collect()
    }

    const TODAY: &str = "2027-06-30";

    #[test]
    fn a_full_card_earns_a_reward_and_starts_over() {
        let orders = orders_on(&["2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04"]);
        let progress = progress(&rule(3), &orders, day(TODAY));
        assert_eq!((progress.filled, progress.rewards_earned), (1, 1));
        assert_eq!(progress.stamps_left(), 2);
        assert_eq!(progress.complete_by, None);
    }

    #[test]
    fn a_refund_takes_its_stamp_back() {
        let mut orders = orders_on(&["2027-01-01", "2027-01-02", "2027-01-03"]);
        assert_eq!(progress(&rule(3), &orders, day(TODAY)).rewards_earned, 1);
        orders[1].refunded = true;
        let after = progress(&rule(3), &orders, day(TODAY));
        assert_eq!((after.filled, after.rewards_earned), (2, 0));
    }

    #[test]
    fn minimum_spend_and_products_decide_which_orders_stamp() {
        let mut card = rule(5);
        card.min_spend = Some(1_000);
        card.product_ids = vec!["beans".into(), "cups".into()];
        let mut orders = vec![
            order("small", "2027-01-01", 999),
            order("exact", "2027-01-02", 1_000),
            order("other", "2027-01-03", 5_000),
        ];
        orders[2].product_ids = vec!["tea".into()];
        assert!(!qualifies(&card, &orders[0]));
        assert!(qualifies(&card, &orders[1]));
        assert!(!qualifies(&card, &orders[2]));
        assert_eq!(progress(&card, &orders, day(TODAY)).filled, 1);
    }

    #[test]
    fn an_order_id_stamps_once_and_future_orders_not_yet() {
        let mut orders = orders_on(&["2027-01-01", "2027-07-01"]);
        orders.push(order("o0", "2027-01-01", 1_000));
        assert_eq!(progress(&rule(5), &orders, day(TODAY)).filled, 1);
    }

    #[test]
    fn stamps_outside_the_window_start_a_new_card() {
        let mut card = rule(3);
        card.window_days = Some(7);
        // Day 1 and day 7 of the first card, then day 8: the first card lapses.
        let orders = orders_on(&["2027-01-01", "2027-01-07", "2027-01-08"]);
        let progress = progress(&card, &orders, day("2027-01-08"));
        assert_eq!((progress.filled, progress.rewards_earned), (1, 0));
        assert_eq!(progress.complete_by, Some(day("2027-01-14")));
    }

    #[test]
    fn the_last_day_of_the_window_still_counts() {
        let mut card = rule(3);
        card.window_days = Some(7);
        let orders = orders_on(&["2027-01-01", "2027-01-03", "2027-01-07"]);
        let progress = progress(&card, &orders, day("2027-01-07"));
        assert_eq!((progress.filled, progress.rewards_earned), (0, 1));
        assert_eq!(progress.complete_by, None);
    }

    #[test]
    fn a_card_past_its_window_shows_empty() {
        let mut card = rule(3);
        card.window_days = Some(30);
        let orders = orders_on(&["2027-01-01", "2027-01-10"]);
        let open = progress(&card, &orders, day("2027-01-30"));
        assert_eq!(open.filled, 2);
        assert_eq!(open.complete_by, Some(day("2027-01-30")));
        let lapsed = progress(&card, &orders, day("2027-01-31"));
        assert_eq!((lapsed.filled, lapsed.complete_by), (0, None));
    }

    #[test]
    fn validation_names_the_problem() {
        assert!(validate(&rule(6)).is_ok());
        assert!(validate(&rule(0)).unwrap_err().contains("at least one"));
        let mut no_id = rule(6);
        no_id.id = " ".into();
        assert!(validate(&no_id).is_err());
        let mut negative = rule(6);
        negative.min_spend = Some(-1);
        assert!(validate(&negative).unwrap_err().contains("negative"));
        let mut empty_product = rule(6);
        empty_product.product_ids = vec![String::new()];
        assert!(validate(&empty_product).unwrap_err().contains("product"));
        let mut no_time = rule(6);
        no_time.window_days = Some(0);
        assert!(validate(&no_time).unwrap_err().contains("0 days"));
    }

    fn any_orders() -> impl Strategy<Value = Vec<PunchCardOrder>> {
        proptest::collection::vec(
            (0_i64..120, 0_i64..3_000, any::<bool>(), any::<bool>()),
            0..40,
        )
        .prop_map(|orders| {
            orders
                .into_iter()
                .enumerate()
                .map(|(index, (offset, total, refunded, beans))| PunchCardOrder {
                    order_id: format!("o{index}"),
                    placed_on: day("2027-01-01").add_days(offset),
                    total,
                    product_ids: vec![if beans { "beans" } else { "tea" }.into()],
                    refunded,
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn the_card_is_never_full(
            orders in any_orders(),
            required in 1_u32..8,
            window in proptest::option::of(1_u32..60),
            today in 0_i64..150,
        ) {
            let mut card = rule(required);
            card.window_days = window;
            let progress = progress(&card, &orders, day("2027-01-01").add_days(today));
            prop_assert!(progress.filled < progress.required);
        }

        #[test]
        fn without_a_window_every_stamp_is_counted(
            orders in any_orders(),
            required in 1_u32..8,
            min_spend in proptest::option::of(0_i64..2_000),
            beans_only in any::<bool>(),
        ) {
            let mut card = rule(required);
            card.min_spend = min_spend;
            if beans_only {
                card.product_ids = vec!["beans".into()];
            }
            let today = day(TODAY);
            let progress = progress(&card, &orders, today);
            let stamping = orders
                .iter()
                .filter(|order| order.placed_on <= today && qualifies(&card, order))
                .count();
            let counted = progress.rewards_earned * progress.required + progress.filled;
            prop_assert_eq!(usize::try_from(counted).unwrap(), stamping);
        }
    }
}
