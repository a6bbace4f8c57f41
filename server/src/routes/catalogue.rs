//! The product catalogue and customer profiles, synced by the shop's backend: signed
//! webhooks taking one or many, and secret-key admin endpoints for products (upsert,
//! read, list, delete; the profiles' are in `profiles.rs`). Upserts are idempotent and
//! an older product never replaces a newer one.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use comeback_core::catalogue::{CustomerProfile, Product};
use comeback_core::error::ErrorBody;
use comeback_core::orders::normalize_email;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;

use super::{check_id, parse_json, ApiJson, ApiPath, ApiQuery, RawBody};
use crate::auth::{verify_webhook, Shop, ShopBackend, SIGNATURE_HEADER};
use crate::error::AppError;
use crate::AppState;

/// Most products or customers one webhook may carry.
pub const MAX_BATCH: usize = 500;

/// Default and largest page of the admin listings (`GET /admin/products`, `/profiles`).
pub const DEFAULT_PAGE: i64 = 100;
/// See [`DEFAULT_PAGE`].
pub const MAX_PAGE: i64 = 500;

/// One item or many: a webhook body may be a single object or an array of them.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    Many(Vec<T>),
    One(Box<T>),
}

impl<T> OneOrMany<T> {
    fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::Many(items) => items,
            OneOrMany::One(item) => vec![*item],
        }
    }
}

/// What a sync did.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SyncResult {
    /// Items received.
    pub received: usize,
    /// Items that changed what was stored (the others were repeats or older).
    pub changed: usize,
}

/// A product as an admin endpoint answers it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProductUpsert {
    /// The product as stored now.
    pub product: Product,
    /// Whether this request changed it (false for a repeat or an older version).
    pub changed: bool,
}

/// A page of products.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProductPage {
    /// Products by id.
    pub products: Vec<Product>,
    /// The `after` of the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_after: Option<String>,
}

/// Query of `GET /admin/products`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ProductsQuery {
    /// Page size, 1–500; default 100.
    #[serde(default)]
    pub limit: Option<i64>,
    /// Only products whose id sorts after this one.
    #[serde(default)]
    pub after: Option<String>,
}

/// Path of one product.
#[derive(Debug, Deserialize)]
pub struct ProductPath {
    product_id: String,
}

/// An RFC 3339 timestamp as Unix seconds, or 422 naming the field.
pub fn unix_seconds(field: &str, text: &str) -> Result<i64, AppError> {
    time::OffsetDateTime::parse(text, &Rfc3339)
        .map(time::OffsetDateTime::unix_timestamp)
        .map_err(|_| {
            AppError::Validation(format!(
                "`{field}` must be an RFC 3339 timestamp such as 2027-03-01T08:00:00Z"
            ))
        })
}

/// Unix seconds as RFC 3339 UTC.
pub fn rfc3339(seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|time| time.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// A product checked: its `updated_at` in Unix seconds; `at` prefixes the field names
/// (`products[3].`).
pub fn check_product(product: &Product, at: &str) -> Result<i64, AppError> {
    if let Some(problem) = product.problem() {
        return Err(AppError::Validation(problem.replacen(
            '`',
            &format!("`{at}"),
            1,
        )));
    }
    unix_seconds(&format!("{at}updated_at"), &product.updated_at)
}

/// A profile checked: its email normalised and `created_at` in Unix seconds.
pub fn check_profile(
    profile: &CustomerProfile,
    at: &str,
) -> Result<(CustomerProfile, i64), AppError> {
    if let Some(problem) = profile.problem() {
        return Err(AppError::Validation(problem.replacen(
            '`',
            &format!("`{at}"),
            1,
        )));
    }
    let created_at = unix_seconds(&format!("{at}created_at"), &profile.created_at)?;
    let mut profile = profile.clone();
    profile.email = profile.email.as_deref().and_then(normalize_email);
    Ok((profile, created_at))
}

/// How an error names the field of item `index` of `count`: `[3].price` in a batch,
/// `price` alone for a single item.
fn item_prefix(count: usize, index: usize) -> String {
    if count == 1 {
        String::new()
    } else {
        format!("[{index}].")
    }
}

/// Upserts products of a shop (all checked first: one bad product refuses the whole
/// batch, naming it, and stores nothing); how many changed.
pub async fn sync_products(
    state: &AppState,
    shop_id: &str,
    products: &[Product],
    now: i64,
) -> Result<usize, AppError> {
    let checked = products
        .iter()
        .enumerate()
        .map(|(index, product)| check_product(product, &item_prefix(products.len(), index)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut changed = 0;
    for (product, updated_at) in products.iter().zip(checked) {
        if state
            .store
            .upsert_product(shop_id, product, updated_at, now)
            .await?
        {
            state.recommenders.product_synced(shop_id, product, now);
            changed += 1;
        }
    }
    Ok(changed)
}

fn verified<T: serde::de::DeserializeOwned>(
    shop: &Shop,
    headers: &HeaderMap,
    body: &[u8],
    now: i64,
) -> Result<Vec<T>, AppError> {
    let signature = headers
        .get(SIGNATURE_HEADER)
        .map(|value| value.to_str().unwrap_or_default());
    verify_webhook(&shop.config.webhook_secrets, signature, body, now)
        .map_err(|error| AppError::unauthorized(error.to_string()))?;
    let items = parse_json::<OneOrMany<T>>(body)?.into_vec();
    if items.is_empty() || items.len() > MAX_BATCH {
        return Err(AppError::Validation(format!(
            "send 1 to {MAX_BATCH} items, as one object or an array"
        )));
    }
    Ok(items)
}

/// `POST /v1/shops/{shop}/webhooks/products`: one product or an array of them.
#[utoipa::path(post, path = "/v1/shops/{shop}/webhooks/products", tag = "webhooks",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("Comeback-Signature" = String, Header, description = "`t=<unix seconds>,v1=<hex HMAC-SHA256(webhook secret, \"<t>.<raw body>\")>`"),
    ),
    request_body(content = Vec<Product>, description = "One product, or an array of up to 500"),
    security(("webhook_signature" = [])),
    responses(
        (status = 200, description = "Stored; repeats and older versions change nothing", body = SyncResult),
        (status = 400, description = "Not a product or an array of products", body = ErrorBody),
        (status = 401, description = "Missing, malformed, stale or wrong signature", body = ErrorBody),
        (status = 422, description = "A product is not valid (the message names it and its field); nothing was stored", body = ErrorBody),
    ))]
pub async fn products_webhook(
    State(state): State<AppState>,
    shop: Shop,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Json<SyncResult>, AppError> {
    let now = state.clock.now();
    let products: Vec<Product> = verified(&shop, &headers, &body, now)?;
    let changed = sync_products(&state, &shop.id, &products, now).await?;
    Ok(Json(SyncResult {
        received: products.len(),
        changed,
    }))
}

/// `POST /v1/shops/{shop}/webhooks/customers`: one customer profile or an array.
#[utoipa::path(post, path = "/v1/shops/{shop}/webhooks/customers", tag = "webhooks",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("Comeback-Signature" = String, Header, description = "`t=<unix seconds>,v1=<hex HMAC-SHA256(webhook secret, \"<t>.<raw body>\")>`"),
    ),
    request_body(content = Vec<CustomerProfile>, description = "One customer, or an array of up to 500"),
    security(("webhook_signature" = [])),
    responses(
        (status = 200, description = "Stored; repeats change nothing", body = SyncResult),
        (status = 400, description = "Not a customer or an array of customers", body = ErrorBody),
        (status = 401, description = "Missing, malformed, stale or wrong signature", body = ErrorBody),
        (status = 422, description = "A customer is not valid (the message names it and its field); nothing was stored", body = ErrorBody),
    ))]
pub async fn customers_webhook(
    State(state): State<AppState>,
    shop: Shop,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Json<SyncResult>, AppError> {
    let now = state.clock.now();
    let profiles: Vec<CustomerProfile> = verified(&shop, &headers, &body, now)?;
    let checked = profiles
        .iter()
        .enumerate()
        .map(|(index, profile)| check_profile(profile, &item_prefix(profiles.len(), index)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut changed = 0;
    for (profile, created_at) in &checked {
        if state
            .store
            .upsert_customer_profile(&shop.id, profile, *created_at, now)
            .await?
        {
            changed += 1;
        }
    }
    Ok(Json(SyncResult {
        received: checked.len(),
        changed,
    }))
}

/// `PUT /v1/shops/{shop}/admin/products/{product_id}`: upserts one product.
#[utoipa::path(put, path = "/v1/shops/{shop}/admin/products/{product_id}", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("product_id" = String, Path, description = "The product's id (the body's `id` must match)"),
    ),
    request_body = Product,
    security(("shop_key" = [])),
    responses(
        (status = 200, description = "The product as stored, and whether this changed it", body = ProductUpsert),
        (status = 400, description = "Bad body", body = ErrorBody),
        (status = 401, description = "Missing or wrong API key", body = ErrorBody),
        (status = 422, description = "Not a valid product, or its id is not the path's", body = ErrorBody),
    ))]
pub async fn put_product(
    State(state): State<AppState>,
    ShopBackend(shop): ShopBackend,
    ApiPath(path): ApiPath<ProductPath>,
    ApiJson(product): ApiJson<Product>,
) -> Result<Json<ProductUpsert>, AppError> {
    if product.id != path.product_id {
        return Err(AppError::Validation(
            "the body's `id` must be the product id of the path".into(),
        ));
    }
    let now = state.clock.now();
    let changed = sync_products(&state, &shop.id, std::slice::from_ref(&product), now).await? == 1;
    let stored = state
        .store
        .product(&shop.id, &product.id, rfc3339)
        .await?
        .ok_or_else(|| AppError::Internal("a stored product is missing".into()))?;
    Ok(Json(ProductUpsert {
        product: stored.product,
        changed,
    }))
}

/// `GET /v1/shops/{shop}/admin/products/{product_id}`: one product.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/products/{product_id}", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("product_id" = String, Path, description = "The product's id"),
    ),
    security(("shop_key" = [])),
    responses(
        (status = 200, description = "The product", body = Product),
        (status = 401, description = "Missing or wrong API key", body = ErrorBody),
        (status = 404, description = "No such shop or product", body = ErrorBody),
    ))]
pub async fn get_product(
    State(state): State<AppState>,
    ShopBackend(shop): ShopBackend,
    ApiPath(path): ApiPath<ProductPath>,
) -> Result<Json<Product>, AppError> {
    state
        .store
        .product(&shop.id, &path.product_id, rfc3339)
        .await?
        .map(|record| Json(record.product))
        .ok_or_else(|| {
            AppError::not_found(format!(
                "there is no product `{}`",
                crate::error::excerpt(&path.product_id)
            ))
        })
}

/// The answer to a deletion.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Deleted {
    /// Whether there was something to delete (deleting again is harmless).
    pub deleted: bool,
}

/// `DELETE /v1/shops/{shop}/admin/products/{product_id}`: removes a product.
#[utoipa::path(delete, path = "/v1/shops/{shop}/admin/products/{product_id}", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("product_id" = String, Path, description = "The product's id"),
    ),
    security(("shop_key" = [])),
    responses(
        (status = 200, description = "Gone (`deleted` false when it was already)", body = Deleted),
        (status = 401, description = "Missing or wrong API key", body = ErrorBody),
    ))]
pub async fn delete_product(
    State(state): State<AppState>,
    ShopBackend(shop): ShopBackend,
    ApiPath(path): ApiPath<ProductPath>,
) -> Result<Json<Deleted>, AppError> {
    check_id("product_id", &path.product_id)?;
    let deleted = state
        .store
        .delete_product(&shop.id, &path.product_id)
        .await?;
    state
        .recommenders
        .product_deleted(&shop.id, &path.product_id);
    Ok(Json(Deleted { deleted }))
}

/// `GET /v1/shops/{shop}/admin/products`: the catalogue by id, a page at a time.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/products", tag = "admin",
    params(("shop" = String, Path, description = "Shop id"), ProductsQuery),
    security(("shop_key" = [])),
    responses(
        (status = 200, description = "A page of products", body = ProductPage),
        (status = 400, description = "Bad limit", body = ErrorBody),
        (status = 401, description = "Missing or wrong API key", body = ErrorBody),
    ))]
pub async fn list_products(
    State(state): State<AppState>,
    ShopBackend(shop): ShopBackend,
    ApiQuery(query): ApiQuery<ProductsQuery>,
) -> Result<Json<ProductPage>, AppError> {
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(AppError::BadRequest(format!(
            "`limit` must be 1 to {MAX_PAGE}"
        )));
    }
    let records = state
        .store
        .products(&shop.id, query.after.as_deref(), limit + 1, rfc3339)
        .await?;
    let more = records.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    let products: Vec<Product> = records
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|record| record.product)
        .collect();
    let next_after = more
        .then(|| products.last().map(|product| product.id.clone()))
        .flatten();
    Ok(Json(ProductPage {
        products,
        next_after,
    }))
}
