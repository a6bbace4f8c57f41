//! The shop's product catalogue and customer profiles as the shop's backend syncs them,
//! and the rules every product and profile must follow (shared by the webhook, the
//! admin endpoints and the import command, and readable by the widgets).

use serde::{Deserialize, Serialize};

use crate::LocalizedText;

/// Longest product title, in characters.
pub const TITLE_MAX_CHARS: usize = 200;
/// Longest product description, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 5000;
/// Most categories of a product.
pub const MAX_CATEGORIES: usize = 50;
/// Highest accepted price, in minor units.
pub const MAX_PRICE: i64 = crate::bounds::MAX_MONEY;

/// A product of the shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Product {
    /// The shop's product id, 1–128 characters.
    pub id: String,
    /// Its title per locale (`en` required).
    pub title: LocalizedText,
    /// Its description per locale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<LocalizedText>,
    /// Price, minor units of the shop's currency.
    pub price: i64,
    /// The price before a sale, minor units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at_price: Option<i64>,
    /// Its page: an `http(s)://` URL or a path from the shop's root (`/products/x`).
    pub url: String,
    /// An image: an `http(s)://` URL or a path from the shop's root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Whether it can be bought now.
    pub in_stock: bool,
    /// The shop's categories, each 1–64 characters.
    #[serde(default)]
    pub categories: Vec<String>,
    /// When the shop last changed it, RFC 3339; an older version never replaces a newer.
    #[cfg_attr(feature = "openapi", schema(example = "2027-03-01T08:00:00Z"))]
    pub updated_at: String,
}

/// A customer of the shop as its backend knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerProfile {
    /// The shop's customer id (the `sub` of their tokens), 1–128 characters.
    pub id: String,
    /// Their email; stored lowercased for comparison.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Their name, at most 200 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When they became a customer of the shop, RFC 3339.
    #[cfg_attr(feature = "openapi", schema(example = "2026-11-24T08:00:00Z"))]
    pub created_at: String,
}

/// Whether `value` can be an id: 1–128 characters, not blank, no control characters.
pub fn is_valid_id(value: &str) -> bool {
    !value.trim().is_empty() && value.len() <= 128 && !value.chars().any(char::is_control)
}

/// Whether `value` is an `http(s)://` URL or a path from the shop's root, at most 2048
/// bytes, without spaces or control characters.
pub fn is_link(value: &str) -> bool {
    let shaped = value.starts_with("https://")
        || value.starts_with("http://")
        || (value.starts_with('/') && !value.starts_with("//"));
    shaped && value.len() <= 2048 && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn text_problem(field: &str, text: &LocalizedText, max: usize) -> Option<String> {
    if text.en.trim().is_empty() {
        return Some(format!("`{field}.en` must not be empty"));
    }
    let variants = [
        ("en", Some(&text.en)),
        ("zh-Hans", text.zh_hans.as_ref()),
        ("zh-Hant", text.zh_hant.as_ref()),
    ];
    variants.into_iter().find_map(|(locale, value)| {
        let value = value?;
        (value.chars().count() > max || value.chars().any(|c| c.is_control() && c != '\n'))
            .then(|| format!("`{field}.{locale}` must be at most {max} characters without control characters"))
    })
}

impl Product {
    /// The first problem with this product, naming the field; `None` when it is valid
    /// (`updated_at` is checked by whoever parses timestamps).
    pub fn problem(&self) -> Option<String> {
        if !is_valid_id(&self.id) {
            return Some("`id` must be 1 to 128 characters without control characters".into());
        }
        if let Some(problem) = text_problem("title", &self.title, TITLE_MAX_CHARS) {
            return Some(problem);
        }
        if let Some(description) = &self.description {
            if let Some(problem) = text_problem("description", description, DESCRIPTION_MAX_CHARS) {
                return Some(problem);
            }
        }
        if !(0..=MAX_PRICE).contains(&self.price) {
            return Some(format!("`price` must be 0 to {MAX_PRICE} (minor units)"));
        }
        if self
            .compare_at_price
            .is_some_and(|price| !(0..=MAX_PRICE).contains(&price))
        {
            return Some(format!(
                "`compare_at_price` must be 0 to {MAX_PRICE} (minor units)"
            ));
        }
        if !is_link(&self.url) {
            return Some("`url` must be an http(s):// URL or a path such as /products/tea".into());
        }
        if self.image.as_deref().is_some_and(|image| !is_link(image)) {
            return Some("`image` must be an http(s):// URL or a path such as /img/tea.jpg".into());
        }
        if self.categories.len() > MAX_CATEGORIES {
            return Some(format!("`categories` may list at most {MAX_CATEGORIES}"));
        }
        self.categories.iter().enumerate().find_map(|(index, category)| {
            (category.trim().is_empty() || category.chars().count() > 64 || category.chars().any(char::is_control))
                .then(|| format!("`categories[{index}]` must be 1 to 64 characters without control characters"))
        })
    }
}

impl CustomerProfile {
    /// The first problem with this profile, naming the field; `None` when it is valid.
    pub fn problem(&self) -> Option<String> {
        if !is_valid_id(&self.id) {
            return Some("`id` must be 1 to 128 characters without control characters".into());
        }
        if self
            .email
            .as_deref()
            .is_some_and(|email| crate::orders::normalize_email(email).is_none())
        {
            return Some("`email` is not an email address".into());
        }
        if self
            .name
            .as_deref()
            .is_some_and(|name| name.chars().count() > 200 || name.chars().any(char::is_control))
        {
            return Some("`name` must be at most 200 characters without control characters".into());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tea() -> Product {
        Product {
            id: "oolong-100g".into(),
            title: LocalizedText::en("Wuyi oolong"),
            description: None,
            price: 12_800,
            compare_at_price: None,
            url: "/products/oolong".into(),
            image: Some("https://cdn.example/oolong.jpg".into()),
            in_stock: true,
            categories: vec!["oolong".into()],
            updated_at: "2027-03-01T08:00:00Z".into(),
        }
    }

    /// A change that spoils a product, and the field its problem must name.
    type Spoil = (fn(&mut Product), &'static str);

    #[test]
    fn products_name_their_first_bad_field() {
        assert_eq!(tea().problem(), None);
        let cases: [Spoil; 7] = [
            (|p| p.id = String::new(), "`id`"),
            (|p| p.title.en = " ".into(), "`title.en`"),
            (
                |p| p.title.zh_hans = Some("x".repeat(201)),
                "`title.zh-Hans`",
            ),
            (|p| p.price = -1, "`price`"),
            (|p| p.url = "javascript:alert(1)".into(), "`url`"),
            (|p| p.image = Some("//evil.example/x.png".into()), "`image`"),
            (|p| p.categories = vec![String::new()], "`categories[0]`"),
        ];
        for (spoil, field) in cases {
            let mut product = tea();
            spoil(&mut product);
            let problem = product.problem().unwrap_or_default();
            assert!(problem.contains(field), "{field}: {problem}");
        }
    }

    #[test]
    fn profiles_are_checked() {
        let mut profile = CustomerProfile {
            id: "c-1".into(),
            email: Some("Lin@Example.com".into()),
            name: Some("Lin Mei".into()),
            created_at: "2026-11-24T08:00:00Z".into(),
        };
        assert_eq!(profile.problem(), None);
        profile.email = Some("nope".into());
        assert!(profile.problem().unwrap_or_default().contains("`email`"));
    }
}
