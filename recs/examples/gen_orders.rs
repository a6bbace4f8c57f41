//! Writes a synthetic tea-shop-like order history as CSV, for the benchmark
//! (`make bench-recs`): Zipf-popular products in categories, customers with favourite
//! categories, complementary pairs bought together (tea and its teaware), consumables
//! each customer re-buys on their own cadence, new products listed in the last weeks,
//! two years of orders. Deterministic for a seed.
//!
//! `cargo run --release -p comeback-recs --example gen_orders -- \
//!     --customers 100000 --products 50000 --seed 7 [--catalogue products.csv] > orders.csv`
//! (`--catalogue` also writes the products with their category, as `comeback-server
//! import products` takes them).

use std::io::{BufWriter, Write};

const DAY: i64 = 86_400;
/// 2024-01-01T00:00:00Z: the history's first day.
const START: i64 = 1_704_067_200;
const SPAN_DAYS: i64 = 730;
const CATEGORIES: usize = 60;

/// splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

struct Product {
    category: usize,
    /// Days between purchases for a consumable, 0 for durables.
    cadence: i64,
    complement: usize,
    listed: i64,
    price: i64,
}

/// Sampling by weight through a cumulative table.
struct Table {
    items: Vec<usize>,
    cumulative: Vec<f64>,
}

impl Table {
    fn new(items: Vec<usize>, weight: impl Fn(usize) -> f64) -> Table {
        let mut total = 0.0;
        let cumulative = items
            .iter()
            .map(|&item| {
                total += weight(item);
                total
            })
            .collect();
        Table { items, cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let target = rng.unit() * total;
        let at = self.cumulative.partition_point(|&c| c <= target);
        self.items[at.min(self.items.len() - 1)]
    }
}

fn arg(args: &[String], name: &str, default: u64) -> u64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|at| args.get(at + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The products as the server's `import products` CSV takes them, with their category.
fn write_catalogue(path: &str, catalogue: &[Product]) -> std::io::Result<()> {
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "id,title,price,url,in_stock,categories,updated_at")?;
    for (index, product) in catalogue.iter().enumerate() {
        writeln!(
            out,
            "p{index:06},Product {index},{},/products/p{index:06},true,c{:02},2026-01-01T00:00:00Z",
            product.price, product.category
        )?;
    }
    out.flush()
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let customers = arg(&args, "--customers", 100_000) as usize;
    let products = arg(&args, "--products", 50_000) as usize;
    let mut rng = Rng(arg(&args, "--seed", 7));
    let end = START + SPAN_DAYS * DAY;

    // Products: popularity rank is a random permutation of indexes; a category each;
    // a third are consumables; each has a complement in a neighbouring category.
    let mut rank: Vec<usize> = (0..products).collect();
    for i in (1..products).rev() {
        rank.swap(i, rng.below(i + 1));
    }
    let catalogue: Vec<Product> = (0..products)
        .map(|_| {
            let category = rng.below(CATEGORIES);
            let consumable = category.is_multiple_of(3) || rng.chance(0.1);
            let listed = if rng.chance(0.03) {
                end - rng.below(60) as i64 * DAY
            } else {
                START - DAY
            };
            Product {
                category,
                cadence: if consumable {
                    14 + rng.below(60) as i64
                } else {
                    0
                },
                complement: 0,
                listed,
                price: 300 + rng.below(5000) as i64,
            }
        })
        .collect();
    let mut catalogue = catalogue;
    let weight = |p: usize| 1.0 / (rank[p] as f64 + 10.0).powf(0.9);
    let by_category: Vec<Table> = (0..CATEGORIES)
        .map(|c| {
            let items = (0..products)
                .filter(|&p| catalogue[p].category == c)
                .collect();
            Table::new(items, weight)
        })
        .collect();
    for product in &mut catalogue {
        let category = (product.category + 1 + rng.below(2)) % CATEGORIES;
        product.complement = by_category[category].pick(&mut rng);
    }
    let global = Table::new((0..products).collect(), weight);
    if let Some(path) = args
        .iter()
        .position(|a| a == "--catalogue")
        .and_then(|at| args.get(at + 1))
    {
        write_catalogue(path, &catalogue)?;
    }

    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    writeln!(
        out,
        "customer_id,order_id,product_id,created_at,quantity,unit_price"
    )?;
    let mut order_id = 0u64;
    let mut basket: Vec<usize> = Vec::new();
    for customer in 0..customers {
        let favourites: Vec<usize> = (0..1 + rng.below(3))
            .map(|_| rng.below(CATEGORIES))
            .collect();
        let pace = 0.6 + rng.unit() * 0.8; // how fast this customer drinks their tea
        let orders = 1 + (-(rng.unit().max(1e-9)).ln() * 3.9) as usize;
        // (product, own cadence in days, next due)
        let mut staples: Vec<(usize, i64, i64)> = Vec::new();
        let mut at = START
            + rng.below((SPAN_DAYS * 9 / 10) as usize) as i64 * DAY
            + rng.below(DAY as usize) as i64;
        for _ in 0..orders.min(40) {
            if at >= end {
                break;
            }
            basket.clear();
            for staple in &mut staples {
                if staple.2 <= at + 3 * DAY {
                    basket.push(staple.0);
                    staple.2 = at + (staple.1 as f64 * (0.85 + rng.unit() * 0.3)) as i64 * DAY;
                }
            }
            let explore = if basket.is_empty() {
                1 + rng.below(3)
            } else {
                rng.below(3)
            };
            for _ in 0..explore {
                let product = if rng.chance(0.75) {
                    by_category[favourites[rng.below(favourites.len())]].pick(&mut rng)
                } else {
                    global.pick(&mut rng)
                };
                if catalogue[product].listed > at {
                    continue;
                }
                basket.push(product);
                let complement = catalogue[product].complement;
                if rng.chance(0.3) && catalogue[complement].listed <= at {
                    basket.push(complement);
                }
                let cadence = catalogue[product].cadence;
                if cadence > 0 && rng.chance(0.5) && !staples.iter().any(|s| s.0 == product) {
                    let own = ((cadence as f64 * pace) as i64).max(7);
                    staples.push((product, own, at + own * DAY));
                }
            }
            basket.sort_unstable();
            basket.dedup();
            order_id += 1;
            for &product in &basket {
                let quantity = if catalogue[product].cadence > 0 {
                    1 + rng.below(2)
                } else {
                    1
                };
                writeln!(
                    out,
                    "c{customer:06},o{order_id:08},p{product:06},{at},{quantity},{}",
                    catalogue[product].price
                )?;
            }
            let next_due = staples.iter().map(|s| s.2).min();
            let wander = at + (5.0 + -(rng.unit().max(1e-9)).ln() * 40.0) as i64 * DAY;
            at = match next_due {
                Some(due) if rng.chance(0.8) => due.max(at + DAY) + rng.below(DAY as usize) as i64,
                _ => wander,
            };
        }
    }
    out.flush()
}
