//! Tests of parsing and validation, and of the loyalty programme as shoppers see it.

use comeback_core::api::{RewardKind, WayToEarn};
use comeback_core::date::Date;
use comeback_core::earning::EarnLimit;
use comeback_core::tiers::{TierBasis, TierWindow};

use super::*;
use crate::features::loyalty::{Programme, Viewer};

/// The loyalty programme of shop `id`.
fn programme<'a>(config: &'a Config, id: &str) -> Programme<'a> {
    config
        .shop(id)
        .and_then(Programme::of)
        .expect("the shop has a loyalty programme")
}

const GOOD: &str = r#"
[demo]
enabled = true

[shops.demo]
name = "Cloud & Leaf Tea"
token_secrets = ["tok-0123456789abcdef0123456789abcdef"]
webhook_secrets = ["hook-0123456789abcdef0123456789abcdef"]
api_keys = ["api-0123456789abcdef0123456789abcdef"]
allowed_origins = ["http://127.0.0.1:8080"]
currency = "CNY"

[shops.demo.loyalty]
code_prefix = "TEA"

[[shops.demo.loyalty.tiers]]
id = "leaf"
threshold = 0
name = { en = "Green Leaf", "zh-Hans" = "青叶" }

[[shops.demo.loyalty.tiers]]
id = "bud"
threshold = 500
name = { en = "Bud" }

[[shops.demo.loyalty.rewards]]
id = "off-10"
kind = "amount_off"
value = 1000
cost = 500
name = { en = "¥10 off" }
"#;

fn error_of(text: &str) -> String {
    Config::parse(text).unwrap_err().to_string()
}

#[test]
fn the_readme_worked_example_is_a_valid_programme() {
    let readme = include_str!("../../../README.md");
    let start = readme
        .find("```toml\n[shops.tea]")
        .expect("the README's worked example")
        + "```toml\n".len();
    let end = start + readme[start..].find("```").expect("the example's end");
    let config = Config::parse(&readme[start..end]).expect("a valid configuration");
    let shop = programme(&config, "tea");
    assert_eq!(shop.loyalty.punch_cards.len(), 1);
    assert_eq!(shop.tiers()[1].perks.points_multiplier_percent, 150);
}

#[test]
fn a_good_config_loads_with_defaults() {
    let config = Config::parse(GOOD).unwrap();
    assert!(config.demo.enabled);
    assert_eq!(config.demo.customer_id, "c-1001");
    let shop = programme(&config, "demo");
    assert_eq!(shop.shop.rate_limit_per_minute, 120);
    assert_eq!(shop.loyalty.points_per_unit, 1);
    assert_eq!(shop.loyalty.code_valid_days, 30);
    assert_eq!(shop.loyalty.points_expire_after_days, None);
    assert_eq!(shop.shop.currency_exponent(), 2);
    assert_eq!(shop.tiers()[0].name.zh_hans.as_deref(), Some("青叶"));
    let today = Date::parse("2027-03-01").unwrap();
    let viewer = |balance| {
        Some(Viewer {
            balance,
            tier: None,
        })
    };
    assert!(shop.rewards(viewer(500), today)[0].affordable);
    assert!(!shop.rewards(viewer(499), today)[0].affordable);
}

#[test]
fn the_demo_config_in_the_repository_is_valid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../comeback.demo.toml");
    let config = Config::load(&path).unwrap();
    assert!(config.demo.enabled);
    let shop = programme(&config, "demo");
    assert_eq!(shop.loyalty.points_expire_after_days, Some(365));
    let review = shop.action("review").unwrap();
    assert_eq!((review.points, review.daily_cap), (50, Some(150)));
    assert!(shop.action("signup").unwrap().once_per_reference);
    assert_eq!(shop.loyalty.birthday_points, Some(200));
    assert_eq!(shop.loyalty.birthday_name().en, "Birthday gift");
    assert_eq!(shop.loyalty.tier_window, TierWindow::CalendarYear);
    assert_eq!(shop.loyalty.anniversary_points, Some(100));
    assert_eq!(shop.tiers()[2].perks.points_multiplier_percent, 150);
    assert_eq!(
        shop.punch_card_setups()[0].reward_kind,
        RewardKind::FreeProduct
    );
    assert_eq!(
        shop.reward("pay-with-points").unwrap().max_points,
        Some(5000)
    );
}

#[test]
fn birthday_reward_is_optional_and_checked() {
    let shop_of =
        |text: &str| Config::parse(text).map(|config| programme(&config, "demo").loyalty.clone());
    let plain = shop_of(GOOD).unwrap();
    assert_eq!(plain.birthday_points, None);
    assert_eq!(plain.birthday_name().zh_hant.as_deref(), Some("生日禮物"));
    let with = |extra: &str| {
        GOOD.replace(
            "code_prefix = \"TEA\"",
            &format!("code_prefix = \"TEA\"\n{extra}"),
        )
    };
    let named = shop_of(&with(
        "birthday_points = 200\nbirthday_name = { en = \"Happy birthday\" }",
    ))
    .unwrap();
    assert_eq!(named.birthday_points, Some(200));
    assert_eq!(named.birthday_name().en, "Happy birthday");
    assert_eq!(named.birthday_name().zh_hans, None);
    assert!(error_of(&with("birthday_points = 0")).contains("shops.demo.loyalty.birthday_points"));
    assert!(
        error_of(&with("birthday_points = 5\nbirthday_name = { en = \" \" }"))
            .contains("birthday_name.en")
    );
    assert!(error_of(&with("birthday_name = { fr = \"Anniversaire\" }")).contains("fr"));
    assert!(error_of(&with("birthday_pionts = 5")).contains("birthday_pionts"));
}

const ACTIONS: &str = r#"
[[shops.demo.loyalty.actions]]
id = "signup"
points = 100
once_per_reference = true
name = { en = "Create an account" }

[[shops.demo.loyalty.actions]]
id = "review"
points = 50
daily_cap = 150
name = { en = "Write a review", "zh-Hans" = "写评价" }
"#;

fn with_actions(actions: &str) -> String {
    format!("{GOOD}{actions}")
}

#[test]
fn actions_load_with_default_limits_and_follow_the_order_rule() {
    let config = Config::parse(&with_actions(ACTIONS)).unwrap();
    let shop = programme(&config, "demo");
    let signup = shop.action("signup").unwrap();
    assert_eq!(
        signup.limit(),
        EarnLimit {
            once_per_order: true,
            once_per_year: false,
            daily_cap: None,
        }
    );
    assert_eq!(
        shop.action("review").unwrap().limit(),
        EarnLimit {
            once_per_order: false,
            once_per_year: false,
            daily_cap: Some(150),
        }
    );
    assert!(shop.action("nope").is_none());
    let ways = shop.ways_to_earn();
    assert_eq!(ways.len(), 3);
    assert_eq!(ways[0], WayToEarn::Order { points_per_unit: 1 });
    match &ways[2] {
        WayToEarn::Action { id, name, points } => {
            assert_eq!((id.as_str(), *points), ("review", 50));
            assert_eq!(name.zh_hans.as_deref(), Some("写评价"));
        }
        other => panic!("expected an action, got {other:?}"),
    }
    let without = Config::parse(GOOD).unwrap();
    assert_eq!(programme(&without, "demo").ways_to_earn().len(), 1);
}

#[test]
fn bad_actions_are_named() {
    let cases = [
        (
            ACTIONS.replace("id = \"signup\"", "id = \"sign up\""),
            "shops.demo.loyalty.actions[0].id",
            "A-Z",
        ),
        (
            ACTIONS.replace("id = \"review\"", "id = \"signup\""),
            "shops.demo.loyalty.actions[1].id",
            "used twice",
        ),
        (
            ACTIONS.replace("points = 100", "points = 0"),
            "shops.demo.loyalty.actions[0].points",
            "at least 1",
        ),
        (
            ACTIONS.replace("daily_cap = 150", "daily_cap = 0"),
            "shops.demo.loyalty.actions[1].daily_cap",
            "at least 1",
        ),
        (
            ACTIONS.replace("en = \"Create an account\"", "en = \" \""),
            "shops.demo.loyalty.actions[0].name.en",
            "must not be empty",
        ),
    ];
    for (actions, key, message) in cases {
        let error = error_of(&with_actions(&actions));
        assert!(error.contains(key), "expected `{key}` in `{error}`");
        assert!(error.contains(message), "expected `{message}` in `{error}`");
    }
    let long_id = "a".repeat(65);
    let error = error_of(&with_actions(
        &ACTIONS.replace("id = \"signup\"", &format!("id = \"{long_id}\"")),
    ));
    assert!(error.contains("actions[0].id"), "{error}");
}

#[test]
fn actions_reject_unknown_and_missing_keys() {
    let error = error_of(&with_actions(
        &ACTIONS.replace("once_per_reference = true", "once_per_order = true"),
    ));
    assert!(error.contains("once_per_order"), "{error}");
    let error = error_of(&with_actions(&ACTIONS.replace("points = 100\n", "")));
    assert!(error.contains("points"), "{error}");
    let error = error_of(&with_actions(&ACTIONS.replace(
        "name = { en = \"Create an account\" }",
        "name = { fr = \"Créer\" }",
    )));
    assert!(error.contains("fr"), "{error}");
}

#[test]
fn tier_windows_bases_and_perks_load_and_are_checked() {
    let plain = Config::parse(GOOD).unwrap();
    let loyalty = programme(&plain, "demo").loyalty;
    assert_eq!(
        (loyalty.tier_basis, loyalty.tier_window),
        (TierBasis::PointsEarned, TierWindow::Lifetime)
    );
    assert!(programme(&plain, "demo").tiers()[1].perks.is_empty());
    let text = GOOD
        .replace(
            "code_prefix = \"TEA\"",
            "code_prefix = \"TEA\"\ntier_basis = \"money_spent\"\ntier_window = \"rolling_12_months\"",
        )
        .replace(
            "threshold = 500\n",
            "threshold = 500\npoints_multiplier = 1.25\nbirthday_bonus = 50\nfree_shipping = true\n",
        );
    let config = Config::parse(&text).unwrap();
    let shop = programme(&config, "demo");
    assert_eq!(shop.loyalty.tier_basis, TierBasis::MoneySpent);
    assert_eq!(shop.loyalty.tier_window, TierWindow::Rolling12Months);
    let bud = &shop.tiers()[1].perks;
    assert_eq!(
        (
            bud.points_multiplier_percent,
            bud.birthday_bonus,
            bud.free_shipping
        ),
        (125, 50, true)
    );
    let today = Date::parse("2027-03-01").unwrap();
    assert_eq!(
        shop.programme(today).tier_window,
        TierWindow::Rolling12Months
    );
    let with_bud =
        |extra: &str| GOOD.replace("threshold = 500\n", &format!("threshold = 500\n{extra}\n"));
    for bad in ["0.99", "10.01", "1.255", "-2"] {
        let error = error_of(&with_bud(&format!("points_multiplier = {bad}")));
        assert!(
            error.starts_with("shops.demo.loyalty.tiers[1].points_multiplier"),
            "{error}"
        );
    }
    for good in ["1", "10", "1.5", "2.75"] {
        assert!(Config::parse(&with_bud(&format!("points_multiplier = {good}"))).is_ok());
    }
    assert!(error_of(&with_bud("birthday_bonus = -1"))
        .starts_with("shops.demo.loyalty.tiers[1].birthday_bonus"));
    assert!(error_of(&GOOD.replace(
        "code_prefix = \"TEA\"",
        "code_prefix = \"TEA\"\ntier_window = \"monthly\""
    ))
    .contains("tier_window"));
    assert!(error_of(&with_bud("points_multipler = 2")).contains("points_multipler"));
    assert_eq!(multiplier_percent(1.1), Some(110));
    assert_eq!(multiplier_percent(f64::NAN), None);
}

#[test]
fn anniversary_reward_is_optional_checked_and_reserved() {
    let with = |extra: &str| {
        GOOD.replace(
            "code_prefix = \"TEA\"",
            &format!("code_prefix = \"TEA\"\n{extra}"),
        )
    };
    let config = Config::parse(&with("anniversary_points = 100\nbirthday_points = 200")).unwrap();
    let shop = programme(&config, "demo");
    assert_eq!(shop.loyalty.anniversary_name().en, "Anniversary gift");
    let ways = shop.ways_to_earn();
    assert_eq!(
        &ways[1..],
        [
            WayToEarn::Birthday { points: 200 },
            WayToEarn::Anniversary { points: 100 }
        ]
    );
    assert!(error_of(&with("anniversary_points = 0"))
        .starts_with("shops.demo.loyalty.anniversary_points"));
    assert!(error_of(&with(
        "anniversary_points = 5\nanniversary_name = { en = \"\" }"
    ))
    .contains("anniversary_name.en"));
    let reserved = with_actions(&ACTIONS.replace("id = \"review\"", "id = \"anniversary\""));
    let error = error_of(&reserved);
    assert!(
        error.starts_with("shops.demo.loyalty.actions[1].id"),
        "{error}"
    );
    assert!(error.contains("reserved"), "{error}");
}

#[test]
fn reward_kinds_and_access_are_checked() {
    let with = |reward: &str| {
        format!("{GOOD}\n[[shops.demo.loyalty.rewards]]\nid = \"extra\"\nname = {{ en = \"Extra\" }}\n{reward}\n")
    };
    let good = [
        "kind = \"free_product\"\nproduct_id = \"sku-1\"\ncost = 800",
        "kind = \"points_at_checkout\"\ncost = 100\nvalue = 100\nmax_points = 5000",
        "kind = \"points_at_checkout\"\ncost = 100\nvalue = 100",
        "kind = \"free_shipping\"\ncost = 10\ntiers = [\"bud\"]\nearly_access_until = \"2027-03-01\"",
    ];
    for reward in good {
        assert!(Config::parse(&with(reward)).is_ok(), "{reward}");
    }
    let config = Config::parse(&with(good[3])).unwrap();
    let shop = programme(&config, "demo");
    assert_eq!(shop.tiers()[1].perks.exclusive_rewards, ["extra"]);
    assert!(shop.tiers()[0].perks.exclusive_rewards.is_empty());
    let day = |iso: &str| Date::parse(iso).unwrap();
    let extra = shop.reward("extra").unwrap();
    assert!(!extra.eligible(Some("leaf"), day("2027-03-01")));
    assert!(extra.eligible(Some("bud"), day("2027-03-01")));
    assert!(extra.eligible(None, day("2027-03-02")));
    let bad = [
        ("kind = \"free_product\"\ncost = 800", "rewards[1].product_id"),
        ("kind = \"free_product\"\nproduct_id = \" \"\ncost = 800", "rewards[1].product_id"),
        ("kind = \"amount_off\"\nvalue = 5\nproduct_id = \"sku-1\"\ncost = 800", "rewards[1].product_id"),
        ("kind = \"points_at_checkout\"\ncost = 100", "rewards[1].value"),
        ("kind = \"points_at_checkout\"\ncost = 100\nvalue = 1\nmax_points = 150", "rewards[1].max_points"),
        ("kind = \"points_at_checkout\"\ncost = 100\nvalue = 1\nmax_points = 0", "rewards[1].max_points"),
        ("kind = \"free_shipping\"\ncost = 100\nmax_points = 200", "rewards[1].max_points"),
        ("kind = \"free_shipping\"\ncost = 1\ntiers = [\"gold\"]", "rewards[1].tiers[0]"),
        ("kind = \"free_shipping\"\ncost = 1\nearly_access_until = \"2027-03-01\"", "rewards[1].early_access_until"),
        ("kind = \"free_shipping\"\ncost = 1\ntiers = [\"bud\"]\nearly_access_until = \"2027-02-30\"", "early_access_until"),
    ];
    for (reward, key) in bad {
        let error = error_of(&with(reward));
        assert!(error.contains(key), "{reward}: {error}");
    }
    let early = |table: &str| format!("{GOOD}\n[[shops.demo.loyalty.early_access]]\n{table}\n");
    let config = Config::parse(&early(
        "product_ids = [\"a\", \"b\"]\ntiers = [\"bud\"]\nuntil = \"2027-03-01\"",
    ))
    .unwrap();
    let shop = programme(&config, "demo");
    assert_eq!(
        shop.early_access_products(Some("bud"), day("2027-03-01")),
        ["a", "b"]
    );
    assert!(shop
        .early_access_products(Some("leaf"), day("2027-03-01"))
        .is_empty());
    for (table, key) in [
        (
            "product_ids = []\ntiers = [\"bud\"]\nuntil = \"2027-03-01\"",
            "early_access[0].product_ids",
        ),
        (
            "product_ids = [\"a\"]\ntiers = []\nuntil = \"2027-03-01\"",
            "early_access[0].tiers",
        ),
        (
            "product_ids = [\"a\"]\ntiers = [\"gold\"]\nuntil = \"2027-03-01\"",
            "early_access[0].tiers[0]",
        ),
        ("product_ids = [\"a\"]\ntiers = [\"bud\"]", "until"),
    ] {
        let error = error_of(&early(table));
        assert!(error.contains(key), "{table}: {error}");
    }
}

#[test]
fn punch_cards_load_and_bad_ones_are_named() {
    let card_only = "[[shops.demo.loyalty.rewards]]\nid = \"free-tea\"\nkind = \"free_product\"\nproduct_id = \"tea\"\nname = { en = \"Free tea\" }\n";
    let with = |card: &str| {
        format!("{GOOD}\n{card_only}\n[[shops.demo.loyalty.punch_cards]]\nname = {{ en = \"Card\" }}\n{card}\n")
    };
    let config = Config::parse(&with("id = \"teas\"\nrequired = 5\nreward = \"free-tea\"\nmin_spend = 1000\nproduct_ids = [\"tea-1\"]\nwindow_days = 90")).unwrap();
    let shop = programme(&config, "demo");
    let today = Date::parse("2027-03-01").unwrap();
    assert!(shop
        .rewards(None, today)
        .iter()
        .all(|reward| reward.id != "free-tea"));
    let cards = shop.punch_cards(&[]);
    assert_eq!(
        (
            cards[0].required,
            cards[0].filled,
            cards[0].reward_name.en.as_str()
        ),
        (5, 0, "Free tea")
    );
    assert_eq!(shop.punch_card_setups()[0].rule.window_days, Some(90));
    for (card, key) in [
        (
            "id = \"teas\"\nrequired = 0\nreward = \"free-tea\"",
            "punch_cards[0].required",
        ),
        (
            "id = \"teas\"\nrequired = 5\nreward = \"nope\"",
            "punch_cards[0].reward",
        ),
        (
            "id = \"te as\"\nrequired = 5\nreward = \"free-tea\"",
            "punch_cards[0].id",
        ),
        (
            "id = \"teas\"\nrequired = 5\nreward = \"free-tea\"\nmin_spend = -1",
            "punch_cards[0].min_spend",
        ),
        (
            "id = \"teas\"\nrequired = 5\nreward = \"free-tea\"\nwindow_days = 0",
            "punch_cards[0].window_days",
        ),
        (
            "id = \"teas\"\nrequired = 5\nreward = \"free-tea\"\nproduct_ids = [\"\"]",
            "punch_cards[0].product_ids",
        ),
    ] {
        let error = error_of(&with(card));
        assert!(error.contains(key), "{card}: {error}");
    }
    // A reward without a cost must be a card's.
    let error = error_of(&format!("{GOOD}\n{card_only}"));
    assert!(error.contains("rewards[1].cost"), "{error}");
}

#[test]
fn points_expiry_accepts_the_documented_range() {
    for days in [1, 365, 3650] {
        let text = GOOD.replace(
            "code_prefix = \"TEA\"",
            &format!("code_prefix = \"TEA\"\npoints_expire_after_days = {days}"),
        );
        let config = Config::parse(&text).unwrap();
        assert_eq!(
            programme(&config, "demo").loyalty.points_expire_after_days,
            Some(days)
        );
    }
}

#[test]
fn short_key_is_named() {
    let error = error_of(&GOOD.replace("api-0123456789abcdef0123456789abcdef", "short"));
    assert!(error.contains("shops.demo.api_keys[0]"), "{error}");
    assert!(error.contains("at least 32"), "{error}");
}

#[test]
fn bad_values_are_named() {
    let cases = [
        (GOOD.replace("\"CNY\"", "\"yuan\""), "shops.demo.currency"),
        (
            GOOD.replace("\"TEA\"", "\"tea\""),
            "shops.demo.loyalty.code_prefix",
        ),
        (
            GOOD.replace("threshold = 500", "threshold = 0"),
            "shops.demo.loyalty.tiers",
        ),
        (GOOD.replace("cost = 500", "cost = 0"), "rewards[0].cost"),
        (
            GOOD.replace(
                "code_prefix = \"TEA\"",
                "code_prefix = \"TEA\"\npoints_expire_after_days = 0",
            ),
            "shops.demo.loyalty.points_expire_after_days",
        ),
        (
            GOOD.replace(
                "code_prefix = \"TEA\"",
                "code_prefix = \"TEA\"\npoints_expire_after_days = 3651",
            ),
            "shops.demo.loyalty.points_expire_after_days",
        ),
        (
            GOOD.replace("kind = \"amount_off\"", "kind = \"percent_off\""),
            "rewards[0].value",
        ),
        (
            GOOD.replace("\"http://127.0.0.1:8080\"", "\"http://x.test/path\""),
            "allowed_origins[0]",
        ),
    ];
    for (text, key) in cases {
        let error = error_of(&text);
        assert!(error.contains(key), "expected `{key}` in `{error}`");
    }
    let twice = format!(
        "{GOOD}\n[[shops.demo.loyalty.rewards]]\nid = \"off-10\"\nkind = \"free_shipping\"\ncost = 3\nname = {{ en = \"x\" }}\n"
    );
    assert!(error_of(&twice).contains("used twice"));
}

#[test]
fn unknown_keys_are_rejected() {
    let error = error_of(&GOOD.replace(
        "code_prefix = \"TEA\"",
        "code_prefix = \"TEA\"\ncode_prefx = 1",
    ));
    assert!(error.contains("code_prefx"), "{error}");
    let error = error_of(&GOOD.replace("\"zh-Hans\" = \"青叶\"", "\"zh-CN\" = \"青叶\""));
    assert!(error.contains("zh-CN"), "{error}");
}

#[test]
fn webhooks_load_with_defaults_and_bad_values_are_named() {
    let with = |table: &str| format!("{GOOD}\n[shops.demo.webhooks]\n{table}\n");
    let config = Config::parse(&with("url = \"https://shop.example/hooks\"")).unwrap();
    let webhooks = config.shop("demo").unwrap().webhooks.clone().unwrap();
    assert_eq!(webhooks.events.len(), 14);
    assert!(webhooks.sends("help.ticket_created"));
    assert!(webhooks.sends("survey.response"));
    assert!(webhooks.sends("referral.converted"));
    assert!(webhooks.sends("referral.reward_paid"));
    assert!(webhooks.sends("referral.cancelled"));
    assert!(webhooks.sends("subscription.renewal_due"));
    assert!(webhooks.sends("subscription.cancelled"));
    assert!(webhooks.sends("punch_card.completed"));
    assert_eq!(webhooks.points_expiring_days, 7);
    assert!(webhooks.sends("tier.changed"));
    assert!(webhooks.sends("preferences.changed"));
    assert!(Config::parse(GOOD)
        .unwrap()
        .shop("demo")
        .unwrap()
        .webhooks
        .is_none());
    let config = Config::parse(&with(
        "url = \"http://127.0.0.1:9/x\"\nevents = [\"reward.redeemed\"]\npoints_expiring_days = 60",
    ))
    .unwrap();
    let webhooks = config.shop("demo").unwrap().webhooks.clone().unwrap();
    assert!(webhooks.sends("reward.redeemed") && !webhooks.sends("tier.changed"));
    for (table, key) in [
        ("url = \"ftp://shop.example\"", "shops.demo.webhooks.url"),
        ("url = \"not a url\"", "shops.demo.webhooks.url"),
        (
            "url = \"https://a.example\"\nevents = [\"order.paid\"]",
            "shops.demo.webhooks.events[0]",
        ),
        (
            "url = \"https://a.example\"\npoints_expiring_days = 0",
            "shops.demo.webhooks.points_expiring_days",
        ),
        (
            "url = \"https://a.example\"\npoints_expiring_days = 61",
            "shops.demo.webhooks.points_expiring_days",
        ),
    ] {
        let error = error_of(&with(table));
        assert!(error.starts_with(key), "{table}: {error}");
    }
    assert!(error_of(&with("url = \"https://a.example\"\nsecret = \"x\"")).contains("secret"));
    assert!(error_of(&with("events = []")).contains("url"));
}

#[test]
fn every_feature_section_is_optional() {
    let text = "[shops.plain]\nname = \"Plain\"\ntoken_secrets = [\"tok-0123456789abcdef0123456789abcdef\"]\nwebhook_secrets = [\"hook-0123456789abcdef0123456789abcdef\"]\napi_keys = [\"api-0123456789abcdef0123456789abcdef\"]\ncurrency = \"EUR\"\n";
    let config = Config::parse(text).unwrap();
    let shop = config.shop("plain").unwrap();
    assert!(shop.loyalty.is_none() && shop.webhooks.is_none());
    assert!(Programme::of(shop).is_none());
    assert_eq!(shop.reward_product("anything"), None);
    // A section that is present is still checked.
    let error = error_of(&format!(
        "{text}[shops.plain.loyalty]\ncode_prefix = \"x\"\n"
    ));
    assert!(
        error.starts_with("shops.plain.loyalty.code_prefix"),
        "{error}"
    );
}

#[test]
fn no_shops_is_an_error() {
    assert!(error_of("").contains("no shop"));
}

#[test]
fn settings_defaults_and_overrides() {
    let settings = Settings::from_lookup(|_| None).unwrap();
    assert_eq!(settings.port, 8080);
    assert_eq!(settings.host, "127.0.0.1");
    assert_eq!(settings.database_url, "sqlite://data/comeback.db");
    let settings = Settings::from_lookup(|name| match name {
        "PORT" => Some("9000".into()),
        "DATABASE_URL" => Some("postgres://x/y".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(
        (settings.port, settings.database_url.as_str()),
        (9000, "postgres://x/y")
    );
    assert!(Settings::from_lookup(|name| (name == "PORT").then(|| "http".into())).is_err());
    assert_eq!(Settings::default().pool().max_connections, None);
    let settings = Settings::from_lookup(|name| match name {
        "DATABASE_MAX_CONNECTIONS" => Some("4".into()),
        "DATABASE_ACQUIRE_TIMEOUT_SECONDS" => Some("2".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(settings.pool().max_connections, Some(4));
    assert_eq!(settings.pool().acquire_timeout.as_secs(), 2);
    for name in [
        "DATABASE_MAX_CONNECTIONS",
        "DATABASE_ACQUIRE_TIMEOUT_SECONDS",
    ] {
        let error = Settings::from_lookup(|asked| (asked == name).then(|| "0".into())).unwrap_err();
        assert!(error.to_string().starts_with(name), "{error}");
    }
}

const REFERRALS: &str = r#"
[shops.demo.referrals]
landing_url = "/"
time_zone = "Asia/Shanghai"

[shops.demo.referrals.advocate_reward]
kind = "points"
value = 500

[shops.demo.referrals.friend_reward]
kind = "percent_off"
value = 15
"#;

#[test]
fn referrals_load_with_defaults() {
    let config = Config::parse(&format!("{GOOD}{REFERRALS}")).unwrap();
    let referrals = config.shop("demo").unwrap().referrals.clone().unwrap();
    assert_eq!(referrals.param, "ref");
    assert_eq!(referrals.window_days, 30);
    assert_eq!(referrals.hold_days, 30);
    assert_eq!(referrals.minimum_order, 0);
    assert_eq!(referrals.max_per_address_per_week, None);
    assert_eq!(referrals.advocate_cap, None);
    assert_eq!(referrals.friend_code_prefix, "FRIEND");
    assert_eq!(referrals.reward_code_prefix, "THANKS");
    assert_eq!(referrals.friend_reward.valid_days(), 30);
    // A path stays a path; a URL with a query gets `&`, a fragment stays last.
    assert_eq!(referrals.link("K7M-2QX"), "/?ref=K7M-2QX");
    let mut other = referrals.clone();
    other.landing_url = "https://tea.example/landing?utm=x#top".into();
    assert_eq!(
        other.link("K7M-2QX"),
        "https://tea.example/landing?utm=x&ref=K7M-2QX#top"
    );
    // 23:30 UTC is the next morning in Shanghai.
    assert_eq!(
        referrals.local_date(1_803_684_600).to_iso(),
        Date::from_unix_seconds(1_803_684_600 + 8 * 3600).to_iso()
    );
}

#[test]
fn bad_referral_values_are_named() {
    let with = |from: &str, to: &str| error_of(&format!("{GOOD}{}", REFERRALS.replace(from, to)));
    let cases = [
        (
            with("landing_url = \"/\"", "landing_url = \"tea.example\""),
            "shops.demo.referrals.landing_url",
        ),
        (
            with(
                "landing_url = \"/\"",
                "landing_url = \"/\"\nparam = \"r f\"",
            ),
            "shops.demo.referrals.param",
        ),
        (
            with(
                "landing_url = \"/\"",
                "landing_url = \"/\"\nwindow_days = 0",
            ),
            "shops.demo.referrals.window_days",
        ),
        (
            with(
                "landing_url = \"/\"",
                "landing_url = \"/\"\nwindow_days = 366",
            ),
            "shops.demo.referrals.window_days",
        ),
        (
            with(
                "landing_url = \"/\"",
                "landing_url = \"/\"\nhold_days = 366",
            ),
            "shops.demo.referrals.hold_days",
        ),
        (
            with("Asia/Shanghai", "Asia/Atlantis"),
            "shops.demo.referrals.time_zone",
        ),
        (
            with(
                "landing_url = \"/\"",
                "landing_url = \"/\"\nminimum_order = -1",
            ),
            "shops.demo.referrals.minimum_order",
        ),
        (
            with(
                "landing_url = \"/\"",
                "landing_url = \"/\"\nadvocate_cap = 0",
            ),
            "shops.demo.referrals.advocate_cap",
        ),
        (
            with(
                "landing_url = \"/\"",
                "landing_url = \"/\"\nmax_per_address_per_week = 0",
            ),
            "shops.demo.referrals.max_per_address_per_week",
        ),
        (
            with(
                "landing_url = \"/\"",
                "landing_url = \"/\"\nfriend_code_prefix = \"friend\"",
            ),
            "shops.demo.referrals.friend_code_prefix",
        ),
        (
            with("value = 500", "value = 0"),
            "shops.demo.referrals.advocate_reward.value",
        ),
        (
            with("value = 500", "value = 500\nvalid_days = 30"),
            "shops.demo.referrals.advocate_reward.valid_days",
        ),
        (
            with("value = 15", "value = 101"),
            "shops.demo.referrals.friend_reward.value",
        ),
        (
            with(
                "kind = \"percent_off\"\nvalue = 15",
                "kind = \"free_shipping\"\nvalue = 5",
            ),
            "shops.demo.referrals.friend_reward.value",
        ),
        (
            with("value = 15", "value = 15\nvalid_days = 0"),
            "shops.demo.referrals.friend_reward.valid_days",
        ),
    ];
    for (error, key) in cases {
        assert!(error.contains(key), "{key}: {error}");
    }
    // The friend's reward is a code, never points.
    let error = with("kind = \"percent_off\"", "kind = \"points\"");
    assert!(error.contains("friend_reward.kind"), "{error}");
    assert!(error.contains("not points"), "{error}");
    // Points for the advocate need the loyalty programme.
    let without_loyalty = format!("{GOOD}{REFERRALS}").replace(
        "[shops.demo.loyalty]\ncode_prefix = \"TEA\"",
        "[shops.demo.help]",
    );
    let without_loyalty = without_loyalty
        .split("[[shops.demo.loyalty.tiers]]")
        .next()
        .unwrap()
        .to_owned()
        + REFERRALS;
    let error = error_of(&without_loyalty);
    assert!(error.contains("advocate_reward.kind"), "{error}");
    assert!(error.contains("loyalty"), "{error}");
    // A code for the advocate needs no loyalty.
    let code = without_loyalty.replace(
        "kind = \"points\"\nvalue = 500",
        "kind = \"amount_off\"\nvalue = 2000",
    );
    assert!(Config::parse(&code).is_ok(), "{}", error_of(&code));
}
