//! The recommendations widget's decisions, kept free of the DOM so they are tested
//! natively: what the element's attributes ask for (kind, product, limit, min, exclusions)
//! and the request path they make, the recently viewed list kept on the device, when the
//! widget hides, and how each card's reason and price are worded.

use comeback_core::recommend::{Kind, Why, DEFAULT_LIMIT, MAX_EXCLUDE, MAX_LIMIT};
use comeback_core::Locale;

use super::strings::Key;
use crate::api::encode;

/// The `localStorage` key of the recently viewed product ids (most recent first).
pub const VIEWED_KEY: &str = "comeback:recs:viewed";
/// Product ids the recently viewed list keeps at most.
pub const MAX_VIEWED: usize = 20;
/// Items that must come back for the widget to show (the `min` attribute's default).
pub const DEFAULT_MIN: usize = 1;
/// Longest product id the widget sends or keeps; longer ones are not ids of any shop.
pub const MAX_ID_LEN: usize = 128;

/// What one element asks for, from its attributes. Two equal asks make the same request,
/// so the widget fetches again only when this changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    /// The list's kind (`kind`; `blend` when absent or unknown).
    pub kind: Kind,
    /// The page's product (`product`), if any.
    pub product: Option<String>,
    /// Cards asked for (`limit`), within 1 and [`MAX_LIMIT`].
    pub limit: usize,
    /// Fewest items worth showing (`min`), within 1 and `limit`; fewer and the widget hides.
    pub min: usize,
    /// Product ids the list must leave out (`exclude`), deduplicated, at most [`MAX_EXCLUDE`].
    pub exclude: Vec<String>,
}

impl Ask {
    /// Reads the attributes (each `None` when absent). Out-of-range or malformed numbers
    /// fall back to their defaults or are clamped, so a typo never breaks the page.
    pub fn parse(
        kind: Option<&str>,
        product: Option<&str>,
        limit: Option<&str>,
        min: Option<&str>,
        exclude: Option<&str>,
    ) -> Ask {
        let kind = kind
            .and_then(|k| Kind::parse(&k.trim().to_ascii_lowercase()))
            .unwrap_or(Kind::Blend);
        let product = product
            .map(str::trim)
            .filter(|p| !p.is_empty() && p.len() <= MAX_ID_LEN)
            .map(str::to_owned);
        let limit = number(limit).unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
        let min = number(min).unwrap_or(DEFAULT_MIN).clamp(1, limit);
        Ask {
            kind,
            product,
            limit,
            min,
            exclude: ids(exclude.unwrap_or_default(), MAX_EXCLUDE),
        }
    }

    /// Whether the list can be asked for at all: `also-bought` needs the page's product.
    pub fn is_complete(&self) -> bool {
        !self.kind.needs_product() || self.product.is_some()
    }

    /// The request path under the shop's API prefix, with the recently viewed ids.
    pub fn path(&self, viewed: &[String], locale: Locale) -> String {
        let mut path = [
            "/recommendations?kind=",
            self.kind.as_str(),
            "&limit=",
            &self.limit.to_string(),
        ]
        .concat();
        if let Some(product) = &self.product {
            path.push_str("&product=");
            path.push_str(&encode(product));
        }
        for (name, list) in [("&exclude=", &self.exclude[..]), ("&viewed=", viewed)] {
            if !list.is_empty() {
                path.push_str(name);
                let encoded: Vec<String> = list.iter().map(|id| encode(id)).collect();
                path.push_str(&encoded.join(","));
            }
        }
        path.push_str("&locale=");
        path.push_str(locale.as_str());
        path
    }
}

/// A whole number attribute; anything else is `None`.
fn number(text: Option<&str>) -> Option<usize> {
    text?.trim().parse().ok()
}

/// Product ids from a comma-separated attribute: trimmed, empty and overlong ones dropped,
/// first occurrence kept, at most `max`.
pub fn ids(text: &str, max: usize) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for id in text.split(',').map(str::trim) {
        if found.len() == max {
            break;
        }
        if !id.is_empty() && id.len() <= MAX_ID_LEN && !found.iter().any(|f| f == id) {
            found.push(id.to_owned());
        }
    }
    found
}

/// The recently viewed list after the shopper viewed `product`: it moves to the front,
/// no id twice, at most [`MAX_VIEWED`]. Whatever else the stored list held that is not an
/// id (empty, overlong) is dropped.
pub fn remember(viewed: &[String], product: &str) -> Vec<String> {
    let product = product.trim();
    let mut list = Vec::with_capacity(MAX_VIEWED);
    if !product.is_empty() && product.len() <= MAX_ID_LEN {
        list.push(product.to_owned());
    }
    for id in viewed {
        if list.len() == MAX_VIEWED {
            break;
        }
        if !id.is_empty() && id.len() <= MAX_ID_LEN && !list.contains(id) {
            list.push(id.clone());
        }
    }
    list
}

/// Whether `count` items are enough to show the widget (else it hides and gives its
/// space back).
pub fn shows(count: usize, ask: &Ask) -> bool {
    count >= ask.min
}

/// The list's heading, by the kind the server built it as.
pub fn heading(kind: Kind) -> Key {
    match kind {
        Kind::AlsoBought => Key::AlsoBought,
        Kind::ForYou => Key::ForYou,
        Kind::BuyAgain => Key::BuyAgain,
        Kind::Popular => Key::Popular,
        Kind::Trending => Key::Trending,
        Kind::NewArrivals => Key::NewArrivals,
        Kind::Blend => Key::Blend,
    }
}

/// A card's reason line: a string, with what fills its placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A string without placeholders.
    Plain(Key),
    /// A string with `{title}`.
    Title(Key, String),
    /// A string with `{n}`.
    Count(Key, u32),
}

/// How the reason of an item is worded.
pub fn reason(why: &Why) -> Reason {
    match why {
        Why::BoughtWith { title } => Reason::Title(Key::WhyBoughtWith, title.clone()),
        Why::BuyAgain { every_days } => cadence(*every_days),
        Why::Popular => Reason::Plain(Key::WhyPopular),
        Why::Trending => Reason::Plain(Key::WhyTrending),
        Why::New => Reason::Plain(Key::WhyNew),
    }
}

/// "About every …" in the unit a person would use: days for short intervals, a week or
/// a month when it is about one, weeks up to about two months, then months.
pub fn cadence(days: u32) -> Reason {
    match days {
        0 | 1 => Reason::Plain(Key::WhyEveryDay),
        6..=8 => Reason::Plain(Key::WhyEveryWeek),
        2..=12 => Reason::Count(Key::WhyEveryDays, days),
        26..=35 => Reason::Plain(Key::WhyEveryMonth),
        13..=55 => Reason::Count(Key::WhyEveryWeeks, (days + 3) / 7),
        // Rounded to the nearest month of 30.4 days.
        _ => Reason::Count(
            Key::WhyEveryMonths,
            days.saturating_mul(10).saturating_add(152) / 304,
        ),
    }
}

/// The old price to strike through: only when it is higher than the price.
pub fn struck(price: i64, compare_at_price: Option<i64>) -> Option<i64> {
    compare_at_price.filter(|old| *old > price)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(limit: Option<&str>, min: Option<&str>) -> Ask {
        Ask::parse(Some("popular"), None, limit, min, None)
    }

    #[test]
    fn limit_and_min_default_clamp_and_ignore_typos() {
        let plain = ask(None, None);
        assert_eq!((plain.limit, plain.min), (DEFAULT_LIMIT, DEFAULT_MIN));
        assert_eq!(ask(Some(" 6 "), Some("3")).limit, 6);
        assert_eq!(ask(Some("6"), Some("3")).min, 3);
        assert_eq!(ask(Some("500"), None).limit, MAX_LIMIT);
        assert_eq!(ask(Some("0"), None).limit, 1);
        assert_eq!(ask(Some("-2"), None).limit, DEFAULT_LIMIT);
        assert_eq!(ask(Some("four"), None).limit, DEFAULT_LIMIT);
        // min never asks for more than the list may hold, nor for nothing.
        assert_eq!(ask(Some("4"), Some("9")).min, 4);
        assert_eq!(ask(None, Some("0")).min, 1);
        assert_eq!(ask(None, Some("x")).min, DEFAULT_MIN);
    }

    #[test]
    fn kind_defaults_to_blend_and_also_bought_needs_a_product() {
        assert_eq!(Ask::parse(None, None, None, None, None).kind, Kind::Blend);
        assert_eq!(
            Ask::parse(Some("nonsense"), None, None, None, None).kind,
            Kind::Blend
        );
        assert_eq!(
            Ask::parse(Some(" Buy-Again "), None, None, None, None).kind,
            Kind::BuyAgain
        );
        assert!(!Ask::parse(Some("also-bought"), None, None, None, None).is_complete());
        assert!(!Ask::parse(Some("also-bought"), Some("  "), None, None, None).is_complete());
        assert!(Ask::parse(Some("also-bought"), Some("tea-1"), None, None, None).is_complete());
        assert!(Ask::parse(Some("for-you"), None, None, None, None).is_complete());
    }

    #[test]
    fn exclusions_are_trimmed_deduplicated_and_capped() {
        assert_eq!(ids(" a, b ,,a, c ", 10), ["a", "b", "c"]);
        assert_eq!(ids("", 10), Vec::<String>::new());
        assert_eq!(ids("a,b,c", 2), ["a", "b"]);
        let long = "x".repeat(MAX_ID_LEN + 1);
        assert_eq!(ids(&[&long, ",ok"].concat(), 10), ["ok"]);
        let many: Vec<String> = (0..150).map(|i| format!("p{i}")).collect();
        let ask = Ask::parse(None, None, None, None, Some(&many.join(",")));
        assert_eq!(ask.exclude.len(), MAX_EXCLUDE);
        assert_eq!(ask.exclude[0], "p0");
    }

    #[test]
    fn the_path_carries_every_part_encoded() {
        let ask = Ask::parse(
            Some("also-bought"),
            Some("tea 1"),
            Some("6"),
            None,
            Some("a&b, c"),
        );
        let viewed = vec!["v,1".to_owned(), "v2".to_owned()];
        assert_eq!(
            ask.path(&viewed, Locale::ZhHant),
            "/recommendations?kind=also-bought&limit=6&product=tea%201\
             &exclude=a%26b,c&viewed=v%2C1,v2&locale=zh-Hant"
        );
        let bare = Ask::parse(Some("popular"), None, None, None, None);
        assert_eq!(
            bare.path(&[], Locale::En),
            "/recommendations?kind=popular&limit=4&locale=en"
        );
        assert_eq!(encode("茶"), "%E8%8C%B6");
    }

    #[test]
    fn viewing_moves_to_the_front_without_duplicates_and_keeps_twenty() {
        let viewed: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        assert_eq!(remember(&viewed, "b"), ["b", "a", "c"]);
        assert_eq!(remember(&viewed, "d"), ["d", "a", "b", "c"]);
        assert_eq!(remember(&[], " e "), ["e"]);
        // A blank product changes nothing but dropping junk the storage held.
        let junk: Vec<String> = ["a", "", "a"].map(String::from).to_vec();
        assert_eq!(remember(&junk, ""), ["a"]);
        let full: Vec<String> = (0..MAX_VIEWED).map(|i| format!("p{i}")).collect();
        let after = remember(&full, "new");
        assert_eq!(after.len(), MAX_VIEWED);
        assert_eq!(after[0], "new");
        assert_eq!(after[MAX_VIEWED - 1], format!("p{}", MAX_VIEWED - 2));
    }

    #[test]
    fn the_widget_hides_below_min() {
        let ask = ask(Some("4"), Some("2"));
        assert!(!shows(0, &ask));
        assert!(!shows(1, &ask));
        assert!(shows(2, &ask));
        assert!(!shows(0, &self::ask(None, None)));
        assert!(shows(1, &self::ask(None, None)));
    }

    #[test]
    fn cadence_is_worded_in_days_weeks_or_months() {
        assert_eq!(cadence(1), Reason::Plain(Key::WhyEveryDay));
        assert_eq!(cadence(0), Reason::Plain(Key::WhyEveryDay));
        assert_eq!(cadence(3), Reason::Count(Key::WhyEveryDays, 3));
        assert_eq!(cadence(7), Reason::Plain(Key::WhyEveryWeek));
        assert_eq!(cadence(10), Reason::Count(Key::WhyEveryDays, 10));
        assert_eq!(cadence(14), Reason::Count(Key::WhyEveryWeeks, 2));
        assert_eq!(cadence(20), Reason::Count(Key::WhyEveryWeeks, 3));
        assert_eq!(cadence(30), Reason::Plain(Key::WhyEveryMonth));
        assert_eq!(cadence(42), Reason::Count(Key::WhyEveryWeeks, 6));
        assert_eq!(cadence(60), Reason::Count(Key::WhyEveryMonths, 2));
        assert_eq!(cadence(90), Reason::Count(Key::WhyEveryMonths, 3));
        assert_eq!(cadence(365), Reason::Count(Key::WhyEveryMonths, 12));
        assert!(matches!(
            cadence(u32::MAX),
            Reason::Count(Key::WhyEveryMonths, _)
        ));
    }

    #[test]
    fn reasons_and_headings_pick_their_strings() {
        assert_eq!(
            reason(&Why::BoughtWith {
                title: "Longjing".into()
            }),
            Reason::Title(Key::WhyBoughtWith, "Longjing".into())
        );
        assert_eq!(reason(&Why::Popular), Reason::Plain(Key::WhyPopular));
        assert_eq!(reason(&Why::Trending), Reason::Plain(Key::WhyTrending));
        assert_eq!(reason(&Why::New), Reason::Plain(Key::WhyNew));
        assert_eq!(
            reason(&Why::BuyAgain { every_days: 21 }),
            Reason::Count(Key::WhyEveryWeeks, 3)
        );
        let headings: Vec<Key> = Kind::ALL.into_iter().map(heading).collect();
        for (index, key) in headings.iter().enumerate() {
            assert!(!headings[..index].contains(key), "{key:?} twice");
        }
    }

    #[test]
    fn only_a_higher_old_price_is_struck() {
        assert_eq!(struck(1000, Some(1200)), Some(1200));
        assert_eq!(struck(1000, Some(1000)), None);
        assert_eq!(struck(1000, Some(800)), None);
        assert_eq!(struck(1000, None), None);
    }
}
