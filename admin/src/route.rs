//! The dashboard's pages and their addresses: the part of the URL after `#`, so the
//! server serves one `index.html` and the browser's back button moves between pages.

use comeback_core::dashboard::Segment;

/// Days of the overview's period when the address names none.
pub const DEFAULT_DAYS: u32 = 30;

/// Days the `due-to-buy-again` segment looks ahead when the address names none.
pub const DEFAULT_DUE_DAYS: u32 = 14;

/// Longest period the overview asks for, in days (the API's limit).
pub const MAX_DAYS: u32 = 366;

/// A page of the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Retention at a glance over the last `days` days.
    Overview {
        /// Length of the period.
        days: u32,
    },
    /// The customer search, with what was searched for.
    Customers {
        /// The search text (empty: nothing searched yet).
        query: String,
    },
    /// One customer.
    Customer {
        /// The shop's customer id.
        id: String,
    },
    /// The segments, and the customers of one of them.
    Segments {
        /// The open segment, if any.
        segment: Option<Segment>,
        /// How far `due-to-buy-again` looks ahead.
        days: u32,
    },
    /// The programme's settings, their history and restoring an earlier version.
    Settings,
}

impl Default for Route {
    fn default() -> Self {
        Route::Overview { days: DEFAULT_DAYS }
    }
}

impl Route {
    /// The page at `hash` (`#/customers?q=ann`); the overview for anything unknown.
    pub fn parse(hash: &str) -> Route {
        let hash = hash.trim_start_matches('#').trim_start_matches('/');
        let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
        let param = |name: &str| {
            query
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .find(|(key, _)| *key == name)
                .map(|(_, value)| decode(value))
        };
        let days = |default: u32| {
            param("days")
                .and_then(|days| days.parse::<u32>().ok())
                .filter(|days| (1..=MAX_DAYS).contains(days))
                .unwrap_or(default)
        };
        let mut segments = path.splitn(2, '/');
        match (segments.next().unwrap_or(""), segments.next()) {
            ("customers", None | Some("")) => Route::Customers {
                query: param("q").unwrap_or_default(),
            },
            ("customers", Some(id)) => Route::Customer { id: decode(id) },
            ("settings", _) => Route::Settings,
            ("segments", segment) => Route::Segments {
                segment: segment.and_then(|name| Segment::parse(&decode(name))),
                days: days(DEFAULT_DUE_DAYS),
            },
            _ => Route::Overview {
                days: days(DEFAULT_DAYS),
            },
        }
    }

    /// The address of this page, `#/…`.
    pub fn href(&self) -> String {
        match self {
            Route::Overview { days } => format!("#/overview?days={days}"),
            Route::Customers { query } if query.is_empty() => "#/customers".into(),
            Route::Customers { query } => format!("#/customers?q={}", encode(query)),
            Route::Customer { id } => format!("#/customers/{}", encode(id)),
            Route::Segments {
                segment: None,
                days,
            } => format!("#/segments?days={days}"),
            Route::Segments {
                segment: Some(segment),
                days,
            } => format!("#/segments/{}?days={days}", segment.as_str()),
            Route::Settings => "#/settings".into(),
        }
    }

    /// The navigation tab this page belongs to.
    pub fn tab(&self) -> Tab {
        match self {
            Route::Overview { .. } => Tab::Overview,
            Route::Customers { .. } | Route::Customer { .. } => Tab::Customers,
            Route::Segments { .. } => Tab::Segments,
            Route::Settings => Tab::Settings,
        }
    }
}

/// The sections of the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Retention at a glance.
    Overview,
    /// Search and customer pages.
    Customers,
    /// RFM and buy-again segments.
    Segments,
    /// The programme's settings.
    Settings,
}

/// `text` percent-encoded for a URL component: everything but unreserved characters.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A percent-encoded component read back (`+` stays `+`); bad escapes are kept as
/// written, and bytes that are not UTF-8 are replaced.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_reads_back_from_its_address() {
        let pages = [
            Route::Overview { days: 90 },
            Route::Customers {
                query: String::new(),
            },
            Route::Customers {
                query: "ann@example.com & co/上海".into(),
            },
            Route::Customer {
                id: "cust/42 #7".into(),
            },
            Route::Segments {
                segment: None,
                days: 14,
            },
            Route::Segments {
                segment: Some(Segment::DueToBuyAgain),
                days: 7,
            },
            Route::Settings,
        ];
        for page in pages {
            assert_eq!(Route::parse(&page.href()), page, "{}", page.href());
        }
    }

    #[test]
    fn unknown_or_malformed_addresses_fall_back() {
        assert_eq!(Route::parse(""), Route::default());
        assert_eq!(Route::parse("#/nowhere"), Route::default());
        assert_eq!(
            Route::parse("#/overview?days=0"),
            Route::Overview { days: DEFAULT_DAYS }
        );
        assert_eq!(
            Route::parse("#/overview?days=9999"),
            Route::Overview { days: DEFAULT_DAYS }
        );
        assert_eq!(
            Route::parse("#/segments/vip"),
            Route::Segments {
                segment: None,
                days: DEFAULT_DUE_DAYS
            }
        );
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz%41"), "%zzA");
    }
}
