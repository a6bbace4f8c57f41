//! Times reading, parsing and building a model from an order-history CSV, and with
//! `--evaluate` scores it offline; prints the `Evaluation` JSON (`make bench-recs`).
//!
//! `cargo run --release -p comeback-recs --example recs_bench -- orders.csv [--evaluate] [--k 10] [--repeat 3] [--serving]
//!     [--catalogue products.csv] [--set neighbours=100 --set popularity_damping=0.3 ...]`
//! (`--set` overrides a setting, to try tunings; `--repeat` keeps the fastest of that
//! many builds; `--catalogue` gives the products' categories, as `gen_orders` writes them).

use std::time::Instant;

use comeback_recs::{
    evaluate, parse_orders, Evaluation, Kind, Model, OrderRow, ProductCategories, Purchase,
    Request, Settings,
};

fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib * 1024)
        })
        .unwrap_or(0)
}

/// The default settings with each `--set name=value` applied.
fn settings(args: &[String]) -> Result<Settings, Box<dyn std::error::Error>> {
    let mut settings = Settings::default();
    for pair in args.windows(2).filter(|pair| pair[0] == "--set") {
        let (name, value) = pair[1].split_once('=').ok_or("--set takes name=value")?;
        match name {
            "neighbours" => settings.neighbours = value.parse()?,
            "trending_half_life_days" => settings.trending_half_life_days = value.parse()?,
            "new_arrival_days" => settings.new_arrival_days = value.parse()?,
            "history_half_life_days" => settings.history_half_life_days = value.parse()?,
            "popularity_damping" => settings.popularity_damping = value.parse()?,
            "shrinkage" => settings.shrinkage = value.parse()?,
            "two_hop_weight" => settings.two_hop_weight = value.parse()?,
            "two_hop_neighbours" => settings.two_hop_neighbours = value.parse()?,
            "candidate_popularity" => settings.candidate_popularity = value.parse()?,
            "candidate_support" => settings.candidate_support = value.parse()?,
            "profile_match" => settings.profile_match = value.parse()?,
            "profile_match_candidates" => settings.profile_match_candidates = value.parse()?,
            "category_match" => settings.category_match = value.parse()?,
            "category_floor" => settings.category_floor = value.parse()?,
            _ => return Err(format!("no setting {name}").into()),
        }
    }
    Ok(settings)
}

/// Times what the server does after start: builds on all but the file's last 2 000
/// orders, takes those in one by one with `add_order`, then answers a blend and a
/// for-you request for 20 000 customers; prints the times to stderr.
fn serving(rows: &[OrderRow<'_>], categories: &[ProductCategories<'_>], settings: &Settings) {
    let mut orders: Vec<(&str, &str)> = rows
        .iter()
        .map(|row| (&*row.customer, &*row.order))
        .collect();
    orders.dedup();
    let cut = orders.len().saturating_sub(2_000);
    let last: std::collections::HashSet<(&str, &str)> = orders[cut..].iter().copied().collect();
    let now = rows.iter().map(|row| row.created_at).max().unwrap_or(0);
    let (late, early): (Vec<&OrderRow<'_>>, Vec<&OrderRow<'_>>) = rows
        .iter()
        .partition(|row| last.contains(&(&*row.customer, &*row.order)));
    let mut model = Model::build(
        settings.clone(),
        early.iter().map(|row| row.purchase()),
        now,
    );
    model.set_all_categories(categories);
    let mut slowest = 0.0f64;
    let started = Instant::now();
    let mut count = 0;
    for order in late.chunk_by(|a, b| a.order == b.order) {
        let lines: Vec<Purchase<'_>> = order.iter().map(|row| row.purchase()).collect();
        let one = Instant::now();
        model.add_order(&lines, now);
        slowest = slowest.max(one.elapsed().as_secs_f64());
        count += 1;
    }
    let total = started.elapsed().as_secs_f64();
    eprintln!(
        "add_order: {count} orders, {:.0} µs each on average, slowest {:.1} ms",
        total / count.max(1) as f64 * 1e6,
        slowest * 1e3
    );
    let customers: Vec<&str> = rows
        .iter()
        .step_by((rows.len() / 20_000).max(1))
        .map(|row| &*row.customer)
        .collect();
    for kind in [Kind::Blend, Kind::ForYou, Kind::AlsoBought] {
        let started = Instant::now();
        for (customer, row) in customers.iter().zip(rows.iter().rev()) {
            let picks = model.recommend(&Request {
                kind,
                customer: Some(customer),
                product: Some(&row.product),
                exclude: &[],
                limit: 8,
                now,
            });
            std::hint::black_box(picks);
        }
        eprintln!(
            "{}: {:.1} µs per request of 8 ({} requests)",
            kind.as_str(),
            started.elapsed().as_secs_f64() / customers.len() as f64 * 1e6,
            customers.len()
        );
    }
}

/// Each product's categories from a catalogue CSV as `gen_orders --catalogue` writes
/// it (an `id` and a `categories` column, `|` between categories, no quoting).
fn categories(catalogue: &str) -> Result<Vec<ProductCategories<'_>>, Box<dyn std::error::Error>> {
    let mut lines = catalogue.lines();
    let Some(header) = lines.next() else {
        return Ok(Vec::new());
    };
    let column = |name: &str| {
        header
            .split(',')
            .position(|column| column == name)
            .ok_or(format!("the catalogue has no `{name}` column"))
    };
    let (id, categories) = (column("id")?, column("categories")?);
    Ok(lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            let names = fields.get(categories).map_or_else(Vec::new, |field| {
                field.split('|').filter(|name| !name.is_empty()).collect()
            });
            (fields[id], names)
        })
        .collect())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .ok_or("usage: recs_bench FILE.csv [--evaluate] [--k 10]")?;
    let k = args
        .iter()
        .position(|a| a == "--k")
        .and_then(|at| args.get(at + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let settings = settings(&args)?;
    // The machine may be shared: time `--repeat` builds and keep the fastest.
    let repeat: usize = args
        .iter()
        .position(|a| a == "--repeat")
        .and_then(|at| args.get(at + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let catalogue_path = match args.iter().position(|a| a == "--catalogue") {
        Some(at) => Some(args.get(at + 1).ok_or("--catalogue takes a file")?),
        None => None,
    };
    let mut build_seconds = f64::INFINITY;
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        let bytes = std::fs::read(path)?;
        let rows = parse_orders(&bytes)?;
        let parsed = started.elapsed().as_secs_f64();
        let now = rows.iter().map(|row| row.created_at).max().unwrap_or(0);
        let mut model = Model::build(settings.clone(), rows.iter().map(OrderRow::purchase), now);
        // The catalogue's categories are part of a model that could serve.
        let catalogue = match catalogue_path {
            Some(path) => std::fs::read_to_string(path)?,
            None => String::new(),
        };
        model.set_all_categories(&categories(&catalogue)?);
        let seconds = started.elapsed().as_secs_f64();
        build_seconds = build_seconds.min(seconds);
        eprintln!(
            "{} lines, {} products, {} customers: parsed in {parsed:.3} s, built in {seconds:.3} s",
            model.lines(),
            model.products(),
            model.customers()
        );
    }
    let peak = peak_rss_bytes();
    let bytes = std::fs::read(path)?;
    let rows = parse_orders(&bytes)?;
    let catalogue = match catalogue_path {
        Some(path) => std::fs::read_to_string(path)?,
        None => String::new(),
    };
    let categories = categories(&catalogue)?;
    let mut evaluation = if args.iter().any(|a| a == "--evaluate") {
        evaluate(&rows, &categories, &settings, k)
    } else {
        Evaluation {
            customers: 0,
            build_seconds: 0.0,
            peak_rss_bytes: 0,
            kinds: Vec::new(),
        }
    };
    if args.iter().any(|a| a == "--serving") {
        serving(&rows, &categories, &settings);
    }
    evaluation.build_seconds = build_seconds;
    evaluation.peak_rss_bytes = peak;
    println!("{}", serde_json::to_string(&evaluation)?);
    Ok(())
}
