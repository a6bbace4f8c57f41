//! Process settings from the environment: where to listen, which database, which
//! directories to serve, and the demo owner's password for end-to-end tests.

use std::path::PathBuf;

use super::{invalid, ConfigError};

/// Process settings from the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `HOST`, default `127.0.0.1`.
    pub host: String,
    /// `PORT`, default 8080.
    pub port: u16,
    /// `DATABASE_URL`, default `sqlite://data/comeback.db`.
    pub database_url: String,
    /// `COMEBACK_WWW_DIR`, default `www`: served at `/` when it exists.
    pub www_dir: PathBuf,
    /// `COMEBACK_BUNDLE_DIR`, default `pkg`: served at `/comeback/`.
    pub bundle_dir: PathBuf,
    /// `COMEBACK_ADMIN_DIR`, default `pkg-admin`: the shop-owner dashboard, served at
    /// `/admin/` (`scripts/admin-bundle.sh` builds it).
    pub admin_dir: PathBuf,
    /// `DATABASE_MAX_CONNECTIONS`: the pool size of this process; default 8 on SQLite,
    /// 16 on PostgreSQL (several processes share the server's `max_connections`).
    pub database_max_connections: Option<u32>,
    /// `DATABASE_ACQUIRE_TIMEOUT_SECONDS`, default 5: how long a request waits for a
    /// free connection before it is answered 503 with `Retry-After`.
    pub database_acquire_timeout_seconds: u64,
    /// `COMEBACK_DEMO_OWNER_PASSWORD`: in demo mode, the password of the demo shop's
    /// owner account (end-to-end tests sign in with it); default a fresh random one
    /// at every start.
    pub demo_owner_password: Option<super::Secret>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            host: "127.0.0.1".into(),
            port: 8080,
            database_url: "sqlite://data/comeback.db".into(),
            www_dir: PathBuf::from("www"),
            bundle_dir: PathBuf::from("pkg"),
            admin_dir: PathBuf::from("pkg-admin"),
            database_max_connections: None,
            database_acquire_timeout_seconds: 5,
            demo_owner_password: None,
        }
    }
}

impl Settings {
    /// The connection pool these settings ask for.
    pub fn pool(&self) -> crate::store::PoolSettings {
        crate::store::PoolSettings {
            max_connections: self.database_max_connections,
            acquire_timeout: std::time::Duration::from_secs(self.database_acquire_timeout_seconds),
        }
    }

    /// Reads the environment, falling back to the defaults.
    pub fn from_env() -> Result<Settings, ConfigError> {
        Settings::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        let defaults = Settings::default();
        let non_empty = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let port = match non_empty("PORT") {
            Some(port) => port
                .trim()
                .parse()
                .map_err(|_| invalid("PORT", format!("`{port}` is not a port number")))?,
            None => defaults.port,
        };
        let number = |name: &str| -> Result<Option<u64>, ConfigError> {
            non_empty(name)
                .map(|value| {
                    value
                        .trim()
                        .parse::<u64>()
                        .ok()
                        .filter(|number| *number > 0)
                        .ok_or_else(|| invalid(name, format!("`{value}` is not a positive number")))
                })
                .transpose()
        };
        let max_connections = number("DATABASE_MAX_CONNECTIONS")?
            .map(|count| {
                u32::try_from(count)
                    .map_err(|_| invalid("DATABASE_MAX_CONNECTIONS", "is too large"))
            })
            .transpose()?;
        Ok(Settings {
            database_max_connections: max_connections,
            database_acquire_timeout_seconds: number("DATABASE_ACQUIRE_TIMEOUT_SECONDS")?
                .unwrap_or(defaults.database_acquire_timeout_seconds),
            host: non_empty("HOST").unwrap_or(defaults.host),
            port,
            database_url: non_empty("DATABASE_URL").unwrap_or(defaults.database_url),
            www_dir: non_empty("COMEBACK_WWW_DIR").map_or(defaults.www_dir, PathBuf::from),
            bundle_dir: non_empty("COMEBACK_BUNDLE_DIR").map_or(defaults.bundle_dir, PathBuf::from),
            admin_dir: non_empty("COMEBACK_ADMIN_DIR").map_or(defaults.admin_dir, PathBuf::from),
            demo_owner_password: non_empty("COMEBACK_DEMO_OWNER_PASSWORD").map(super::Secret::new),
        })
    }
}
