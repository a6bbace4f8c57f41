//! The demo tea shop's catalogue and a year of other customers' orders, so that every
//! recommendation kind has something to say in the demo: teaware bought with the teas
//! it suits, teas bought again on each customer's own cadence, a new arrival and a tea
//! that is sold out. Deterministic (a fixed seed) and idempotent: fixed product
//! versions and order ids make every later start change nothing.

use comeback_core::api::OrderLine;
use comeback_core::catalogue::Product;
use comeback_core::LocalizedText;

use crate::error::AppError;
use crate::store::ImportedOrder;
use crate::AppState;

const DAY: i64 = 86_400;

/// A product of the demo catalogue: id, English and Chinese (Simplified, Traditional)
/// titles, price in fen, whether it is a tea (bought again) and whether it is in stock.
struct DemoProduct {
    id: &'static str,
    en: &'static str,
    hans: &'static str,
    hant: &'static str,
    price: i64,
    tea: bool,
    in_stock: bool,
}

const fn item(
    id: &'static str,
    en: &'static str,
    hans: &'static str,
    hant: &'static str,
    price: i64,
    tea: bool,
) -> DemoProduct {
    DemoProduct {
        id,
        en,
        hans,
        hant,
        price,
        tea,
        in_stock: true,
    }
}

const CATALOGUE: [DemoProduct; 14] = [
    item(
        "wuyi-oolong-100g",
        "Wuyi Rock Oolong",
        "武夷岩茶",
        "武夷岩茶",
        12_800,
        true,
    ),
    item(
        "longjing-green-100g",
        "West Lake Longjing",
        "西湖龙井",
        "西湖龍井",
        15_800,
        true,
    ),
    item(
        "puer-cake-357g",
        "Aged Pu'er Cake",
        "普洱熟饼",
        "普洱熟餅",
        23_800,
        true,
    ),
    item(
        "silver-needle-50g",
        "Silver Needle",
        "白毫银针",
        "白毫銀針",
        19_800,
        true,
    ),
    item(
        "jasmine-pearls-50g",
        "Jasmine Pearls",
        "茉莉龙珠",
        "茉莉龍珠",
        9_650,
        true,
    ),
    item(
        "keemun-black-100g",
        "Keemun Black",
        "祁门红茶",
        "祁門紅茶",
        17_800,
        true,
    ),
    item(
        "tieguanyin-100g",
        "Anxi Tieguanyin",
        "安溪铁观音",
        "安溪鐵觀音",
        13_800,
        true,
    ),
    item(
        "gaiwan-white",
        "White Porcelain Gaiwan",
        "白瓷盖碗",
        "白瓷蓋碗",
        14_000,
        false,
    ),
    item(
        "yixing-teapot",
        "Yixing Clay Teapot",
        "宜兴紫砂壶",
        "宜興紫砂壺",
        48_000,
        false,
    ),
    item(
        "tasting-cups",
        "Tasting Cups, Set of Six",
        "品茗杯六只装",
        "品茗杯六隻裝",
        8_800,
        false,
    ),
    item(
        "tea-towel",
        "Linen Tea Towel",
        "亚麻茶巾",
        "亞麻茶巾",
        13_200,
        false,
    ),
    item(
        "bamboo-tray",
        "Bamboo Tea Tray",
        "竹制茶盘",
        "竹製茶盤",
        26_000,
        false,
    ),
    item(
        "osmanthus-oolong-100g",
        "Osmanthus Oolong",
        "桂花乌龙",
        "桂花烏龍",
        11_800,
        true,
    ),
    DemoProduct {
        in_stock: false,
        ..item(
            "dahongpao-50g",
            "Da Hong Pao",
            "大红袍",
            "大紅袍",
            32_800,
            true,
        )
    },
];

/// Which product is new: listed three days before the seed, the others a year before.
const NEW_ARRIVAL: &str = "osmanthus-oolong-100g";

/// The teaware each tea is most often bought with.
const COMPANIONS: [(&str, &str); 6] = [
    ("wuyi-oolong-100g", "gaiwan-white"),
    ("tieguanyin-100g", "gaiwan-white"),
    ("puer-cake-357g", "yixing-teapot"),
    ("keemun-black-100g", "yixing-teapot"),
    ("longjing-green-100g", "tasting-cups"),
    ("silver-needle-50g", "tasting-cups"),
];

/// Other customers in the history.
const CUSTOMERS: u64 = 160;

/// A small deterministic generator (SplitMix64): the same history at every start.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// An index of `weights`, each as likely as its weight.
    fn pick(&mut self, weights: &[u64]) -> usize {
        let mut roll = self.below(weights.iter().sum());
        for (index, weight) in weights.iter().enumerate() {
            if roll < *weight {
                return index;
            }
            roll -= weight;
        }
        0
    }
}

/// How often each tea (in catalogue order) is a customer's favourite.
const FAVOURITE_WEIGHTS: [u64; 8] = [30, 22, 16, 12, 8, 6, 4, 2];

fn product(demo: &DemoProduct) -> Product {
    Product {
        id: demo.id.to_owned(),
        title: LocalizedText {
            en: demo.en.to_owned(),
            zh_hans: Some(demo.hans.to_owned()),
            zh_hant: Some(demo.hant.to_owned()),
        },
        description: None,
        price: demo.price,
        compare_at_price: None,
        url: "/product.html".to_owned(),
        image: Some(format!("/img/{}.svg", demo.id)),
        in_stock: demo.in_stock,
        categories: vec![if demo.tea { "tea" } else { "teaware" }.to_owned()],
        updated_at: "2026-01-01T00:00:00Z".to_owned(),
    }
}

fn price_of(id: &str) -> i64 {
    CATALOGUE
        .iter()
        .find(|demo| demo.id == id)
        .map_or(0, |demo| demo.price)
}

fn line(id: &str, quantity: i64) -> OrderLine {
    OrderLine {
        product_id: id.to_owned(),
        quantity,
        unit_price: price_of(id),
        subscription: None,
    }
}

/// A year of orders by [`CUSTOMERS`] customers, ending `now`: each has a favourite tea
/// bought again every 30 to 75 days, a first order that often brings the teaware the
/// tea suits, and now and then a second tea or a towel and tray.
fn history(now: i64) -> Vec<ImportedOrder> {
    let mut dice = Dice(0x7EA5_4F0B);
    let teas: Vec<&DemoProduct> = CATALOGUE
        .iter()
        .filter(|demo| demo.tea && demo.id != NEW_ARRIVAL)
        .collect();
    let mut orders = Vec::new();
    for customer in 0..CUSTOMERS {
        // Popularity falls off: the first teas are everyone's favourites.
        let favourite = teas[dice.pick(&FAVOURITE_WEIGHTS).min(teas.len() - 1)].id;
        let cadence = 30 + i64::try_from(dice.below(46)).unwrap_or(0);
        let mut at = now - 360 * DAY + i64::try_from(dice.below(120)).unwrap_or(0) * DAY;
        let mut number = 0;
        while at < now - DAY {
            let mut lines = vec![line(favourite, 1 + i64::from(dice.below(4) == 0))];
            if number == 0 {
                if let Some((_, ware)) = COMPANIONS.iter().find(|(tea, _)| *tea == favourite) {
                    if dice.below(10) < 7 {
                        lines.push(line(ware, 1));
                    }
                }
                if dice.below(4) == 0 {
                    lines.push(line("tasting-cups", 1));
                }
            } else if dice.below(5) == 0 {
                let other = teas[usize::try_from(dice.below(teas.len() as u64)).unwrap_or(0)].id;
                if other != favourite {
                    lines.push(line(other, 1));
                }
            }
            if dice.below(40) == 0 {
                lines.push(line("tea-towel", 1));
                lines.push(line("bamboo-tray", 1));
            }
            orders.push(ImportedOrder {
                order_id: format!("demo-history-{customer}-{number}"),
                customer_id: format!("c-{}", 2000 + customer),
                placed_at: at,
                lines,
            });
            number += 1;
            // About on cadence: a few days early or late.
            at += (cadence - 5 + i64::try_from(dice.below(11)).unwrap_or(0)) * DAY;
        }
    }
    orders
}

/// Seeds the demo catalogue into the demo shop; safe at every start.
pub async fn seed_catalogue(state: &AppState, shop_id: &str) -> Result<(), AppError> {
    let now = state.clock.now();
    for demo in &CATALOGUE {
        let listed = if demo.id == NEW_ARRIVAL {
            now - 3 * DAY
        } else {
            now - 365 * DAY
        };
        let product = product(demo);
        let updated_at = crate::routes::catalogue::check_product(&product, "")?;
        state
            .store
            .upsert_product(shop_id, &product, updated_at, listed)
            .await?;
    }
    Ok(())
}

/// Seeds the demo catalogue and history into the demo shop (when it has
/// recommendations); safe at every start.
pub async fn seed(state: &AppState, shop_id: &str, currency: &str) -> Result<(), AppError> {
    seed_catalogue(state, shop_id).await?;
    let now = state.clock.now();
    state
        .store
        .import_orders(shop_id, currency, &history(now), now)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_history_is_the_same_at_every_start_and_means_something() {
        let now = 1_800_000_000;
        let first = history(now);
        assert_eq!(first, history(now));
        assert!(first.len() > 600, "{} orders", first.len());
        assert!(first.iter().all(|order| order.placed_at < now));
        let with_teapot = first
            .iter()
            .filter(|order| {
                order
                    .lines
                    .iter()
                    .any(|line| line.product_id == "yixing-teapot")
            })
            .count();
        assert!(with_teapot > 10, "teaware comes with teas: {with_teapot}");
        let known = |id: &str| CATALOGUE.iter().any(|demo| demo.id == id);
        assert!(first
            .iter()
            .flat_map(|order| &order.lines)
            .all(|line| known(&line.product_id) && line.unit_price > 0));
    }
}
