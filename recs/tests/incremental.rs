//! `add_order` one order at a time makes the model a full build of the same lines
//! makes: every answer of every kind, scores included, is the same.

use comeback_recs::{Kind, Model, Pick, Purchase, Request, Settings};
use proptest::prelude::*;

const T0: i64 = 1_700_000_000;

/// One generated order: (customer, [(product, quantity)], day).
type Order = (u8, Vec<(u8, u32)>, i64);

fn lines(index: usize, order: &Order, names: &Names) -> Vec<Purchase<'static>> {
    let (customer, products, day) = order;
    products
        .iter()
        .map(|&(product, quantity)| Purchase {
            customer: names.customers[*customer as usize],
            order: names.orders[index],
            product: names.products[product as usize],
            quantity,
            at: T0 + day * 86_400 + i64::from(*customer),
        })
        .collect()
}

struct Names {
    customers: Vec<&'static str>,
    products: Vec<&'static str>,
    orders: Vec<&'static str>,
}

fn names() -> Names {
    let leak = |prefix: &str, count: usize| -> Vec<&'static str> {
        (0..count)
            .map(|i| &*Box::leak(format!("{prefix}{i}").into_boxed_str()))
            .collect()
    };
    Names {
        customers: leak("c", 8),
        products: leak("p", 12),
        orders: leak("o", 40),
    }
}

/// Every answer the model gives for the customers and products of `names`.
fn answers(model: &Model, names: &Names, now: i64) -> Vec<Vec<Pick>> {
    let customers = names.customers.iter().copied().map(Some).chain([None]);
    let mut all = Vec::new();
    for customer in customers {
        for product in names.products.iter().copied().map(Some).chain([None]) {
            for kind in Kind::ALL {
                all.push(model.recommend(&Request {
                    kind,
                    customer,
                    product,
                    exclude: &[],
                    limit: 20,
                    now,
                }));
            }
        }
    }
    all
}

fn order() -> impl Strategy<Value = Order> {
    (
        0u8..8,
        prop::collection::vec((0u8..12, 0u32..3), 1..5),
        0i64..200,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn add_order_equals_a_full_build(
        orders in prop::collection::vec(order(), 1..40),
        split in 0usize..40,
        neighbours in 1usize..5,
        damping in prop::sample::select(vec![0.0, 0.5, 1.0]),
    ) {
        let names = names();
        let settings = Settings { neighbours, popularity_damping: damping, ..Settings::default() };
        let all: Vec<Vec<Purchase<'static>>> =
            orders.iter().enumerate().map(|(i, order)| lines(i, order, &names)).collect();
        let now = T0 + 210 * 86_400;
        let full = Model::build(settings.clone(), all.iter().flatten().copied(), now);
        let split = split.min(all.len());
        let mut grown = Model::build(settings, all[..split].iter().flatten().copied(), T0);
        for order in &all[split..] {
            grown.add_order(order, now);
        }
        prop_assert_eq!(grown.products(), full.products());
        prop_assert_eq!(grown.customers(), full.customers());
        prop_assert_eq!(grown.lines(), full.lines());
        prop_assert_eq!(answers(&grown, &names, now), answers(&full, &names, now));
    }
}

#[test]
fn the_same_order_twice_counts_once() {
    let names = names();
    let order = lines(0, &(1, vec![(2, 1), (3, 2)], 5), &names);
    let later = lines(1, &(2, vec![(2, 1)], 9), &names);
    let now = T0 + 10 * 86_400;
    let mut once = Model::build(Settings::default(), std::iter::empty(), T0);
    once.add_order(&order, now);
    once.add_order(&later, now);
    let mut twice = Model::build(Settings::default(), order.iter().copied(), T0);
    twice.add_order(&order, now);
    twice.add_order(&later, now);
    twice.add_order(&order, now);
    assert_eq!(twice.lines(), 3);
    assert_eq!(answers(&once, &names, now), answers(&twice, &names, now));
}

#[test]
fn an_order_of_zero_units_changes_nothing() {
    let names = names();
    let mut model = Model::build(Settings::default(), std::iter::empty(), T0);
    model.add_order(&lines(0, &(1, vec![(2, 0)], 5), &names), T0);
    model.add_order(&[], T0);
    assert_eq!(
        (model.products(), model.customers(), model.lines()),
        (0, 0, 0)
    );
}
