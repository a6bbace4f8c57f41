//! Rate limits by customer or client address, forwarding headers believed only from
//! trusted proxies, coarse limits on the backend routes; and the connection limits of
//! the real server (a client trickling its headers is cut off).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use comeback_server::auth::mint_token;
use comeback_server::config::Settings;
use comeback_server::serve::{serve, ConnectionLimits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::helpers::{Backend, TestApp, TestResponse, CONFIG};

const TINY_TOKEN_SECRET: &str = "test-token-secret-tiny-0123456789abcdef";
const PROGRAMME: &str = "/v1/shops/tiny/loyalty/programme";
const ME: &str = "/v1/shops/tiny/loyalty/me";

/// A request from `peer`, as the real server would hand it over.
async fn from(app: &TestApp, peer: &str, uri: &str, headers: &[(&str, &str)]) -> TestResponse {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut request = request.body(Body::empty()).unwrap();
    let peer: SocketAddr = peer.parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    app.send(request).await
}

pub async fn shoppers_are_limited_by_customer_and_address(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let now = app.state.clock.now();
    let token = |customer| mint_token(TINY_TOKEN_SECRET, customer, None, now, 600).unwrap();
    let (lin, wei) = (token("c-lin"), token("c-wei"));
    let bearer = |token: &str| format!("Bearer {token}");
    // Two shoppers behind one address each get the shop's whole limit (3 a minute).
    for _ in 0..3 {
        for token in [&lin, &wei] {
            let response = from(
                &app,
                "192.0.2.1:1000",
                ME,
                &[("authorization", &bearer(token))],
            )
            .await;
            assert_eq!(response.status, 200, "{}", response.text);
        }
    }
    let response = from(
        &app,
        "192.0.2.1:1000",
        ME,
        &[("authorization", &bearer(&lin))],
    )
    .await;
    response.assert_error(429, "rate_limited");
    // From another address the customer is still over the limit: it follows the token.
    from(
        &app,
        "198.51.100.9:1000",
        ME,
        &[("authorization", &bearer(&lin))],
    )
    .await
    .assert_error(429, "rate_limited");
    // Anonymous requests count by address; another address has its own bucket, but
    // another address in the same IPv6 /64 does not.
    for _ in 0..3 {
        assert_eq!(
            from(&app, "[2001:db8:1:2::10]:1", PROGRAMME, &[])
                .await
                .status,
            200
        );
    }
    from(&app, "[2001:db8:1:2:ffff::99]:1", PROGRAMME, &[])
        .await
        .assert_error(429, "rate_limited");
    assert_eq!(
        from(&app, "[2001:db8:1:3::10]:1", PROGRAMME, &[])
            .await
            .status,
        200
    );
    // Forwarding headers from an untrusted peer are ignored: rotating them escapes nothing.
    for n in 0..3 {
        let forwarded = format!("203.0.113.{n}");
        let response = from(
            &app,
            "192.0.2.77:1",
            PROGRAMME,
            &[("x-forwarded-for", &forwarded)],
        )
        .await;
        assert_eq!(response.status, 200);
    }
    from(
        &app,
        "192.0.2.77:1",
        PROGRAMME,
        &[("x-forwarded-for", "203.0.113.200")],
    )
    .await
    .assert_error(429, "rate_limited");
}

pub async fn trusted_proxies_name_the_client_and_backend_routes_have_a_coarse_limit(
    backend: Backend,
) {
    let config = format!(
        "[server]\ntrusted_proxies = [\"10.0.0.0/8\"]\nbackend_rate_limit_per_minute = 2\n{CONFIG}"
    );
    let Some(app) = TestApp::spawn_with(backend, &config, Settings::default()).await else {
        return;
    };
    // Behind the proxy, each client has its own bucket...
    for client in ["203.0.113.1", "203.0.113.2"] {
        for _ in 0..3 {
            let response = from(
                &app,
                "10.0.0.5:1",
                PROGRAMME,
                &[("x-forwarded-for", client)],
            )
            .await;
            assert_eq!(response.status, 200, "{client}");
        }
    }
    // ...named by the nearest untrusted hop, whatever the client wrote further left.
    let spoofed = "198.51.100.1, 203.0.113.1";
    from(
        &app,
        "10.0.0.5:1",
        PROGRAMME,
        &[("x-forwarded-for", spoofed)],
    )
    .await
    .assert_error(429, "rate_limited");
    let forwarded = "for=198.51.100.1, for=\"203.0.113.2:4711\"";
    from(&app, "10.0.0.5:1", PROGRAMME, &[("forwarded", forwarded)])
        .await
        .assert_error(429, "rate_limited");
    assert_eq!(
        from(
            &app,
            "10.0.0.5:1",
            PROGRAMME,
            &[("forwarded", "for=203.0.113.3")]
        )
        .await
        .status,
        200
    );

    // The backend routes: a coarse limit per shop and address (2 a minute here).
    let codes = "/v1/shops/tiny/discount-codes/X";
    for _ in 0..2 {
        assert_eq!(from(&app, "192.0.2.1:1", codes, &[]).await.status, 401);
    }
    let response = from(&app, "192.0.2.1:1", codes, &[]).await;
    response.assert_error(429, "rate_limited");
    assert!(response.header("retry-after").is_some());
    assert_eq!(from(&app, "192.0.2.2:1", codes, &[]).await.status, 401);
}

/// Reads until the server closes the connection; the bytes read.
async fn read_to_close(stream: &mut TcpStream) -> Vec<u8> {
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    answer
}

pub async fn trickling_clients_are_cut_off_and_connections_are_capped(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let limits = ConnectionLimits {
        header_read_timeout: Duration::from_secs(1),
        max_connections: 1,
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, app.router.clone(), limits, async {
        let _ = stopped.await;
    }));

    // A client sending a header byte every 200 ms is cut off after about a second.
    let mut trickler = TcpStream::connect(address).await.unwrap();
    let started = Instant::now();
    let trickle = async {
        trickler.write_all(b"GET /healthz HTTP/1.1\r\n").await?;
        for byte in b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            .iter()
            .cycle()
            .take(100)
        {
            tokio::time::sleep(Duration::from_millis(200)).await;
            trickler.write_all(&[*byte]).await?;
        }
        std::io::Result::Ok(())
    };
    let outcome = tokio::time::timeout(Duration::from_secs(10), trickle).await;
    let elapsed = started.elapsed();
    assert!(
        matches!(outcome, Ok(Err(_))),
        "the server kept the trickling connection open for {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_secs(5),
        "cut off only after {elapsed:?}"
    );

    // With one connection allowed, a second client waits until the first one (silent)
    // is cut off, then is served.
    let mut silent = TcpStream::connect(address).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let mut client = TcpStream::connect(address).await.unwrap();
    client
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(10), read_to_close(&mut client))
        .await
        .expect("served once the silent connection was cut off");
    let waited = started.elapsed();
    assert!(
        String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    assert!(
        waited >= Duration::from_millis(700),
        "served after {waited:?}: no cap"
    );
    assert!(read_to_close(&mut silent).await.is_empty());

    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(15), server)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
}
