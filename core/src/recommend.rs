//! Recommendations as the widget and the server exchange them: the kinds a shop can ask
//! for, the answer of `GET /v1/shops/{shop}/recommendations`, and the reason each item
//! carries (structured, so the widget words it in the shopper's locale).

use serde::{Deserialize, Serialize};

/// Most items one answer lists.
pub const MAX_LIMIT: usize = 24;
/// Items listed when the request names no `limit`.
pub const DEFAULT_LIMIT: usize = 4;
/// Most product ids one request may exclude (the cart, plus what the page shows).
pub const MAX_EXCLUDE: usize = 100;

/// What a recommendation list is built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Bought together with the page's product by other customers.
    AlsoBought,
    /// From the signed-in customer's history through the item model.
    ForYou,
    /// What the signed-in customer buys again, on their own cadence.
    BuyAgain,
    /// The shop's best sellers.
    Popular,
    /// Best sellers of late (time-decayed).
    Trending,
    /// The newest products.
    NewArrivals,
    /// Every slot filled: personal first, then bought together, then popular.
    Blend,
}

impl Kind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [Kind; 7] = [
        Kind::AlsoBought,
        Kind::ForYou,
        Kind::BuyAgain,
        Kind::Popular,
        Kind::Trending,
        Kind::NewArrivals,
        Kind::Blend,
    ];

    /// The kind's name on the wire and in the element's `kind` attribute.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::AlsoBought => "also-bought",
            Kind::ForYou => "for-you",
            Kind::BuyAgain => "buy-again",
            Kind::Popular => "popular",
            Kind::Trending => "trending",
            Kind::NewArrivals => "new-arrivals",
            Kind::Blend => "blend",
        }
    }

    /// The kind named `name`, if any.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// Whether the kind reads the signed-in customer's history (signed out, the server
    /// answers the popular list instead).
    pub const fn is_personal(self) -> bool {
        matches!(self, Kind::ForYou | Kind::BuyAgain)
    }

    /// Whether the kind needs the page's product (`product=`).
    pub const fn needs_product(self) -> bool {
        matches!(self, Kind::AlsoBought)
    }
}

/// Why an item is on the list, for the line the widget shows under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Why {
    /// Often bought with `title` (the page's product, or one the customer bought).
    BoughtWith {
        /// The other product's title, in the answer's locale.
        title: String,
    },
    /// The customer buys it about every `every_days` days.
    BuyAgain {
        /// The customer's own interval between purchases of it, in days (at least 1).
        every_days: u32,
    },
    /// A best seller.
    Popular,
    /// Selling well lately.
    Trending,
    /// New in the shop.
    New,
}

/// One recommended product, with what a card shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecommendedItem {
    /// The shop's product id.
    pub product_id: String,
    /// Its title in the answer's locale.
    pub title: String,
    /// Price, minor units of the answer's `currency`.
    pub price: i64,
    /// The price before a sale, when the product is on sale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at_price: Option<i64>,
    /// Its page.
    pub url: String,
    /// Its image, when the catalogue has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Why it is recommended.
    pub why: Why,
}

/// The answer of `GET /v1/shops/{shop}/recommendations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recommendations {
    /// The kind the list was built as: the one asked for, or `popular` when a personal
    /// kind was asked for signed out.
    pub kind: Kind,
    /// The shop's ISO 4217 currency the prices are in.
    pub currency: String,
    /// The items, best first; never out of stock, never the page's product, never one
    /// the request excluded.
    pub items: Vec<RecommendedItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_by_name() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(Kind::parse("also_bought"), None);
        assert_eq!(Kind::parse(""), None);
    }

    #[test]
    fn reasons_are_tagged_objects() {
        let why = Why::BoughtWith {
            title: "Longjing".into(),
        };
        assert_eq!(
            serde_json::to_string(&why).unwrap(),
            r#"{"reason":"bought-with","title":"Longjing"}"#
        );
        let back: Why = serde_json::from_str(r#"{"reason":"buy-again","every_days":42}"#).unwrap();
        assert_eq!(back, Why::BuyAgain { every_days: 42 });
        assert_eq!(
            serde_json::to_string(&Why::New).unwrap(),
            r#"{"reason":"new"}"#
        );
    }
}

/// What a shopper did with a recommended product.
#[cfg(feature = "staff")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Interaction {
    /// Followed the card's link.
    Click,
    /// Pressed "Add to cart".
    Add,
}

#[cfg(feature = "staff")]
impl Interaction {
    /// The name on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Interaction::Click => "click",
            Interaction::Add => "add",
        }
    }
}

/// The query of `POST /v1/shops/{shop}/recommendations/events`: one interaction,
/// counted per day and kind for the dashboard. It names no shopper.
#[cfg(feature = "staff")]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct InteractionReport {
    /// What the shopper did.
    pub action: Interaction,
    /// The list's kind as the server built it.
    pub kind: Kind,
    /// The product.
    pub product_id: String,
}
