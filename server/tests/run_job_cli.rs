//! `comeback-server run-job <name> --at <RFC 3339>` run as a process on a SQLite file:
//! the referral payment job pays a pending reward only once its day has come in the
//! shop's time zone, and once.

use std::process::{Command, Output};

use comeback_server::config::{Config, Settings};
use comeback_server::store::Store;
use comeback_server::AppState;

fn run_job(config: &str, database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_comeback-server"))
        .args(["--config", config, "run-job"])
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the server binary runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn run_job_pays_referral_rewards_as_of_the_given_instant() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let config_path = format!("{}/../comeback.demo.toml", env!("CARGO_MANIFEST_DIR"));
    let store = Store::connect(&database_url).await.unwrap();
    store.migrate().await.unwrap();
    let state = AppState::new(
        Config::load(config_path.as_ref()).unwrap(),
        Settings::default(),
        store.clone(),
    );
    // Noon in Shanghai on 1 March 2027: the demo's hold of 30 days ends on 31 March.
    let now = 1_803_873_600;
    let code = store.advocate_code("demo", "c-adv", now).await.unwrap();
    let order: comeback_core::api::OrderWebhook = serde_json::from_value(serde_json::json!({
        "id": "o-friend", "customer_id": "c-friend", "status": "paid", "currency": "CNY",
        "total": 8_000, "referral_code": code,
        "lines": [{ "product_id": "longjing", "quantity": 1, "unit_price": 8_000 }],
    }))
    .unwrap();
    let shop = state.shop("demo").unwrap();
    comeback_server::routes::webhooks::process_order(&state, &shop, &order, now)
        .await
        .unwrap();
    store.close().await;

    let early = run_job(
        &config_path,
        &database_url,
        &["referral_rewards", "--at", "2027-03-30T15:59:59Z"],
    );
    assert!(stdout(&early).contains("paid=0"), "{}", stdout(&early));
    for expected in ["paid=1", "paid=0"] {
        let run = run_job(
            &config_path,
            &database_url,
            &["referral_rewards", "--at", "2027-03-30T16:00:00Z"],
        );
        assert!(stdout(&run).contains(expected), "{}", stdout(&run));
    }
    let store = Store::connect(&database_url).await.unwrap();
    let referrals = store.referrals_of("demo", "c-adv", 10).await.unwrap();
    assert_eq!(referrals.len(), 1);
    assert_eq!(referrals[0].points, Some(500));
    assert_eq!(
        referrals[0].paid_on.map(|day| day.to_iso()).as_deref(),
        Some("2027-03-31")
    );
    store.close().await;

    let unknown = run_job(&config_path, &database_url, &["no_such_job"]);
    assert!(!unknown.status.success());
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("referral_rewards"),
        "the error lists the jobs"
    );
    let bad_at = run_job(
        &config_path,
        &database_url,
        &["referral_rewards", "--at", "tomorrow"],
    );
    assert!(!bad_at.status.success());
    assert!(String::from_utf8_lossy(&bad_at.stderr).contains("--at"));
}
