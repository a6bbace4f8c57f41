//! `comeback-server import products FILE --shop ID`: loads a product catalogue from a
//! CSV file (`.csv`) or JSON lines (anything else: one product object per line, as the
//! products webhook takes them). Every row is checked first, with the same rules as the
//! webhook; if any is bad, each bad row is reported by line and field and nothing is
//! imported. Importing the same file again changes nothing.

use std::path::Path;

use comeback_core::catalogue::Product;
use comeback_core::LocalizedText;
use serde::Deserialize;

use crate::routes::catalogue::check_product;
use crate::store::{Store, StoreError};

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportRun {
    /// Products read.
    pub read: usize,
    /// Products that changed the catalogue (the others were repeats or older).
    pub changed: usize,
}

/// Why an import stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("cannot read {path}: {error}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        error: std::io::Error,
    },
    /// Rows are bad; each message names the line and the field.
    #[error("nothing was imported; fix these rows:\n{}", .0.join("\n"))]
    Rows(Vec<String>),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A row of the CSV format: the product's fields flattened, locales as columns,
/// `categories` separated by `|`, `in_stock` as `true`/`false` (or `1`/`0`, `yes`/`no`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CsvRow {
    id: String,
    title: String,
    #[serde(default)]
    title_zh_hans: Option<String>,
    #[serde(default)]
    title_zh_hant: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    description_zh_hans: Option<String>,
    #[serde(default)]
    description_zh_hant: Option<String>,
    price: i64,
    #[serde(default)]
    compare_at_price: Option<i64>,
    url: String,
    #[serde(default)]
    image: Option<String>,
    in_stock: String,
    #[serde(default)]
    categories: Option<String>,
    updated_at: String,
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|value| !value.trim().is_empty())
}

impl CsvRow {
    fn into_product(self) -> Result<Product, String> {
        let in_stock = match self.in_stock.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => true,
            "false" | "0" | "no" => false,
            other => return Err(format!("`in_stock` must be true or false, not `{other}`")),
        };
        let description = non_empty(self.description).map(|en| LocalizedText {
            en,
            zh_hans: non_empty(self.description_zh_hans),
            zh_hant: non_empty(self.description_zh_hant),
        });
        Ok(Product {
            id: self.id,
            title: LocalizedText {
                en: self.title,
                zh_hans: non_empty(self.title_zh_hans),
                zh_hant: non_empty(self.title_zh_hant),
            },
            description,
            price: self.price,
            compare_at_price: self.compare_at_price,
            url: self.url,
            image: non_empty(self.image),
            in_stock,
            categories: non_empty(self.categories)
                .map(|list| list.split('|').map(|c| c.trim().to_owned()).collect())
                .unwrap_or_default(),
            updated_at: self.updated_at,
        })
    }
}

/// Reads the products of `text` with the line each came from, or every bad row's
/// problem.
pub fn parse_products(text: &str, csv: bool) -> Result<Vec<(usize, Product)>, Vec<String>> {
    let mut products = Vec::new();
    let mut problems = Vec::new();
    if csv {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        for row in reader.deserialize::<CsvRow>() {
            match row {
                Ok(row) => {
                    // Line of the row: the header is line 1.
                    let line = products.len() + problems.len() + 2;
                    match row.into_product() {
                        Ok(product) => products.push((line, product)),
                        Err(problem) => problems.push(format!("line {line}: {problem}")),
                    }
                }
                Err(error) => {
                    let line = error.position().map_or(0, |position| position.line());
                    problems.push(format!("line {line}: {error}"));
                }
            }
        }
    } else {
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Product>(line) {
                Ok(product) => products.push((index + 1, product)),
                Err(error) => problems.push(format!("line {}: {error}", index + 1)),
            }
        }
    }
    for (line, product) in &products {
        if let Err(error) = check_product(product, "") {
            problems.push(format!("line {line}: {error}"));
        }
    }
    if problems.is_empty() {
        Ok(products)
    } else {
        problems.sort_by_key(|problem| {
            problem
                .split(':')
                .next()
                .and_then(|head| head.trim_start_matches("line ").parse::<usize>().ok())
                .unwrap_or(0)
        });
        Err(problems)
    }
}

/// Imports the products of `path` into `shop_id`.
pub async fn import_products(
    store: &Store,
    shop_id: &str,
    path: &Path,
    now: i64,
) -> Result<ImportRun, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|error| ImportError::Read {
        path: path.display().to_string(),
        error,
    })?;
    let csv = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("csv"));
    let products = parse_products(&text, csv).map_err(ImportError::Rows)?;
    let mut changed = 0;
    for (_, product) in &products {
        let updated_at = check_product(product, "")
            .map_err(|error| ImportError::Rows(vec![error.to_string()]))?;
        if store
            .upsert_product(shop_id, product, updated_at, now)
            .await?
        {
            changed += 1;
        }
    }
    Ok(ImportRun {
        read: products.len(),
        changed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "id,title,title_zh_hans,price,compare_at_price,url,image,in_stock,categories,updated_at\n\
        oolong,Wuyi oolong,武夷岩茶,12800,,/p/oolong,,true,oolong|tea,2027-03-01T08:00:00Z\n\
        gaiwan,Gaiwan,,14000,16000,https://shop.example/p/gaiwan,/img/g.jpg,no,,2027-03-01T08:00:00Z\n";

    #[test]
    fn csv_rows_become_products() {
        let products = parse_products(CSV, true).unwrap();
        assert_eq!(products.len(), 2);
        let (line, oolong) = &products[0];
        assert_eq!(*line, 2);
        assert_eq!(oolong.title.zh_hans.as_deref(), Some("武夷岩茶"));
        assert_eq!(oolong.categories, ["oolong", "tea"]);
        assert!(oolong.in_stock && oolong.image.is_none());
        assert_eq!(products[1].1.compare_at_price, Some(16000));
        assert!(!products[1].1.in_stock);
    }

    #[test]
    fn bad_rows_are_named_by_line_and_field() {
        let bad = CSV.replace(",true,", ",maybe,").replace("14000", "-1");
        let problems = parse_products(&bad, true).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("line 2:") && problems[0].contains("in_stock"));
        assert!(problems[1].starts_with("line 3:") && problems[1].contains("`price`"));
    }

    #[test]
    fn json_lines_are_products() {
        let text = "{\"id\":\"a\",\"title\":{\"en\":\"A\"},\"price\":1,\"url\":\"/a\",\"in_stock\":true,\"updated_at\":\"2027-03-01T08:00:00Z\"}\n\n{\"id\":\"b\"}\n";
        let problems = parse_products(text, false).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("line 3:"), "{problems:?}");
        assert_eq!(
            parse_products(text.lines().next().unwrap(), false)
                .unwrap()
                .len(),
            1
        );
    }
}
