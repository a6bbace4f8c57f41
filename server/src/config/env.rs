//! Process settings from the environment: where to listen, which database, which
//! directories to serve.

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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            host: "127.0.0.1".into(),
            port: 8080,
            database_url: "sqlite://data/comeback.db".into(),
            www_dir: PathBuf::from("www"),
            bundle_dir: PathBuf::from("pkg"),
        }
    }
}

impl Settings {
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
        Ok(Settings {
            host: non_empty("HOST").unwrap_or(defaults.host),
            port,
            database_url: non_empty("DATABASE_URL").unwrap_or(defaults.database_url),
            www_dir: non_empty("COMEBACK_WWW_DIR").map_or(defaults.www_dir, PathBuf::from),
            bundle_dir: non_empty("COMEBACK_BUNDLE_DIR").map_or(defaults.bundle_dir, PathBuf::from),
        })
    }
}
