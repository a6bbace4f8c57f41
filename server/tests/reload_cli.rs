//! `comeback-server serve` reloads its configuration file on `SIGHUP`: an edited file is
//! served at once, and a file that does not load leaves the running configuration in
//! place.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SHOP: &str = r#"
[shops.tea]
name = "Tea"
currency = "CNY"
token_secrets = ["reload-token-secret-0123456789abcdef0123"]
webhook_secrets = ["reload-webhook-secret-0123456789abcdef01"]
api_keys = ["reload-api-key-0123456789abcdef0123456789"]

[shops.tea.loyalty]
points_per_unit = 1
code_prefix = "TEA"

[[shops.tea.loyalty.rewards]]
id = "off-10"
kind = "amount_off"
value = 1000
cost = COST
name = { en = "¥10 off" }
"#;

/// The server, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(config: &std::path::Path, database_url: &str) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_comeback-server"))
        .args(["--config", config.to_str().unwrap(), "serve"])
        .env("HOST", "127.0.0.1")
        .env("PORT", "0")
        .env("DATABASE_URL", database_url)
        .env("COMEBACK_WWW_DIR", "/nonexistent")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server binary runs");
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
    let line = lines
        .find(|line| line.contains("listening on"))
        .expect("the server says where it listens");
    // The rest is read on, so the server never writes into a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let base = line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    (server, base)
}

async fn cost(base: &str) -> i64 {
    let programme: serde_json::Value =
        reqwest::get(format!("{base}/v1/shops/tea/loyalty/programme"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    programme["rewards"][0]["cost"].as_i64().unwrap()
}

fn hang_up(server: &Server) {
    let status = Command::new("kill")
        .args(["-HUP", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits until the served cost is `expected` (a reload is applied within moments).
async fn until_cost(base: &str, expected: i64) {
    let start = Instant::now();
    while cost(base).await != expected {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the cost never became {expected}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn sighup_reloads_the_file_and_a_broken_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("comeback.toml");
    let database_url = format!("sqlite://{}", dir.path().join("reload.db").display());
    std::fs::write(&config, SHOP.replace("COST", "500")).unwrap();
    let (server, base) = start(&config, &database_url);
    assert_eq!(cost(&base).await, 500);

    std::fs::write(&config, SHOP.replace("COST", "800")).unwrap();
    hang_up(&server);
    until_cost(&base, 800).await;

    // A file with a mistake is refused: the shop keeps being served as it was.
    std::fs::write(&config, SHOP.replace("COST", "-5")).unwrap();
    hang_up(&server);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(cost(&base).await, 800);
    // And the next good file is taken.
    std::fs::write(&config, SHOP.replace("COST", "300")).unwrap();
    hang_up(&server);
    until_cost(&base, 300).await;
}
