//! Decoder of the recommendations answer (`GET …/recommendations`) into the wire types of
//! [`comeback_core::recommend`], built on the shared field readers in [`crate::wire`].
//! Links and images pass [`crate::config::safe_link`]; an item whose link does not, or
//! whose reason this build does not know (a newer server), is left out rather than
//! shown half-right.

use comeback_core::recommend::{Kind, Recommendations, RecommendedItem, Why};
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use crate::config::safe_link;
use crate::wire::*;

impl FromJs for Recommendations {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let items = get(value, "items");
        if !Array::is_array(&items) {
            return Err(DecodeError("items"));
        }
        let mut kept = Vec::new();
        for item in items.unchecked_into::<Array>().iter() {
            if let Some(item) = self::item(&item)? {
                kept.push(item);
            }
        }
        Ok(Recommendations {
            kind: named(value, "kind", Kind::parse)?,
            currency: string(value, "currency")?,
            items: kept,
        })
    }
}

/// One item, or `None` for one the widget cannot show (see the module docs).
fn item(value: &JsValue) -> Result<Option<RecommendedItem>, DecodeError> {
    let why = get(value, "why");
    let why = match get(&why, "reason").as_string().as_deref() {
        Some("bought-with") => Why::BoughtWith {
            title: string(&why, "title")?,
        },
        Some("buy-again") => Why::BuyAgain {
            every_days: count(&why, "every_days")?,
        },
        Some("popular") => Why::Popular,
        Some("trending") => Why::Trending,
        Some("new") => Why::New,
        Some(_) => return Ok(None),
        None => return Err(DecodeError("why")),
    };
    let Some(url) = safe_link(&string(value, "url")?) else {
        return Ok(None);
    };
    Ok(Some(RecommendedItem {
        product_id: string(value, "product_id")?,
        title: string(value, "title")?,
        price: int(value, "price")?,
        compare_at_price: maybe_int(value, "compare_at_price")?,
        url,
        // An image whose address is refused: the card keeps its empty frame.
        image: opt_string(value, "image")?
            .and_then(|src| safe_link(&src))
            .filter(|src| src.starts_with("https:") || src.starts_with("http:")),
        why,
    }))
}
