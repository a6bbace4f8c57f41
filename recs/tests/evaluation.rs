//! The offline evaluation on a history small enough to score by hand.

use comeback_recs::{evaluate, parse_orders, Kind, Settings};

const CSV: &str = "customer_id,order_id,product_id,created_at\n\
alice,a1,tea,1000000\n\
alice,a1,pot,1000000\n\
alice,a2,tea,2000000\n\
alice,a3,tea,3000000\n\
alice,a3,cups,3000000\n\
bob,b1,pot,1500000\n\
bob,b1,cups,1500000\n\
carol,c1,tea,1200000\n";

#[test]
fn holds_out_the_last_order_of_customers_with_two() {
    let rows = parse_orders(CSV.as_bytes()).unwrap();
    let evaluation = evaluate(&rows, &[], &Settings::default(), 10);
    // Only alice has two orders; a3 (tea, cups) is held out. Trained on a1 and a2 she
    // buys tea every 1000000 s: buy-again finds tea, half of a3; cups is new to her.
    assert_eq!(evaluation.customers, 1);
    let scores = |kind: Kind| evaluation.kinds.iter().find(|(k, _)| *k == kind).unwrap().1;
    assert_eq!(scores(Kind::BuyAgain).all.recall, 0.5);
    assert_eq!(
        scores(Kind::BuyAgain).all.ndcg,
        1.0 / (1.0 + 1.0 / 3f64.log2())
    );
    assert_eq!(scores(Kind::BuyAgain).new.recall, 0.0);
    // for-you reaches cups through pot (bob bought both); it is the only new item.
    assert_eq!(scores(Kind::ForYou).new.recall, 1.0);
    assert_eq!(scores(Kind::Blend).all.recall, 1.0);
    assert_eq!(scores(Kind::Blend).new.recall, 1.0);
}

#[test]
fn serializes_to_the_documented_shape() {
    let rows = parse_orders(CSV.as_bytes()).unwrap();
    let mut evaluation = evaluate(&rows, &[], &Settings::default(), 5);
    evaluation.build_seconds = 0.5;
    evaluation.peak_rss_bytes = 1024;
    let json = serde_json::to_value(&evaluation).unwrap();
    assert_eq!(json["customers"], 1);
    assert_eq!(json["build_seconds"], 0.5);
    assert_eq!(json["peak_rss_bytes"], 1024);
    let kinds = json["kinds"].as_object().unwrap();
    assert_eq!(kinds.len(), Kind::ALL.len());
    for kind in Kind::ALL {
        for part in ["all", "new"] {
            let metrics = kinds[kind.as_str()][part].as_object().unwrap();
            let keys: Vec<&str> = metrics.keys().map(String::as_str).collect();
            assert_eq!(keys.len(), 2);
            assert!(metrics["recall_at_5"].is_f64() && metrics["ndcg_at_5"].is_f64());
        }
    }
}
