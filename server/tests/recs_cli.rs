//! `comeback-server recs evaluate` run as a process on a small order history (no
//! database needed).

use std::process::{Command, Output};

fn recs_evaluate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_comeback-server"))
        .args(["recs", "evaluate"])
        .args(args)
        .env_remove("COMEBACK_CONFIG")
        .output()
        .expect("the server binary runs")
}

/// The JSON a successful run printed.
fn json_of(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn fixture() -> String {
    format!("{}/tests/fixtures/orders.csv", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn json_has_every_kind_with_recall_and_ndcg_over_all_and_new() {
    let json = json_of(&recs_evaluate(&["--orders", &fixture(), "--json"]));
    // alice, bob, carol and erin have two orders or more.
    assert_eq!(json["customers"], 4);
    assert!(json["build_seconds"].as_f64().unwrap() > 0.0);
    assert!(json["peak_rss_bytes"].as_u64().unwrap() > 0);
    let kinds = json["kinds"].as_object().unwrap();
    let names: Vec<&str> = kinds.keys().map(String::as_str).collect();
    for kind in comeback_core::recommend::Kind::ALL {
        assert!(names.contains(&kind.as_str()), "{names:?}");
        for part in ["all", "new"] {
            for metric in ["recall_at_10", "ndcg_at_10"] {
                let value = kinds[kind.as_str()][part][metric].as_f64().unwrap();
                assert!(
                    (0.0..=1.0).contains(&value),
                    "{kind:?} {part} {metric} {value}"
                );
            }
        }
    }
    // Sencha every 28 days: buy-again finds alice's and erin's last sencha.
    assert!(kinds["buy-again"]["all"]["recall_at_10"].as_f64().unwrap() > 0.2);
}

#[test]
fn the_table_names_k() {
    let output = recs_evaluate(&["--orders", &fixture(), "--k", "5"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(table.contains("4 customers evaluated"), "{table}");
    assert!(table.contains("recall@5"), "{table}");
    assert!(
        table.lines().any(|line| line.starts_with("buy-again")),
        "{table}"
    );
}

#[test]
fn a_bad_row_is_reported_by_line_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders.csv");
    std::fs::write(
        &path,
        "customer_id,order_id,product_id,created_at\nalice,a1,tea,0\nbob,b1,tea,yesterday\n",
    )
    .unwrap();
    let output = recs_evaluate(&["--orders", path.to_str().unwrap(), "--json"]);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            r#"line 3: created_at "yesterday" is neither Unix seconds nor an RFC 3339 time"#
        ),
        "{stderr}"
    );
}

#[test]
fn a_missing_file_fails() {
    let output = recs_evaluate(&["--orders", "/nonexistent/orders.csv"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read /nonexistent/orders.csv"));
}

#[test]
fn products_give_categories_and_a_bad_product_file_fails_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("products.csv");
    std::fs::write(
        &good,
        "id,title,price,url,in_stock,categories,updated_at\n\
         sencha,Sencha,4800,/p/sencha,true,green tea|tea,2026-11-01T08:00:00Z\n\
         teapot,Teapot,12800,/p/teapot,true,teaware,2026-11-01T08:00:00Z\n",
    )
    .unwrap();
    let products = good.to_str().unwrap();
    let json = json_of(&recs_evaluate(&[
        "--orders",
        &fixture(),
        "--products",
        products,
        "--json",
    ]));
    assert_eq!(json["customers"], 4);

    let bad = dir.path().join("products.jsonl");
    std::fs::write(&bad, "{\"id\": \"sencha\"}\n").unwrap();
    let output = recs_evaluate(&["--orders", &fixture(), "--products", bad.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is not a valid product file"), "{stderr}");
    assert!(stderr.contains("line 1: missing field"), "{stderr}");
}
