//! Customer segments for the dashboard: recency, frequency and money (RFM) scored by
//! quintiles within the shop, and the buy-again cadence. Pure rules; the server reads
//! each customer's paid orders and applies them.
//!
//! - Scores run 1 (worst fifth of the shop's customers) to 5 (best fifth): recency by
//!   days since the latest order (fewer is better), frequency by paid orders, money by
//!   what they spent. Tied customers share a score (the mid-rank of their group).
//! - `champions`: R ≥ 4, F ≥ 4 and M ≥ 4. `at-risk`: R ≤ 2 and (F ≥ 3 or M ≥ 3).
//!   `lost`: R = 1 and F ≤ 2. `new`: exactly one order, within the last
//!   [`NEW_WITHIN_DAYS`] days. A customer is in the first of these that matches, or in
//!   none.
//! - `due-to-buy-again` (independent of the above): at least two orders, and the day
//!   their own cadence (the median of the days between their orders) brings the next
//!   one is within the next `days` days, and not overdue by more than one cadence.

use crate::dashboard::Segment;

/// A first order within this many days (counting today as 0) makes a customer `new`.
pub const NEW_WITHIN_DAYS: i64 = 30;

/// What the rules know of one customer with at least one paid order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purchases {
    /// Days since their latest order (0 when it was today).
    pub days_since_last_order: i64,
    /// Paid orders.
    pub orders: i64,
    /// Money spent, minor units.
    pub spent: i64,
}

/// A customer's quintile scores, each 1–5 (5 best).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RfmScore {
    /// Recency: 5 for the most recent fifth.
    pub recency: u8,
    /// Frequency: 5 for the fifth with the most orders.
    pub frequency: u8,
    /// Money: 5 for the fifth that spent the most.
    pub money: u8,
}

/// Quintile scores of `values` (higher is better), in their order: 1 + ⌊5 × the
/// value's mid-rank share⌋, so 5 distinct values score 1 to 5, and equal values score
/// alike.
pub fn quintiles(values: &[i64]) -> Vec<u8> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let n = i128::try_from(sorted.len()).unwrap_or(i128::MAX).max(1);
    values
        .iter()
        .map(|value| {
            let below =
                i128::try_from(sorted.partition_point(|other| other < value)).unwrap_or(i128::MAX);
            let up_to =
                i128::try_from(sorted.partition_point(|other| other <= value)).unwrap_or(i128::MAX);
            let equal = up_to - below;
            // (below + equal / 2) / n, in halves to stay in integers.
            let score = 1 + (5 * (2 * below + equal)) / (2 * n);
            u8::try_from(score.clamp(1, 5)).unwrap_or(5)
        })
        .collect()
}

/// The scores of every customer, in their order, ranked within `customers`.
pub fn scores(customers: &[Purchases]) -> Vec<RfmScore> {
    let recency = quintiles(
        &customers
            .iter()
            .map(|customer| customer.days_since_last_order.saturating_neg())
            .collect::<Vec<_>>(),
    );
    let frequency = quintiles(&customers.iter().map(|c| c.orders).collect::<Vec<_>>());
    let money = quintiles(&customers.iter().map(|c| c.spent).collect::<Vec<_>>());
    recency
        .into_iter()
        .zip(frequency)
        .zip(money)
        .map(|((recency, frequency), money)| RfmScore {
            recency,
            frequency,
            money,
        })
        .collect()
}

/// The RFM segment of a customer with these purchases and scores: the first of
/// champions, at risk, lost and new that matches, or none.
pub fn segment_of(purchases: &Purchases, score: RfmScore) -> Option<Segment> {
    let RfmScore {
        recency: r,
        frequency: f,
        money: m,
    } = score;
    if r >= 4 && f >= 4 && m >= 4 {
        Some(Segment::Champions)
    } else if r <= 2 && (f >= 3 || m >= 3) {
        Some(Segment::AtRisk)
    } else if r == 1 && f <= 2 {
        Some(Segment::Lost)
    } else if purchases.orders == 1 && purchases.days_since_last_order < NEW_WITHIN_DAYS {
        Some(Segment::New)
    } else {
        None
    }
}

/// The RFM segment of each customer, in their order, scored within `customers`.
pub fn segments(customers: &[Purchases]) -> Vec<Option<Segment>> {
    customers
        .iter()
        .zip(scores(customers))
        .map(|(purchases, score)| segment_of(purchases, score))
        .collect()
}

/// The median of `values` (the mean of the middle two for an even count); `None` when
/// empty.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    })
}

/// The day (days since the Unix epoch) a customer who ordered on `order_days` (any
/// order) is due to order again: their latest order day plus the median number of days
/// between their orders, rounded down. `None` with fewer than two orders or a cadence
/// under a day.
pub fn next_order_day(order_days: &[i64]) -> Option<i64> {
    let mut days = order_days.to_vec();
    days.sort_unstable();
    let mut gaps: Vec<f64> = days
        .windows(2)
        .map(|pair| (pair[1] - pair[0]) as f64)
        .collect();
    let cadence = median(&mut gaps)?.floor();
    if cadence < 1.0 {
        return None;
    }
    // A cadence is at most the span of i64 days, so the cast keeps it whole.
    let cadence = cadence as i64;
    days.last()?.checked_add(cadence)
}

/// Whether a customer who ordered on `order_days` is due to buy again within `within`
/// days of `today` (days since the Unix epoch): the due day, when due between one
/// cadence ago and `today + within`.
pub fn due_within(order_days: &[i64], today: i64, within: i64) -> Option<i64> {
    let due = next_order_day(order_days)?;
    let last = order_days.iter().max()?;
    let cadence = due - last;
    (due >= today - cadence && due <= today + within).then_some(due)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buyer(days_since_last_order: i64, orders: i64, spent: i64) -> Purchases {
        Purchases {
            days_since_last_order,
            orders,
            spent,
        }
    }

    #[test]
    fn distinct_values_take_one_quintile_each() {
        assert_eq!(quintiles(&[50, 10, 40, 20, 30]), vec![5, 1, 4, 2, 3]);
        assert_eq!(
            quintiles(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
            vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
        );
    }

    #[test]
    fn ties_share_the_mid_rank() {
        // Eight one-order customers (mid-rank share 0.4) and two with more.
        let orders = [1, 1, 1, 1, 1, 1, 1, 1, 3, 7];
        assert_eq!(quintiles(&orders), vec![3, 3, 3, 3, 3, 3, 3, 3, 5, 5]);
        assert_eq!(quintiles(&[4, 4, 4]), vec![3, 3, 3]);
        assert_eq!(quintiles(&[9]), vec![3]);
        assert!(quintiles(&[]).is_empty());
    }

    #[test]
    fn recency_scores_fewer_days_higher() {
        let customers = [
            buyer(1, 1, 100),
            buyer(10, 1, 100),
            buyer(100, 1, 100),
            buyer(200, 1, 100),
            buyer(400, 1, 100),
        ];
        let recency: Vec<u8> = scores(&customers).iter().map(|s| s.recency).collect();
        assert_eq!(recency, vec![5, 4, 3, 2, 1]);
    }

    #[test]
    fn segments_of_hand_checked_cases() {
        let score = |recency, frequency, money| RfmScore {
            recency,
            frequency,
            money,
        };
        let regular = buyer(5, 6, 90_000);
        assert_eq!(
            segment_of(&regular, score(4, 4, 4)),
            Some(Segment::Champions)
        );
        assert_eq!(segment_of(&regular, score(5, 3, 5)), None);
        assert_eq!(segment_of(&regular, score(2, 3, 1)), Some(Segment::AtRisk));
        assert_eq!(segment_of(&regular, score(1, 1, 3)), Some(Segment::AtRisk));
        assert_eq!(segment_of(&regular, score(1, 2, 2)), Some(Segment::Lost));
        assert_eq!(segment_of(&regular, score(2, 2, 2)), None);
        let newcomer = buyer(29, 1, 1_000);
        assert_eq!(segment_of(&newcomer, score(3, 1, 1)), Some(Segment::New));
        assert_eq!(segment_of(&buyer(30, 1, 1_000), score(3, 1, 1)), None);
        // Lost comes before new.
        assert_eq!(segment_of(&newcomer, score(1, 1, 1)), Some(Segment::Lost));
    }

    #[test]
    fn a_small_shop_segments_as_expected() {
        let customers = [
            buyer(2, 8, 80_000),   // best on all three
            buyer(3, 6, 60_000),   // second on all three
            buyer(300, 5, 50_000), // ordered much, long ago
            buyer(400, 1, 1_000),  // one small order, long ago
            buyer(20, 1, 2_000),   // one order this month
        ];
        assert_eq!(
            segments(&customers),
            vec![
                Some(Segment::Champions),
                Some(Segment::Champions),
                Some(Segment::AtRisk),
                Some(Segment::Lost),
                Some(Segment::New),
            ]
        );
    }

    #[test]
    fn medians() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0]), Some(3.0));
        assert_eq!(median(&mut [9.0, 1.0, 4.0]), Some(4.0));
        assert_eq!(median(&mut [1.0, 4.0, 2.0, 10.0]), Some(3.0));
    }

    #[test]
    fn the_next_order_follows_the_median_cadence() {
        assert_eq!(next_order_day(&[100]), None);
        assert_eq!(next_order_day(&[100, 100]), None);
        assert_eq!(next_order_day(&[130, 100, 160]), Some(190));
        // Gaps 10, 30, 40: the median is 30.
        assert_eq!(next_order_day(&[0, 10, 40, 80]), Some(110));
    }

    #[test]
    fn due_within_the_window_and_not_long_overdue() {
        let orders = [100, 130, 160]; // due on day 190
        assert_eq!(due_within(&orders, 180, 14), Some(190));
        assert_eq!(due_within(&orders, 176, 14), Some(190));
        assert_eq!(due_within(&orders, 175, 14), None, "not yet");
        assert_eq!(due_within(&orders, 200, 14), Some(190), "overdue by 10");
        assert_eq!(due_within(&orders, 220, 14), Some(190), "overdue by 30");
        assert_eq!(due_within(&orders, 221, 14), None, "overdue by more");
        assert_eq!(due_within(&[160], 180, 14), None);
    }
}
