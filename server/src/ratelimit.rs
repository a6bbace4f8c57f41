//! Rate limits: a token bucket per (route group, client), in bounded memory.
//!
//! - Shopper routes: the shop's `rate_limit_per_minute`, per customer when the request
//!   carries a valid customer token, else per client address.
//! - Backend routes (webhooks, admin, codes, catalogue): `[server]
//!   backend_rate_limit_per_minute` per shop and client address, a coarse guard.
//! - Demo routes: `[server] demo_rate_limit_per_minute` per client address.
//! - Staff sign-in (`POST …/admin/session`): `[server] sign_in_rate_limit_per_minute`
//!   per shop and client address, so passwords cannot be tried quickly even across
//!   accounts (each account also locks itself after failures).
//!
//! The client address is the connection's peer, or, when the peer is one of `[server]
//! trusted_proxies`, the nearest untrusted address of `Forwarded` / `X-Forwarded-For`.
//! IPv6 addresses count by their /64, which one subscriber usually holds whole.
//!
//! Not `governor`: its keyed store grows with every key until swept (`retain_recent`),
//! so bounding memory needs a cap on top anyway; and quotas here differ per shop at
//! request time. So: buckets in [`SHARDS`] independently locked maps, each holding at
//! most its share of [`MAX_KEYS`]; a full shard first drops full buckets, then its least
//! recently used one, and only ever scans itself.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{ConnectInfo, RawPathParams, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::RequestPartsExt;
use ipnet::IpNet;

use crate::auth::{bearer, verify_token, VerifiedToken};
use crate::error::AppError;
use crate::AppState;

/// Independently locked parts of the bucket table.
pub const SHARDS: usize = 64;

/// Most buckets kept in all; the memory bound (about 200 bytes each).
pub const MAX_KEYS: usize = 100_000;

/// Who a bucket counts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Client {
    /// A signed-in shopper: the customer id of a verified token.
    Customer(String),
    /// Anyone else: the client address (IPv6 cut to its /64).
    Address(IpAddr),
}

/// Which limit a bucket belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Group {
    /// A shop's shopper routes.
    Shopper(String),
    /// A shop's backend routes.
    Backend(String),
    /// The demo routes.
    Demo,
    /// A shop's staff sign-in.
    SignIn(String),
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    capacity: f64,
    updated: Instant,
}

impl Bucket {
    fn refilled(&self, now: Instant) -> f64 {
        let per_second = self.capacity / 60.0;
        (self.tokens + now.saturating_duration_since(self.updated).as_secs_f64() * per_second)
            .min(self.capacity)
    }
}

type Shard = HashMap<(Group, Client), Bucket>;

/// Token buckets keyed by group and client, and the proxies whose headers are believed.
#[derive(Debug)]
pub struct RateLimiter {
    shards: Vec<Mutex<Shard>>,
    hasher: RandomState,
    trusted_proxies: Vec<IpNet>,
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter::new(Vec::new())
    }
}

impl RateLimiter {
    /// A limiter believing the forwarding headers of `trusted_proxies`.
    pub fn new(trusted_proxies: Vec<IpNet>) -> RateLimiter {
        RateLimiter {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            hasher: RandomState::new(),
            trusted_proxies,
        }
    }

    /// Buckets currently kept.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|shard| shard.lock().map_or(0, |shard| shard.len()))
            .sum()
    }

    /// Whether no bucket is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Takes one token of `client` in `group` at `now`; `Err(seconds)` says when to retry.
    pub fn check(
        &self,
        group: Group,
        client: Client,
        per_minute: u32,
        now: Instant,
    ) -> Result<(), u64> {
        let key = (group, client);
        let index = (self.hasher.hash_one(&key) as usize) % self.shards.len();
        let mut shard = self.shards[index]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let capacity = f64::from(per_minute.max(1));
        if !shard.contains_key(&key) && shard.len() >= MAX_KEYS / SHARDS {
            evict(&mut shard, now);
        }
        let bucket = shard.entry(key).or_insert(Bucket {
            tokens: capacity,
            capacity,
            updated: now,
        });
        bucket.capacity = capacity;
        bucket.tokens = bucket.refilled(now);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - bucket.tokens) / (capacity / 60.0)).ceil();
            Err((wait as u64).max(1))
        }
    }

    /// The address a request counts against (see the module header).
    pub fn client_address(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> IpAddr {
        let Some(peer) = peer.map(unmapped) else {
            return IpAddr::V4(Ipv4Addr::UNSPECIFIED);
        };
        if !self.is_trusted(peer) {
            return canonical(peer);
        }
        let forwarded = forwarded_for(headers);
        let mut nearest = peer;
        for address in forwarded.iter().rev() {
            nearest = *address;
            if !self.is_trusted(*address) {
                break;
            }
        }
        canonical(nearest)
    }

    fn is_trusted(&self, address: IpAddr) -> bool {
        self.trusted_proxies
            .iter()
            .any(|network| network.contains(&address))
    }
}

/// Drops full buckets (a fresh one would be the same); if none is, the least recently
/// used one.
fn evict(shard: &mut Shard, now: Instant) {
    shard.retain(|_, bucket| bucket.refilled(now) < bucket.capacity);
    if shard.len() >= MAX_KEYS / SHARDS {
        if let Some(oldest) = shard
            .iter()
            .min_by_key(|(_, bucket)| bucket.updated)
            .map(|(key, _)| key.clone())
        {
            shard.remove(&oldest);
        }
    }
}

/// IPv4-mapped IPv6 as IPv4.
fn unmapped(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        IpAddr::V4(_) => address,
    }
}

/// The network an address belongs to as Comeback counts clients (rate limits, the
/// referral rule `too_many_from_one_address`): IPv4 whole, IPv6 cut to its /64
/// (IPv4-mapped IPv6 read as IPv4).
pub fn network_of(address: IpAddr) -> IpAddr {
    canonical(address)
}

/// The address a bucket counts: IPv6 cut to its /64.
fn canonical(address: IpAddr) -> IpAddr {
    match unmapped(address) {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        v4 => v4,
    }
}

/// The addresses of `Forwarded` (its `for=` parameters) when present, else of
/// `X-Forwarded-For`, nearest last; unparseable entries are skipped.
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    let values = |name| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect::<Vec<_>>()
    };
    let forwarded = values("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (name, value) = pair.trim().split_once('=')?;
                    name.eq_ignore_ascii_case("for")
                        .then(|| parse_node(value))?
                })
            })
            .map(unmapped)
            .collect();
    }
    values("x-forwarded-for")
        .iter()
        .filter_map(|value| parse_node(value))
        .map(unmapped)
        .collect()
}

/// `192.0.2.1`, `192.0.2.1:443`, `2001:db8::1`, `[2001:db8::1]:443`, quoted or not.
fn parse_node(value: &str) -> Option<IpAddr> {
    let value = value.trim().trim_matches('"');
    if let Ok(address) = value.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(socket) = value.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    value
        .strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(inside, _)| inside.parse().ok())
}

/// The peer address and the `{shop}` of a request.
async fn peer_and_shop(parts: &mut axum::http::request::Parts) -> (Option<IpAddr>, Option<String>) {
    let peer = parts
        .extract::<ConnectInfo<SocketAddr>>()
        .await
        .ok()
        .map(|info| info.0.ip());
    let shop = parts
        .extract::<RawPathParams>()
        .await
        .ok()
        .and_then(|params| {
            params
                .iter()
                .find(|(name, _)| *name == "shop")
                .map(|(_, value)| value.to_owned())
        });
    (peer, shop)
}

/// Middleware for a shop's shopper routes. Requests served without connection info
/// (tests driving the router directly) count as one address.
pub async fn shopper(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let (peer, shop) = peer_and_shop(&mut parts).await;
    if let Some(shop) = shop.and_then(|id| state.shop(&id).ok()) {
        let now = state.clock.now();
        let verified = bearer(&parts.headers)
            .and_then(|token| verify_token(shop.token_rules(), token, now).ok());
        let client = verified.as_ref().map_or_else(
            || Client::Address(state.rate_limiter.client_address(peer, &parts.headers)),
            |claims| Client::Customer(claims.sub.clone()),
        );
        // The handler's `Customer` takes these instead of checking the signature again.
        if let Some(claims) = verified {
            parts.extensions.insert(VerifiedToken {
                shop_id: shop.id.clone(),
                claims,
            });
        }
        let per_minute = shop.config.rate_limit_per_minute;
        if let Err(seconds) =
            state
                .rate_limiter
                .check(Group::Shopper(shop.id), client, per_minute, Instant::now())
        {
            return AppError::RateLimited(seconds).into_response();
        }
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Middleware for a shop's backend routes: a coarse limit per shop and client address.
pub async fn backend(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let (peer, shop) = peer_and_shop(&mut parts).await;
    if let Some(shop) = shop.filter(|id| state.shops.contains(id)) {
        let client = Client::Address(state.rate_limiter.client_address(peer, &parts.headers));
        let per_minute = state.config.server.backend_rate_limit_per_minute;
        if let Err(seconds) =
            state
                .rate_limiter
                .check(Group::Backend(shop), client, per_minute, Instant::now())
        {
            return AppError::RateLimited(seconds).into_response();
        }
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Middleware for the staff session routes: sign-ins (`POST`) limited per shop and
/// client address; reading or ending a session is not limited here.
pub async fn sign_in(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != axum::http::Method::POST {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let (peer, shop) = peer_and_shop(&mut parts).await;
    if let Some(shop) = shop.filter(|id| state.shops.contains(id)) {
        let client = Client::Address(state.rate_limiter.client_address(peer, &parts.headers));
        let per_minute = state.config.server.sign_in_rate_limit_per_minute;
        if let Err(seconds) =
            state
                .rate_limiter
                .check(Group::SignIn(shop), client, per_minute, Instant::now())
        {
            return AppError::RateLimited(seconds).into_response();
        }
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Middleware for the demo routes: a limit per client address.
pub async fn demo(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let (peer, _) = peer_and_shop(&mut parts).await;
    let client = Client::Address(state.rate_limiter.client_address(peer, &parts.headers));
    let per_minute = state.config.server.demo_rate_limit_per_minute;
    if let Err(seconds) = state
        .rate_limiter
        .check(Group::Demo, client, per_minute, Instant::now())
    {
        return AppError::RateLimited(seconds).into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn address(text: &str) -> Client {
        Client::Address(text.parse().unwrap())
    }

    #[test]
    fn buckets_refill_over_time() {
        let limiter = RateLimiter::default();
        let group = || Group::Shopper("demo".into());
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter
                .check(group(), address("127.0.0.1"), 3, start)
                .is_ok());
        }
        assert_eq!(
            limiter.check(group(), address("127.0.0.1"), 3, start),
            Err(20)
        );
        assert!(
            limiter
                .check(
                    Group::Shopper("other".into()),
                    address("127.0.0.1"),
                    3,
                    start
                )
                .is_ok(),
            "shops are separate"
        );
        assert!(limiter
            .check(
                group(),
                address("127.0.0.1"),
                3,
                start + Duration::from_secs(20)
            )
            .is_ok());
    }

    #[test]
    fn memory_is_bounded() {
        let limiter = RateLimiter::default();
        let now = Instant::now();
        for n in 0..(MAX_KEYS as u32 + 5_000) {
            let ip = IpAddr::V4(Ipv4Addr::from(n));
            let _ = limiter.check(Group::Demo, Client::Address(ip), 1, now);
        }
        assert!(limiter.len() <= MAX_KEYS, "{} buckets", limiter.len());
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_proxies() {
        let trusted = vec![
            "10.0.0.0/8".parse().unwrap(),
            "2001:db8:ffff::/48".parse().unwrap(),
        ];
        let limiter = RateLimiter::new(trusted);
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "198.51.100.7, 203.0.113.9, 10.1.1.1".parse().unwrap(),
        );
        let proxy = Some("10.0.0.2".parse().unwrap());
        let stranger = Some("192.0.2.50".parse().unwrap());
        // The nearest untrusted hop, not the left-most (which the client can write).
        assert_eq!(
            limiter.client_address(proxy, &headers),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            limiter.client_address(stranger, &headers),
            "192.0.2.50".parse::<IpAddr>().unwrap()
        );
        headers.insert(
            "forwarded",
            "for=192.0.2.60;proto=https, for=\"[2001:db8:1:2:3::9]:443\""
                .parse()
                .unwrap(),
        );
        assert_eq!(
            limiter.client_address(proxy, &headers),
            "2001:db8:1:2::".parse::<IpAddr>().unwrap()
        );
        // IPv6 by /64.
        assert_eq!(
            limiter.client_address(
                Some("2001:db8:5:6:aaaa::1".parse().unwrap()),
                &HeaderMap::new()
            ),
            "2001:db8:5:6::".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            limiter.client_address(Some("::ffff:192.0.2.1".parse().unwrap()), &HeaderMap::new()),
            "192.0.2.1".parse::<IpAddr>().unwrap()
        );
    }
}
