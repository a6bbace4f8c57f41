//! Customer profiles (`id`, `email`, `name`, `created_at`) as the shop's backend keeps
//! them: secret-key admin endpoints to upsert, read, list and delete one. Profiles also
//! arrive in bulk through the signed customers webhook (`catalogue.rs`). Emails are
//! stored normalised, so features can compare them (referral fraud rules, help tickets).

use axum::extract::State;
use axum::Json;
use comeback_core::catalogue::CustomerProfile;
use comeback_core::error::ErrorBody;
use serde::{Deserialize, Serialize};

use super::catalogue::{check_profile, rfc3339, Deleted, DEFAULT_PAGE, MAX_PAGE};
use super::{check_id, ApiJson, ApiPath, ApiQuery};
use crate::auth::ShopBackend;
use crate::error::AppError;
use crate::AppState;

/// Path of one customer's profile.
#[derive(Debug, Deserialize)]
pub struct ProfilePath {
    customer_id: String,
}

/// A page of profiles.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProfilePage {
    /// Profiles by customer id.
    pub profiles: Vec<CustomerProfile>,
    /// The `after` of the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_after: Option<String>,
}

/// Query of `GET /admin/profiles`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ProfilesQuery {
    /// Page size, 1–500; default 100.
    #[serde(default)]
    pub limit: Option<i64>,
    /// Only customers whose id sorts after this one.
    #[serde(default)]
    pub after: Option<String>,
}

/// `PUT /v1/shops/{shop}/admin/profiles/{customer_id}`: upserts a customer's profile.
#[utoipa::path(put, path = "/v1/shops/{shop}/admin/profiles/{customer_id}", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("customer_id" = String, Path, description = "The customer's id (the body's `id` must match)"),
    ),
    request_body = CustomerProfile,
    security(("shop_key" = [])),
    responses(
        (status = 200, description = "The profile as stored (email lowercased)", body = CustomerProfile),
        (status = 400, description = "Bad body", body = ErrorBody),
        (status = 401, description = "Missing or wrong API key", body = ErrorBody),
        (status = 422, description = "Not a valid profile, or its id is not the path's", body = ErrorBody),
    ))]
pub async fn put_profile(
    State(state): State<AppState>,
    ShopBackend(shop): ShopBackend,
    ApiPath(path): ApiPath<ProfilePath>,
    ApiJson(profile): ApiJson<CustomerProfile>,
) -> Result<Json<CustomerProfile>, AppError> {
    if profile.id != path.customer_id {
        return Err(AppError::Validation(
            "the body's `id` must be the customer id of the path".into(),
        ));
    }
    let (profile, created_at) = check_profile(&profile, "")?;
    state
        .store
        .upsert_customer_profile(&shop.id, &profile, created_at, state.clock.now())
        .await?;
    profile_of(&state, &shop.id, &profile.id).await
}

/// `GET /v1/shops/{shop}/admin/profiles/{customer_id}`: a customer's profile.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/profiles/{customer_id}", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("customer_id" = String, Path, description = "The customer's id"),
    ),
    security(("shop_key" = [])),
    responses(
        (status = 200, description = "The profile", body = CustomerProfile),
        (status = 401, description = "Missing or wrong API key", body = ErrorBody),
        (status = 404, description = "No such shop or profile", body = ErrorBody),
    ))]
pub async fn get_profile(
    State(state): State<AppState>,
    ShopBackend(shop): ShopBackend,
    ApiPath(path): ApiPath<ProfilePath>,
) -> Result<Json<CustomerProfile>, AppError> {
    profile_of(&state, &shop.id, &path.customer_id).await
}

async fn profile_of(
    state: &AppState,
    shop_id: &str,
    customer_id: &str,
) -> Result<Json<CustomerProfile>, AppError> {
    state
        .store
        .customer_profile(shop_id, customer_id, rfc3339)
        .await?
        .map(Json)
        .ok_or_else(|| {
            AppError::not_found(format!(
                "there is no profile of customer `{}`",
                crate::error::excerpt(customer_id)
            ))
        })
}

/// `GET /v1/shops/{shop}/admin/profiles`: the shop's customer profiles by id, a page at a
/// time.
#[utoipa::path(get, path = "/v1/shops/{shop}/admin/profiles", tag = "admin",
    params(("shop" = String, Path, description = "Shop id"), ProfilesQuery),
    security(("shop_key" = [])),
    responses(
        (status = 200, description = "A page of profiles", body = ProfilePage),
        (status = 400, description = "Bad limit", body = ErrorBody),
        (status = 401, description = "Missing or wrong API key", body = ErrorBody),
    ))]
pub async fn list_profiles(
    State(state): State<AppState>,
    ShopBackend(shop): ShopBackend,
    ApiQuery(query): ApiQuery<ProfilesQuery>,
) -> Result<Json<ProfilePage>, AppError> {
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(AppError::BadRequest(format!(
            "`limit` must be 1 to {MAX_PAGE}"
        )));
    }
    let page = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut profiles = state
        .store
        .customer_profiles(&shop.id, query.after.as_deref(), limit + 1, rfc3339)
        .await?;
    let more = profiles.len() > page;
    profiles.truncate(page);
    let next_after = more
        .then(|| profiles.last().map(|profile| profile.id.clone()))
        .flatten();
    Ok(Json(ProfilePage {
        profiles,
        next_after,
    }))
}

/// `DELETE /v1/shops/{shop}/admin/profiles/{customer_id}`: forgets a customer's profile
/// (email and name). Their points, orders and codes stay: those are the ledger's.
#[utoipa::path(delete, path = "/v1/shops/{shop}/admin/profiles/{customer_id}", tag = "admin",
    params(
        ("shop" = String, Path, description = "Shop id"),
        ("customer_id" = String, Path, description = "The customer's id"),
    ),
    security(("shop_key" = [])),
    responses(
        (status = 200, description = "Gone (`deleted` false when it was already)", body = Deleted),
        (status = 401, description = "Missing or wrong API key", body = ErrorBody),
    ))]
pub async fn delete_profile(
    State(state): State<AppState>,
    ShopBackend(shop): ShopBackend,
    ApiPath(path): ApiPath<ProfilePath>,
) -> Result<Json<Deleted>, AppError> {
    check_id("customer_id", &path.customer_id)?;
    let deleted = state
        .store
        .delete_customer_profile(&shop.id, &path.customer_id)
        .await?;
    Ok(Json(Deleted { deleted }))
}
