//! The shops this process serves. Read on every request, replaced whole when the
//! configuration file is reloaded (`SIGHUP`, see [`crate::AppState::reload`]): a request
//! sees either the old shops or the new ones, never a mix.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use crate::config::ShopConfig;

/// Shops by id.
pub type ShopMap = BTreeMap<String, Arc<ShopConfig>>;

/// The shops of the running configuration, shared by every clone of the state.
#[derive(Debug, Default)]
pub struct Shops(RwLock<Arc<ShopMap>>);

impl Shops {
    /// The shops of `map`.
    pub fn new(map: ShopMap) -> Shops {
        Shops(RwLock::new(Arc::new(map)))
    }

    /// Every shop as configured now; later reloads do not change what it holds, so a
    /// job iterates one consistent set.
    pub fn snapshot(&self) -> Arc<ShopMap> {
        // A poisoned lock only means a reload panicked while replacing the whole map.
        Arc::clone(&self.0.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The shop with this id, as configured now.
    pub fn get(&self, id: &str) -> Option<Arc<ShopConfig>> {
        self.0
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .cloned()
    }

    /// Whether a shop with this id is configured.
    pub fn contains(&self, id: &str) -> bool {
        self.0
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(id)
    }

    /// Replaces every shop.
    pub(crate) fn replace(&self, map: ShopMap) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(map);
    }
}
