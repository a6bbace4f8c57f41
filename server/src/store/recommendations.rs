//! What the recommendation model reads: every kept order line of a shop (a full
//! build), the lines stored since a moment (following new orders between builds), when
//! each product was first listed, and the catalogue as cards show it (all of it, or
//! what was synced since a moment). The model and that catalogue live in memory
//! (`features::recommendations`); nothing here is read per request.

use comeback_core::recommend::{Interaction, Kind};
use comeback_core::LocalizedText;
use sqlx::Row;

use super::{Store, StoreError};

/// An order line as the model learns from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearnedLine {
    /// The customer.
    pub customer_id: String,
    /// The order.
    pub order_id: String,
    /// The product.
    pub product_id: String,
    /// Units bought (at least 1).
    pub quantity: u32,
    /// When the order was placed, Unix seconds.
    pub placed_at: i64,
}

/// A product a recommendation may show, as the catalogue has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownProduct {
    /// The product id.
    pub product_id: String,
    /// Its title per locale.
    pub title: LocalizedText,
    /// Price, minor units.
    pub price: i64,
    /// The price before a sale.
    pub compare_at_price: Option<i64>,
    /// Its page.
    pub url: String,
    /// Its image.
    pub image: Option<String>,
    /// Whether it can be bought now.
    pub in_stock: bool,
}

/// A catalogue row as the model and its copy of the catalogue follow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueRow {
    /// What a card shows of it.
    pub product: ShownProduct,
    /// When the shop first listed it, Unix seconds.
    pub listed_at: i64,
    /// When it was last synced, Unix seconds.
    pub synced_at: i64,
    /// Its categories (for-you prefers the ones a customer buys from).
    pub categories: Vec<String>,
}

const LINE_COLUMNS: &str = "d.customer_id, d.order_id, l.product_id, l.quantity, d.placed_at";

/// Orders refunded in full teach nothing: their refund row covers the whole total.
const NOT_REFUNDED: &str = "NOT EXISTS (SELECT 1 FROM orders r WHERE r.shop_id = d.shop_id \
     AND r.order_id = d.order_id AND r.status = 'refunded' \
     AND COALESCE(r.refunded_amount, r.total) >= r.total)";

fn line_of(row: &sqlx::any::AnyRow) -> Result<LearnedLine, StoreError> {
    let quantity: i64 = row.try_get("quantity")?;
    Ok(LearnedLine {
        customer_id: row.try_get("customer_id")?,
        order_id: row.try_get("order_id")?,
        product_id: row.try_get("product_id")?,
        quantity: u32::try_from(quantity.max(1)).unwrap_or(u32::MAX),
        placed_at: row.try_get("placed_at")?,
    })
}

impl Store {
    /// Counts one click or add-to-cart on a list of `kind`, on the UTC day of `now`.
    pub async fn count_recommendation_interaction(
        &self,
        shop_id: &str,
        kind: Kind,
        action: Interaction,
        now: i64,
    ) -> Result<(), StoreError> {
        let (clicks, adds) = match action {
            Interaction::Click => (1_i64, 0_i64),
            Interaction::Add => (0, 1),
        };
        sqlx::query(
            "INSERT INTO recommendation_days (shop_id, day, kind, clicks, adds) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (shop_id, day, kind) DO UPDATE SET \
             clicks = recommendation_days.clicks + excluded.clicks, \
             adds = recommendation_days.adds + excluded.adds",
        )
        .bind(shop_id)
        .bind(now - now.rem_euclid(86_400))
        .bind(kind.as_str())
        .bind(clicks)
        .bind(adds)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every line of the shop's orders not refunded in full, oldest order first.
    pub async fn learned_lines(&self, shop_id: &str) -> Result<Vec<LearnedLine>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {LINE_COLUMNS} FROM order_details d JOIN order_lines l \
             ON l.shop_id = d.shop_id AND l.order_id = d.order_id \
             WHERE d.shop_id = $1 AND {NOT_REFUNDED} \
             ORDER BY d.placed_at, d.order_id, l.line_no"
        ))
        .bind(shop_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(line_of).collect()
    }

    /// The lines of the orders the server stored at or after `stored_since` (Unix
    /// seconds), by when they were stored; with the latest such time, to follow from.
    pub async fn lines_stored_since(
        &self,
        shop_id: &str,
        stored_since: i64,
    ) -> Result<(Vec<LearnedLine>, Option<i64>), StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {LINE_COLUMNS}, d.created_at FROM order_details d JOIN order_lines l \
             ON l.shop_id = d.shop_id AND l.order_id = d.order_id \
             WHERE d.shop_id = $1 AND d.created_at >= $2 \
             ORDER BY d.created_at, d.order_id, l.line_no"
        ))
        .bind(shop_id)
        .bind(stored_since)
        .fetch_all(&self.pool)
        .await?;
        let latest = rows
            .last()
            .map(|row| row.try_get::<i64, _>("created_at"))
            .transpose()?;
        let lines = rows.iter().map(line_of).collect::<Result<_, _>>()?;
        Ok((lines, latest))
    }

    /// The shop's products as recommendations show them, with when each was first
    /// listed and last synced: all of them, or those synced at or after `since` (a
    /// product first listed then is among them).
    pub async fn catalogue_rows(
        &self,
        shop_id: &str,
        since: Option<i64>,
    ) -> Result<Vec<CatalogueRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT product_id, title, price, compare_at_price, url, image, in_stock, \
             COALESCE(listed_at, synced_at) AS listed_at, synced_at, categories FROM products \
             WHERE shop_id = $1 AND synced_at >= $2",
        )
        .bind(shop_id)
        .bind(since.unwrap_or(i64::MIN))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let title: String = row.try_get("title")?;
                let in_stock: i64 = row.try_get("in_stock")?;
                let categories: String = row.try_get("categories")?;
                Ok(CatalogueRow {
                    product: ShownProduct {
                        product_id: row.try_get("product_id")?,
                        title: serde_json::from_str(&title).map_err(|error| {
                            StoreError::Corrupt(format!("product title: {error}"))
                        })?,
                        price: row.try_get("price")?,
                        compare_at_price: row.try_get("compare_at_price")?,
                        url: row.try_get("url")?,
                        image: row.try_get("image")?,
                        in_stock: in_stock != 0,
                    },
                    listed_at: row.try_get("listed_at")?,
                    synced_at: row.try_get("synced_at")?,
                    categories: serde_json::from_str(&categories).map_err(|error| {
                        StoreError::Corrupt(format!("product categories: {error}"))
                    })?,
                })
            })
            .collect()
    }
}
