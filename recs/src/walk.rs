//! For-you's scores: a two-step walk over the neighbour lists from the customer's
//! history, then a prior on each candidate's number of buyers.
//!
//! Step one spreads each history item's weight `w` (its recency) over its neighbours:
//! `v[k] = Σ w(i) · s(i, k)`, the one-step score of every product `k` reached, bought
//! or not. Step two passes each reached product's `v[k]` on to the first
//! [`Settings::two_hop_neighbours`] of its own list, times
//! [`Settings::two_hop_weight`]; a candidate `j` scores
//!
//! ```text
//! (v[j] + λ Σ v[k] · s(k, j)) · n_j^(-β) · n_j / (n_j + σ)
//! ```
//!
//! with `n_j` its buyers, `β` [`Settings::candidate_popularity`] (the popularity penalty
//! of RP3beta, Paudel et al. 2017) and `σ` [`Settings::candidate_support`]. One step sees
//! only the products that shared a customer with the history; the second pools what
//! all of those were bought with, which a short history's few lists see only partly
//! (the category a customer shops in, in effect). The prior then lowers both ends: best
//! sellers every walk reaches, and products two or three customers bought whose lists
//! are one customer's basket (`docs/recommendations.md`).
//!
//! Then the best [`Settings::profile_match_candidates`] (50) are re-scored by a profile
//! match: the customer's profile `p` is their history (each item at its weight) plus
//! step one's `v`; a product `k`'s share of it is `h(k) = Σ s(k, m) · p[m] / Σ s(k, m)`
//! over the first [`Settings::two_hop_neighbours`] of its list, and a candidate's match
//! is the same average of `h` over its own first entries, `m(j) = Σ s(j, k) · h(k) /
//! Σ s(j, k)`. It asks whether what the candidate's buyers buy is what this customer's
//! walk reaches, whatever the candidate's own popularity, so it tells a product of the
//! customer's kind of goods from a best seller reached from everywhere; the final score
//! is `x^(1-r) · (m(j) · n_j / (n_j + σ))^r` with `x` the score above and `r`
//! [`Settings::profile_match`] (0.3).
//!
//! Last, when the shop's catalogue gives categories, each re-scored candidate is
//! multiplied by `(a + ε)^g`: `a` the share of the customer's recency-weighted history
//! in the candidate's best category, `ε` [`Settings::category_floor`] and `g`
//! [`Settings::category_match`]. The walk and the match infer the customer's kind of
//! goods from co-purchases; the catalogue states it.
//!
//! Everything is read from the neighbour lists and the buyer counts at request time, so
//! [`crate::Model::add_order`] stays exact. The sums use dense per-thread scratch
//! arrays: a request touches a few thousand entries (the match, 20 of each of the 50
//! candidates' neighbours and 20 of each of theirs, each `h` computed once).

use std::cell::RefCell;

use crate::model::Model;
use crate::Settings;

/// One candidate of for-you: its score and the history item that gave it most.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Reached {
    /// The product.
    pub(crate) product: u32,
    /// Its score (the module header's formula).
    pub(crate) score: f32,
    /// The history item whose single contribution was the largest.
    pub(crate) seed: u32,
}

/// Sums per product, with the largest single contribution's seed, over dense arrays
/// reset through the list of products touched.
#[derive(Debug, Default)]
struct Sums {
    score: Vec<f32>,
    /// (seed, its contribution), the largest so far (ties go to the lower seed);
    /// `f32::NEG_INFINITY` while untouched.
    best: Vec<(u32, f32)>,
    touched: Vec<u32>,
}

impl Sums {
    fn reset(&mut self, products: usize) {
        for &product in &self.touched {
            self.score[product as usize] = 0.0;
            self.best[product as usize] = (0, f32::NEG_INFINITY);
        }
        self.touched.clear();
        if self.score.len() < products {
            self.score.resize(products, 0.0);
            self.best.resize(products, (0, f32::NEG_INFINITY));
        }
    }

    fn add(&mut self, product: u32, amount: f32, seed: u32) {
        let p = product as usize;
        let best = &mut self.best[p];
        if best.1 == f32::NEG_INFINITY {
            self.touched.push(product);
        }
        if amount > best.1 || (amount == best.1 && seed < best.0) {
            *best = (seed, amount);
        }
        self.score[p] += amount;
    }
}

/// Each product's share of the customer's profile, `h(k)` of the module header, computed
/// once per request; `NaN` while not computed.
#[derive(Debug, Default)]
struct Shares {
    share: Vec<f32>,
    touched: Vec<u32>,
}

impl Shares {
    fn reset(&mut self, products: usize) {
        for &product in &self.touched {
            self.share[product as usize] = f32::NAN;
        }
        self.touched.clear();
        if self.share.len() < products {
            self.share.resize(products, f32::NAN);
        }
    }
}

/// The per-thread scratch of [`Model::for_you_scores`]: one step's sums (then the
/// customer's profile), the candidates', the profile shares and, per product, whether
/// the customer bought it (set for the request's history only, cleared after).
#[derive(Debug, Default)]
struct Scratch {
    reached: Sums,
    candidates: Sums,
    shares: Shares,
    bought: Vec<bool>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The prior on a candidate bought by `buyers` customers: `n^(-β) · n / (n + σ)`
/// (kept per product in the model, updated as its buyers change).
pub(crate) fn prior(buyers: usize, settings: &Settings) -> f32 {
    let n = buyers as f64;
    if n == 0.0 {
        return 0.0;
    }
    (n.powf(-settings.candidate_popularity) * n / (n + settings.candidate_support)) as f32
}

impl Model {
    /// For-you's candidates for `customer` (see the module header), the best `want`
    /// first (all of them when fewer), never one they bought. `weights` holds each
    /// bought product's weight, in the order of `self.bought[customer]`.
    pub(crate) fn for_you_scores(
        &self,
        customer: u32,
        weights: &[f32],
        want: usize,
    ) -> Vec<Reached> {
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let Scratch {
                reached,
                candidates,
                shares,
                bought,
            } = &mut *scratch;
            if bought.len() < self.products.len() {
                bought.resize(self.products.len(), false);
            }
            let history = &self.bought[customer as usize];
            for &product in history {
                bought[product as usize] = true;
            }
            self.walk(customer, weights, bought, reached, candidates);
            for &product in history {
                bought[product as usize] = false;
            }
            let r = self.settings.profile_match as f32;
            let kinds = self.category_profile(history, weights);
            if r <= 0.0 && kinds.shares.is_empty() {
                return self.best_candidates(candidates, want);
            }
            let mut list =
                self.best_candidates(candidates, want.max(self.settings.profile_match_candidates));
            if r > 0.0 {
                // The profile: step one's sums plus the history at its weights.
                for (&seed, &weight) in history.iter().zip(weights) {
                    reached.add(seed, weight, seed);
                }
                shares.reset(self.products.len());
            }
            for candidate in &mut list {
                if r > 0.0 {
                    let matched = self.profile_match(candidate.product, reached, shares);
                    let n = self.buyers[candidate.product as usize].len() as f32;
                    let support = n / (n + self.settings.candidate_support as f32);
                    candidate.score = candidate.score.powf(1.0 - r) * (matched * support).powf(r);
                }
                candidate.score *= kinds.factor(&self.categories[candidate.product as usize]);
            }
            list.retain(|candidate| candidate.score > 0.0);
            best_first(&mut list, want);
            list
        })
    }

    /// The customer's recency-weighted shares of their history per category (an item
    /// in several counts a part in each).
    fn category_profile(&self, history: &[u32], weights: &[f32]) -> CategoryProfile {
        let mut profile = CategoryProfile {
            shares: Vec::new(),
            weight: self.settings.category_match as f32,
            floor: self.settings.category_floor as f32,
        };
        if profile.weight <= 0.0 {
            return profile;
        }
        let mut total = 0.0f32;
        for (&product, &weight) in history.iter().zip(weights) {
            let categories = &self.categories[product as usize];
            if categories.is_empty() {
                continue;
            }
            total += weight;
            let part = weight / categories.len() as f32;
            for &category in categories.iter() {
                match profile.shares.iter_mut().find(|(c, _)| *c == category) {
                    Some((_, share)) => *share += part,
                    None => profile.shares.push((category, part)),
                }
            }
        }
        if total > 0.0 {
            for (_, share) in &mut profile.shares {
                *share /= total;
            }
        }
        profile
    }

    /// `m(j)` of the module header: the average, over the first entries of `product`'s
    /// list weighted by their similarity, of each entry's share of `profile`.
    fn profile_match(&self, product: u32, profile: &Sums, shares: &mut Shares) -> f32 {
        self.neighbourhood_mean(product, |k| {
            let share = &mut shares.share[k as usize];
            if share.is_nan() {
                *share = self.profile_share(k, profile);
                shares.touched.push(k);
            }
            *share
        })
    }

    /// `h(k)` of the module header: the similarity-weighted average of `profile` over the
    /// first entries of `product`'s list (0 for an empty list).
    fn profile_share(&self, product: u32, profile: &Sums) -> f32 {
        self.neighbourhood_mean(product, |k| profile.score[k as usize])
    }

    /// The average of `value` over the first [`Settings::two_hop_neighbours`] entries of
    /// `product`'s list, weighted by their similarity (0 for an empty list).
    fn neighbourhood_mean(&self, product: u32, mut value: impl FnMut(u32) -> f32) -> f32 {
        let width = self.settings.two_hop_neighbours;
        let (mut sum, mut mass) = (0.0f32, 0.0f32);
        for neighbour in self.neighbours[product as usize].iter().take(width) {
            sum += neighbour.score * value(neighbour.product);
            mass += neighbour.score;
        }
        if mass > 0.0 {
            sum / mass
        } else {
            0.0
        }
    }

    /// Fills `reached` with step one and `candidates` with both steps.
    fn walk(
        &self,
        customer: u32,
        weights: &[f32],
        bought: &[bool],
        reached: &mut Sums,
        candidates: &mut Sums,
    ) {
        let products = self.products.len();
        reached.reset(products);
        candidates.reset(products);
        for (&seed, &weight) in self.bought[customer as usize].iter().zip(weights) {
            for neighbour in &self.neighbours[seed as usize] {
                reached.add(neighbour.product, weight * neighbour.score, seed);
            }
        }
        let hop = self.settings.two_hop_weight as f32;
        let hop_neighbours = self.settings.two_hop_neighbours;
        for &product in &reached.touched {
            let p = product as usize;
            let (score, (seed, _)) = (reached.score[p], reached.best[p]);
            if !bought[p] {
                candidates.add(product, score, seed);
            }
            if hop <= 0.0 {
                continue;
            }
            for neighbour in self.neighbours[p].iter().take(hop_neighbours) {
                if !bought[neighbour.product as usize] {
                    candidates.add(neighbour.product, hop * score * neighbour.score, seed);
                }
            }
        }
    }

    /// The best `want` of `candidates`, each times its prior, best first (then the lower
    /// index).
    fn best_candidates(&self, candidates: &Sums, want: usize) -> Vec<Reached> {
        let mut list: Vec<Reached> = candidates
            .touched
            .iter()
            .map(|&product| {
                let p = product as usize;
                Reached {
                    product,
                    score: candidates.score[p] * self.prior[p],
                    seed: candidates.best[p].0,
                }
            })
            .filter(|reached| reached.score > 0.0)
            .collect();
        best_first(&mut list, want);
        list
    }
}

/// A customer's shares per category, for [`Settings::category_match`].
#[derive(Debug)]
struct CategoryProfile {
    /// (category, share of the history's weight), for the categories bought from.
    shares: Vec<(u32, f32)>,
    weight: f32,
    floor: f32,
}

impl CategoryProfile {
    /// The factor of a candidate in `categories`: `(a + ε)^g` with `a` its best
    /// category's share; 1 when either side has no categories.
    fn factor(&self, categories: &[u32]) -> f32 {
        if self.shares.is_empty() || categories.is_empty() {
            return 1.0;
        }
        let share = categories
            .iter()
            .filter_map(|&c| self.shares.iter().find(|(s, _)| *s == c).map(|(_, v)| *v))
            .fold(0.0f32, f32::max);
        (share + self.floor).powf(self.weight)
    }
}

/// Keeps the best `want` of `list` (all when `want` is 0), best first, then the lower
/// index.
fn best_first(list: &mut Vec<Reached>, want: usize) {
    let order =
        |a: &Reached, b: &Reached| b.score.total_cmp(&a.score).then(a.product.cmp(&b.product));
    if list.len() > want && want > 0 {
        list.select_nth_unstable_by(want - 1, order);
        list.truncate(want);
    }
    list.sort_unstable_by(order);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prior_lowers_both_rare_and_best_selling_candidates() {
        let settings = Settings::default(); // n^-0.8 * n / (n + 100)
        let at = |n: usize| f64::from(prior(n, &settings));
        assert_eq!(at(0), 0.0);
        assert!((at(1) - 1.0 / 101.0).abs() < 1e-9);
        let expected = |n: f64| n.powf(-0.8) * n / (n + 100.0);
        for n in [2, 25, 400, 10_000] {
            assert!((at(n) / expected(n as f64) - 1.0).abs() < 1e-6, "n = {n}");
        }
        // Highest at n = 100 * 0.2 / 0.8 = 25 buyers.
        assert!(at(25) > at(5) && at(25) > at(100));
        assert!(at(1) < at(25) && at(10_000) < at(25));
    }

    #[test]
    fn a_zero_popularity_exponent_and_support_make_the_prior_neutral() {
        let settings = Settings {
            candidate_popularity: 0.0,
            candidate_support: 0.0,
            ..Settings::default()
        };
        for n in [1, 7, 5_000] {
            assert_eq!(prior(n, &settings), 1.0);
        }
    }

    #[test]
    fn sums_keep_the_largest_single_contribution_and_reset_clean() {
        let mut sums = Sums::default();
        sums.reset(4);
        sums.add(2, 0.5, 7);
        sums.add(2, 0.25, 1);
        sums.add(2, 0.5, 3); // a tie goes to the lower seed
        sums.add(0, 0.0, 9); // touched even by nothing
        assert_eq!(sums.touched, [2, 0]);
        assert_eq!(sums.score[2], 1.25);
        assert_eq!(sums.best[2], (3, 0.5));
        sums.reset(4);
        assert!(sums.touched.is_empty());
        assert!(sums.score.iter().all(|&score| score == 0.0));
        assert!(sums.best.iter().all(|best| best.1 == f32::NEG_INFINITY));
    }
}
