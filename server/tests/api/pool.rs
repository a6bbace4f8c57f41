//! A saturated connection pool sheds load: 503 `unavailable` with `Retry-After`, never
//! a 500, and the next request after a connection frees up is served.

use std::time::Duration;

use comeback_server::config::{Config, Settings};
use comeback_server::store::{PoolSettings, Store};
use comeback_server::AppState;

use crate::helpers::{Backend, TestApp, CONFIG};

pub async fn pool_exhaustion_answers_503_with_retry_after(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let pool = PoolSettings {
        max_connections: Some(1),
        acquire_timeout: Duration::from_millis(200),
    };
    let store = Store::connect_with(&app.url, pool).await.unwrap();
    let config = Config::parse(CONFIG).unwrap();
    let mut busy = app.second_instance(CONFIG).await;
    busy.state = AppState::new(config, Settings::default(), store.clone());
    busy.router = comeback_server::app(busy.state.clone());

    let held = store.pool().acquire().await.unwrap();
    let response = busy.me("c-1").await;
    response.assert_error(503, "unavailable");
    assert_eq!(response.header("retry-after"), Some("1"));
    drop(held);
    let response = busy.me("c-1").await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    drop(busy);
}
