//! `comeback-server recs evaluate`: replays a shop's order-history CSV through the
//! recommendation engine (`comeback-recs`) with each customer's last order held out,
//! and prints recall and NDCG per kind with the build time and peak memory.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::Subcommand;
use comeback_core::catalogue::Product;
use comeback_recs::{
    evaluate, parse_orders, Evaluation, Model, OrderRow, ProductCategories, Settings, MAX_PROBLEMS,
};

use crate::import::parse_products;

/// What `recs` does.
#[derive(Debug, Subcommand)]
pub enum RecsCommand {
    /// Hold out each customer's last order, train on the rest, and score every kind;
    /// also times reading, parsing and building a model from the whole file.
    Evaluate {
        /// The order history: `customer_id,order_id,product_id,created_at` (any order,
        /// optional `quantity`, `unit_price`).
        #[arg(long)]
        orders: PathBuf,
        /// The shop's products, as `import products` takes them (CSV or JSON lines):
        /// their categories let for-you prefer a customer's kinds of goods.
        #[arg(long)]
        products: Option<PathBuf>,
        /// Print the result as JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// How many picks each list is scored on.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=1000))]
        k: u16,
    },
}

/// Runs a `recs` subcommand.
pub fn run(what: RecsCommand) -> anyhow::Result<()> {
    match what {
        RecsCommand::Evaluate {
            orders,
            products,
            json,
            k,
        } => {
            let evaluation = evaluate_file(&orders, products.as_deref(), usize::from(k))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&evaluation)?);
            } else {
                print!("{}", table(&evaluation, usize::from(k)));
            }
            Ok(())
        }
    }
}

/// The products of a catalogue file (`.csv`, or JSON lines otherwise), refused whole
/// with every bad row's problem.
fn read_products(path: &Path) -> anyhow::Result<Vec<Product>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let csv = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("csv"));
    let products = parse_products(&text, csv).map_err(|problems| {
        let mut shown = problems[..problems.len().min(MAX_PROBLEMS)].join("\n");
        if problems.len() > MAX_PROBLEMS {
            shown.push_str(&format!("\n… and {} more", problems.len() - MAX_PROBLEMS));
        }
        anyhow::anyhow!("{} is not a valid product file:\n{shown}", path.display())
    })?;
    Ok(products.into_iter().map(|(_, product)| product).collect())
}

/// Reads, parses and builds (timed: `build_seconds`, the catalogue's categories
/// included), then evaluates.
fn evaluate_file(path: &Path, products: Option<&Path>, k: usize) -> anyhow::Result<Evaluation> {
    let started = Instant::now();
    let products = match products {
        Some(products) => read_products(products)?,
        None => Vec::new(),
    };
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let rows = parse_orders(&bytes).map_err(|error| {
        anyhow::anyhow!("{} is not a valid order history:\n{error}", path.display())
    })?;
    let now = rows.iter().map(|row| row.created_at).max().unwrap_or(0);
    let categories: Vec<ProductCategories<'_>> = products
        .iter()
        .map(|product| {
            let names = product.categories.iter().map(String::as_str).collect();
            (product.id.as_str(), names)
        })
        .collect();
    let mut model = Model::build(
        Settings::default(),
        rows.iter().map(OrderRow::purchase),
        now,
    );
    model.set_all_categories(&categories);
    let build_seconds = started.elapsed().as_secs_f64();
    drop(model);
    let mut evaluation = evaluate(&rows, &categories, &Settings::default(), k);
    evaluation.build_seconds = build_seconds;
    evaluation.peak_rss_bytes = peak_rss_bytes().unwrap_or(0);
    Ok(evaluation)
}

/// The process's peak resident memory (`VmHWM`), on Linux.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn table(evaluation: &Evaluation, k: usize) -> String {
    let mut out = format!(
        "{} customers evaluated (last order held out); built in {:.3} s, peak memory {:.0} MiB\n\n",
        evaluation.customers,
        evaluation.build_seconds,
        evaluation.peak_rss_bytes as f64 / (1024.0 * 1024.0)
    );
    out.push_str(&format!(
        "{:<14} {:>11} {:>11} {:>11} {:>11}\n",
        "kind",
        format!("recall@{k}"),
        format!("ndcg@{k}"),
        format!("new rec@{k}"),
        format!("new ndcg@{k}"),
    ));
    for (kind, scores) in &evaluation.kinds {
        out.push_str(&format!(
            "{:<14} {:>11.4} {:>11.4} {:>11.4} {:>11.4}\n",
            kind.as_str(),
            scores.all.recall,
            scores.all.ndcg,
            scores.new.recall,
            scores.new.ndcg
        ));
    }
    out
}
