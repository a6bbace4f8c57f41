//! The order-history CSV a shop exports: one line per order line, read without copying
//! (only quoted fields with `""` escapes are copied). Hand-written rather than the `csv`
//! crate so rows borrow from the input and a million lines parse in a few tens of
//! milliseconds; the format is the common one (RFC 4180 quoting, CRLF or LF, a UTF-8
//! byte-order mark).

use std::borrow::Cow;
use std::fmt;

use crate::{Purchase, MAX_ID_CHARS};

/// Most problems one [`CsvError`] lists before parsing stops.
pub const MAX_PROBLEMS: usize = 20;

/// One order line read from the CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRow<'a> {
    /// Its line in the file (the header is line 1).
    pub line: usize,
    /// `customer_id`.
    pub customer: Cow<'a, str>,
    /// `order_id`.
    pub order: Cow<'a, str>,
    /// `product_id`.
    pub product: Cow<'a, str>,
    /// `quantity`, 1 when the column or the cell is missing.
    pub quantity: u32,
    /// `unit_price` in minor units, when given.
    pub unit_price: Option<i64>,
    /// `created_at`, Unix seconds.
    pub created_at: i64,
}

impl OrderRow<'_> {
    /// The row as the model takes it.
    pub fn purchase(&self) -> Purchase<'_> {
        Purchase {
            customer: &self.customer,
            order: &self.order,
            product: &self.product,
            quantity: self.quantity,
            at: self.created_at,
        }
    }
}

impl<'b> From<&'b OrderRow<'_>> for Purchase<'b> {
    fn from(row: &'b OrderRow<'_>) -> Purchase<'b> {
        row.purchase()
    }
}

/// What is wrong with one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The line (the header is line 1).
    pub line: usize,
    /// The column, when the problem is one cell.
    pub column: Option<&'static str>,
    /// What is wrong, in plain words, naming the column.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Why a CSV was not read: its problems, one per line of the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CsvError {
    /// The problems found, in file order, at most [`MAX_PROBLEMS`].
    pub problems: Vec<Problem>,
    /// Whether parsing stopped at [`MAX_PROBLEMS`] (there may be more).
    pub stopped: bool,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        if self.stopped {
            write!(f, "\n(stopped after {MAX_PROBLEMS} problems)")?;
        }
        Ok(())
    }
}

/// The columns the file must have, then the optional ones.
const CUSTOMER: &str = "customer_id";
const ORDER: &str = "order_id";
const PRODUCT: &str = "product_id";
const CREATED_AT: &str = "created_at";
const QUANTITY: &str = "quantity";
const UNIT_PRICE: &str = "unit_price";

/// Where each column sits in a record.
struct Columns {
    customer: usize,
    order: usize,
    product: usize,
    created_at: usize,
    quantity: Option<usize>,
    unit_price: Option<usize>,
    count: usize,
}

/// Reads an order-history CSV: a header naming `customer_id`, `order_id`, `product_id`
/// and `created_at` (Unix seconds or RFC 3339) in any order, optionally `quantity` (a
/// positive whole number, default 1) and `unit_price` (minor units, 0 or more); other
/// columns are ignored, blank lines skipped.
pub fn parse_orders(csv: &[u8]) -> Result<Vec<OrderRow<'_>>, CsvError> {
    let mut problems = Problems::default();
    let text = match std::str::from_utf8(csv) {
        Ok(text) => text,
        Err(error) => {
            let line = 1 + csv[..error.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            problems.push(line, None, "is not UTF-8 text".to_owned());
            return Err(problems.into_error());
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Records {
        text,
        at: 0,
        line: 1,
    };
    let mut fields: Vec<Cow<'_, str>> = Vec::new();
    let columns = match records.next(&mut fields) {
        None => {
            problems.push(
                1,
                None,
                "the file is empty: it needs a header line".to_owned(),
            );
            return Err(problems.into_error());
        }
        Some(Err(problem)) => {
            problems.0.push(problem);
            return Err(problems.into_error());
        }
        Some(Ok(_)) => match header(&fields) {
            Ok(columns) => columns,
            Err(message) => {
                problems.push(1, None, message);
                return Err(problems.into_error());
            }
        },
    };
    let body = &text[records.at..];
    let first_line = records.line;
    // Two halves on two threads when no quoted field can span the cut; a line's
    // number is the lines before it, counted fast.
    let cut = (body.len() > PARALLEL_FROM && memchr::memchr(b'"', body.as_bytes()).is_none())
        .then(|| memchr::memchr(b'\n', &body.as_bytes()[body.len() / 2..]))
        .flatten()
        .map(|offset| body.len() / 2 + offset + 1);
    let (mut rows, found) = match cut {
        None => read_rows(body, first_line, &columns),
        Some(cut) => {
            let (head, tail) = body.split_at(cut);
            let tail_line = first_line + memchr::memchr_iter(b'\n', head.as_bytes()).count();
            let ((mut rows, mut found), (more_rows, more_found)) = std::thread::scope(|scope| {
                let tail = scope.spawn(|| read_rows(tail, tail_line, &columns));
                let head = read_rows(head, first_line, &columns);
                match tail.join() {
                    Ok(tail) => (head, tail),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            });
            rows.extend(more_rows);
            found.0.extend(more_found.0);
            (rows, found)
        }
    };
    if found.0.is_empty() {
        rows.shrink_to_fit();
        Ok(rows)
    } else {
        Err(found.into_error())
    }
}

/// Bodies larger than this many bytes are read on two threads.
const PARALLEL_FROM: usize = 1 << 20;

/// The rows of `body` (records after the header), its first line numbered `line`.
fn read_rows<'a>(body: &'a str, line: usize, columns: &Columns) -> (Vec<OrderRow<'a>>, Problems) {
    let mut problems = Problems::default();
    let mut records = Records {
        text: body,
        at: 0,
        line,
    };
    let mut fields: Vec<Cow<'a, str>> = Vec::new();
    let mut rows = Vec::with_capacity(body.len() / 40);
    while let Some(record) = records.next(&mut fields) {
        let line = match record {
            Ok(line) => line,
            Err(problem) => {
                problems.0.push(problem);
                break;
            }
        };
        if fields.len() == 1 && fields[0].is_empty() {
            continue;
        }
        if let Some(row) = row(line, &mut fields, columns, &mut problems) {
            rows.push(row);
        }
        if problems.full() {
            break;
        }
    }
    (rows, problems)
}

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn push(&mut self, line: usize, column: Option<&'static str>, message: String) {
        self.0.push(Problem {
            line,
            column,
            message,
        });
    }

    fn full(&self) -> bool {
        self.0.len() >= MAX_PROBLEMS
    }

    fn into_error(mut self) -> CsvError {
        let stopped = self.0.len() >= MAX_PROBLEMS;
        self.0.truncate(MAX_PROBLEMS);
        CsvError {
            problems: self.0,
            stopped,
        }
    }
}

fn header(fields: &[Cow<'_, str>]) -> Result<Columns, String> {
    let find = |name: &str| {
        fields
            .iter()
            .position(|field| field.trim().eq_ignore_ascii_case(name))
    };
    let required = [CUSTOMER, ORDER, PRODUCT, CREATED_AT].map(|name| (name, find(name)));
    let missing: Vec<&str> = required
        .iter()
        .filter(|(_, at)| at.is_none())
        .map(|(name, _)| *name)
        .collect();
    match (required, missing.as_slice()) {
        ([(_, Some(customer)), (_, Some(order)), (_, Some(product)), (_, Some(created_at))], _) => {
            Ok(Columns {
                customer,
                order,
                product,
                created_at,
                quantity: find(QUANTITY),
                unit_price: find(UNIT_PRICE),
                count: fields.len(),
            })
        }
        (_, [one]) => Err(format!("the header has no {one} column")),
        (_, many) => Err(format!("the header has no {} columns", many.join(", "))),
    }
}

/// Checks one record; pushes its problems and returns `None` when it has any.
fn row<'a>(
    line: usize,
    fields: &mut [Cow<'a, str>],
    columns: &Columns,
    problems: &mut Problems,
) -> Option<OrderRow<'a>> {
    if fields.len() != columns.count {
        problems.push(
            line,
            None,
            format!(
                "has {} fields, the header has {}",
                fields.len(),
                columns.count
            ),
        );
        return None;
    }
    let before = problems.0.len();
    for (name, at) in [
        (CUSTOMER, columns.customer),
        (ORDER, columns.order),
        (PRODUCT, columns.product),
    ] {
        let id = &fields[at];
        if id.is_empty() {
            problems.push(line, Some(name), format!("{name} is empty"));
        } else if id.len() > MAX_ID_CHARS && id.chars().count() > MAX_ID_CHARS {
            problems.push(
                line,
                Some(name),
                format!(
                    "{name} is {} characters long, the most is {MAX_ID_CHARS}",
                    id.chars().count()
                ),
            );
        }
    }
    let created_at = created_at(&fields[columns.created_at]);
    if created_at.is_none() {
        problems.push(
            line,
            Some(CREATED_AT),
            format!(
                "{CREATED_AT} {:?} is neither Unix seconds nor an RFC 3339 time",
                fields[columns.created_at].as_ref()
            ),
        );
    }
    let quantity = match columns.quantity.map(|at| fields[at].trim()) {
        None | Some("") => Some(1),
        Some(text) => text.parse::<u32>().ok().filter(|&quantity| quantity > 0),
    };
    if quantity.is_none() {
        let text = columns.quantity.map_or("", |at| fields[at].as_ref());
        problems.push(
            line,
            Some(QUANTITY),
            format!("{QUANTITY} {text:?} is not a whole number of at least 1"),
        );
    }
    let unit_price = match columns.unit_price.map(|at| fields[at].trim()) {
        None | Some("") => Ok(None),
        Some(text) => match text.parse::<i64>() {
            Ok(price) if price >= 0 => Ok(Some(price)),
            _ => Err(text),
        },
    };
    let unit_price = match unit_price {
        Ok(price) => price,
        Err(text) => {
            problems.push(
                line,
                Some(UNIT_PRICE),
                format!("{UNIT_PRICE} {text:?} is not a whole number of minor units (0 or more)"),
            );
            None
        }
    };
    if problems.0.len() > before {
        return None;
    }
    let mut take = |at: usize| std::mem::take(&mut fields[at]);
    Some(OrderRow {
        line,
        customer: take(columns.customer),
        order: take(columns.order),
        product: take(columns.product),
        quantity: quantity.unwrap_or(1),
        unit_price,
        created_at: created_at.unwrap_or(0),
    })
}

fn created_at(text: &str) -> Option<i64> {
    let text = text.trim();
    let digits = text.strip_prefix('-').unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    crate::rfc3339::parse(text)
}

/// The records of a CSV text, each with the line it starts on.
struct Records<'a> {
    text: &'a str,
    at: usize,
    line: usize,
}

impl<'a> Records<'a> {
    /// Reads the next record into `fields`: its first line, a problem (an unclosed or
    /// misplaced quote, after which reading stops), or `None` at the end.
    fn next(&mut self, fields: &mut Vec<Cow<'a, str>>) -> Option<Result<usize, Problem>> {
        let bytes = self.text.as_bytes();
        if self.at >= bytes.len() {
            return None;
        }
        fields.clear();
        let start_line = self.line;
        loop {
            if bytes.get(self.at) == Some(&b'"') {
                match self.quoted() {
                    Ok(field) => fields.push(field),
                    Err(message) => {
                        self.at = bytes.len();
                        return Some(Err(Problem {
                            line: start_line,
                            column: None,
                            message,
                        }));
                    }
                }
            } else {
                let rest = &bytes[self.at..];
                let end = memchr::memchr2(b',', b'\n', rest).unwrap_or(rest.len());
                let mut field = &self.text[self.at..self.at + end];
                if rest.get(end) != Some(&b',') {
                    field = field.strip_suffix('\r').unwrap_or(field);
                }
                fields.push(Cow::Borrowed(field));
                self.at += end;
            }
            match bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'\n') => {
                    self.at += 1;
                    self.line += 1;
                    return Some(Ok(start_line));
                }
                _ => return Some(Ok(start_line)),
            }
        }
    }

    /// A quoted field starting at `self.at`; leaves `self.at` after its closing quote
    /// (and a `\r` before the line end).
    fn quoted(&mut self) -> Result<Cow<'a, str>, String> {
        let bytes = self.text.as_bytes();
        let start = self.at + 1;
        let mut at = start;
        let mut owned: Option<String> = None;
        let mut piece = start;
        loop {
            let Some(offset) = memchr::memchr(b'"', &bytes[at..]) else {
                return Err("a quoted field is never closed".to_owned());
            };
            self.line += bytes[at..at + offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            at += offset;
            if bytes.get(at + 1) == Some(&b'"') {
                owned
                    .get_or_insert_with(String::new)
                    .push_str(&self.text[piece..=at]);
                at += 2;
                piece = at;
                continue;
            }
            let field = match owned {
                Some(mut text) => {
                    text.push_str(&self.text[piece..at]);
                    Cow::Owned(text)
                }
                None => Cow::Borrowed(&self.text[start..at]),
            };
            at += 1;
            if bytes.get(at) == Some(&b'\r') && bytes.get(at + 1) == Some(&b'\n') {
                at += 1;
            }
            if !matches!(bytes.get(at), None | Some(b',' | b'\n')) {
                return Err(
                    "has text after a closing quote (write a quote inside a quoted field as \"\")"
                        .to_owned(),
                );
            }
            self.at = at;
            return Ok(field);
        }
    }
}
