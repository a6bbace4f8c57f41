//! Answering a [`Request`]: reads the precomputed lists and, for personal kinds, only the
//! customer's history and its neighbours.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::Model;
use crate::{Kind, Pick, Reason, Request};

const SECONDS_PER_DAY: f64 = 86_400.0;
/// How far from its cadence an item may be and still count as due: an item's due factor
/// is `exp(-(ln(elapsed / interval))^2 / (2 * DUE_SPREAD^2))`, 1 exactly on time, 0.6
/// at half or twice the interval.
const DUE_SPREAD: f64 = 0.7;
/// Weight of an item bought once, judged by the product's typical interval rather than
/// the customer's own.
const BORROWED_CADENCE: f64 = 0.5;

/// Why, with product indexes; names are looked up only for the picks kept.
#[derive(Debug, Clone, Copy)]
enum Why {
    BoughtWith(u32),
    BuyAgain(u32),
    Popular,
    Trending,
    New,
}

/// One candidate.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    product: u32,
    score: f32,
    why: Why,
}

/// The list being filled: skips excluded products and duplicates, stops at the limit.
struct Picks {
    excluded: FxHashSet<u32>,
    picked: Vec<Candidate>,
    limit: usize,
}

impl Picks {
    /// How many candidates of one ranked source can fill the list: the room left plus
    /// every product that would be skipped.
    fn wanted(&self) -> usize {
        (self.limit - self.picked.len().min(self.limit)) + self.excluded.len()
    }

    fn full(&self) -> bool {
        self.picked.len() >= self.limit
    }

    /// Adds `candidate` unless excluded or already picked; `false` once full.
    fn offer(&mut self, candidate: Candidate) -> bool {
        if self.full() {
            return false;
        }
        if self.excluded.insert(candidate.product) {
            self.picked.push(candidate);
        }
        !self.full()
    }

    fn offer_all(&mut self, candidates: impl IntoIterator<Item = Candidate>) {
        for candidate in candidates {
            if !self.offer(candidate) {
                return;
            }
        }
    }
}

impl Model {
    /// The list `request` asks for: at most `limit` picks, best first, never the page's
    /// product, an excluded one or the same one twice. Personal kinds without a known
    /// customer, and also-bought without a known page product, answer the popular list
    /// (with [`Reason::Popular`]).
    pub fn recommend(&self, request: &Request<'_>) -> Vec<Pick> {
        let mut excluded: FxHashSet<u32> = request
            .exclude
            .iter()
            .filter_map(|name| self.products.get(name))
            .collect();
        let product = request.product.and_then(|name| self.products.get(name));
        excluded.extend(product);
        let customer = request.customer.and_then(|name| self.customers.get(name));
        let mut picks = Picks {
            excluded,
            picked: Vec::with_capacity(request.limit.min(64)),
            limit: request.limit,
        };
        match (request.kind, customer, product) {
            (Kind::AlsoBought, _, Some(product)) => picks.offer_all(self.also_bought(product)),
            (Kind::ForYou, Some(customer), _) => {
                picks.offer_all(self.for_you(customer, request.now, picks.wanted()));
            }
            (Kind::BuyAgain, Some(customer), _) => {
                picks.offer_all(self.buy_again(customer, request.now));
            }
            (Kind::Trending, _, _) => self.offer_trending(&mut picks, request.now),
            (Kind::NewArrivals, _, _) => self.offer_new(&mut picks, request.now),
            (Kind::Blend, _, _) => self.blend(&mut picks, customer, product, request.now),
            _ => self.offer_popular(&mut picks),
        }
        picks
            .picked
            .into_iter()
            .map(|candidate| Pick {
                product: self.products.name(candidate.product).to_owned(),
                score: candidate.score,
                why: self.reason(candidate.why),
            })
            .collect()
    }

    fn reason(&self, why: Why) -> Reason {
        match why {
            Why::BoughtWith(product) => Reason::BoughtWith {
                product: self.products.name(product).to_owned(),
            },
            Why::BuyAgain(every_days) => Reason::BuyAgain { every_days },
            Why::Popular => Reason::Popular,
            Why::Trending => Reason::Trending,
            Why::New => Reason::New,
        }
    }

    fn also_bought(&self, product: u32) -> impl Iterator<Item = Candidate> + '_ {
        self.neighbours[product as usize]
            .iter()
            .map(move |neighbour| Candidate {
                product: neighbour.product,
                score: neighbour.score,
                why: Why::BoughtWith(product),
            })
    }

    /// The customer's history through the neighbour lists, two steps (see
    /// [`crate::walk`]), each history item weighted by how recently it was bought, the
    /// history itself left out; the best `want` first.
    fn for_you(&self, customer: u32, now: i64, want: usize) -> Vec<Candidate> {
        let mut last: FxHashMap<u32, i64> = FxHashMap::default();
        for line in &self.history[customer as usize] {
            let at = last.entry(line.product).or_insert(line.at);
            *at = (*at).max(line.at);
        }
        let half_life = self.settings.history_half_life_days * SECONDS_PER_DAY;
        let weights: Vec<f32> = self.bought[customer as usize]
            .iter()
            .map(|seed| {
                let age = (now - last.get(seed).copied().unwrap_or(now)).max(0) as f64;
                (-age / half_life * std::f64::consts::LN_2).exp() as f32
            })
            .collect();
        self.for_you_scores(customer, &weights, want)
            .into_iter()
            .map(|reached| Candidate {
                product: reached.product,
                score: reached.score,
                why: Why::BoughtWith(reached.seed),
            })
            .collect()
    }

    /// What the customer bought before and buys again, best first: the share of their
    /// orders that held it, doubled when it is due now on their own cadence (the median
    /// interval between their purchases of it; for an item bought once, the product's
    /// typical interval, at half weight). Frequency leads because a due date is only as
    /// good as the cadence behind it; among items bought as often, the due one wins.
    fn buy_again(&self, customer: u32, now: i64) -> Vec<Candidate> {
        let mut times: Vec<(u32, i64)> = self.history[customer as usize]
            .iter()
            .map(|line| (line.product, line.at))
            .collect();
        times.sort_unstable();
        times.dedup();
        let mut order_times: Vec<i64> = times.iter().map(|&(_, at)| at).collect();
        order_times.sort_unstable();
        order_times.dedup();
        let orders = order_times.len().max(1) as f64;
        let mut candidates = Vec::new();
        let mut gaps: Vec<i64> = Vec::new();
        for group in times.chunk_by(|a, b| a.0 == b.0) {
            let product = group[0].0;
            let last = group[group.len() - 1].1;
            let (interval, weight) = if group.len() >= 2 {
                gaps.clear();
                gaps.extend(group.windows(2).map(|pair| pair[1].1 - pair[0].1));
                gaps.sort_unstable();
                let middle = gaps.len() / 2;
                let median = if gaps.len().is_multiple_of(2) {
                    (gaps[middle - 1] + gaps[middle]) / 2
                } else {
                    gaps[middle]
                };
                (median, 1.0)
            } else {
                let p = product as usize;
                match self.repeat_gaps[p] {
                    0 => continue,
                    gaps => (self.repeat_span[p] / i64::from(gaps), BORROWED_CADENCE),
                }
            };
            if interval <= 0 {
                continue;
            }
            let elapsed = (now - last).max(1) as f64;
            let lateness = (elapsed / interval as f64).ln();
            let due = (-(lateness * lateness) / (2.0 * DUE_SPREAD * DUE_SPREAD)).exp();
            let share = group.len() as f64 / orders;
            let every_days = ((interval as f64 / SECONDS_PER_DAY).round() as u32).max(1);
            candidates.push(Candidate {
                product,
                score: (share * weight * (1.0 + due)) as f32,
                why: Why::BuyAgain(every_days),
            });
        }
        sort_best_first(&mut candidates);
        candidates
    }

    fn offer_popular(&self, picks: &mut Picks) {
        for product in self.popular.iter() {
            let buyers = self.buyers[product as usize].len();
            if buyers == 0 {
                return;
            }
            let candidate = Candidate {
                product,
                score: buyers as f32,
                why: Why::Popular,
            };
            if !picks.offer(candidate) {
                return;
            }
        }
    }

    fn offer_trending(&self, picks: &mut Picks, now: i64) {
        let decay = now as f64 / (self.settings.trending_half_life_days * SECONDS_PER_DAY)
            * std::f64::consts::LN_2;
        for product in self.trending.iter() {
            let trend = self.trend[product as usize];
            if trend == f64::NEG_INFINITY {
                return;
            }
            let candidate = Candidate {
                product,
                score: (trend - decay).exp() as f32,
                why: Why::Trending,
            };
            if !picks.offer(candidate) {
                return;
            }
        }
    }

    fn offer_new(&self, picks: &mut Picks, now: i64) {
        let since = now.saturating_sub(self.settings.new_arrival_days.saturating_mul(86_400));
        for product in self.newest.iter() {
            let first_seen = self.first_seen[product as usize];
            if first_seen < since {
                return;
            }
            let age_days = (now - first_seen).max(0) as f64 / SECONDS_PER_DAY;
            let candidate = Candidate {
                product,
                score: (1.0 / (1.0 + age_days)) as f32,
                why: Why::New,
            };
            if !picks.offer(candidate) {
                return;
            }
        }
    }

    /// Personal picks, then what is bought with the page's product, then best sellers.
    /// Personal: what the customer buys again (for consumables the strongest signal
    /// there is; own cadences score above borrowed ones), then for-you. Offline this
    /// beat taking turns, which pushes due items below weak for-you guesses
    /// (`docs/recommendations.md`).
    fn blend(&self, picks: &mut Picks, customer: Option<u32>, product: Option<u32>, now: i64) {
        if let Some(customer) = customer {
            picks.offer_all(self.buy_again(customer, now));
            if picks.full() {
                return;
            }
            picks.offer_all(self.for_you(customer, now, picks.wanted()));
        }
        if let Some(product) = product {
            picks.offer_all(self.also_bought(product));
        }
        self.offer_popular(picks);
    }
}

fn sort_best_first(candidates: &mut [Candidate]) {
    candidates.sort_unstable_by(|a, b| b.score.total_cmp(&a.score).then(a.product.cmp(&b.product)));
}
