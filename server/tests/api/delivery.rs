//! Outbound webhook failures never reveal the target URL (it may carry the shop's
//! token): `last_error` says what went wrong, not where.

use comeback_server::config::Settings;
use comeback_server::delivery::deliver_due;

use crate::helpers::{Backend, TestApp, CONFIG};

pub async fn failed_deliveries_do_not_reveal_the_url(backend: Backend) {
    // Nothing listens on port 9 (discard) on test machines.
    let config = format!(
        "{CONFIG}\n[shops.demo.webhooks]\nurl = \"http://127.0.0.1:9/hooks?token=s3cret-token\"\n"
    );
    let Some(app) = TestApp::spawn_with(backend, &config, Settings::default()).await else {
        return;
    };
    app.pay("c-1", "o-1", 60_000).await;
    let redeemed = app.redeem("c-1", "k-1", "off-10").await;
    assert_eq!(redeemed.status.as_u16(), 201, "{}", redeemed.text);
    let run = deliver_due(&app.state).await.unwrap();
    assert_eq!((run.delivered, run.retrying), (0, 2));
    for row in app.state.store.outbox_rows("demo").await.unwrap() {
        let error = row.last_error.unwrap_or_default();
        assert_eq!(error, "request could not connect", "{error}");
    }
}
