//! The referral programme: the advocate's code, link, rewards and referrals for
//! `<comeback-referral>` ([`me`]), the friend's landing, visit and claim ([`friends`]),
//! the shop's funnel, list and hand decisions ([`admin`]), what a referred order hands
//! the order pipeline ([`orders`]), and the job that pays rewards after the hold
//! ([`payouts`]). Configured by `[shops.<id>.referrals]`; a shop without that section
//! answers 404.
//!
//! The rules (code format, attribution window, which orders earn a reward, the hold, the
//! refunds that cancel) are `comeback_core::referral`'s; this module applies them.

pub mod admin;
pub mod friends;
pub mod orders;
pub mod payouts;

use axum::extract::State;
use axum::middleware::from_fn_with_state;
use axum::Json;
use comeback_core::error::ErrorBody;
use comeback_core::referral::{ReferralProgramme, ReferralView, RewardOffer};
use comeback_core::Locale;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use payouts::PayoutJob;

use crate::auth::{Customer, Shop};
use crate::config::referrals::ReferralsConfig;
use crate::error::AppError;
use crate::routes::ApiQuery;
use crate::store::Referral;
use crate::{ratelimit, AppState};

/// Most referrals `/referrals/me` lists (the newest).
pub const ME_LIMIT: i64 = 100;

/// The feature's routes with their OpenAPI entries, under `/v1/shops/{shop}/`: the
/// shopper's (rate limited, CORS) and the shop backend's (API key; a coarse limit).
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let shopper = OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(friends::landing))
        .routes(routes!(friends::visit))
        .routes(routes!(friends::claim))
        .route_layer(from_fn_with_state(state.clone(), ratelimit::shopper));
    let shop_backend = OpenApiRouter::new()
        .routes(routes!(admin::funnel))
        .routes(routes!(admin::list_referrals))
        .routes(routes!(admin::approve))
        .routes(routes!(admin::decline))
        .route_layer(from_fn_with_state(state.clone(), ratelimit::backend));
    shopper.merge(shop_backend)
}

/// The shop's referrals section, or 404 when it has none.
pub(crate) fn referrals_of(shop: &Shop) -> Result<&ReferralsConfig, AppError> {
    shop.config.referrals.as_ref().ok_or_else(|| {
        AppError::not_found(format!("the shop `{}` has no referral programme", shop.id))
    })
}

/// The locale of an answer.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct LocaleQuery {
    /// A BCP 47 tag for the shop's descriptions of the rewards (`zh-TW` reads as
    /// `zh-Hant`); English when absent or not shipped.
    pub locale: Option<String>,
}

fn locale_of(tag: Option<&str>) -> Locale {
    tag.and_then(Locale::from_tag).unwrap_or_default()
}

/// The advocate's reward as the widget shows it.
pub(crate) fn advocate_offer(shop: &Shop, config: &ReferralsConfig, locale: Locale) -> RewardOffer {
    config
        .advocate_reward
        .offer(&shop.config.currency, config.minimum_order, locale)
}

/// The friend's reward as the widget shows it.
pub(crate) fn friend_offer(shop: &Shop, config: &ReferralsConfig, locale: Locale) -> RewardOffer {
    config.friend_reward.offer(&shop.config.currency, 0, locale)
}

/// The reward a referral earns (or earned): its kind and value as promised when the
/// order arrived, in the words of today's config.
pub(crate) fn reward_of(
    shop: &Shop,
    config: &ReferralsConfig,
    referral: &Referral,
    locale: Locale,
) -> RewardOffer {
    let mut offer = advocate_offer(shop, config, locale);
    if offer.kind != referral.reward_kind || offer.value != referral.reward_value {
        // The shop changed the reward since: the words no longer fit this one.
        offer.description = None;
    }
    offer.kind = referral.reward_kind;
    offer.value = referral.reward_value;
    offer.currency.clone_from(&referral.currency);
    offer
}

/// An email masked for the advocate's eyes: `l•••@example.com`.
fn masked(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_owned(),
    }
}

/// `GET /v1/shops/{shop}/referrals/me`: the signed-in advocate's code (drawn on the
/// first call and kept), link, the two rewards, the hold, visits and sign-ups through
/// the link, and their referrals, newest first (at most 100).
#[utoipa::path(get, path = "/v1/shops/{shop}/referrals/me", tag = "referrals",
    params(("shop" = String, Path, description = "Shop id"), LocaleQuery),
    security(("customer_token" = [])),
    responses(
        (status = 200, description = "The advocate's programme", body = ReferralProgramme),
        (status = 401, description = "Missing, forged or expired customer token", body = ErrorBody),
        (status = 404, description = "No such shop, or no referral programme", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn me(
    State(state): State<AppState>,
    customer: Customer,
    ApiQuery(query): ApiQuery<LocaleQuery>,
) -> Result<Json<ReferralProgramme>, AppError> {
    let shop = &customer.shop;
    let config = referrals_of(shop)?;
    let locale = locale_of(query.locale.as_deref());
    let advocate = &customer.claims.sub;
    let now = state.clock.now();
    let code = state.store.advocate_code(&shop.id, advocate, now).await?;
    let (visits, signups) = state.store.advocate_counts(&shop.id, advocate).await?;
    let referrals = state
        .store
        .referrals_of(&shop.id, advocate, ME_LIMIT)
        .await?;
    let friends: Vec<&str> = referrals
        .iter()
        .map(|referral| referral.friend_customer_id.as_str())
        .collect();
    let first_names = state.store.first_names(&shop.id, &friends).await?;
    let views = referrals
        .iter()
        .map(|referral| ReferralView {
            id: referral.id.clone(),
            friend: first_names
                .get(&referral.friend_customer_id)
                .cloned()
                .or_else(|| referral.friend_email.as_deref().map(masked)),
            status: referral.status,
            reason: referral.reason,
            ordered_on: referral.ordered_on,
            pays_on: referral.pays_on,
            paid_on: referral.paid_on,
            reward: reward_of(shop, config, referral, locale),
            reward_code: referral.reward_code.clone(),
        })
        .collect();
    Ok(Json(ReferralProgramme {
        link: config.link(&code),
        code,
        advocate_reward: advocate_offer(shop, config, locale),
        friend_reward: friend_offer(shop, config, locale),
        hold_days: config.hold_days,
        visits: u64::try_from(visits).unwrap_or(0),
        signups: u64::try_from(signups).unwrap_or(0),
        referrals: views,
    }))
}

#[cfg(test)]
mod tests {
    use super::masked;

    #[test]
    fn emails_are_masked_to_their_first_letter_and_domain() {
        assert_eq!(masked("lin@example.com"), "l•••@example.com");
        assert_eq!(masked("nothing"), "•••");
    }
}
