//! `[server]`: settings of the process rather than of a shop: the proxies whose
//! forwarding headers are believed, connection limits against slow or greedy clients,
//! and the coarse rate limits of the backend, demo and staff sign-in routes.

use std::net::IpAddr;

use ipnet::IpNet;
use serde::Deserialize;

use super::{invalid, ConfigError};

/// `[server]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Peers (CIDRs or single addresses) whose `Forwarded` / `X-Forwarded-For` headers
    /// name the client. Default none: the client is the connection's peer.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    /// Seconds a client has to send a request's headers. Default 10.
    #[serde(default = "default_header_read_timeout")]
    pub header_read_timeout_seconds: u64,
    /// Open connections served at once; more wait in the kernel's queue. Default 1024.
    #[serde(default = "default_max_connections")]
    pub max_connections: usize,
    /// Requests per minute to a shop's backend routes (webhooks, admin, codes,
    /// catalogue) from one client address. Default 6000 (100 a second).
    #[serde(default = "default_backend_rate_limit")]
    pub backend_rate_limit_per_minute: u32,
    /// Requests per minute to the demo routes from one client address. Default 60.
    #[serde(default = "default_demo_rate_limit")]
    pub demo_rate_limit_per_minute: u32,
    /// Staff sign-in attempts per minute to a shop from one client address (on top of
    /// the account lockout). Default 10.
    #[serde(default = "default_sign_in_rate_limit")]
    pub sign_in_rate_limit_per_minute: u32,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            trusted_proxies: Vec::new(),
            header_read_timeout_seconds: default_header_read_timeout(),
            max_connections: default_max_connections(),
            backend_rate_limit_per_minute: default_backend_rate_limit(),
            demo_rate_limit_per_minute: default_demo_rate_limit(),
            sign_in_rate_limit_per_minute: default_sign_in_rate_limit(),
        }
    }
}

fn default_header_read_timeout() -> u64 {
    10
}

fn default_max_connections() -> usize {
    1024
}

fn default_backend_rate_limit() -> u32 {
    6000
}

fn default_demo_rate_limit() -> u32 {
    60
}

fn default_sign_in_rate_limit() -> u32 {
    10
}

/// Parses `10.0.0.0/8`, `2001:db8::/32` or a single address.
fn parse_network(text: &str) -> Option<IpNet> {
    text.parse::<IpNet>()
        .ok()
        .or_else(|| text.parse::<IpAddr>().ok().map(IpNet::from))
}

impl ServerConfig {
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        for (index, text) in self.trusted_proxies.iter().enumerate() {
            if parse_network(text).is_none() {
                return Err(invalid(
                    format!("server.trusted_proxies[{index}]"),
                    format!(
                        "`{}` is not an address or a CIDR like `10.0.0.0/8`",
                        crate::error::excerpt(text)
                    ),
                ));
            }
        }
        if !(1..=300).contains(&self.header_read_timeout_seconds) {
            return Err(invalid(
                "server.header_read_timeout_seconds",
                "must be 1 to 300",
            ));
        }
        if !(1..=1_000_000).contains(&self.max_connections) {
            return Err(invalid("server.max_connections", "must be 1 to 1000000"));
        }
        if self.backend_rate_limit_per_minute == 0 {
            return Err(invalid(
                "server.backend_rate_limit_per_minute",
                "must be at least 1",
            ));
        }
        if self.demo_rate_limit_per_minute == 0 {
            return Err(invalid(
                "server.demo_rate_limit_per_minute",
                "must be at least 1",
            ));
        }
        if self.sign_in_rate_limit_per_minute == 0 {
            return Err(invalid(
                "server.sign_in_rate_limit_per_minute",
                "must be at least 1",
            ));
        }
        Ok(())
    }

    /// The trusted proxies, parsed (validated at load, so none is dropped).
    pub fn trusted_networks(&self) -> Vec<IpNet> {
        self.trusted_proxies
            .iter()
            .filter_map(|text| parse_network(text))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::Config;

    const SHOP: &str = "[shops.a]\nname = \"Tea\"\ncurrency = \"CNY\"\ntoken_secrets = [\"tok-0123456789abcdef0123456789abcdef\"]\nwebhook_secrets = [\"hook-0123456789abcdef0123456789abcdef\"]\napi_keys = [\"api-0123456789abcdef0123456789abcdef\"]\n";

    #[test]
    fn defaults_and_trusted_proxies() {
        let config = Config::parse(SHOP).unwrap();
        assert!(config.server.trusted_proxies.is_empty());
        assert_eq!(config.server.header_read_timeout_seconds, 10);
        let text = format!(
            "[server]\ntrusted_proxies = [\"10.0.0.0/8\", \"2001:db8::/32\", \"192.0.2.7\"]\n{SHOP}"
        );
        let networks = Config::parse(&text).unwrap().server.trusted_networks();
        assert_eq!(networks.len(), 3);
        assert!(networks[2].contains(&"192.0.2.7".parse::<std::net::IpAddr>().unwrap()));
        let error = Config::parse(&format!(
            "[server]\ntrusted_proxies = [\"10.0.0.0/33\"]\n{SHOP}"
        ))
        .unwrap_err()
        .to_string();
        assert!(error.starts_with("server.trusted_proxies[0]"), "{error}");
        let error = Config::parse(&format!("[server]\nmax_connections = 0\n{SHOP}"))
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("server.max_connections"), "{error}");
    }
}
