//! What the shop-owner dashboard reads of one customer: the customer search and the
//! activity of a customer (orders with their lines, referrals, survey answers and
//! tickets). The overview is in `dashboard_overview`, the segments in
//! `dashboard_segments`.
//!
//! A paid order is an order with a `paid` status row, or an imported one (imported
//! orders were paid and have no status rows); what a refund gave back is the refund
//! row's `refunded_amount`. Customers are known from any of `customers` (loyalty),
//! `customer_profiles` (synced by the shop's backend) and `order_details`.

use comeback_core::dashboard::{
    ticket_subject, ActivityLine, ActivityOrder, ActivityProfile, ActivityReferrals,
    ActivitySurveyAnswer, ActivityTicket, CustomerHit, OrderState, ACTIVITY_ORDERS,
    ACTIVITY_RECENT,
};
use comeback_core::locale::{Locale, LocalizedText};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::surveys::{answer_from, ANSWER_COLUMNS};
use super::{Store, StoreError};

/// A common table `paid` of the paid orders of the shop bound as `$1`: `order_id`,
/// `customer_id`, `email`, `total`, `currency`, `placed_at` and `refunded` (what refunds
/// gave back, NULL without a refund).
pub(super) const PAID_ORDERS: &str = "WITH paid AS (SELECT d.order_id, d.customer_id, \
     d.email, d.total, d.currency, d.placed_at, \
     (SELECT MAX(COALESCE(r.refunded_amount, d.total)) FROM orders r \
      WHERE r.shop_id = d.shop_id AND r.order_id = d.order_id AND r.status = 'refunded') \
     AS refunded \
     FROM order_details d WHERE d.shop_id = $1 AND (EXISTS (SELECT 1 FROM orders o \
      WHERE o.shop_id = d.shop_id AND o.order_id = d.order_id AND o.status = 'paid') \
     OR NOT EXISTS (SELECT 1 FROM orders o \
      WHERE o.shop_id = d.shop_id AND o.order_id = d.order_id)))";

/// Per customer of the `paid` table: `orders`, `spent` (less refunds), `currency` and
/// `last_order_at`; a common table `stats` to follow [`PAID_ORDERS`].
pub(super) const CUSTOMER_STATS: &str = ", stats AS (SELECT customer_id, \
     CAST(COUNT(*) AS BIGINT) AS orders, \
     CAST(SUM(total - COALESCE(refunded, 0)) AS BIGINT) AS spent, \
     MAX(currency) AS currency, MAX(placed_at) AS last_order_at \
     FROM paid GROUP BY customer_id)";

/// Columns of a [`CustomerHit`] for the customer `k.customer_id` of the shop `$1`,
/// with `customer_profiles p` and `stats s` joined.
pub(super) const HIT_COLUMNS: &str = "k.customer_id, p.email AS profile_email, p.name, \
     (SELECT o.email FROM order_details o WHERE o.shop_id = $1 \
      AND o.customer_id = k.customer_id AND o.email IS NOT NULL \
      ORDER BY o.placed_at DESC, o.order_id DESC LIMIT 1) AS order_email, \
     (SELECT CAST(COALESCE(SUM(l.points), 0) AS BIGINT) FROM ledger_entries l \
      WHERE l.shop_id = $1 AND l.customer_id = k.customer_id) AS balance, \
     s.orders, s.spent, s.currency, s.last_order_at";

/// The joins [`HIT_COLUMNS`] reads from, after `FROM <table> k`.
pub(super) const HIT_JOINS: &str = "LEFT JOIN customer_profiles p \
     ON p.shop_id = $1 AND p.customer_id = k.customer_id \
     LEFT JOIN stats s ON s.customer_id = k.customer_id";

/// A customer of the search or of a segment, from [`HIT_COLUMNS`].
pub(super) fn hit_from(row: &AnyRow) -> Result<CustomerHit, StoreError> {
    let profile_email: Option<String> = row.try_get("profile_email")?;
    let order_email: Option<String> = row.try_get("order_email")?;
    Ok(CustomerHit {
        customer_id: row.try_get("customer_id")?,
        email: profile_email.or(order_email),
        name: row.try_get("name")?,
        balance: row.try_get("balance")?,
        orders: row.try_get::<Option<i64>, _>("orders")?.unwrap_or(0),
        spent: row.try_get::<Option<i64>, _>("spent")?.unwrap_or(0),
        currency: row.try_get("currency")?,
        last_order_at: row.try_get("last_order_at")?,
    })
}

/// `text` as a `LIKE` pattern matching itself literally (`!` is the escape character).
fn like_literal(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if matches!(c, '%' | '_' | '!') {
            pattern.push('!');
        }
        pattern.push(c);
    }
    pattern
}

/// A catalogue title (JSON [`LocalizedText`]) in English.
fn english_title(title: Option<String>) -> Result<Option<String>, StoreError> {
    title
        .map(|title| {
            serde_json::from_str::<LocalizedText>(&title)
                .map(|title| title.get(Locale::En).to_owned())
                .map_err(|error| StoreError::Corrupt(format!("product title: {error}")))
        })
        .transpose()
}

impl Store {
    /// The shop's customers whose id starts with `query`, or whose email (synced or on
    /// an order) or name contains it, ignoring case: the one whose id is `query` first,
    /// then by latest paid order (newest first), at most `limit`.
    pub async fn search_customers(
        &self,
        shop_id: &str,
        query: &str,
        limit: i64,
    ) -> Result<Vec<CustomerHit>, StoreError> {
        let literal = like_literal(query);
        let rows = sqlx::query(&format!(
            "{PAID_ORDERS}{CUSTOMER_STATS}, known AS (\
             SELECT customer_id FROM customers WHERE shop_id = $1 \
             UNION SELECT customer_id FROM customer_profiles WHERE shop_id = $1 \
             UNION SELECT customer_id FROM order_details WHERE shop_id = $1) \
             SELECT {HIT_COLUMNS} FROM known k {HIT_JOINS} \
             WHERE LOWER(k.customer_id) LIKE LOWER($2) ESCAPE '!' \
             OR LOWER(p.email) LIKE LOWER($3) ESCAPE '!' \
             OR LOWER(p.name) LIKE LOWER($3) ESCAPE '!' \
             OR EXISTS (SELECT 1 FROM order_details o WHERE o.shop_id = $1 \
              AND o.customer_id = k.customer_id AND LOWER(o.email) LIKE LOWER($3) ESCAPE '!') \
             ORDER BY CASE WHEN k.customer_id = $4 THEN 0 ELSE 1 END, \
             COALESCE(s.last_order_at, -1) DESC, k.customer_id LIMIT $5"
        ))
        .bind(shop_id)
        .bind(format!("{literal}%"))
        .bind(format!("%{literal}%"))
        .bind(query)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(hit_from).collect()
    }

    /// Whether the shop knows the customer from anything: loyalty, a synced profile, an
    /// order, a subscription, a survey response, a ticket or a referral code.
    pub async fn customer_known(
        &self,
        shop_id: &str,
        customer_id: &str,
    ) -> Result<bool, StoreError> {
        let tables = [
            "customers",
            "customer_profiles",
            "order_details",
            "subscriptions",
            "survey_responses",
            "help_tickets",
            "referral_advocates",
        ];
        let exists: Vec<String> = tables
            .iter()
            .map(|table| {
                format!("EXISTS (SELECT 1 FROM {table} WHERE shop_id = $1 AND customer_id = $2)")
            })
            .collect();
        let row = sqlx::query(&format!(
            "SELECT CAST(CASE WHEN {} THEN 1 ELSE 0 END AS BIGINT) AS known",
            exists.join(" OR ")
        ))
        .bind(shop_id)
        .bind(customer_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<i64, _>("known")? == 1)
    }

    /// The customer's synced profile.
    pub async fn activity_profile(
        &self,
        shop_id: &str,
        customer_id: &str,
    ) -> Result<Option<ActivityProfile>, StoreError> {
        let row = sqlx::query(
            "SELECT email, name FROM customer_profiles WHERE shop_id = $1 AND customer_id = $2",
        )
        .bind(shop_id)
        .bind(customer_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(ActivityProfile {
                email: row.try_get("email")?,
                name: row.try_get("name")?,
            })
        })
        .transpose()
    }

    /// The customer's latest paid orders (at most [`ACTIVITY_ORDERS`]), newest first,
    /// with their lines and the catalogue's titles.
    pub async fn activity_orders(
        &self,
        shop_id: &str,
        customer_id: &str,
    ) -> Result<Vec<ActivityOrder>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        let latest = "SELECT order_id, total, currency, placed_at, refunded FROM paid \
             WHERE customer_id = $2 ORDER BY placed_at DESC, order_id DESC LIMIT $3";
        let rows = sqlx::query(&format!("{PAID_ORDERS} {latest}"))
            .bind(shop_id)
            .bind(customer_id)
            .bind(ACTIVITY_ORDERS)
            .fetch_all(&mut *connection)
            .await?;
        let mut orders = Vec::with_capacity(rows.len());
        for row in &rows {
            let total: i64 = row.try_get("total")?;
            let refunded: Option<i64> = row.try_get("refunded")?;
            orders.push(ActivityOrder {
                order_id: row.try_get("order_id")?,
                placed_at: row.try_get("placed_at")?,
                total,
                currency: row.try_get("currency")?,
                status: OrderState::of(total, refunded),
                refunded: refunded.unwrap_or(0),
                lines: Vec::new(),
            });
        }
        let lines = sqlx::query(&format!(
            "{PAID_ORDERS} SELECT l.order_id, l.product_id, l.quantity, p.title \
             FROM order_lines l LEFT JOIN products p \
             ON p.shop_id = l.shop_id AND p.product_id = l.product_id \
             WHERE l.shop_id = $1 AND l.order_id IN ({latest_ids}) \
             ORDER BY l.order_id, l.line_no",
            latest_ids = "SELECT order_id FROM paid WHERE customer_id = $2 \
                 ORDER BY placed_at DESC, order_id DESC LIMIT $3"
        ))
        .bind(shop_id)
        .bind(customer_id)
        .bind(ACTIVITY_ORDERS)
        .fetch_all(&mut *connection)
        .await?;
        for row in &lines {
            let order_id: String = row.try_get("order_id")?;
            let line = ActivityLine {
                product_id: row.try_get("product_id")?,
                title: english_title(row.try_get("title")?)?,
                quantity: row.try_get("quantity")?,
            };
            if let Some(order) = orders.iter_mut().find(|order| order.order_id == order_id) {
                order.lines.push(line);
            }
        }
        Ok(orders)
    }

    /// The customer as an advocate: their code and the referred first orders.
    pub async fn activity_referrals(
        &self,
        shop_id: &str,
        customer_id: &str,
    ) -> Result<ActivityReferrals, StoreError> {
        let code: Option<String> = sqlx::query(
            "SELECT code FROM referral_advocates WHERE shop_id = $1 AND customer_id = $2",
        )
        .bind(shop_id)
        .bind(customer_id)
        .fetch_optional(&self.pool)
        .await?
        .map(|row| row.try_get("code"))
        .transpose()?;
        let row = sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT) AS referred, \
             CAST(COALESCE(SUM(CASE WHEN status = 'paid' THEN 1 ELSE 0 END), 0) AS BIGINT) \
             AS paid FROM referrals WHERE shop_id = $1 AND advocate_id = $2",
        )
        .bind(shop_id)
        .bind(customer_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(ActivityReferrals {
            code,
            referred: row.try_get("referred")?,
            paid: row.try_get("paid")?,
        })
    }

    /// The customer's latest survey responses (at most [`ACTIVITY_RECENT`]).
    pub async fn activity_survey_answers(
        &self,
        shop_id: &str,
        customer_id: &str,
    ) -> Result<Vec<ActivitySurveyAnswer>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ANSWER_COLUMNS} FROM survey_responses \
             WHERE shop_id = $1 AND customer_id = $2 \
             ORDER BY answered_at DESC, id DESC LIMIT $3"
        ))
        .bind(shop_id)
        .bind(customer_id)
        .bind(ACTIVITY_RECENT)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let answer = answer_from(row)?;
                Ok(ActivitySurveyAnswer {
                    survey_id: answer.survey_id,
                    submitted_at: answer.answered_at,
                    nps: answer.scores.nps,
                    csat: answer.scores.csat,
                    effort: answer.scores.effort,
                    answers: answer.answers,
                })
            })
            .collect()
    }

    /// The customer's latest help tickets (at most [`ACTIVITY_RECENT`]).
    pub async fn activity_tickets(
        &self,
        shop_id: &str,
        customer_id: &str,
    ) -> Result<Vec<ActivityTicket>, StoreError> {
        let rows = sqlx::query(
            "SELECT ticket_id, message, order_id, created_at FROM help_tickets \
             WHERE shop_id = $1 AND customer_id = $2 \
             ORDER BY created_at DESC, ticket_id DESC LIMIT $3",
        )
        .bind(shop_id)
        .bind(customer_id)
        .bind(ACTIVITY_RECENT)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let message: String = row.try_get("message")?;
                Ok(ActivityTicket {
                    id: row.try_get("ticket_id")?,
                    subject: ticket_subject(&message),
                    order_id: row.try_get("order_id")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_match_their_text_literally() {
        assert_eq!(like_literal("50%_off!"), "50!%!_off!!");
        assert_eq!(like_literal("plain"), "plain");
    }
}
