//! The product catalogue and customer profiles the shop's backend syncs: idempotent
//! upserts (a product older than the stored one changes nothing), listing and deletion.

use comeback_core::catalogue::{CustomerProfile, Product};
use comeback_core::LocalizedText;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Store, StoreError};

/// A product as stored, with the shop's `updated_at` in Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRecord {
    /// The product (its `updated_at` as the shop sent it, normalised to RFC 3339 UTC by
    /// the caller).
    pub product: Product,
    /// `updated_at`, Unix seconds.
    pub updated_at: i64,
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|error| StoreError::Corrupt(error.to_string()))
}

fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|error| StoreError::Corrupt(format!("{what}: {error}")))
}

const PRODUCT_COLUMNS: &str = "product_id, title, description, price, compare_at_price, url, \
                               image, in_stock, categories, updated_at";

/// A stored product; `format_time` renders its Unix seconds as the wire's RFC 3339.
fn product_of(row: &AnyRow, format_time: fn(i64) -> String) -> Result<ProductRecord, StoreError> {
    let title: String = row.try_get("title")?;
    let description: Option<String> = row.try_get("description")?;
    let categories: String = row.try_get("categories")?;
    let in_stock: i64 = row.try_get("in_stock")?;
    let updated_at: i64 = row.try_get("updated_at")?;
    Ok(ProductRecord {
        product: Product {
            id: row.try_get("product_id")?,
            title: parse::<LocalizedText>(&title, "product title")?,
            description: description
                .map(|text| parse::<LocalizedText>(&text, "product description"))
                .transpose()?,
            price: row.try_get("price")?,
            compare_at_price: row.try_get("compare_at_price")?,
            url: row.try_get("url")?,
            image: row.try_get("image")?,
            in_stock: in_stock != 0,
            categories: parse(&categories, "product categories")?,
            updated_at: format_time(updated_at),
        },
        updated_at,
    })
}

impl Store {
    /// Stores `product` (valid, with `updated_at` Unix seconds) unless the stored
    /// version is as new or newer; true when it changed the catalogue.
    pub async fn upsert_product(
        &self,
        shop_id: &str,
        product: &Product,
        updated_at: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "INSERT INTO products (shop_id, product_id, title, description, price, \
             compare_at_price, url, image, in_stock, categories, updated_at, synced_at, \
             listed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) \
             ON CONFLICT (shop_id, product_id) DO UPDATE SET title = excluded.title, \
             description = excluded.description, price = excluded.price, \
             compare_at_price = excluded.compare_at_price, url = excluded.url, \
             image = excluded.image, in_stock = excluded.in_stock, \
             categories = excluded.categories, updated_at = excluded.updated_at, \
             synced_at = excluded.synced_at \
             WHERE products.updated_at < excluded.updated_at",
        )
        .bind(shop_id)
        .bind(&product.id)
        .bind(json(&product.title)?)
        .bind(product.description.as_ref().map(json).transpose()?)
        .bind(product.price)
        .bind(product.compare_at_price)
        .bind(&product.url)
        .bind(product.image.as_deref())
        .bind(i64::from(product.in_stock))
        .bind(json(&product.categories)?)
        .bind(updated_at)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Up to `limit` products of the shop with ids after `after`, by id.
    pub async fn products(
        &self,
        shop_id: &str,
        after: Option<&str>,
        limit: i64,
        format_time: fn(i64) -> String,
    ) -> Result<Vec<ProductRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {PRODUCT_COLUMNS} FROM products WHERE shop_id = $1 AND product_id > $2 \
             ORDER BY product_id LIMIT $3"
        ))
        .bind(shop_id)
        .bind(after.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| product_of(row, format_time))
            .collect()
    }

    /// The product with this id.
    pub async fn product(
        &self,
        shop_id: &str,
        product_id: &str,
        format_time: fn(i64) -> String,
    ) -> Result<Option<ProductRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {PRODUCT_COLUMNS} FROM products WHERE shop_id = $1 AND product_id = $2"
        ))
        .bind(shop_id)
        .bind(product_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| product_of(&row, format_time)).transpose()
    }

    /// Removes a product; true when there was one.
    pub async fn delete_product(
        &self,
        shop_id: &str,
        product_id: &str,
    ) -> Result<bool, StoreError> {
        let result = sqlx::query("DELETE FROM products WHERE shop_id = $1 AND product_id = $2")
            .bind(shop_id)
            .bind(product_id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Stores a customer's profile (valid; `email` already normalised, `created_at` Unix
    /// seconds); true when it changed what was stored.
    pub async fn upsert_customer_profile(
        &self,
        shop_id: &str,
        profile: &CustomerProfile,
        created_at: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "INSERT INTO customer_profiles (shop_id, customer_id, email, name, created_at, synced_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (shop_id, customer_id) DO UPDATE SET email = excluded.email, \
             name = excluded.name, created_at = excluded.created_at, synced_at = excluded.synced_at \
             WHERE customer_profiles.email IS DISTINCT FROM excluded.email \
                OR customer_profiles.name IS DISTINCT FROM excluded.name \
                OR customer_profiles.created_at <> excluded.created_at",
        )
        .bind(shop_id)
        .bind(&profile.id)
        .bind(profile.email.as_deref())
        .bind(profile.name.as_deref())
        .bind(created_at)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// The profile of a customer; `created_at` rendered by `format_time`.
    pub async fn customer_profile(
        &self,
        shop_id: &str,
        customer_id: &str,
        format_time: fn(i64) -> String,
    ) -> Result<Option<CustomerProfile>, StoreError> {
        let row = sqlx::query(
            "SELECT customer_id, email, name, created_at FROM customer_profiles \
             WHERE shop_id = $1 AND customer_id = $2",
        )
        .bind(shop_id)
        .bind(customer_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| profile_of(&row, format_time)).transpose()
    }

    /// Up to `limit` customer profiles of the shop with ids after `after`, by id.
    pub async fn customer_profiles(
        &self,
        shop_id: &str,
        after: Option<&str>,
        limit: i64,
        format_time: fn(i64) -> String,
    ) -> Result<Vec<CustomerProfile>, StoreError> {
        let rows = sqlx::query(
            "SELECT customer_id, email, name, created_at FROM customer_profiles \
             WHERE shop_id = $1 AND customer_id > $2 ORDER BY customer_id LIMIT $3",
        )
        .bind(shop_id)
        .bind(after.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| profile_of(row, format_time))
            .collect()
    }

    /// Forgets a customer's profile; true when there was one.
    pub async fn delete_customer_profile(
        &self,
        shop_id: &str,
        customer_id: &str,
    ) -> Result<bool, StoreError> {
        let result =
            sqlx::query("DELETE FROM customer_profiles WHERE shop_id = $1 AND customer_id = $2")
                .bind(shop_id)
                .bind(customer_id)
                .execute(&self.pool)
                .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Customers of the shop with this (normalised) email, by id.
    pub async fn customers_with_email(
        &self,
        shop_id: &str,
        email: &str,
    ) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT customer_id FROM customer_profiles WHERE shop_id = $1 AND email = $2 \
             ORDER BY customer_id",
        )
        .bind(shop_id)
        .bind(email)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| row.try_get("customer_id").map_err(StoreError::from))
            .collect()
    }
}

/// A `customer_profiles` row (`customer_id, email, name, created_at`) as the API shows it.
fn profile_of(row: &AnyRow, format_time: fn(i64) -> String) -> Result<CustomerProfile, StoreError> {
    Ok(CustomerProfile {
        id: row.try_get("customer_id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        created_at: format_time(row.try_get("created_at")?),
    })
}
