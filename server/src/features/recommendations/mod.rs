//! Recommendations: `GET /v1/shops/{shop}/recommendations` for
//! `<comeback-recommendations>`, answered from each shop's model in memory
//! ([`models`]) and the catalogue as it is now (stock, price, title). Configured by
//! `[shops.<id>.recommendations]`; a shop without that section answers 404.

pub mod interactions;
pub mod models;

use axum::extract::{Query, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::Json;
use comeback_core::error::ErrorBody;
use comeback_core::recommend::{
    Kind, Recommendations, RecommendedItem, Why, DEFAULT_LIMIT, MAX_EXCLUDE, MAX_LIMIT,
};
use comeback_core::Locale;
use comeback_recs::{Pick, Reason, Request};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use models::{FollowJob, Recommenders};

use crate::auth::{Customer, Shop, VerifiedToken};
use crate::config::recommendations::RecommendationsConfig;
use crate::error::AppError;
use crate::store::ShownProduct;
use crate::{ratelimit, AppState};

/// Most recently viewed products a request may send.
pub const MAX_VIEWED: usize = 20;
/// Viewed products that seed a signed-out shopper's personal list.
const VIEWED_SEEDS: usize = 5;

/// The feature's routes with their OpenAPI entries (shopper-facing: rate limited, CORS).
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(recommendations))
        .routes(routes!(interactions::report))
        .route_layer(from_fn_with_state(state.clone(), ratelimit::shopper))
}

/// The query of `GET /recommendations`.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct RecommendationsQuery {
    /// `also-bought`, `for-you`, `buy-again`, `popular`, `trending`, `new-arrivals` or
    /// `blend` (default).
    pub kind: Option<String>,
    /// The page's product: required for `also-bought`, never recommended itself.
    pub product: Option<String>,
    /// How many items, 1 to 24 (default 4).
    pub limit: Option<String>,
    /// Product ids never to list (the cart, what the page already shows), comma
    /// separated, at most 100.
    pub exclude: Option<String>,
    /// The shopper's recently viewed product ids, most recent first, comma separated,
    /// at most 20: they seed `for-you` and `blend` for a shopper who is not signed in.
    pub viewed: Option<String>,
    /// A BCP 47 tag for the titles (`zh-TW` reads as `zh-Hant`); English by default.
    pub locale: Option<String>,
}

/// A checked request.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Asked<'a> {
    kind: Kind,
    product: Option<&'a str>,
    limit: usize,
    exclude: Vec<&'a str>,
    viewed: Vec<&'a str>,
    locale: Locale,
}

pub(crate) fn is_product_id(id: &str) -> bool {
    !id.is_empty() && id.chars().count() <= 128
}

/// Comma-separated product ids: trimmed, empty ones skipped, each 1-128 characters.
fn ids<'a>(text: Option<&'a str>, name: &str, most: usize) -> Result<Vec<&'a str>, AppError> {
    let ids: Vec<&str> = text
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .collect();
    if ids.len() > most {
        return Err(AppError::Validation(format!(
            "`{name}` lists {} products; at most {most} are accepted",
            ids.len()
        )));
    }
    if let Some(bad) = ids.iter().find(|id| !is_product_id(id)) {
        return Err(AppError::Validation(format!(
            "`{name}` names `{}`, which is not a product id (1-128 characters)",
            crate::error::excerpt(bad)
        )));
    }
    Ok(ids)
}

fn check(query: &RecommendationsQuery) -> Result<Asked<'_>, AppError> {
    let kind = match query.kind.as_deref() {
        None | Some("") => Kind::Blend,
        Some(name) => Kind::parse(name).ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL.iter().map(|kind| kind.as_str()).collect();
            AppError::Validation(format!(
                "`kind` must be one of {}, not `{}`",
                names.join(", "),
                crate::error::excerpt(name)
            ))
        })?,
    };
    let product = query
        .product
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty());
    if let Some(product) = product {
        if !is_product_id(product) {
            return Err(AppError::Validation(
                "`product` must be a product id of 1-128 characters".into(),
            ));
        }
    }
    if kind.needs_product() && product.is_none() {
        return Err(AppError::Validation(format!(
            "`kind={}` needs the page's `product`",
            kind.as_str()
        )));
    }
    let limit = match query.limit.as_deref() {
        None | Some("") => DEFAULT_LIMIT,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|limit| (1..=MAX_LIMIT).contains(limit))
            .ok_or_else(|| {
                AppError::Validation(format!(
                    "`limit` must be a whole number from 1 to {MAX_LIMIT}"
                ))
            })?,
    };
    Ok(Asked {
        kind,
        product,
        limit,
        exclude: ids(query.exclude.as_deref(), "exclude", MAX_EXCLUDE)?,
        viewed: ids(query.viewed.as_deref(), "viewed", MAX_VIEWED)?,
        locale: query
            .locale
            .as_deref()
            .and_then(Locale::from_tag)
            .unwrap_or_default(),
    })
}

/// `GET /v1/shops/{shop}/recommendations`: products for one shopper and page.
#[utoipa::path(get, path = "/v1/shops/{shop}/recommendations", tag = "recommendations",
    params(("shop" = String, Path, description = "Shop id"), RecommendationsQuery),
    security((), ("customer_token" = [])),
    responses(
        (status = 200, description = "The items, best first (never out of stock, never excluded)", body = Recommendations),
        (status = 401, description = "A customer token was sent and is not valid", body = ErrorBody),
        (status = 404, description = "No such shop, or no recommendations", body = ErrorBody),
        (status = 422, description = "A parameter is not acceptable", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
    ))]
pub async fn recommendations(
    State(state): State<AppState>,
    shop: Shop,
    headers: HeaderMap,
    verified: Option<Extension<VerifiedToken>>,
    Query(query): Query<RecommendationsQuery>,
) -> Result<Response, AppError> {
    let config = recommendations_of(&shop)?;
    let asked = check(&query)?;
    // The shopper matters only to the kinds built from a history; the others read no
    // token and touch no database. A token that fails is an error, never a silent fall
    // back to the anonymous list.
    let reads_history = asked.kind.is_personal() || asked.kind == Kind::Blend;
    let customer = if reads_history && headers.contains_key(AUTHORIZATION) {
        Some(
            Customer::of_request(&state, shop.clone(), verified.map(|e| e.0), &headers)
                .await?
                .claims
                .sub,
        )
    } else {
        None
    };
    let now = state.clock.now();
    let model = state
        .recommenders
        .model(&state.store, &shop.id, config, now)
        .await?;
    let mut exclude: Vec<&str> = config.exclude.iter().map(String::as_str).collect();
    exclude.extend_from_slice(&asked.exclude);
    // Some candidates may be out of stock or gone from the catalogue: ask for more.
    let want = asked.limit * 2 + 8;
    let picks = model.read(|model| {
        let request = Request {
            kind: asked.kind,
            customer: customer.as_deref(),
            product: asked.product,
            exclude: &exclude,
            limit: want,
            now,
        };
        if customer.is_none() && !asked.viewed.is_empty() {
            from_viewed(model, &request, &asked.viewed)
        } else {
            model.recommend(&request)
        }
    });
    let answer = Recommendations {
        kind: answered_kind(asked.kind, &picks),
        currency: shop.config.currency.clone(),
        items: model.catalogue(|catalogue| {
            items(&picks, |id| catalogue.get(id), asked.locale, asked.limit)
        }),
    };
    // Stock changes must show at once, so no cache keeps an answer; one shopper's list
    // is not even stored.
    let cache = if customer.is_some() {
        "private, no-store"
    } else {
        "no-cache"
    };
    Ok((
        [(CACHE_CONTROL, HeaderValue::from_static(cache))],
        Json(answer),
    )
        .into_response())
}

/// The shop's recommendations section, or 404 when it has none.
pub(crate) fn recommendations_of(shop: &Shop) -> Result<&RecommendationsConfig, AppError> {
    shop.config.recommendations.as_ref().ok_or_else(|| {
        AppError::not_found(format!("the shop `{}` has no recommendations", shop.id))
    })
}

/// A signed-out shopper's personal list from the products they viewed: what is bought
/// with each (most recent first, taken in turns), then the kind's own list to fill up.
fn from_viewed(model: &comeback_recs::Model, request: &Request<'_>, viewed: &[&str]) -> Vec<Pick> {
    if !matches!(request.kind, Kind::ForYou | Kind::Blend) {
        return model.recommend(request);
    }
    let mut exclude = request.exclude.to_vec();
    exclude.extend_from_slice(viewed);
    let seeded: Vec<Vec<Pick>> = viewed
        .iter()
        .take(VIEWED_SEEDS)
        .map(|product| {
            model.recommend(&Request {
                kind: Kind::AlsoBought,
                product: Some(product),
                exclude: &exclude,
                ..*request
            })
        })
        .collect();
    let mut picks: Vec<Pick> = Vec::with_capacity(request.limit);
    let take = |pick: Pick, picks: &mut Vec<Pick>| {
        let seen = picks.iter().any(|kept| kept.product == pick.product);
        if !seen && picks.len() < request.limit {
            picks.push(pick);
        }
    };
    let deepest = seeded.iter().map(Vec::len).max().unwrap_or(0);
    for rank in 0..deepest {
        for list in &seeded {
            // Only what is bought with a viewed product: the popular fill comes last.
            if let Some(pick) = list
                .get(rank)
                .filter(|pick| matches!(pick.why, Reason::BoughtWith { .. }))
            {
                take(pick.clone(), &mut picks);
            }
        }
    }
    for pick in model.recommend(&Request {
        customer: None,
        exclude: &exclude,
        ..*request
    }) {
        take(pick, &mut picks);
    }
    picks
}

/// The kind an answer reports: the one asked for, or `popular` when a kind that needs
/// a history or a product fell back to the best sellers.
fn answered_kind(asked: Kind, picks: &[Pick]) -> Kind {
    let fell_back = !picks.is_empty() && picks.iter().all(|pick| pick.why == Reason::Popular);
    if fell_back && (asked.is_personal() || asked.needs_product()) {
        Kind::Popular
    } else {
        asked
    }
}

/// The first `limit` picks the catalogue (`find`) has in stock, as cards.
fn items<'a>(
    picks: &[Pick],
    find: impl Fn(&str) -> Option<&'a ShownProduct>,
    locale: Locale,
    limit: usize,
) -> Vec<RecommendedItem> {
    picks
        .iter()
        .filter_map(|pick| {
            let product = find(&pick.product).filter(|product| product.in_stock)?;
            let why = match &pick.why {
                Reason::BoughtWith { product } => match find(product) {
                    Some(other) => Why::BoughtWith {
                        title: other.title.get(locale).to_owned(),
                    },
                    None => Why::Popular,
                },
                Reason::BuyAgain { every_days } => Why::BuyAgain {
                    every_days: (*every_days).max(1),
                },
                Reason::Popular => Why::Popular,
                Reason::Trending => Why::Trending,
                Reason::New => Why::New,
            };
            Some(RecommendedItem {
                product_id: product.product_id.clone(),
                title: product.title.get(locale).to_owned(),
                price: product.price,
                compare_at_price: product
                    .compare_at_price
                    .filter(|before| *before > product.price),
                url: product.url.clone(),
                image: product.image.clone(),
                why,
            })
        })
        .take(limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use comeback_core::LocalizedText;

    fn query(pairs: &[(&str, &str)]) -> RecommendationsQuery {
        let mut query = RecommendationsQuery::default();
        for (name, value) in pairs {
            let value = Some((*value).to_owned());
            match *name {
                "kind" => query.kind = value,
                "product" => query.product = value,
                "limit" => query.limit = value,
                "exclude" => query.exclude = value,
                "viewed" => query.viewed = value,
                "locale" => query.locale = value,
                _ => unreachable!(),
            }
        }
        query
    }

    fn message(result: Result<Asked<'_>, AppError>) -> String {
        match result {
            Err(AppError::Validation(message)) => message,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn requests_are_checked_with_messages_naming_the_parameter() {
        let blank = query(&[]);
        let asked = check(&blank).unwrap();
        assert_eq!((asked.kind, asked.limit), (Kind::Blend, DEFAULT_LIMIT));
        let full = query(&[
            ("kind", "also-bought"),
            ("product", "longjing"),
            ("limit", "6"),
            ("exclude", " a, b ,,c"),
            ("locale", "zh-TW"),
        ]);
        let asked = check(&full).unwrap();
        assert_eq!(asked.exclude, ["a", "b", "c"]);
        assert_eq!(asked.locale, Locale::ZhHant);
        assert!(message(check(&query(&[("kind", "cheap")]))).contains("`kind` must be one of"));
        assert!(message(check(&query(&[("kind", "also-bought")])))
            .contains("needs the page's `product`"));
        for limit in ["0", "25", "four", "-1"] {
            assert!(message(check(&query(&[("limit", limit)]))).contains("`limit`"));
        }
        let many = vec!["p"; MAX_EXCLUDE + 1].join(",");
        assert!(message(check(&query(&[("exclude", &many)]))).contains("at most 100"));
        let long = "x".repeat(129);
        assert!(message(check(&query(&[("viewed", &long)]))).contains("`viewed`"));
    }

    fn shown(id: &str, in_stock: bool) -> ShownProduct {
        ShownProduct {
            product_id: id.into(),
            title: LocalizedText::en(format!("Title {id}")),
            price: 100,
            compare_at_price: Some(90),
            url: format!("/products/{id}"),
            image: None,
            in_stock,
        }
    }

    fn pick(id: &str, why: Reason) -> Pick {
        Pick {
            product: id.into(),
            score: 1.0,
            why,
        }
    }

    #[test]
    fn cards_skip_what_is_out_of_stock_or_gone_and_name_the_other_product() {
        let picks = [
            pick(
                "a",
                Reason::BoughtWith {
                    product: "page".into(),
                },
            ),
            pick("sold-out", Reason::Popular),
            pick("gone", Reason::Popular),
            pick("b", Reason::BuyAgain { every_days: 0 }),
            pick("c", Reason::New),
        ];
        let products = [
            shown("a", true),
            shown("sold-out", false),
            shown("b", true),
            shown("c", true),
            shown("page", true),
        ];
        let find = |id: &str| products.iter().find(|product| product.product_id == id);
        let cards = items(&picks, find, Locale::En, 2);
        let ids: Vec<&str> = cards.iter().map(|card| card.product_id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(
            cards[0].why,
            Why::BoughtWith {
                title: "Title page".into()
            }
        );
        assert_eq!(cards[1].why, Why::BuyAgain { every_days: 1 });
        // A "sale" price that is not lower is no sale.
        assert_eq!(cards[0].compare_at_price, None);
    }

    #[test]
    fn a_personal_kind_that_fell_back_reports_popular() {
        let popular = [pick("a", Reason::Popular)];
        assert_eq!(answered_kind(Kind::ForYou, &popular), Kind::Popular);
        assert_eq!(answered_kind(Kind::AlsoBought, &popular), Kind::Popular);
        assert_eq!(answered_kind(Kind::Blend, &popular), Kind::Blend);
        let mixed = [
            pick("a", Reason::BuyAgain { every_days: 30 }),
            pick("b", Reason::Popular),
        ];
        assert_eq!(answered_kind(Kind::BuyAgain, &mixed), Kind::BuyAgain);
        assert_eq!(answered_kind(Kind::ForYou, &[]), Kind::ForYou);
    }
}
