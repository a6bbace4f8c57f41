//! Every kind on a small tea shop whose answers are worked out by hand in the comments.

use comeback_recs::{Kind, Model, Pick, Purchase, Reason, Request, Settings};

const DAY: i64 = 86_400;
const T0: i64 = 1_700_000_000;

/// (customer, order, product, quantity, day)
const ORDERS: &[(&str, &str, &str, u32, i64)] = &[
    ("alice", "a1", "tea", 1, 0),
    ("alice", "a1", "pot", 1, 0),
    ("bob", "b1", "tea", 1, 1),
    ("bob", "b1", "cups", 1, 1),
    ("carol", "c1", "pot", 1, 2),
    ("carol", "c1", "cups", 2, 2),
    ("dave", "d1", "tea", 1, 3),
    ("carol", "c2", "biscuits", 1, 5),
    ("alice", "a2", "tea", 1, 10),
    ("alice", "a3", "tea", 1, 20),
    ("erin", "e1", "biscuits", 3, 29),
];

fn purchases() -> impl Iterator<Item = Purchase<'static>> {
    ORDERS
        .iter()
        .map(|&(customer, order, product, quantity, day)| Purchase {
            customer,
            order,
            product,
            quantity,
            at: T0 + day * DAY,
        })
}

/// The cosine (damping 0.5) with a shrinkage of 2, for round numbers by hand.
fn shop() -> Model {
    let settings = Settings {
        popularity_damping: 0.5,
        shrinkage: 2.0,
        ..Settings::default()
    };
    Model::build(settings, purchases(), T0 + 30 * DAY)
}

fn ask(model: &Model, kind: Kind, customer: Option<&str>, product: Option<&str>) -> Vec<Pick> {
    model.recommend(&Request {
        kind,
        customer,
        product,
        exclude: &[],
        limit: 10,
        now: T0 + 30 * DAY,
    })
}

fn names(picks: &[Pick]) -> Vec<&str> {
    picks.iter().map(|pick| pick.product.as_str()).collect()
}

fn bought_with(product: &str) -> Reason {
    Reason::BoughtWith {
        product: product.to_owned(),
    }
}

#[test]
fn counts() {
    let model = shop();
    assert_eq!(model.products(), 4);
    assert_eq!(model.customers(), 5);
    assert_eq!(model.lines(), 11);
}

#[test]
fn also_bought_ranks_by_damped_cosine_with_shrinkage() {
    // pot (2 buyers) shares one customer with each of cups (2 buyers), biscuits (2:
    // carol, erin) and tea (3): 1/sqrt(2*2)*1/3 = 0.1667 twice, then 1/sqrt(2*3)/3 = 0.136.
    // cups and biscuits tie; cups was seen first.
    let picks = ask(&shop(), Kind::AlsoBought, None, Some("pot"));
    assert_eq!(names(&picks), ["cups", "biscuits", "tea"]);
    assert!((picks[0].score - 1.0 / 6.0).abs() < 1e-6);
    assert!((picks[2].score - 1.0 / 6.0_f32.sqrt() / 3.0).abs() < 1e-6);
    assert!(picks.iter().all(|pick| pick.why == bought_with("pot")));
}

#[test]
fn without_damping_also_bought_is_the_conditional_probability_shrunk() {
    // Damping 0, shrinkage 5: tea's 3 buyers; cups and pot each share 1 of them:
    // 1/3 * 1/6 each, tied: pot was seen first.
    let settings = Settings {
        popularity_damping: 0.0,
        shrinkage: 5.0,
        ..Settings::default()
    };
    let model = Model::build(settings, purchases(), T0 + 30 * DAY);
    let picks = ask(&model, Kind::AlsoBought, None, Some("tea"));
    assert_eq!(names(&picks), ["pot", "cups"]);
    assert!((picks[0].score - 1.0 / 18.0).abs() < 1e-6);
    assert_eq!(picks[0].score, picks[1].score);
}

/// [`shop`]'s cosine, for-you's prior neutral (`n^0 · n / (n + 0)` = 1), its second
/// step weighted `two_hop_weight` and no profile match (the walk's scores as they are).
fn walking(two_hop_weight: f64) -> Model {
    matching(two_hop_weight, 0.0)
}

/// [`walking`] with the profile match weighted `profile_match`.
fn matching(two_hop_weight: f64, profile_match: f64) -> Model {
    let settings = Settings {
        popularity_damping: 0.5,
        shrinkage: 2.0,
        two_hop_weight,
        candidate_popularity: 0.0,
        candidate_support: 0.0,
        profile_match,
        ..Settings::default()
    };
    Model::build(settings, purchases(), T0 + 30 * DAY)
}

/// The weight of a history item last bought on `day`, at day 30 (half-life 120 days).
fn recency(day: f64) -> f32 {
    2f64.powf(-(30.0 - day) / 120.0) as f32
}

#[test]
fn for_you_sums_neighbours_of_the_history_and_leaves_it_out() {
    // bob bought tea and cups (day 1, weight w). One step: pot 0.136 (via tea) + 0.1667
    // (via cups); biscuits 0.1667 via cups only. Cups gives pot more than tea does.
    let picks = ask(&walking(0.0), Kind::ForYou, Some("bob"), None);
    assert_eq!(names(&picks), ["pot", "biscuits"]);
    assert_eq!(picks[0].why, bought_with("cups"));
    assert_eq!(picks[1].why, bought_with("cups"));
    let (tea_pot, cups_pot) = (1.0 / 6.0_f32.sqrt() / 3.0, 1.0 / 6.0);
    assert!((picks[0].score - recency(1.0) * (tea_pot + cups_pot)).abs() < 1e-6);
    assert!((picks[1].score - recency(1.0) / 6.0).abs() < 1e-6);
    // With the defaults' second step and prior the order holds (all have 2 buyers).
    assert_eq!(
        names(&ask(&shop(), Kind::ForYou, Some("bob"), None)),
        ["pot", "biscuits"]
    );
}

#[test]
fn for_you_walks_a_second_step_to_what_the_neighbours_were_bought_with() {
    // dave bought tea (day 3, weight w): one step reaches pot and cups, 0.136 w each
    // (1/sqrt(3*2) * 1/3); nobody bought biscuits with tea.
    let one_step = ask(&walking(0.0), Kind::ForYou, Some("dave"), None);
    assert_eq!(names(&one_step), ["pot", "cups"]);
    // The second step, weight 4, passes pot's 0.136 w on to its neighbours cups and
    // biscuits (0.1667 each: 1/sqrt(2*2) * 1/3), and cups' to pot and biscuits. pot and
    // cups: 0.136 w + 4 * 0.136 w * 0.1667, tied (pot first seen); biscuits:
    // 2 * 4 * 0.136 w * 0.1667, credited to tea, the history item behind both.
    let picks = ask(&walking(4.0), Kind::ForYou, Some("dave"), None);
    assert_eq!(names(&picks), ["pot", "cups", "biscuits"]);
    let (w, tea_pot, pot_cups) = (recency(3.0), 1.0 / 6.0_f32.sqrt() / 3.0, 1.0 / 6.0);
    assert!((picks[0].score - w * tea_pot * (1.0 + 4.0 * pot_cups)).abs() < 1e-6);
    assert_eq!(picks[0].score, picks[1].score);
    assert!((picks[2].score - 2.0 * 4.0 * w * tea_pot * pot_cups).abs() < 1e-6);
    assert_eq!(picks[2].why, bought_with("tea"));
}

#[test]
fn for_you_multiplies_each_candidate_by_its_prior() {
    // As above with the default prior, n^-0.8 * n / (n + 100): every candidate has 2
    // buyers, so each score is scaled by 2^-0.8 * 2 / 102.
    let settings = Settings {
        candidate_popularity: 0.8,
        candidate_support: 100.0,
        ..walking(4.0).settings().clone()
    };
    let model = Model::build(settings, purchases(), T0 + 30 * DAY);
    let neutral = ask(&walking(4.0), Kind::ForYou, Some("dave"), None);
    let picks = ask(&model, Kind::ForYou, Some("dave"), None);
    let prior = 2f32.powf(-0.8) * 2.0 / 102.0;
    assert_eq!(names(&picks), names(&neutral));
    for (pick, plain) in picks.iter().zip(&neutral) {
        assert!((pick.score - plain.score * prior).abs() < 1e-8);
    }
}

#[test]
fn for_you_rescores_candidates_by_how_their_neighbourhood_matches_the_customers() {
    // dave bought tea (weight w). Lists (a = tea's pairs, 1/sqrt(6)/3; b = the others',
    // 1/sqrt(4)/3): tea [pot a, cups a], pot [cups b, biscuits b, tea a], cups [pot b,
    // biscuits b, tea a], biscuits [pot b, cups b]. His profile: tea w (his history),
    // pot and cups w·a (step one), biscuits 0. Each product's share of it, the average of
    // the profile over its list weighted by similarity: tea (a·wa + a·wa) / 2a = wa, pot
    // and cups (b·wa + b·0 + a·w) / (2b + a), biscuits (b·wa + b·wa) / 2b = wa. A
    // candidate's match is the same average of those shares over its own list.
    let (w, a, b) = (recency(3.0), 1.0 / 6.0_f32.sqrt() / 3.0, 1.0 / 6.0);
    let pot_share = (b * w * a + a * w) / (2.0 * b + a);
    let matched = |pot_or_cups: bool| {
        if pot_or_cups {
            (b * pot_share + b * w * a + a * w * a) / (2.0 * b + a)
        } else {
            pot_share // biscuits: (b·pot_share + b·cups_share) / 2b
        }
    };
    // Ranked by the match alone (weight 1), biscuits, whose buyers bought exactly what
    // dave's tea leads to, comes first; the reason stays the walk's (tea).
    let picks = ask(&matching(4.0, 1.0), Kind::ForYou, Some("dave"), None);
    assert_eq!(names(&picks), ["biscuits", "pot", "cups"]);
    assert!((picks[0].score - matched(false)).abs() < 1e-6);
    assert!((picks[1].score - matched(true)).abs() < 1e-6);
    assert_eq!(picks[1].score, picks[2].score);
    assert!(picks.iter().all(|pick| pick.why == bought_with("tea")));
    // At weight 0.3, each score is walk^0.7 · match^0.3 (the walk's scores as in
    // `for_you_walks_a_second_step_to_what_the_neighbours_were_bought_with`).
    let walked = ask(&walking(4.0), Kind::ForYou, Some("dave"), None);
    let picks = ask(&matching(4.0, 0.3), Kind::ForYou, Some("dave"), None);
    assert_eq!(names(&picks), ["pot", "cups", "biscuits"]);
    for (pick, plain) in picks.iter().zip(&walked) {
        let expected = plain.score.powf(0.7) * matched(pick.product != "biscuits").powf(0.3);
        assert!((pick.score - expected).abs() < 1e-6, "{}", pick.product);
    }
}

#[test]
fn for_you_prefers_the_categories_the_customer_buys_from() {
    // dave bought tea, all of his history in the category "tea". Walked as in
    // `for_you_walks_a_second_step_to_what_the_neighbours_were_bought_with`: pot and cups
    // w·a·(1 + 4b), biscuits 8·w·a·b. With categories each is multiplied by
    // (share + 0.1)^0.5: pot (tea, teaware) by 1.1^0.5, cups (teaware) by 0.1^0.5,
    // biscuits (none given) by 1, so biscuits passes cups.
    let mut model = walking(4.0);
    model.set_categories("tea", ["tea"]);
    model.set_categories("pot", ["teaware", "tea", "tea"]);
    model.set_categories("cups", ["teaware"]);
    let (w, a, b) = (recency(3.0), 1.0 / 6.0_f32.sqrt() / 3.0, 1.0 / 6.0);
    let picks = ask(&model, Kind::ForYou, Some("dave"), None);
    assert_eq!(names(&picks), ["pot", "biscuits", "cups"]);
    let expected = [
        w * a * (1.0 + 4.0 * b) * 1.1f32.sqrt(),
        8.0 * w * a * b,
        w * a * (1.0 + 4.0 * b) * 0.1f32.sqrt(),
    ];
    for (pick, expected) in picks.iter().zip(expected) {
        assert!((pick.score - expected).abs() < 1e-6, "{}", pick.product);
    }
    // Weight 0, or no categories for the customer's history, change nothing.
    let plain = ask(&walking(4.0), Kind::ForYou, Some("dave"), None);
    let mut off = Model::build(
        Settings {
            category_match: 0.0,
            ..model.settings().clone()
        },
        purchases(),
        T0 + 30 * DAY,
    );
    off.set_categories("cups", ["teaware"]);
    off.set_categories("tea", ["tea"]);
    assert_eq!(ask(&off, Kind::ForYou, Some("dave"), None), plain);
    model.set_categories("tea", []);
    assert_eq!(ask(&model, Kind::ForYou, Some("dave"), None), plain);
}

#[test]
fn categories_given_before_a_product_is_bought_apply_once_it_is() {
    // A kettle listed in "teaware" before anyone bought it; then gwen buys tea with it,
    // and dave (tea only) reaches it through tea: outside his category, it keeps
    // (0 + 0.1)^0.5 of the score it has without categories.
    let order = [
        Purchase {
            customer: "gwen",
            order: "g1",
            product: "tea",
            quantity: 1,
            at: T0 + 25 * DAY,
        },
        Purchase {
            customer: "gwen",
            order: "g1",
            product: "kettle",
            quantity: 1,
            at: T0 + 25 * DAY,
        },
    ];
    let kettle = |categorised: bool| {
        let mut model = walking(4.0);
        model.set_categories("tea", ["tea"]);
        if categorised {
            model.set_categories("kettle", ["teaware"]);
        }
        model.add_order(&order, T0 + 30 * DAY);
        let picks = ask(&model, Kind::ForYou, Some("dave"), None);
        let pick = picks.iter().find(|pick| pick.product == "kettle").cloned();
        pick.map(|pick| pick.score)
    };
    let (with, without) = (kettle(true).unwrap(), kettle(false).unwrap());
    assert!((with - without * 0.1f32.sqrt()).abs() < 1e-7);
}

#[test]
fn buy_again_follows_the_customers_own_cadence() {
    // alice bought tea on days 0, 10 and 20: every 10 days, due on day 30. Her pot was
    // bought once, and nobody bought a pot twice: no cadence, not listed.
    let picks = ask(&shop(), Kind::BuyAgain, Some("alice"), None);
    assert_eq!(names(&picks), ["tea"]);
    assert_eq!(picks[0].why, Reason::BuyAgain { every_days: 10 });
}

#[test]
fn buy_again_borrows_the_products_cadence_for_an_item_bought_once() {
    // dave bought tea once, on day 3; tea's typical interval is alice's (20 days over
    // 2 gaps): due on day 13.
    let model = shop();
    let at = |day: i64| {
        model.recommend(&Request {
            kind: Kind::BuyAgain,
            customer: Some("dave"),
            product: None,
            exclude: &[],
            limit: 10,
            now: T0 + day * DAY,
        })
    };
    let due = at(13);
    assert_eq!(names(&due), ["tea"]);
    assert_eq!(due[0].why, Reason::BuyAgain { every_days: 10 });
    assert!(due[0].score > at(60)[0].score, "less due long after");
    assert!(due[0].score > at(5)[0].score, "less due just after");
}

#[test]
fn popular_counts_distinct_buyers_then_units() {
    // tea 3 buyers; biscuits 2 buyers and 4 units; cups 2 and 3; pot 2 and 2.
    let picks = ask(&shop(), Kind::Popular, None, None);
    assert_eq!(names(&picks), ["tea", "biscuits", "cups", "pot"]);
    assert_eq!(picks[0].score, 3.0);
    assert!(picks.iter().all(|pick| pick.why == Reason::Popular));
}

#[test]
fn trending_decays_by_the_half_life() {
    // On day 30, erin's 3 biscuits of day 29 weigh 3 * 2^(-1/14) = 2.85, carol's of day
    // 5 0.29: 3.14. tea's five units, 10 to 30 days old: 1.71.
    let picks = ask(&shop(), Kind::Trending, None, None);
    assert_eq!(names(&picks)[..2], ["biscuits", "tea"]);
    let biscuits = 3.0 * 2f64.powf(-1.0 / 14.0) + 2f64.powf(-25.0 / 14.0);
    assert!((f64::from(picks[0].score) - biscuits).abs() < 1e-4);
    assert!(picks.iter().all(|pick| pick.why == Reason::Trending));
}

#[test]
fn new_arrivals_are_the_products_first_seen_within_the_window_newest_first() {
    let mut model = shop();
    model.add_product("kettle", T0 + 25 * DAY);
    model.add_product("mug", T0 + 35 * DAY);
    model.add_product("tea", T0 - 100 * DAY);
    let picks = model.recommend(&Request {
        kind: Kind::NewArrivals,
        customer: None,
        product: None,
        exclude: &[],
        limit: 10,
        now: T0 + 40 * DAY,
    });
    // Since day 10: mug, kettle; biscuits were first sold on day 5.
    assert_eq!(names(&picks), ["mug", "kettle"]);
    assert!(picks.iter().all(|pick| pick.why == Reason::New));
    assert_eq!(model.products(), 6);
    // Listed but never bought: not popular.
    assert!(!names(&ask(&model, Kind::Popular, None, None)).contains(&"kettle"));
}

#[test]
fn blend_fills_personal_then_bought_with_then_popular() {
    // alice: buy-again tea, then for-you biscuits (via pot; cups is the page), then
    // what is bought with cups (pot), then best sellers (nothing left).
    let picks = ask(&shop(), Kind::Blend, Some("alice"), Some("cups"));
    assert_eq!(names(&picks), ["tea", "biscuits", "pot"]);
    assert_eq!(picks[0].why, Reason::BuyAgain { every_days: 10 });
    assert_eq!(picks[1].why, bought_with("pot"));
    assert_eq!(picks[2].why, bought_with("cups"));
    // A guest on no product page gets the best sellers.
    let guest = ask(&shop(), Kind::Blend, None, None);
    assert_eq!(names(&guest), ["tea", "biscuits", "cups", "pot"]);
}

#[test]
fn exclusions_the_page_product_and_the_limit_hold_for_every_kind() {
    let model = shop();
    for kind in Kind::ALL {
        for customer in [None, Some("alice"), Some("bob"), Some("carol")] {
            let picks = model.recommend(&Request {
                kind,
                customer,
                product: Some("pot"),
                exclude: &["tea", "unknown"],
                limit: 2,
                now: T0 + 30 * DAY,
            });
            let list = names(&picks);
            assert!(list.len() <= 2, "{kind:?} {customer:?}");
            assert!(
                !list.contains(&"tea") && !list.contains(&"pot"),
                "{kind:?} {list:?}"
            );
            let mut unique = list.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), list.len(), "{kind:?} {list:?}");
        }
    }
    let popular = model.recommend(&Request {
        kind: Kind::Popular,
        customer: None,
        product: None,
        exclude: &["tea"],
        limit: 2,
        now: T0,
    });
    assert_eq!(names(&popular), ["biscuits", "cups"]);
    assert!(ask(&model, Kind::Popular, None, None)
        .iter()
        .zip(ask(&model, Kind::Popular, None, None).iter().skip(1))
        .all(|(a, b)| a.score >= b.score));
    let none = model.recommend(&Request {
        kind: Kind::Blend,
        customer: Some("alice"),
        product: None,
        exclude: &[],
        limit: 0,
        now: T0,
    });
    assert!(none.is_empty());
}

#[test]
fn personal_kinds_without_a_known_customer_fall_back_to_popular() {
    let model = shop();
    let popular = ask(&model, Kind::Popular, None, None);
    for kind in [Kind::ForYou, Kind::BuyAgain] {
        assert_eq!(ask(&model, kind, None, None), popular);
        assert_eq!(ask(&model, kind, Some("zed"), None), popular);
    }
}

#[test]
fn also_bought_without_a_known_product_falls_back_to_popular() {
    let model = shop();
    let popular = ask(&model, Kind::Popular, None, None);
    assert_eq!(ask(&model, Kind::AlsoBought, None, None), popular);
    assert_eq!(
        ask(&model, Kind::AlsoBought, None, Some("samovar")),
        popular
    );
}

#[test]
fn a_known_customer_with_nothing_to_suggest_gets_an_empty_personal_list() {
    // erin bought only biscuits, once, and nobody bought biscuits twice.
    assert!(ask(&shop(), Kind::BuyAgain, Some("erin"), None).is_empty());
}

#[test]
fn a_model_can_be_shared_between_request_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Model>();
}
