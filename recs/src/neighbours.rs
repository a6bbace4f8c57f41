//! Item-to-item neighbours: for each product, the products its buyers also bought,
//! scored and cut to the best [`Settings::neighbours`].
//!
//! Co-occurrence is counted over customers, not orders: a teapot is bought with tea
//! weeks apart as often as in one basket, and a shop's baskets are small (counted over
//! orders, also-bought found a third fewer of the products new to the customer;
//! `docs/recommendations.md`). The score of `other` in the list of `page`, bought
//! together by `c` customers out of `n_page` and `n_other`, is
//!
//! ```text
//! c / (n_page^(1-a) * n_other^a) * c / (c + shrinkage)       a = popularity_damping
//! ```
//!
//! from the conditional probability P(other | page) at `a = 0` (the default, which
//! evaluated best) through the cosine at `a = 0.5` to ever more damping against best
//! sellers bought with everything (Linden, Smith & York 2003), shrunk when few customers
//! back the pair. It reads only the two products' counts, never a shop-wide total, so
//! one order changes only the scores of the pairs it touches and
//! [`crate::Model::add_order`] can stay exact.

use std::cmp::Ordering;

use crate::Settings;

/// One entry of a product's neighbour list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Neighbour {
    /// The other product.
    pub(crate) product: u32,
    /// Its similarity to the list's product.
    pub(crate) score: f32,
}

/// The order of a neighbour list: best score first, then the lower index (first seen),
/// so a list is the same however it was built.
pub(crate) fn better_first(a: &Neighbour, b: &Neighbour) -> Ordering {
    b.score.total_cmp(&a.score).then(a.product.cmp(&b.product))
}

/// The similarity of `other` to `page` (see the module header).
pub(crate) fn similarity(
    together: u32,
    page_buyers: usize,
    other_buyers: usize,
    settings: &Settings,
) -> f32 {
    score(
        together,
        page_norm(page_buyers, settings),
        other_norm(other_buyers, settings),
        settings,
    )
}

/// The page's part of the denominator, `n_page^(1-a)`.
pub(crate) fn page_norm(buyers: usize, settings: &Settings) -> f64 {
    (buyers as f64).powf(1.0 - settings.popularity_damping)
}

/// The other product's part of the denominator, `n_other^a`.
pub(crate) fn other_norm(buyers: usize, settings: &Settings) -> f64 {
    (buyers as f64).powf(settings.popularity_damping)
}

/// [`similarity`] from the two norms, so a build computes each product's once.
fn score(together: u32, page_norm: f64, other_norm: f64, settings: &Settings) -> f32 {
    let together = f64::from(together);
    (together / (page_norm * other_norm) * together / (together + settings.shrinkage)) as f32
}

/// Reusable counting space: a dense counter per product and the list of those touched.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    counts: Vec<u32>,
    touched: Vec<u32>,
}

impl Scratch {
    /// Counts, for every product bought with `page`, how many customers bought both;
    /// read them with [`Scratch::partners`].
    pub(crate) fn count(&mut self, page: u32, buyers: &[Vec<u32>], bought: &[Vec<u32>]) {
        self.clear();
        if self.counts.len() < buyers.len() {
            self.counts.resize(buyers.len(), 0);
        }
        for &customer in &buyers[page as usize] {
            for &other in &bought[customer as usize] {
                let count = &mut self.counts[other as usize];
                if *count == 0 {
                    self.touched.push(other);
                }
                *count += 1;
            }
        }
        // The page's own slot counts its buyers; it is no partner of itself.
        if self.counts[page as usize] > 0 {
            self.counts[page as usize] = 0;
            self.touched.retain(|&other| other != page);
        }
    }

    /// The products counted by the last [`Scratch::count`], with their counts.
    pub(crate) fn partners(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.touched
            .iter()
            .map(|&other| (other, self.counts[other as usize]))
    }

    fn clear(&mut self) {
        for &other in &self.touched {
            self.counts[other as usize] = 0;
        }
        self.touched.clear();
    }
}

/// The neighbour list of `page` from the counts [`Scratch::count`] left for it;
/// `norms`, when given, holds [`other_norm`] of every product.
pub(crate) fn top(
    page: u32,
    scratch: &Scratch,
    buyers: &[Vec<u32>],
    norms: Option<&[f64]>,
    settings: &Settings,
) -> Vec<Neighbour> {
    let page_norm = page_norm(buyers[page as usize].len(), settings);
    let norm = |other: u32| match norms {
        Some(norms) => norms[other as usize],
        None => other_norm(buyers[other as usize].len(), settings),
    };
    let mut list: Vec<Neighbour> = scratch
        .partners()
        .map(|(other, together)| Neighbour {
            product: other,
            score: score(together, page_norm, norm(other), settings),
        })
        .collect();
    keep_best(&mut list, settings.neighbours);
    list
}

/// Sorts `list` best first and cuts it to `keep`.
pub(crate) fn keep_best(list: &mut Vec<Neighbour>, keep: usize) {
    if list.len() > keep && keep > 0 {
        list.select_nth_unstable_by(keep - 1, better_first);
    }
    list.truncate(keep);
    list.sort_unstable_by(better_first);
    list.shrink_to_fit();
}

/// Puts `other` with its new `score` into `list`, when that needs no other entry's
/// score: `false` when the list must be computed again (`other` fell within a full
/// list, so an entry outside it may now belong in it).
pub(crate) fn update(list: &mut Vec<Neighbour>, other: u32, score: f32, keep: usize) -> bool {
    let entry = Neighbour {
        product: other,
        score,
    };
    if let Some(at) = list.iter().position(|n| n.product == other) {
        let fell = better_first(&entry, &list[at]) == Ordering::Greater;
        if fell && list.len() >= keep {
            return false;
        }
        list[at] = entry;
        list.sort_unstable_by(better_first);
        return true;
    }
    if list.len() < keep {
        list.push(entry);
        list.sort_unstable_by(better_first);
    } else if list
        .last()
        .is_some_and(|last| better_first(&entry, last) == Ordering::Less)
    {
        list.pop();
        list.push(entry);
        list.sort_unstable_by(better_first);
    }
    true
}
