//! Products kept sorted by a key (buyers, trend, first seen) so popular, trending and
//! new-arrivals lists are read from the top, and one order moves only its products.

use std::cmp::{Ordering, Reverse};

/// An `f64` ordered by `total_cmp`, for keys.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Total(pub(crate) f64);

impl Eq for Total {}

impl PartialOrd for Total {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Total {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Product indexes, highest key first, then lowest index.
#[derive(Debug, Default, Clone)]
pub(crate) struct Ranking {
    order: Vec<u32>,
}

impl Ranking {
    /// All `products` sorted by `key`.
    pub(crate) fn sorted<K: Ord>(products: usize, key: impl Fn(u32) -> K) -> Ranking {
        let mut order: Vec<u32> = (0..products)
            .filter_map(|p| u32::try_from(p).ok())
            .collect();
        order.sort_unstable_by_key(|&p| (Reverse(key(p)), p));
        Ranking { order }
    }

    /// Takes `product` out; its key and every other product's must be the ones they
    /// were inserted with (a product not ranked is left alone).
    pub(crate) fn remove<K: Ord>(&mut self, product: u32, key: impl Fn(u32) -> K) {
        let target = (Reverse(key(product)), product);
        if let Ok(at) = self
            .order
            .binary_search_by(|&q| (Reverse(key(q)), q).cmp(&target))
        {
            self.order.remove(at);
        }
    }

    /// Puts `product` where its key ranks it.
    pub(crate) fn insert<K: Ord>(&mut self, product: u32, key: impl Fn(u32) -> K) {
        let target = (Reverse(key(product)), product);
        let at = self
            .order
            .binary_search_by(|&q| (Reverse(key(q)), q).cmp(&target))
            .unwrap_or_else(|at| at);
        self.order.insert(at, product);
    }

    /// The products, best first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.order.iter().copied()
    }
}
