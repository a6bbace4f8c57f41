//! `comeback-server import orders FILE --shop ID`: brings a shop's past orders in from
//! a CSV file or an Excel workbook (`.xlsx`, its first sheet), where many small shops
//! keep their records, so recommendations know the history from the first day.
//!
//! Columns (by header, any order): `customer_id`, `order_id`, `product_id`, `created_at`
//! (Unix seconds or RFC 3339; in a workbook a date cell works too), optional `quantity`
//! and `unit_price` (minor units). One row per order line; the rows of one order must
//! agree on its customer and time. Every row is checked first: if any is bad, each
//! problem is reported by line and nothing is imported. Imported orders earn no points
//! and send no webhooks; importing the same file again changes nothing.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::Path;

use comeback_core::api::OrderLine;
use comeback_recs::OrderRow;

use crate::store::{ImportedOrder, Store, StoreError};

/// Orders stored per transaction.
const BATCH: usize = 1000;

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrdersRun {
    /// Lines read.
    pub lines: usize,
    /// Orders read.
    pub orders: usize,
    /// Orders the shop did not have yet.
    pub stored: usize,
}

/// Why an import stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum OrdersImportError {
    /// The file could not be read.
    #[error("cannot read {path}: {error}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        error: String,
    },
    /// Rows are bad; each message names the line.
    #[error("nothing was imported; fix these rows:\n{}", .0.join("\n"))]
    Rows(Vec<String>),
    /// The database failed (orders of earlier batches stay imported; running the
    /// import again finishes it).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The file's text as CSV: a CSV file as it is, a workbook's first sheet converted.
pub fn read_as_csv(path: &Path) -> Result<Vec<u8>, OrdersImportError> {
    let unreadable = |error: String| OrdersImportError::Read {
        path: path.display().to_string(),
        error,
    };
    let is_xlsx = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        return std::fs::read(path).map_err(|error| unreadable(error.to_string()));
    }
    use calamine::{open_workbook, Reader, Xlsx};
    let mut workbook: Xlsx<_> =
        open_workbook(path).map_err(|error: calamine::XlsxError| unreadable(error.to_string()))?;
    let sheet = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("the workbook has no sheet".into()))?
        .map_err(|error| unreadable(error.to_string()))?;
    let mut csv = Vec::new();
    for row in sheet.rows() {
        let fields: Vec<String> = row
            .iter()
            .map(cell_text)
            .map(|text| quoted(&text))
            .collect();
        csv.extend_from_slice(fields.join(",").as_bytes());
        csv.push(b'\n');
    }
    Ok(csv)
}

/// A cell as the CSV format writes it: whole numbers without a fraction, a date as
/// Unix seconds (the workbook's dates have no zone: they are read as UTC).
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(number) => number.to_string(),
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 9.0e15 => {
            format!("{number:.0}")
        }
        Data::Float(number) => number.to_string(),
        Data::Bool(value) => value.to_string(),
        Data::DateTime(date) => {
            // Days since 1899-12-30 (Excel's epoch), the Unix epoch being day 25569.
            let seconds = ((date.as_f64() - 25_569.0) * 86_400.0).round();
            format!("{seconds:.0}")
        }
        Data::Error(error) => format!("#{error:?}"),
    }
}

fn quoted(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The rows grouped into orders, or every row that disagrees with its order.
pub fn orders_of(rows: &[OrderRow<'_>]) -> Result<Vec<ImportedOrder>, Vec<String>> {
    let mut orders: Vec<ImportedOrder> = Vec::new();
    let mut first_line: Vec<usize> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut problems = Vec::new();
    for row in rows {
        let line = OrderLine {
            product_id: row.product.to_string(),
            quantity: i64::from(row.quantity),
            unit_price: row.unit_price.unwrap_or(0),
            subscription: None,
        };
        match index.get(&*row.order) {
            Some(&at) => {
                let order = &mut orders[at];
                if order.customer_id != *row.customer || order.placed_at != row.created_at {
                    problems.push(format!(
                        "line {}: order `{}` has another customer or time on line {}; the lines of one order must agree",
                        row.line, row.order, first_line[at]
                    ));
                }
                order.lines.push(line);
            }
            None => {
                index.insert(&row.order, orders.len());
                first_line.push(row.line);
                orders.push(ImportedOrder {
                    order_id: row.order.to_string(),
                    customer_id: row.customer.to_string(),
                    placed_at: row.created_at,
                    lines: vec![line],
                });
            }
        }
    }
    if problems.is_empty() {
        Ok(orders)
    } else {
        Err(problems)
    }
}

/// Imports the orders of `path` into `shop_id`, showing progress on a terminal.
pub async fn import_orders(
    store: &Store,
    shop_id: &str,
    currency: &str,
    path: &Path,
    now: i64,
) -> Result<OrdersRun, OrdersImportError> {
    let csv = read_as_csv(path)?;
    let rows = comeback_recs::parse_orders(&csv)
        .map_err(|error| OrdersImportError::Rows(vec![error.to_string()]))?;
    let orders = orders_of(&rows).map_err(OrdersImportError::Rows)?;
    let mut progress = Progress::new(orders.len());
    let mut stored = 0;
    for batch in orders.chunks(BATCH) {
        stored += store.import_orders(shop_id, currency, batch, now).await?;
        progress.advance(batch.len());
    }
    progress.finish();
    Ok(OrdersRun {
        lines: rows.len(),
        orders: orders.len(),
        stored,
    })
}

/// A one-line progress bar on standard error, only when it is a terminal.
struct Progress {
    total: usize,
    done: usize,
    shown: bool,
}

impl Progress {
    fn new(total: usize) -> Progress {
        Progress {
            total,
            done: 0,
            shown: std::io::stderr().is_terminal() && total > 0,
        }
    }

    fn advance(&mut self, by: usize) {
        self.done += by;
        if !self.shown {
            return;
        }
        let width = 30;
        let filled = self.done * width / self.total.max(1);
        let bar: String = "#".repeat(filled) + &" ".repeat(width - filled);
        let mut stderr = std::io::stderr();
        let _ = write!(
            stderr,
            "\r[{bar}] {}/{} orders ({}%)",
            self.done,
            self.total,
            self.done * 100 / self.total.max(1)
        );
        let _ = stderr.flush();
    }

    fn finish(&self) {
        if self.shown {
            eprintln!();
        }
    }
}
