//! What the dashboard's segments are made from: every customer of the shop with a paid
//! order, as in a search, with the times of their paid orders. The rules that sort them
//! into segments are `comeback_core::rfm`.

use std::collections::HashMap;

use comeback_core::dashboard::CustomerHit;
use sqlx::Row;

use super::dashboard::{hit_from, CUSTOMER_STATS, HIT_COLUMNS, HIT_JOINS, PAID_ORDERS};
use super::{Store, StoreError};

/// A customer with paid orders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentCustomer {
    /// The customer, as in a search.
    pub hit: CustomerHit,
    /// When each of their paid orders was placed, Unix seconds, oldest first.
    pub order_times: Vec<i64>,
}

impl Store {
    /// Every customer of the shop with a paid order, by customer id.
    pub async fn segment_customers(
        &self,
        shop_id: &str,
    ) -> Result<Vec<SegmentCustomer>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        let hits = sqlx::query(&format!(
            "{PAID_ORDERS}{CUSTOMER_STATS} SELECT {HIT_COLUMNS} FROM stats k {HIT_JOINS} \
             ORDER BY k.customer_id"
        ))
        .bind(shop_id)
        .fetch_all(&mut *connection)
        .await?;
        let mut customers = hits
            .iter()
            .map(|row| {
                Ok(SegmentCustomer {
                    hit: hit_from(row)?,
                    order_times: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let index: HashMap<String, usize> = customers
            .iter()
            .enumerate()
            .map(|(at, customer)| (customer.hit.customer_id.clone(), at))
            .collect();
        let orders = sqlx::query(&format!(
            "{PAID_ORDERS} SELECT customer_id, placed_at FROM paid \
             ORDER BY customer_id, placed_at"
        ))
        .bind(shop_id)
        .fetch_all(&mut *connection)
        .await?;
        for row in &orders {
            let customer_id: String = row.try_get("customer_id")?;
            if let Some(&at) = index.get(&customer_id) {
                customers[at].order_times.push(row.try_get("placed_at")?);
            }
        }
        Ok(customers)
    }
}
