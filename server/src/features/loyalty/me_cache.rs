//! The answers of `GET /loyalty/me` this process built, kept while they are current so
//! that a repeated view costs one database round trip (the customer's version, read
//! with the token revocation check by the `Customer` extractor) and no rebuilding or
//! serialising.
//!
//! An answer is current while the customer's `lock_version` is the one it was built
//! from (every change to what it shows bumps it, whichever process makes the change),
//! the token's name is the same, and its time has not run out: the end of the UTC day
//! (tier windows, expiry dates, rewards' early access are by day) or the expiry of the
//! first code it lists, whichever comes first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;

/// Answers kept per process before the cache starts over.
const CACHE_LIMIT: usize = 4096;

/// One kept answer.
#[derive(Debug, Clone)]
struct Kept {
    version: Option<i64>,
    name: Option<String>,
    valid_until: i64,
    body: Bytes,
}

/// Kept answers by shop and customer.
#[derive(Debug, Clone, Default)]
pub struct MeCache(Arc<Mutex<HashMap<(String, String), Kept>>>);

/// What a kept answer must match to be served.
#[derive(Debug, Clone, Copy)]
pub struct MeKey<'a> {
    /// The shop.
    pub shop_id: &'a str,
    /// The customer.
    pub customer_id: &'a str,
    /// The customer's current version.
    pub version: Option<i64>,
    /// The name in the token.
    pub name: Option<&'a str>,
}

impl MeCache {
    /// The kept answer for `key` if it is still current at `now`.
    pub fn get(&self, key: MeKey<'_>, now: i64) -> Option<Bytes> {
        let cache = self.0.lock().ok()?;
        let kept = cache.get(&(key.shop_id.to_owned(), key.customer_id.to_owned()))?;
        (kept.version == key.version && kept.name.as_deref() == key.name && now < kept.valid_until)
            .then(|| kept.body.clone())
    }

    /// Forgets the kept answers of the shops `changed` names (the programme they were
    /// made with was replaced).
    pub fn forget(&self, changed: &dyn Fn(&str) -> bool) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|(shop, _), _| !changed(shop));
    }

    /// Keeps `body` for `key` until `valid_until` (Unix seconds, exclusive).
    pub fn put(&self, key: MeKey<'_>, valid_until: i64, body: Bytes) {
        if let Ok(mut cache) = self.0.lock() {
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(
                (key.shop_id.to_owned(), key.customer_id.to_owned()),
                Kept {
                    version: key.version,
                    name: key.name.map(str::to_owned),
                    valid_until,
                    body,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_answers_serve_only_while_current() {
        let cache = MeCache::default();
        let key = MeKey {
            shop_id: "s",
            customer_id: "c",
            version: Some(3),
            name: Some("Lin"),
        };
        cache.put(key, 100, Bytes::from_static(b"{}"));
        assert!(cache.get(key, 99).is_some());
        assert!(cache.get(key, 100).is_none());
        assert!(cache
            .get(
                MeKey {
                    version: Some(4),
                    ..key
                },
                50
            )
            .is_none());
        assert!(cache.get(MeKey { name: None, ..key }, 50).is_none());
        assert!(cache
            .get(
                MeKey {
                    customer_id: "d",
                    ..key
                },
                50
            )
            .is_none());
    }
}
