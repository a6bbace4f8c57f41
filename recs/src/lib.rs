//! The recommendation engine behind `GET /v1/shops/{shop}/recommendations`.
//!
//! Pure Rust: no I/O, no async, no clock. The server feeds it order lines
//! ([`Model::build`] at start, [`Model::add_order`] as orders arrive) and asks it for
//! lists ([`Model::recommend`]); everything a request reads was computed when the orders
//! arrived, so serving never scans all orders or all products.
//!
//! - **also-bought**: item-to-item neighbours over customers (who bought both), scored
//!   by co-occurrence with shrinkage and a tunable popularity damping (from conditional
//!   probability to cosine and beyond, [`Settings`]).
//! - **for-you**: the customer's history, recency-weighted, through those neighbours and
//!   one step further (a two-step walk), with a prior against best sellers and against
//!   products too few customers bought to judge; the best candidates re-scored by how
//!   well their own neighbourhood matches the customer's.
//! - **buy-again**: what the customer buys repeatedly, ranked by how due it is on their
//!   own cadence (or the product's typical one for items bought once).
//! - **popular** (distinct buyers), **trending** (time-decayed units), **new-arrivals**.
//! - **blend**: every slot filled: buy-again, for-you, also-bought, popular.
//!
//! [`parse_orders`] reads an order-history CSV and [`evaluate`] replays it offline
//! (each customer's last order held out) to measure recall and NDCG per kind.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod evaluate;
mod interner;
mod model;
mod neighbours;
mod orders;
mod rankings;
mod rfc3339;
mod serve;
mod walk;

pub use comeback_core::recommend::Kind;
pub use evaluate::{evaluate, Evaluation, KindScores, Metrics};
pub use model::Model;
pub use orders::{parse_orders, CsvError, OrderRow, Problem, MAX_PROBLEMS};

/// A product's id and its categories from the shop's catalogue
/// ([`Model::set_categories`], [`evaluate`]).
pub type ProductCategories<'a> = (&'a str, Vec<&'a str>);

/// Longest product, customer or order id the CSV accepts, in characters.
pub const MAX_ID_CHARS: usize = 128;

/// One order line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purchase<'a> {
    /// The shop's customer id.
    pub customer: &'a str,
    /// The shop's order id; every line of one order carries the same one.
    pub order: &'a str,
    /// The shop's product id.
    pub product: &'a str,
    /// Units bought; a line with 0 units is ignored.
    pub quantity: u32,
    /// When the order was placed, Unix seconds.
    pub at: i64,
}

/// Tuning of the model. The defaults are what evaluated best on tea-shop-like data
/// (`docs/recommendations.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Neighbours kept per product (default 50): the most an also-bought list can hold,
    /// and how far for-you looks from each history item.
    pub neighbours: usize,
    /// Trending weighs a unit sold this many days ago half as much as one sold now
    /// (default 14).
    pub trending_half_life_days: f64,
    /// New arrivals are the products first listed or sold within this many days
    /// (default 30).
    pub new_arrival_days: i64,
    /// For-you weighs a history item last bought this many days ago half as much as one
    /// bought now (default 120).
    pub history_half_life_days: f64,
    /// How much a candidate neighbour's own popularity counts against it, from 0 (not at
    /// all: the conditional probability of buying it having bought the page's product)
    /// to 1 (fully: rare items everywhere); 0.5 is the cosine. Default 0: with the
    /// shrinkage it evaluated best (`docs/recommendations.md`).
    pub popularity_damping: f64,
    /// Shrinkage: a pair bought together by `c` customers has its similarity scaled by
    /// `c / (c + shrinkage)`, so pairs seen once or twice do not outrank solid ones
    /// (default 1: with the candidate prior below, larger values evaluated worse).
    pub shrinkage: f64,
    /// For-you's second step: each product the history's neighbour lists reach passes
    /// its score, times this weight, on to its own first [`Settings::two_hop_neighbours`]
    /// neighbours (default 4; 0 turns the second step off).
    pub two_hop_weight: f64,
    /// How many of a reached product's neighbours for-you's second step reads
    /// (default 20).
    pub two_hop_neighbours: usize,
    /// For-you divides a candidate's score by its number of buyers to this power, the
    /// popularity penalty of RP3beta (default 0.8).
    pub candidate_popularity: f64,
    /// For-you multiplies a candidate's score by `n / (n + candidate_support)`, `n` its
    /// buyers: a product few customers bought is unproven, and its neighbour list is one
    /// or two customers' baskets (default 100).
    pub candidate_support: f64,
    /// For-you re-scores its best [`Settings::profile_match_candidates`] by how well each
    /// one's neighbourhood matches the customer's: a candidate's walk score `x` and its
    /// match `m` (times `n / (n + candidate_support)`) make `x^(1 - r) · m^r`, `r` this
    /// weight (default 0.3; 0 turns the re-scoring off, 1 ranks by the match alone).
    pub profile_match: f64,
    /// How many of the walk's best candidates for-you re-scores by the profile match
    /// (default 50, and never fewer than the request needs).
    pub profile_match_candidates: usize,
    /// For-you multiplies each re-scored candidate's score by `(a + ε)^g`, `a` the
    /// share of the customer's recency-weighted history in the candidate's categories
    /// (its best one) and `ε` [`Settings::category_floor`], `g` this weight (default
    /// 0.5; 0 turns it off). Without categories from the catalogue
    /// ([`Model::set_categories`]) on either side nothing changes.
    pub category_match: f64,
    /// `ε` of [`Settings::category_match`]: how much a candidate outside every category
    /// the customer buys from keeps (default 0.1).
    pub category_floor: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            neighbours: 50,
            trending_half_life_days: 14.0,
            new_arrival_days: 30,
            history_half_life_days: 120.0,
            popularity_damping: 0.0,
            shrinkage: 1.0,
            two_hop_weight: 4.0,
            two_hop_neighbours: 20,
            candidate_popularity: 0.8,
            candidate_support: 100.0,
            profile_match: 0.3,
            profile_match_candidates: 50,
            category_match: 0.5,
            category_floor: 0.1,
        }
    }
}

/// What to recommend.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Request<'a> {
    /// The kind of list.
    pub kind: Kind,
    /// The signed-in customer, if any.
    pub customer: Option<&'a str>,
    /// The page's product, if any: the seed of also-bought (and of the blend's
    /// also-bought part); never recommended itself.
    pub product: Option<&'a str>,
    /// Product ids never to recommend (the cart, what the page already shows).
    pub exclude: &'a [&'a str],
    /// Most picks to return.
    pub limit: usize,
    /// The time of the request, Unix seconds (for cadences, trending and newness).
    pub now: i64,
}

/// One recommended product.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    /// The shop's product id.
    pub product: String,
    /// How strongly it is recommended, comparable only within one list's kind.
    pub score: f32,
    /// Why.
    pub why: Reason,
}

/// Why a product was picked; the server maps it to `comeback_core::recommend::Why`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Often bought by customers who also bought `product`.
    BoughtWith {
        /// The other product's id (the page's product, or one from the customer's
        /// history); the server maps it to a title.
        product: String,
    },
    /// The customer buys it about every `every_days` days.
    BuyAgain {
        /// The interval, in days, at least 1.
        every_days: u32,
    },
    /// A best seller.
    Popular,
    /// Selling well lately.
    Trending,
    /// New in the shop.
    New,
}
