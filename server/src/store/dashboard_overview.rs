//! The dashboard's overview of a period `[from, to)`: a handful of aggregate queries
//! per section (orders, points, surveys, subscriptions, help), weekly trends bucketed
//! by the Monday (UTC) their week starts on. The referral funnel is
//! [`Store::referral_funnel`].

use comeback_core::dashboard::{
    HelpOverview, KindInteractions, NamedCount, OrdersOverview, RecommendationOverview,
    SubscriptionOverview, SurveyOverview,
};
use comeback_core::ledger::EntryKind;
use comeback_core::recommend::Kind;
use comeback_core::rfm::median;
use comeback_core::trend::{nps, share, week_start, weekly_trend, WeekSums, WEEK_SECONDS};
use sqlx::Row;

use super::dashboard::PAID_ORDERS;
use super::{Store, StoreError};

/// Seconds in a day.
const DAY_SECONDS: f64 = 86_400.0;

/// The name of cancellations without a reason.
pub const NO_REASON: &str = "unspecified";

/// Points moved in a period, and what customers hold now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PointsTotals {
    /// Credited by orders, actions, referrals, surveys and upward adjustments.
    pub issued: i64,
    /// Spent on rewards.
    pub redeemed: i64,
    /// Expired.
    pub expired: i64,
    /// Every balance now.
    pub outstanding: i64,
}

/// `SQL`: the week of `column` counted from the week of the period's start (`$4`).
fn week_of(column: &str) -> String {
    format!("({column} - $4) / {WEEK_SECONDS}")
}

/// Reads a [`WeekSums`] from a row with `week`, `n` and `total`.
fn week_sums(row: &sqlx::any::AnyRow) -> Result<WeekSums, StoreError> {
    Ok(WeekSums {
        week: row.try_get("week")?,
        count: row.try_get("n")?,
        sum: row.try_get("total")?,
    })
}

impl Store {
    /// Paid orders placed in `[from, to)`: how many, by whom, how many of those
    /// customers bought more than once, the median days between consecutive orders
    /// (pairs whose later order is in the period), and orders per week.
    pub async fn orders_overview(
        &self,
        shop_id: &str,
        from: i64,
        to: i64,
    ) -> Result<OrdersOverview, StoreError> {
        let mut connection = self.pool.acquire().await?;
        let totals = sqlx::query(&format!(
            "{PAID_ORDERS} SELECT CAST(COUNT(*) AS BIGINT) AS customers, \
             CAST(COALESCE(SUM(orders_in), 0) AS BIGINT) AS orders, \
             CAST(COALESCE(SUM(CASE WHEN orders_until >= 2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
             AS repeaters FROM (SELECT customer_id, \
              SUM(CASE WHEN placed_at >= $2 THEN 1 ELSE 0 END) AS orders_in, \
              COUNT(*) AS orders_until FROM paid WHERE placed_at < $3 \
              GROUP BY customer_id) c WHERE orders_in > 0"
        ))
        .bind(shop_id)
        .bind(from)
        .bind(to)
        .fetch_one(&mut *connection)
        .await?;
        let customers: i64 = totals.try_get("customers")?;
        let repeaters: i64 = totals.try_get("repeaters")?;
        let mut gaps: Vec<f64> = sqlx::query(&format!(
            "{PAID_ORDERS} SELECT placed_at - previous AS gap FROM (SELECT placed_at, \
             LAG(placed_at) OVER (PARTITION BY customer_id ORDER BY placed_at, order_id) \
             AS previous FROM paid) g \
             WHERE previous IS NOT NULL AND placed_at >= $2 AND placed_at < $3"
        ))
        .bind(shop_id)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *connection)
        .await?
        .iter()
        .map(|row| Ok(row.try_get::<i64, _>("gap")? as f64 / DAY_SECONDS))
        .collect::<Result<_, StoreError>>()?;
        let weeks = sqlx::query(&format!(
            "{PAID_ORDERS} SELECT {week} AS week, CAST(COUNT(*) AS BIGINT) AS n, \
             CAST(COUNT(*) AS BIGINT) AS total FROM paid \
             WHERE placed_at >= $2 AND placed_at < $3 GROUP BY {week}",
            week = week_of("placed_at")
        ))
        .bind(shop_id)
        .bind(from)
        .bind(to)
        .bind(week_start(from))
        .fetch_all(&mut *connection)
        .await?
        .iter()
        .map(week_sums)
        .collect::<Result<Vec<_>, _>>()?;
        Ok(OrdersOverview {
            orders: totals.try_get("orders")?,
            customers,
            repeat_rate: share(repeaters, customers).unwrap_or(0.0),
            median_days_between_orders: median(&mut gaps),
            weekly: weekly_trend(from, to, &weeks, |week| week.sum as f64),
        })
    }

    /// Points credited, redeemed and expired in `[from, to)` (by the entries' kinds:
    /// issued counts credits only, so refunds and clawbacks never lower it, and points
    /// given back for an unused code are not issued again), and every balance now.
    pub async fn points_totals(
        &self,
        shop_id: &str,
        from: i64,
        to: i64,
    ) -> Result<PointsTotals, StoreError> {
        let credits = [
            EntryKind::OrderPaid,
            EntryKind::Action,
            EntryKind::Referral,
            EntryKind::Survey,
            EntryKind::Adjusted,
        ]
        .map(|kind| format!("'{}'", kind.as_str()))
        .join(", ");
        let in_period = "created_at >= $2 AND created_at < $3";
        let row = sqlx::query(&format!(
            "SELECT CAST(COALESCE(SUM(CASE WHEN points > 0 AND kind IN ({credits}) \
              AND {in_period} THEN points ELSE 0 END), 0) AS BIGINT) AS issued, \
             CAST(COALESCE(SUM(CASE WHEN kind = '{redeemed}' AND {in_period} \
              THEN -points ELSE 0 END), 0) AS BIGINT) AS redeemed, \
             CAST(COALESCE(SUM(CASE WHEN kind = '{expired}' AND {in_period} \
              THEN -points ELSE 0 END), 0) AS BIGINT) AS expired, \
             CAST(COALESCE(SUM(points), 0) AS BIGINT) AS outstanding \
             FROM ledger_entries WHERE shop_id = $1",
            redeemed = EntryKind::Redeemed.as_str(),
            expired = EntryKind::Expired.as_str(),
        ))
        .bind(shop_id)
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        Ok(PointsTotals {
            issued: row.try_get("issued")?,
            redeemed: row.try_get("redeemed")?,
            expired: row.try_get("expired")?,
            outstanding: row.try_get("outstanding")?,
        })
    }

    /// Customers per tier now (as last evaluated), by tier id; customers without a tier
    /// left out.
    pub async fn tier_counts(&self, shop_id: &str) -> Result<Vec<NamedCount>, StoreError> {
        let rows = sqlx::query(
            "SELECT tier_id, CAST(COUNT(*) AS BIGINT) AS n FROM customers \
             WHERE shop_id = $1 AND tier_id IS NOT NULL GROUP BY tier_id ORDER BY tier_id",
        )
        .bind(shop_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(NamedCount {
                    name: row.try_get("tier_id")?,
                    count: row.try_get("n")?,
                })
            })
            .collect()
    }

    /// Survey responses answered in `[from, to)`, their NPS and CSAT, and both per week.
    pub async fn survey_overview(
        &self,
        shop_id: &str,
        from: i64,
        to: i64,
    ) -> Result<SurveyOverview, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {week} AS week, CAST(COUNT(*) AS BIGINT) AS responses, \
             CAST(COUNT(nps) AS BIGINT) AS nps_n, \
             CAST(COALESCE(SUM(CASE WHEN nps >= 9 THEN 1 WHEN nps <= 6 THEN -1 ELSE 0 END), 0) \
              AS BIGINT) AS nps_net, \
             CAST(COUNT(csat) AS BIGINT) AS csat_n, \
             CAST(COALESCE(SUM(CASE WHEN csat >= 4 THEN 1 ELSE 0 END), 0) AS BIGINT) \
              AS satisfied \
             FROM survey_responses WHERE shop_id = $1 AND answered_at >= $2 \
             AND answered_at < $3 GROUP BY {week}",
            week = week_of("answered_at")
        ))
        .bind(shop_id)
        .bind(from)
        .bind(to)
        .bind(week_start(from))
        .fetch_all(&self.pool)
        .await?;
        let mut responses = 0;
        let mut nps_weeks = Vec::with_capacity(rows.len());
        let mut csat_weeks = Vec::with_capacity(rows.len());
        for row in &rows {
            let week: i64 = row.try_get("week")?;
            responses += row.try_get::<i64, _>("responses")?;
            nps_weeks.push(WeekSums {
                week,
                count: row.try_get("nps_n")?,
                sum: row.try_get("nps_net")?,
            });
            csat_weeks.push(WeekSums {
                week,
                count: row.try_get("csat_n")?,
                sum: row.try_get("satisfied")?,
            });
        }
        let total = |weeks: &[WeekSums]| {
            weeks.iter().fold((0, 0), |(sum, count), week| {
                (sum + week.sum, count + week.count)
            })
        };
        let (nps_net, nps_count) = total(&nps_weeks);
        let (satisfied, csat_count) = total(&csat_weeks);
        Ok(SurveyOverview {
            responses,
            nps: nps(nps_net, nps_count),
            csat: share(satisfied, csat_count),
            nps_weekly: weekly_trend(from, to, &nps_weeks, |week| {
                nps(week.sum, week.count).unwrap_or(0.0)
            }),
            csat_weekly: weekly_trend(from, to, &csat_weeks, |week| {
                share(week.sum, week.count).unwrap_or(0.0)
            }),
        })
    }

    /// Subscriptions active and paused now; skips and cancellations in `[from, to)`,
    /// the cancellations by reason (most frequent first; [`NO_REASON`] without one).
    pub async fn subscription_overview(
        &self,
        shop_id: &str,
        from: i64,
        to: i64,
    ) -> Result<SubscriptionOverview, StoreError> {
        let mut connection = self.pool.acquire().await?;
        let now = sqlx::query(
            "SELECT CAST(COALESCE(SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END), 0) \
              AS BIGINT) AS active, \
             CAST(COALESCE(SUM(CASE WHEN status = 'paused' THEN 1 ELSE 0 END), 0) AS BIGINT) \
              AS paused FROM subscriptions WHERE shop_id = $1",
        )
        .bind(shop_id)
        .fetch_one(&mut *connection)
        .await?;
        let skips: i64 = sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM subscription_log \
             WHERE shop_id = $1 AND action = 'skip' AND at >= $2 AND at < $3",
        )
        .bind(shop_id)
        .bind(from)
        .bind(to)
        .fetch_one(&mut *connection)
        .await?
        .try_get("n")?;
        let reasons = sqlx::query(
            "SELECT COALESCE(cancel_reason, $4) AS reason, CAST(COUNT(*) AS BIGINT) AS n \
             FROM subscriptions WHERE shop_id = $1 AND cancelled_at >= $2 \
             AND cancelled_at < $3 GROUP BY COALESCE(cancel_reason, $4) \
             ORDER BY n DESC, reason",
        )
        .bind(shop_id)
        .bind(from)
        .bind(to)
        .bind(NO_REASON)
        .fetch_all(&mut *connection)
        .await?
        .iter()
        .map(|row| {
            Ok(NamedCount {
                name: row.try_get("reason")?,
                count: row.try_get("n")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(SubscriptionOverview {
            active: now.try_get("active")?,
            paused: now.try_get("paused")?,
            skips,
            cancelled: reasons.iter().map(|reason| reason.count).sum(),
            cancel_reasons: reasons,
        })
    }

    /// Help: "did this help" answers given on the UTC days from the one `from` falls
    /// in to the one before `to` (answers are counted per day), and tickets opened in
    /// `[from, to)`.
    pub async fn help_overview(
        &self,
        shop_id: &str,
        from: i64,
        to: i64,
    ) -> Result<HelpOverview, StoreError> {
        let mut connection = self.pool.acquire().await?;
        let feedback = sqlx::query(
            "SELECT CAST(COALESCE(SUM(helpful), 0) AS BIGINT) AS solved, \
             CAST(COALESCE(SUM(not_helpful), 0) AS BIGINT) AS not_solved \
             FROM help_feedback_days WHERE shop_id = $1 AND day >= $2 AND day < $3",
        )
        .bind(shop_id)
        .bind(from - from.rem_euclid(86_400))
        .bind(to)
        .fetch_one(&mut *connection)
        .await?;
        let tickets: i64 = sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM help_tickets \
             WHERE shop_id = $1 AND created_at >= $2 AND created_at < $3",
        )
        .bind(shop_id)
        .bind(from)
        .bind(to)
        .fetch_one(&mut *connection)
        .await?
        .try_get("n")?;
        let solved: i64 = feedback.try_get("solved")?;
        Ok(HelpOverview {
            solved,
            not_solved: feedback.try_get("not_solved")?,
            tickets,
            deflection: share(solved, solved + tickets),
        })
    }

    /// Recommendations: the clicks and add-to-carts reported on the UTC days from the
    /// one `from` falls in to the one before `to`, per kind.
    pub async fn recommendation_overview(
        &self,
        shop_id: &str,
        from: i64,
        to: i64,
    ) -> Result<RecommendationOverview, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, CAST(SUM(clicks) AS BIGINT) AS clicks, \
             CAST(SUM(adds) AS BIGINT) AS adds FROM recommendation_days \
             WHERE shop_id = $1 AND day >= $2 AND day < $3 GROUP BY kind",
        )
        .bind(shop_id)
        .bind(from - from.rem_euclid(86_400))
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        let mut kinds = Vec::new();
        for row in rows {
            let name: String = row.try_get("kind")?;
            let kind = Kind::parse(&name)
                .ok_or_else(|| StoreError::Corrupt(format!("recommendation kind `{name}`")))?;
            kinds.push(KindInteractions {
                kind,
                clicks: row.try_get("clicks")?,
                adds: row.try_get("adds")?,
            });
        }
        kinds.sort_by_key(|k| Kind::ALL.iter().position(|kind| *kind == k.kind));
        Ok(RecommendationOverview {
            clicks: kinds.iter().map(|k| k.clicks).sum(),
            adds: kinds.iter().map(|k| k.adds).sum(),
            kinds,
        })
    }
}
