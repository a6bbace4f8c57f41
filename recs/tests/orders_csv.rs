//! The order-history CSV: the format's corners and every problem it reports.

use std::borrow::Cow;

use comeback_recs::{parse_orders, CsvError, OrderRow, Purchase, MAX_PROBLEMS};

fn problems(csv: &str) -> Vec<String> {
    match parse_orders(csv.as_bytes()) {
        Ok(rows) => panic!("expected problems, read {rows:?}"),
        Err(error) => error.problems.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn columns_in_any_order_with_others_ignored_and_defaults() {
    let csv = "note,created_at,product_id,order_id,customer_id\r\n\
               hello,1700000000,tea,o1,alice\r\n\
               ,2026-03-01T08:00:00Z,pot,o2,bob\r\n\
               \r\n";
    let rows = parse_orders(csv.as_bytes()).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0],
        OrderRow {
            line: 2,
            customer: Cow::Borrowed("alice"),
            order: Cow::Borrowed("o1"),
            product: Cow::Borrowed("tea"),
            quantity: 1,
            unit_price: None,
            created_at: 1_700_000_000,
        }
    );
    assert_eq!(rows[1].created_at, 1_772_352_000);
    assert_eq!(rows[1].line, 3);
    assert_eq!(
        rows[1].purchase(),
        Purchase {
            customer: "bob",
            order: "o2",
            product: "pot",
            quantity: 1,
            at: 1_772_352_000,
        }
    );
    assert_eq!(Purchase::from(&rows[0]).product, "tea");
}

#[test]
fn quantity_price_bom_offsets_and_quotes() {
    let csv = "\u{feff}customer_id,order_id,product_id,created_at,quantity,unit_price\n\
               \"alice\",o1,\"Tea, \"\"green\"\"\",2026-03-01T16:00:00+08:00,3,1250\n\
               bob,o2,\"two\nlines\",-5,,\n\
               carol,o3,cups,2026-03-01T03:30:00.25-04:30,1,0";
    let rows = parse_orders(csv.as_bytes()).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].customer, Cow::<str>::Borrowed("alice"));
    assert!(
        matches!(rows[0].customer, Cow::Borrowed(_)),
        "a quoted field without escapes borrows"
    );
    assert_eq!(rows[0].product, "Tea, \"green\"");
    assert!(matches!(rows[0].product, Cow::Owned(_)));
    assert_eq!((rows[0].quantity, rows[0].unit_price), (3, Some(1250)));
    assert_eq!(rows[0].created_at, 1_772_352_000);
    assert_eq!(rows[1].product, "two\nlines");
    assert_eq!(
        (rows[1].quantity, rows[1].unit_price, rows[1].created_at),
        (1, None, -5)
    );
    // The quoted line break makes carol's row line 5.
    assert_eq!(rows[2].line, 5);
    assert_eq!(
        (rows[2].created_at, rows[2].unit_price),
        (1_772_352_000, Some(0))
    );
}

#[test]
fn a_header_alone_is_no_rows() {
    let rows = parse_orders(b"customer_id,order_id,product_id,created_at\n").unwrap();
    assert!(rows.is_empty());
}

#[test]
fn header_problems() {
    assert_eq!(
        problems(""),
        ["line 1: the file is empty: it needs a header line"]
    );
    assert_eq!(
        problems("customer_id,order_id,product,created_at\n"),
        ["line 1: the header has no product_id column"]
    );
    assert_eq!(
        problems("customer,order_id,when\n"),
        ["line 1: the header has no customer_id, product_id, created_at columns"]
    );
}

#[test]
fn every_cell_problem_names_its_line_and_column() {
    let long = "x".repeat(129);
    let csv = format!(
        "customer_id,order_id,product_id,created_at,quantity,unit_price\n\
         alice,o1,tea,yesterday,1,100\n\
         ,o2,tea,1700000000,1,100\n\
         bob,o3,{long},1700000000,0,100\n\
         bob,o4,tea,1700000000,two,-1\n\
         bob,o5,tea\n\
         carol,o6,tea,1700000000,1,1\n"
    );
    assert_eq!(
        problems(&csv),
        [
            r#"line 2: created_at "yesterday" is neither Unix seconds nor an RFC 3339 time"#,
            "line 3: customer_id is empty",
            "line 4: product_id is 129 characters long, the most is 128",
            r#"line 4: quantity "0" is not a whole number of at least 1"#,
            r#"line 5: quantity "two" is not a whole number of at least 1"#,
            r#"line 5: unit_price "-1" is not a whole number of minor units (0 or more)"#,
            "line 6: has 3 fields, the header has 6",
        ]
    );
    let error = parse_orders(csv.as_bytes()).unwrap_err();
    assert_eq!(error.problems[0].column, Some("created_at"));
    assert_eq!(error.problems[6].column, None);
    assert!(!error.stopped);
}

#[test]
fn ids_count_characters_not_bytes() {
    let id = "茶".repeat(128);
    let csv = format!("customer_id,order_id,product_id,created_at\n{id},o1,tea,0\n");
    assert_eq!(parse_orders(csv.as_bytes()).unwrap()[0].customer, id);
}

#[test]
fn quoting_problems_stop_reading() {
    assert_eq!(
        problems("customer_id,order_id,product_id,created_at\nalice,o1,\"tea,0\n"),
        ["line 2: a quoted field is never closed"]
    );
    assert_eq!(
        problems("customer_id,order_id,product_id,created_at\nalice,o1,\"tea\"x,0\nbob,,,\n"),
        [r#"line 2: has text after a closing quote (write a quote inside a quoted field as "")"#]
    );
}

#[test]
fn text_that_is_not_utf8_is_refused_with_its_line() {
    let mut csv = b"customer_id,order_id,product_id,created_at\nalice,o1,".to_vec();
    csv.extend_from_slice(&[0xff, 0xfe]);
    csv.extend_from_slice(b",0\n");
    assert_eq!(
        parse_orders(&csv).unwrap_err().to_string(),
        "line 2: is not UTF-8 text"
    );
}

#[test]
fn stops_after_enough_problems() {
    let mut csv = String::from("customer_id,order_id,product_id,created_at\n");
    for _ in 0..50 {
        csv.push_str("alice,o1,tea,soon\n");
    }
    let error: CsvError = parse_orders(csv.as_bytes()).unwrap_err();
    assert_eq!(error.problems.len(), MAX_PROBLEMS);
    assert!(error.stopped);
    assert_eq!(error.problems[19].line, 21);
    assert!(error.to_string().ends_with("(stopped after 20 problems)"));
}

#[test]
fn a_large_file_read_in_two_halves_keeps_order_and_line_numbers() {
    let mut csv = String::from("customer_id,order_id,product_id,created_at\n");
    let lines = 60_000;
    for i in 0..lines {
        csv.push_str(&format!(
            "customer{i},order{i},product{},{}\n",
            i % 97,
            1_700_000_000 + i
        ));
    }
    assert!(csv.len() > 2 << 20, "big enough to be split");
    let rows = parse_orders(csv.as_bytes()).unwrap();
    assert_eq!(rows.len(), lines);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(
            (row.line, row.customer.as_ref()),
            (i + 2, format!("customer{i}").as_str())
        );
    }
    let bad = csv.replace(
        "customer45000,order45000,product89,1700045000",
        "customer45000,order45000,product89,later",
    );
    assert_eq!(
        problems(&bad),
        [r#"line 45002: created_at "later" is neither Unix seconds nor an RFC 3339 time"#]
    );
}
