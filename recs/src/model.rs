//! The model: interned ids, each customer's lines, each product's buyers and counts,
//! the neighbour lists and the three rankings, built at once or one order at a time.

use std::sync::atomic::{AtomicUsize, Ordering};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::interner::Interner;
use crate::neighbours::{self, Neighbour, Scratch};
use crate::rankings::{Ranking, Total};
use crate::{walk, ProductCategories, Purchase, Settings};

const SECONDS_PER_DAY: f64 = 86_400.0;

/// One order line as the model keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) product: u32,
    pub(crate) quantity: u32,
    pub(crate) at: i64,
}

/// The recommendation model of one shop; see the crate documentation.
#[derive(Debug)]
pub struct Model {
    pub(crate) settings: Settings,
    pub(crate) products: Interner,
    pub(crate) customers: Interner,
    orders: FxHashSet<Box<str>>,
    /// Per product: the customers who bought it, in no particular order.
    pub(crate) buyers: Vec<Vec<u32>>,
    /// Per product: units sold.
    pub(crate) units: Vec<u64>,
    /// Per product: when it was first listed or sold.
    pub(crate) first_seen: Vec<i64>,
    /// Per product: `ln(sum of units * 2^(at / half-life))`, the trend without the
    /// decay to a given time, which divides every product alike.
    pub(crate) trend: Vec<f64>,
    /// Per product: the sum over its buyers of (last - first purchase time), seconds.
    pub(crate) repeat_span: Vec<i64>,
    /// Per product: the sum over its buyers of (distinct purchase times - 1); with
    /// `repeat_span`, the product's typical interval between purchases.
    pub(crate) repeat_gaps: Vec<u32>,
    /// Per product: for-you's prior on it, from its number of buyers
    /// ([`crate::walk::prior`]).
    pub(crate) prior: Vec<f32>,
    /// Per product: its neighbours, best first.
    pub(crate) neighbours: Vec<Vec<Neighbour>>,
    /// The catalogue's category names.
    pub(crate) category_names: Interner,
    /// Per product: its categories from the catalogue, sorted, once each (empty when
    /// the shop gave none).
    pub(crate) categories: Vec<Box<[u32]>>,
    /// Categories given for products no order has named yet, taken up when one does.
    unseen_categories: FxHashMap<Box<str>, Box<[u32]>>,
    /// Per customer: their lines, in the order they arrived.
    pub(crate) history: Vec<Vec<Line>>,
    /// Per customer: the products they bought, sorted, once each.
    pub(crate) bought: Vec<Vec<u32>>,
    pub(crate) popular: Ranking,
    pub(crate) trending: Ranking,
    pub(crate) newest: Ranking,
    lines: usize,
    updated_at: i64,
}

impl Model {
    /// The model of `purchases`, as of `now`. Every line counts (lines of one order need
    /// not be adjacent); the order ids are remembered, so [`Model::add_order`] with one
    /// of them later changes nothing. Neighbour lists are computed on every available
    /// core and a million lines take about a second: from async code, call it on a
    /// blocking thread.
    pub fn build<'a>(
        settings: Settings,
        purchases: impl IntoIterator<Item = Purchase<'a>>,
        now: i64,
    ) -> Model {
        let mut model = Model::empty(settings, now);
        let purchases = purchases.into_iter();
        model.history.reserve(purchases.size_hint().0 / 8);
        // Lines of one order come together: look the customer and order up once.
        let mut last: Option<(&str, &str, u32)> = None;
        for purchase in purchases {
            if purchase.quantity == 0 {
                continue;
            }
            let customer = match last {
                Some((customer, order, index))
                    if customer == purchase.customer && order == purchase.order =>
                {
                    index
                }
                _ => {
                    if !model.orders.contains(purchase.order) {
                        model.orders.insert(purchase.order.into());
                    }
                    let index = model.intern_customer(purchase.customer);
                    last = Some((purchase.customer, purchase.order, index));
                    index
                }
            };
            model.record(customer, &purchase);
        }
        model.index_customers();
        model.prior = (0..model.products.len())
            .map(|p| walk::prior(model.buyers[p].len(), &model.settings))
            .collect();
        model.compute_all_neighbours();
        model.popular = Ranking::sorted(model.products.len(), |p| model.popular_key(p));
        model.trending = Ranking::sorted(model.products.len(), |p| model.trending_key(p));
        model.newest = Ranking::sorted(model.products.len(), |p| model.first_seen[p as usize]);
        model
    }

    /// Takes in one order as it arrives: `lines` are all its lines (same customer and
    /// order id; lines with 0 units are ignored). Updates the counts, the customer's
    /// history, the rankings and the neighbour lists the order changes, so the model is
    /// the one [`Model::build`] would make with the order appended. An order id seen
    /// before changes nothing.
    pub fn add_order(&mut self, lines: &[Purchase<'_>], now: i64) {
        let Some(first) = lines.iter().find(|line| line.quantity > 0) else {
            return;
        };
        if self.orders.contains(first.order) {
            return;
        }
        self.orders.insert(first.order.into());
        self.updated_at = self.updated_at.max(now);
        let customer = self.intern_customer(first.customer);
        let c = customer as usize;
        let before = self.bought[c].clone();
        let lines_before = self.history[c].len();

        // Rankings are searched by key: take the order's products out while every key is
        // the one they were sorted by, put them back once all have changed.
        let mut touched: Vec<u32> = Vec::new();
        for line in lines.iter().filter(|line| line.quantity > 0) {
            match self.products.get(line.product) {
                Some(product) => {
                    if !touched.contains(&product) {
                        self.unrank(product);
                        touched.push(product);
                    }
                }
                None => touched.push(self.new_product(line.product, line.at)),
            }
        }
        for line in lines.iter().filter(|line| line.quantity > 0) {
            self.record(customer, line);
        }

        let mut fresh: Vec<u32> = Vec::new();
        for &product in &touched {
            let p = product as usize;
            let (span_before, gaps_before) = repeats(&self.history[c][..lines_before], product);
            let (span, gaps) = repeats(&self.history[c], product);
            self.repeat_span[p] += span - span_before;
            self.repeat_gaps[p] += gaps - gaps_before;
            if let Err(at) = self.bought[c].binary_search(&product) {
                self.bought[c].insert(at, product);
                self.buyers[p].push(customer);
                self.prior[p] = walk::prior(self.buyers[p].len(), &self.settings);
                fresh.push(product);
            }
            self.rank(product);
        }
        self.update_neighbours(&fresh, &before);
    }

    /// Makes `product` known from `added_at`, when the shop first listed it, so it can
    /// be a new arrival before anyone buys it. For a product already known, the earlier
    /// of the two times counts.
    pub fn add_product(&mut self, product: &str, added_at: i64) {
        match self.products.get(product) {
            Some(index) => {
                let p = index as usize;
                if added_at < self.first_seen[p] {
                    let first_seen = &self.first_seen;
                    self.newest.remove(index, |q| first_seen[q as usize]);
                    self.first_seen[p] = added_at;
                    let first_seen = &self.first_seen;
                    self.newest.insert(index, |q| first_seen[q as usize]);
                }
            }
            None => {
                let index = self.new_product(product, added_at);
                self.rank(index);
            }
        }
    }

    /// Sets `product`'s categories from the shop's catalogue (replacing any given
    /// before; none clears them). For-you prefers products in the categories the
    /// customer buys from ([`Settings::category_match`]). A product no order has named
    /// yet keeps them until one does.
    pub fn set_categories<'a>(
        &mut self,
        product: &str,
        categories: impl IntoIterator<Item = &'a str>,
    ) {
        let mut ids: Vec<u32> = categories
            .into_iter()
            .map(|name| self.category_names.intern(name).0)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let ids = ids.into_boxed_slice();
        match self.products.get(product) {
            Some(index) => self.categories[index as usize] = ids,
            None if ids.is_empty() => {
                self.unseen_categories.remove(product);
            }
            None => {
                self.unseen_categories.insert(product.into(), ids);
            }
        }
    }

    /// [`Model::set_categories`] for every product of `catalogue`.
    pub fn set_all_categories(&mut self, catalogue: &[ProductCategories<'_>]) {
        for (product, names) in catalogue {
            self.set_categories(product, names.iter().copied());
        }
    }

    /// How many products the model knows.
    pub fn products(&self) -> usize {
        self.products.len()
    }

    /// How many customers the model knows.
    pub fn customers(&self) -> usize {
        self.customers.len()
    }

    /// How many order lines the model holds.
    pub fn lines(&self) -> usize {
        self.lines
    }

    /// The latest `now` the model was built or updated at.
    pub fn updated_at(&self) -> i64 {
        self.updated_at
    }

    /// The settings it was built with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    fn empty(settings: Settings, now: i64) -> Model {
        Model {
            settings,
            products: Interner::default(),
            customers: Interner::default(),
            orders: FxHashSet::default(),
            buyers: Vec::new(),
            units: Vec::new(),
            first_seen: Vec::new(),
            trend: Vec::new(),
            repeat_span: Vec::new(),
            repeat_gaps: Vec::new(),
            prior: Vec::new(),
            neighbours: Vec::new(),
            category_names: Interner::default(),
            categories: Vec::new(),
            unseen_categories: FxHashMap::default(),
            history: Vec::new(),
            bought: Vec::new(),
            popular: Ranking::default(),
            trending: Ranking::default(),
            newest: Ranking::default(),
            lines: 0,
            updated_at: now,
        }
    }

    fn intern_customer(&mut self, name: &str) -> u32 {
        let (index, new) = self.customers.intern(name);
        if new {
            self.history.push(Vec::new());
            self.bought.push(Vec::new());
        }
        index
    }

    /// Numbers a product not seen before, first seen at `at`; not ranked yet.
    fn new_product(&mut self, name: &str, at: i64) -> u32 {
        let (index, _) = self.products.intern(name);
        self.buyers.push(Vec::new());
        self.units.push(0);
        self.first_seen.push(at);
        self.trend.push(f64::NEG_INFINITY);
        self.repeat_span.push(0);
        self.repeat_gaps.push(0);
        self.prior.push(0.0);
        self.neighbours.push(Vec::new());
        let categories = self.unseen_categories.remove(name).unwrap_or_default();
        self.categories.push(categories);
        index
    }

    /// Adds one line's units, trend, first-seen time and history entry (not buyers,
    /// repeats or neighbours, which need the whole order or all of them).
    fn record(&mut self, customer: u32, purchase: &Purchase<'_>) {
        let product = match self.products.get(purchase.product) {
            Some(product) => product,
            None => self.new_product(purchase.product, purchase.at),
        };
        let p = product as usize;
        self.units[p] += u64::from(purchase.quantity);
        self.first_seen[p] = self.first_seen[p].min(purchase.at);
        let weight = f64::from(purchase.quantity).ln()
            + purchase.at as f64 / (self.settings.trending_half_life_days * SECONDS_PER_DAY)
                * std::f64::consts::LN_2;
        self.trend[p] = log_add(self.trend[p], weight);
        self.history[customer as usize].push(Line {
            product,
            quantity: purchase.quantity,
            at: purchase.at,
        });
        self.lines += 1;
    }

    /// Fills `bought`, `buyers` and the repeat counts from the histories (build only).
    fn index_customers(&mut self) {
        let mut sorted: Vec<(u32, i64)> = Vec::new();
        for (customer, lines) in self.history.iter().enumerate() {
            sorted.clear();
            sorted.extend(lines.iter().map(|line| (line.product, line.at)));
            sorted.sort_unstable();
            sorted.dedup();
            let bought = &mut self.bought[customer];
            for group in sorted.chunk_by(|a, b| a.0 == b.0) {
                let product = group[0].0;
                let p = product as usize;
                bought.push(product);
                self.buyers[p].push(customer as u32);
                self.repeat_span[p] += group[group.len() - 1].1 - group[0].1;
                self.repeat_gaps[p] += group.len() as u32 - 1;
            }
        }
    }

    fn compute_all_neighbours(&mut self) {
        let products = self.products.len();
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        let next = AtomicUsize::new(0);
        const CHUNK: usize = 128;
        let (buyers, bought, settings) = (&self.buyers, &self.bought, &self.settings);
        let norms: Vec<f64> = buyers
            .iter()
            .map(|list| neighbours::other_norm(list.len(), settings))
            .collect();
        let work = || {
            let mut scratch = Scratch::default();
            let mut done: Vec<(usize, Vec<Neighbour>)> = Vec::new();
            loop {
                let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                if start >= products {
                    return done;
                }
                for product in start..(start + CHUNK).min(products) {
                    scratch.count(product as u32, buyers, bought);
                    done.push((
                        product,
                        neighbours::top(product as u32, &scratch, buyers, Some(&norms), settings),
                    ));
                }
            }
        };
        let results: Vec<Vec<(usize, Vec<Neighbour>)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
            let mut results = vec![work()];
            for handle in handles {
                match handle.join() {
                    Ok(done) => results.push(done),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            results
        });
        for (product, list) in results.into_iter().flatten() {
            self.neighbours[product] = list;
        }
    }

    /// Brings the neighbour lists up to date after one customer bought `fresh` products
    /// for the first time, having bought `before` (sorted) already. Only pairs with a
    /// fresh product changed: their count (with `before`) or the fresh product's buyer
    /// count (with everything else).
    fn update_neighbours(&mut self, fresh: &[u32], before: &[u32]) {
        let keep = self.settings.neighbours;
        let mut scratch = Scratch::default();
        let mut again: Vec<u32> = Vec::new();
        for &product in fresh {
            scratch.count(product, &self.buyers, &self.bought);
            self.neighbours[product as usize] =
                neighbours::top(product, &scratch, &self.buyers, None, &self.settings);
            let buyers = self.buyers[product as usize].len();
            for (other, together) in scratch.partners() {
                let o = other as usize;
                if fresh.contains(&other) {
                    continue;
                }
                let bought_with = before.binary_search(&other).is_ok();
                if !bought_with && !self.neighbours[o].iter().any(|n| n.product == product) {
                    // Its score fell and it was not listed: it still is not.
                    continue;
                }
                let score =
                    neighbours::similarity(together, self.buyers[o].len(), buyers, &self.settings);
                if !neighbours::update(&mut self.neighbours[o], product, score, keep) {
                    again.push(other);
                }
            }
        }
        again.sort_unstable();
        again.dedup();
        for product in again {
            scratch.count(product, &self.buyers, &self.bought);
            self.neighbours[product as usize] =
                neighbours::top(product, &scratch, &self.buyers, None, &self.settings);
        }
    }

    pub(crate) fn popular_key(&self, product: u32) -> (usize, u64) {
        let p = product as usize;
        (self.buyers[p].len(), self.units[p])
    }

    pub(crate) fn trending_key(&self, product: u32) -> Total {
        Total(self.trend[product as usize])
    }

    fn unrank(&mut self, product: u32) {
        let mut popular = std::mem::take(&mut self.popular);
        popular.remove(product, |p| self.popular_key(p));
        self.popular = popular;
        let mut trending = std::mem::take(&mut self.trending);
        trending.remove(product, |p| self.trending_key(p));
        self.trending = trending;
        let first_seen = &self.first_seen;
        self.newest.remove(product, |p| first_seen[p as usize]);
    }

    fn rank(&mut self, product: u32) {
        let mut popular = std::mem::take(&mut self.popular);
        popular.insert(product, |p| self.popular_key(p));
        self.popular = popular;
        let mut trending = std::mem::take(&mut self.trending);
        trending.insert(product, |p| self.trending_key(p));
        self.trending = trending;
        let first_seen = &self.first_seen;
        self.newest.insert(product, |p| first_seen[p as usize]);
    }
}

/// `ln(e^a + e^b)` without overflow.
fn log_add(a: f64, b: f64) -> f64 {
    let (high, low) = if a >= b { (a, b) } else { (b, a) };
    if low == f64::NEG_INFINITY {
        return high;
    }
    high + (low - high).exp().ln_1p()
}

/// For `product` in one customer's `lines`: (last - first purchase time, distinct
/// purchase times - 1), or zeros when never bought.
fn repeats(lines: &[Line], product: u32) -> (i64, u32) {
    let mut times: Vec<i64> = lines
        .iter()
        .filter(|line| line.product == product)
        .map(|line| line.at)
        .collect();
    if times.is_empty() {
        return (0, 0);
    }
    times.sort_unstable();
    times.dedup();
    (times[times.len() - 1] - times[0], times.len() as u32 - 1)
}
