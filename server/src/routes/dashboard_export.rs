//! Tables as downloadable files: CSV (with the cells a spreadsheet would run as a
//! formula made plain text) and Excel workbooks.

use rust_xlsxwriter::Workbook;

use crate::error::AppError;

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text, written as text.
    Text(String),
    /// A whole number.
    Number(i64),
}

/// The characters a spreadsheet reads as the start of a formula (or that hide one).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` made safe to open in a spreadsheet: a leading `'` when it starts like a
/// formula (OWASP's advice against CSV injection).
pub fn defuse(text: &str) -> String {
    if text.starts_with(FORMULA_STARTS) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The table as CSV with a header line.
pub fn csv<const N: usize>(header: &[&str; N], rows: &[[Cell; N]]) -> Result<Vec<u8>, AppError> {
    let failed = |error: csv::Error| AppError::Internal(format!("CSV export: {error}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(failed)?;
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| match cell {
                Cell::Text(text) => defuse(text),
                Cell::Number(number) => number.to_string(),
            }))
            .map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|error| AppError::Internal(format!("CSV export: {error}")))
}

/// The table as an Excel workbook of one sheet named `sheet`, with a header row.
pub fn xlsx<const N: usize>(
    sheet: &str,
    header: &[&str; N],
    rows: &[[Cell; N]],
) -> Result<Vec<u8>, AppError> {
    let failed =
        |error: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx export: {error}"));
    let mut workbook = Workbook::new();
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet).map_err(failed)?;
    for (col, name) in (0u16..).zip(header) {
        worksheet.write_string(0, col, *name).map_err(failed)?;
    }
    for (row, cells) in (1u32..).zip(rows) {
        for (col, cell) in (0u16..).zip(cells) {
            match cell {
                // Written as strings, never as formulas, so nothing needs defusing.
                Cell::Text(text) => worksheet.write_string(row, col, text),
                Cell::Number(number) => worksheet.write_number(row, col, *number as f64),
            }
            .map_err(failed)?;
        }
    }
    workbook.save_to_buffer().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_defused() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("+1"), "'+1");
        assert_eq!(defuse("-2"), "'-2");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("ada@example.com"), "ada@example.com");
        assert_eq!(defuse(""), "");
    }

    #[test]
    fn csv_quotes_and_defuses() {
        let rows = [[Cell::Text("=1+1".into()), Cell::Number(-5)]];
        let bytes = csv(&["a", "b"], &rows).unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), "a,b\n'=1+1,-5\n");
    }
}
