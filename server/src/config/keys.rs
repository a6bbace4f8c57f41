//! A shop's three kinds of key, each a list: `token_secrets` sign customer tokens,
//! `webhook_secrets` sign webhooks both ways, `api_keys` are the bearer keys of the
//! shop's backend. The first of a list signs, every one verifies, so any key rotates
//! without downtime: add the new key first, move the signers over, drop the old one.
//!
//! Keys never appear in logs or error messages: [`Secret`] prints as `Secret(..)` and
//! errors name the key's place in the file, never its value.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use super::{invalid, ConfigError};

/// Shortest accepted key, in characters.
pub const MIN_SECRET_LEN: usize = 32;

/// Most keys in one list (a rotation needs two; a few more leave room for mistakes).
pub const MAX_KEYS_PER_LIST: usize = 4;

/// The keys published with the demo (`comeback.demo.toml`, the docs, the end-to-end
/// harness), and the single secret of earlier demo versions. Anyone has them, so a shop
/// outside demo mode may not use them.
pub const PUBLISHED_DEMO_KEYS: &[&str] = &[
    "demo-token-secret-not-for-production-0123456789",
    "demo-webhook-secret-not-for-production-0123456789",
    "demo-api-key-not-for-production-0123456789",
    "demo-secret-not-for-production-use-0123456789",
];

/// A key from the config file. Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// A key from its value (tests and tools; shops write them in the config file).
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for signing and verifying only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("Secret(..)")
    }
}

/// The three key lists of one shop, by their config key name.
pub(super) fn lists<'a>(
    token_secrets: &'a [Secret],
    webhook_secrets: &'a [Secret],
    api_keys: &'a [Secret],
) -> [(&'static str, &'a [Secret]); 3] {
    [
        ("token_secrets", token_secrets),
        ("webhook_secrets", webhook_secrets),
        ("api_keys", api_keys),
    ]
}

/// Checks one list: 1 to [`MAX_KEYS_PER_LIST`] keys of at least [`MIN_SECRET_LEN`]
/// characters.
pub(super) fn check_list(key: &str, list: &[Secret]) -> Result<(), ConfigError> {
    if list.is_empty() {
        return Err(invalid(
            key,
            "must list at least one key (the first signs, every one verifies)",
        ));
    }
    if list.len() > MAX_KEYS_PER_LIST {
        return Err(invalid(
            key,
            format!(
                "lists at most {MAX_KEYS_PER_LIST} keys (it has {})",
                list.len()
            ),
        ));
    }
    for (index, secret) in list.iter().enumerate() {
        let length = secret.expose().chars().count();
        if length < MIN_SECRET_LEN {
            return Err(invalid(
                format!("{key}[{index}]"),
                format!("must be at least {MIN_SECRET_LEN} characters (it has {length})"),
            ));
        }
    }
    Ok(())
}

/// Every key of every shop is used in one place only (one list of one shop), and the
/// published demo keys only in demo mode. `shops` gives each shop's three lists.
pub(super) fn check_unique<'a>(
    shops: impl Iterator<Item = (&'a str, [(&'static str, &'a [Secret]); 3])>,
    demo_mode: bool,
) -> Result<(), ConfigError> {
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for (shop, shop_lists) in shops {
        for (list_name, list) in shop_lists {
            for (index, secret) in list.iter().enumerate() {
                let here = format!("shops.{shop}.{list_name}[{index}]");
                if !demo_mode && PUBLISHED_DEMO_KEYS.contains(&secret.expose()) {
                    return Err(invalid(
                        here,
                        "is a published demo key, accepted only in demo mode ([demo] enabled = true); generate a key of your own (for example `openssl rand -hex 32`)",
                    ));
                }
                if let Some(first) = seen.get(secret.expose()) {
                    return Err(invalid(
                        here,
                        format!("is the same key as `{first}`; every key must be used in one place only, so one can be rotated or revoked without the others"),
                    ));
                }
                seen.insert(secret.expose(), here);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::Config;

    const TOKEN: &str = "tok-0123456789abcdef0123456789abcdef";
    const HOOK: &str = "hook-0123456789abcdef0123456789abcdef";
    const API: &str = "api-0123456789abcdef0123456789abcdef";

    fn shop(id: &str, token: &str, hook: &str, api: &str) -> String {
        format!(
            "[shops.{id}]\nname = \"Tea\"\ncurrency = \"CNY\"\ntoken_secrets = [\"{token}\"]\nwebhook_secrets = [\"{hook}\"]\napi_keys = [\"{api}\"]\n"
        )
    }

    fn error_of(text: &str) -> String {
        Config::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn three_lists_load_and_the_first_signs() {
        let text = shop("a", TOKEN, HOOK, API).replace(
            &format!("[\"{TOKEN}\"]"),
            &format!("[\"{TOKEN}\", \"old-{TOKEN}\"]"),
        );
        let config = Config::parse(&text).unwrap();
        let shop = config.shop("a").unwrap();
        assert_eq!(shop.token_secrets.len(), 2);
        assert_eq!(shop.token_secrets[0].expose(), TOKEN);
        assert_eq!(format!("{:?}", shop.token_secrets[0]), "Secret(..)");
        assert!(!format!("{shop:?}").contains(TOKEN), "Debug shows no key");
    }

    #[test]
    fn the_old_single_secret_is_an_error_naming_the_new_keys() {
        let text = format!("{}secret = \"{TOKEN}x\"\n", shop("a", TOKEN, HOOK, API));
        let error = error_of(&text);
        assert!(error.starts_with("shops.a.secret"), "{error}");
        for key in ["token_secrets", "webhook_secrets", "api_keys"] {
            assert!(error.contains(key), "{error}");
        }
        assert!(!error.contains(TOKEN), "the error shows no key: {error}");
    }

    #[test]
    fn missing_empty_and_short_keys_are_named() {
        let text = shop("a", TOKEN, HOOK, API);
        let error = error_of(&text.replace(&format!("api_keys = [\"{API}\"]\n"), ""));
        assert!(error.contains("api_keys"), "{error}");
        let error = error_of(&text.replace(&format!("[\"{HOOK}\"]"), "[]"));
        assert!(error.starts_with("shops.a.webhook_secrets"), "{error}");
        let error = error_of(&text.replace(TOKEN, "short"));
        assert!(error.starts_with("shops.a.token_secrets[0]"), "{error}");
        assert!(error.contains("at least 32"), "{error}");
    }

    #[test]
    fn a_key_used_twice_is_named_without_its_value() {
        // Across shops.
        let text = format!(
            "{}{}",
            shop("a", TOKEN, HOOK, API),
            shop(
                "b",
                "t2-0123456789abcdef0123456789abcdef",
                "h2-0123456789abcdef0123456789abcdef",
                API
            )
        );
        let error = error_of(&text);
        assert!(error.starts_with("shops.b.api_keys[0]"), "{error}");
        assert!(error.contains("shops.a.api_keys[0]"), "{error}");
        assert!(!error.contains(API), "{error}");
        // Within a shop, across lists: the API key would mint tokens.
        let error = error_of(&shop("a", TOKEN, HOOK, TOKEN));
        assert!(error.starts_with("shops.a.api_keys[0]"), "{error}");
        assert!(error.contains("shops.a.token_secrets[0]"), "{error}");
    }

    #[test]
    fn published_demo_keys_only_in_demo_mode() {
        for published in super::PUBLISHED_DEMO_KEYS {
            let text = shop("a", TOKEN, published, API);
            let error = error_of(&text);
            assert!(error.starts_with("shops.a.webhook_secrets[0]"), "{error}");
            assert!(error.contains("demo mode"), "{error}");
            let demo = format!("[demo]\nenabled = true\nshop = \"a\"\n{text}");
            assert!(Config::parse(&demo).is_ok(), "{published} in demo mode");
        }
    }
}
