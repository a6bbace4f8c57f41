//! Offline evaluation: hold out each customer's last order, train on the rest, and
//! measure how much of the held-out order each kind's list finds.
//!
//! Customers with at least two orders are evaluated; their last order is the one with
//! the latest `created_at` (then the greatest `order_id`). The model is built from every
//! other line as of the latest training time. Each list is asked for `k` picks:
//! also-bought with the customer's most recent training purchase as the page's product,
//! every other kind without one. Over `all` held-out products, and over `new` ones (never
//! bought before, with the customer's history excluded from the list; customers whose
//! last order holds nothing new are left out there), it reports the mean recall@k
//! (held-out products found / held-out products) and NDCG@k (binary relevance).

use rustc_hash::{FxHashMap, FxHashSet};
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::{Kind, Model, OrderRow, ProductCategories, Request, Settings};

/// Recall and NDCG at `k`, averaged over customers.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Metrics {
    /// The list length measured.
    pub k: usize,
    /// Mean share of the held-out products in the list.
    pub recall: f64,
    /// Mean normalised discounted cumulative gain.
    pub ndcg: f64,
}

impl Serialize for Metrics {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry(&format!("recall_at_{}", self.k), &self.recall)?;
        map.serialize_entry(&format!("ndcg_at_{}", self.k), &self.ndcg)?;
        map.end()
    }
}

/// One kind's scores.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct KindScores {
    /// Over every held-out product.
    pub all: Metrics,
    /// Over held-out products the customer never bought before.
    pub new: Metrics,
}

/// What [`evaluate`] measured; the caller fills `build_seconds` and `peak_rss_bytes`
/// (the crate reads no clock and no process table).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Evaluation {
    /// Customers evaluated (those with at least two orders).
    pub customers: usize,
    /// Seconds from opening the file to a model that could serve.
    pub build_seconds: f64,
    /// The process's peak resident memory.
    pub peak_rss_bytes: u64,
    /// Scores per kind, in [`Kind::ALL`] order.
    #[serde(serialize_with = "kinds_as_map")]
    pub kinds: Vec<(Kind, KindScores)>,
}

fn kinds_as_map<S: Serializer>(
    kinds: &[(Kind, KindScores)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(kinds.len()))?;
    for (kind, scores) in kinds {
        map.serialize_entry(kind.as_str(), scores)?;
    }
    map.end()
}

/// One evaluated customer.
struct Case<'a> {
    customer: &'a str,
    /// The held-out order's products, once each.
    held_out: Vec<&'a str>,
    /// Products bought in training, once each.
    history: Vec<&'a str>,
    /// The most recent training purchase.
    seed: &'a str,
}

/// Running sums for one kind and one of all/new.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    recall: f64,
    ndcg: f64,
    customers: usize,
}

impl Sums {
    fn add(&mut self, list: &[&str], relevant: &[&str], k: usize) {
        if relevant.is_empty() {
            return;
        }
        let mut hits = 0;
        let mut dcg = 0.0;
        for (rank, product) in list.iter().take(k).enumerate() {
            if relevant.contains(product) {
                hits += 1;
                dcg += 1.0 / (rank as f64 + 2.0).log2();
            }
        }
        let ideal: f64 = (0..relevant.len().min(k))
            .map(|rank| 1.0 / (rank as f64 + 2.0).log2())
            .sum();
        self.recall += f64::from(hits) / relevant.len() as f64;
        self.ndcg += dcg / ideal;
        self.customers += 1;
    }

    fn merge(&mut self, other: &Sums) {
        self.recall += other.recall;
        self.ndcg += other.ndcg;
        self.customers += other.customers;
    }

    fn mean(&self, k: usize) -> Metrics {
        let count = self.customers.max(1) as f64;
        Metrics {
            k,
            recall: self.recall / count,
            ndcg: self.ndcg / count,
        }
    }
}

/// Holds out each customer's last order from `rows`, builds a model from the rest with
/// `settings` and the catalogue's `categories` (product id, its categories; may be
/// empty), and scores every kind's first `k` picks (see the module header).
pub fn evaluate(
    rows: &[OrderRow<'_>],
    categories: &[ProductCategories<'_>],
    settings: &Settings,
    k: usize,
) -> Evaluation {
    // Each customer's orders: (created_at, order id), the latest line time per order.
    let mut orders: FxHashMap<&str, FxHashMap<&str, i64>> = FxHashMap::default();
    for row in rows {
        let at = orders
            .entry(&row.customer)
            .or_default()
            .entry(&row.order)
            .or_insert(row.created_at);
        *at = (*at).max(row.created_at);
    }
    let held_out: FxHashMap<&str, &str> = orders
        .iter()
        .filter(|(_, orders)| orders.len() >= 2)
        .filter_map(|(&customer, orders)| {
            let (order, _) = orders
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)))?;
            Some((customer, *order))
        })
        .collect();
    let is_held_out =
        |row: &OrderRow<'_>| held_out.get(row.customer.as_ref()) == Some(&row.order.as_ref());
    let now = rows
        .iter()
        .filter(|row| !is_held_out(row))
        .map(|row| row.created_at)
        .max()
        .unwrap_or(0);
    let mut model = Model::build(
        settings.clone(),
        rows.iter()
            .filter(|row| !is_held_out(row))
            .map(OrderRow::purchase),
        now,
    );
    model.set_all_categories(categories);

    let mut cases: FxHashMap<&str, Case<'_>> = FxHashMap::default();
    let mut seed_at: FxHashMap<&str, i64> = FxHashMap::default();
    for row in rows {
        let Some(&order) = held_out.get(row.customer.as_ref()) else {
            continue;
        };
        let case = cases.entry(&row.customer).or_insert_with(|| Case {
            customer: &row.customer,
            held_out: Vec::new(),
            history: Vec::new(),
            seed: "",
        });
        if row.order == order {
            case.held_out.push(&row.product);
        } else {
            case.history.push(&row.product);
            let latest = seed_at.entry(&row.customer).or_insert(i64::MIN);
            if row.created_at >= *latest {
                *latest = row.created_at;
                case.seed = &row.product;
            }
        }
    }
    let mut cases: Vec<Case<'_>> = cases.into_values().collect();
    cases.sort_unstable_by_key(|case| case.customer);
    for case in &mut cases {
        for list in [&mut case.held_out, &mut case.history] {
            list.sort_unstable();
            list.dedup();
        }
    }

    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let chunk = cases.len().div_ceil(threads).max(1);
    let sums: Vec<Vec<[Sums; 2]>> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .chunks(chunk)
            .map(|part| scope.spawn(|| score(&model, part, k, now)))
            .collect();
        handles
            .into_iter()
            .map(|handle| match handle.join() {
                Ok(sums) => sums,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    let kinds = Kind::ALL
        .iter()
        .enumerate()
        .map(|(index, &kind)| {
            let mut all = Sums::default();
            let mut new = Sums::default();
            for part in &sums {
                all.merge(&part[index][0]);
                new.merge(&part[index][1]);
            }
            (
                kind,
                KindScores {
                    all: all.mean(k),
                    new: new.mean(k),
                },
            )
        })
        .collect();
    Evaluation {
        customers: cases.len(),
        build_seconds: 0.0,
        peak_rss_bytes: 0,
        kinds,
    }
}

/// The sums of `cases` per kind (in [`Kind::ALL`] order), over all and new products.
fn score(model: &Model, cases: &[Case<'_>], k: usize, now: i64) -> Vec<[Sums; 2]> {
    let mut sums = vec![[Sums::default(); 2]; Kind::ALL.len()];
    for case in cases {
        let history: FxHashSet<&str> = case.history.iter().copied().collect();
        let new: Vec<&str> = case
            .held_out
            .iter()
            .copied()
            .filter(|product| !history.contains(product))
            .collect();
        for (index, &kind) in Kind::ALL.iter().enumerate() {
            let mut request = Request {
                kind,
                customer: Some(case.customer),
                product: (kind == Kind::AlsoBought).then_some(case.seed),
                exclude: &[],
                limit: k,
                now,
            };
            let picks = model.recommend(&request);
            let list: Vec<&str> = picks.iter().map(|pick| pick.product.as_str()).collect();
            sums[index][0].add(&list, &case.held_out, k);
            if !new.is_empty() {
                request.exclude = &case.history;
                let picks = model.recommend(&request);
                let list: Vec<&str> = picks.iter().map(|pick| pick.product.as_str()).collect();
                sums[index][1].add(&list, &new, k);
            }
        }
    }
    sums
}
