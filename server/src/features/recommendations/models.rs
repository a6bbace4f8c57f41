//! The recommendation model of each shop, held in memory by every server process.
//!
//! A shop's model is built from its stored orders the first time it is needed (or by
//! the follow job, whichever comes first), then kept current two ways: an order this
//! process receives is added at once, and the [`FollowJob`] adds every few seconds the
//! orders other processes stored (read by when they were stored, with a margin; adding
//! an order twice changes nothing), and rebuilds the model in full every
//! `rebuild_every_minutes` (dropping refunded orders).
//!
//! Beside the model each process keeps the shop's catalogue as cards show it (title,
//! price, stock; the model gets each product's categories), so a request touches no
//! database: a product this process syncs is
//! changed in it at once, the follow job reads what other processes synced since it last
//! looked (by `synced_at`), and a rebuild reloads it whole (which also drops what another
//! process deleted). Serving reads both under read locks and never scans orders.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use comeback_core::catalogue::Product;
use comeback_recs::{Model, Purchase, Settings};
use tokio::sync::Mutex;

use crate::config::recommendations::RecommendationsConfig;
use crate::scheduler::{skip_failed, Job, JobFuture, JobReport};
use crate::store::{LearnedLine, ShownProduct, Store, StoreError};
use crate::AppState;

/// How far back each follow reads, in seconds: an order or a product whose transaction
/// committed after a later one is still seen.
const FOLLOW_MARGIN: i64 = 30;

/// The products cards may show, by id.
pub type Catalogue = HashMap<String, ShownProduct>;

/// One shop's model and catalogue, and how far each has followed the store.
pub struct ShopModel {
    model: RwLock<Model>,
    catalogue: RwLock<Catalogue>,
    built_at: AtomicI64,
    followed_to: AtomicI64,
    synced_to: AtomicI64,
}

impl ShopModel {
    /// Runs `read` on the catalogue.
    pub fn catalogue<T>(&self, read: impl FnOnce(&Catalogue) -> T) -> T {
        let catalogue = self
            .catalogue
            .read()
            .unwrap_or_else(|poison| poison.into_inner());
        read(&catalogue)
    }

    fn catalogue_mut(&self) -> std::sync::RwLockWriteGuard<'_, Catalogue> {
        self.catalogue
            .write()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Runs `read` on the model.
    pub fn read<T>(&self, read: impl FnOnce(&Model) -> T) -> T {
        let model = self
            .model
            .read()
            .unwrap_or_else(|poison| poison.into_inner());
        read(&model)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Model> {
        self.model
            .write()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Adds lines (any number of orders, grouped by order) to the model.
    fn learn(&self, lines: &[LearnedLine], now: i64) -> usize {
        let mut model = self.write();
        let mut orders = 0;
        for order in lines.chunk_by(|a, b| a.order_id == b.order_id) {
            let purchases: Vec<Purchase<'_>> = order.iter().map(purchase).collect();
            model.add_order(&purchases, now);
            orders += 1;
        }
        orders
    }
}

/// The models of every shop this process has built.
#[derive(Default, Clone)]
pub struct Recommenders {
    shops: Arc<RwLock<HashMap<String, Arc<ShopModel>>>>,
    building: Arc<Mutex<()>>,
}

impl std::fmt::Debug for Recommenders {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Recommenders")
            .finish_non_exhaustive()
    }
}

fn purchase(line: &LearnedLine) -> Purchase<'_> {
    Purchase {
        customer: &line.customer_id,
        order: &line.order_id,
        product: &line.product_id,
        quantity: line.quantity,
        at: line.placed_at,
    }
}

/// The engine's settings for a shop's section.
pub fn settings_of(config: &RecommendationsConfig) -> Settings {
    Settings {
        neighbours: config.neighbours,
        trending_half_life_days: config.trending_half_life_days,
        new_arrival_days: config.new_arrival_days,
        ..Settings::default()
    }
}

/// Builds a shop's model from everything stored, as of `now`.
async fn build(
    store: &Store,
    shop_id: &str,
    config: &RecommendationsConfig,
    now: i64,
) -> Result<ShopModel, StoreError> {
    let lines = store.learned_lines(shop_id).await?;
    let rows = store.catalogue_rows(shop_id, None).await?;
    let synced_to = rows.iter().map(|row| row.synced_at).max().unwrap_or(now);
    let listed: Vec<(String, i64, Vec<String>)> = rows
        .iter()
        .map(|row| {
            let id = row.product.product_id.clone();
            (id, row.listed_at, row.categories.clone())
        })
        .collect();
    let catalogue = rows
        .into_iter()
        .map(|row| (row.product.product_id.clone(), row.product))
        .collect();
    let settings = settings_of(config);
    let model = tokio::task::spawn_blocking(move || {
        let mut model = Model::build(settings, lines.iter().map(purchase), now);
        for (product, listed_at, categories) in &listed {
            model.add_product(product, *listed_at);
            model.set_categories(product, categories.iter().map(String::as_str));
        }
        model
    })
    .await
    .map_err(|error| StoreError::Corrupt(format!("the model build stopped: {error}")))?;
    Ok(ShopModel {
        model: RwLock::new(model),
        catalogue: RwLock::new(catalogue),
        built_at: AtomicI64::new(now),
        followed_to: AtomicI64::new(now),
        synced_to: AtomicI64::new(synced_to),
    })
}

impl Recommenders {
    /// The shop's model, if this process has built it.
    pub fn get(&self, shop_id: &str) -> Option<Arc<ShopModel>> {
        let shops = self
            .shops
            .read()
            .unwrap_or_else(|poison| poison.into_inner());
        shops.get(shop_id).cloned()
    }

    /// Forgets the models of the shops `changed` names: each is built again, with the
    /// shop's settings as they are then, on its next request (its configuration was
    /// replaced).
    pub fn forget(&self, changed: &dyn Fn(&str) -> bool) {
        self.shops
            .write()
            .unwrap_or_else(|poison| poison.into_inner())
            .retain(|shop, _| !changed(shop));
    }

    fn put(&self, shop_id: &str, model: ShopModel) -> Arc<ShopModel> {
        let model = Arc::new(model);
        let mut shops = self
            .shops
            .write()
            .unwrap_or_else(|poison| poison.into_inner());
        shops.insert(shop_id.to_owned(), Arc::clone(&model));
        model
    }

    /// The shop's model, built now from the stored orders if this process has none yet
    /// (one build at a time; a request that arrives meanwhile waits for it).
    pub async fn model(
        &self,
        store: &Store,
        shop_id: &str,
        config: &RecommendationsConfig,
        now: i64,
    ) -> Result<Arc<ShopModel>, StoreError> {
        if let Some(model) = self.get(shop_id) {
            return Ok(model);
        }
        let _building = self.building.lock().await;
        if let Some(model) = self.get(shop_id) {
            return Ok(model);
        }
        let model = build(store, shop_id, config, now).await?;
        Ok(self.put(shop_id, model))
    }

    /// Adds an order this process just stored to the shop's model, when it has one (a
    /// model built later reads the order from the store).
    pub fn order_arrived(&self, shop_id: &str, lines: &[LearnedLine], now: i64) {
        if let Some(model) = self.get(shop_id) {
            model.learn(lines, now);
        }
    }

    /// A product this process just stored: the catalogue shows it as it is now, and the
    /// model learns it was listed (it keeps the earliest time it knows).
    pub fn product_synced(&self, shop_id: &str, product: &Product, now: i64) {
        if let Some(model) = self.get(shop_id) {
            {
                let mut learning = model.write();
                learning.add_product(&product.id, now);
                learning.set_categories(&product.id, product.categories.iter().map(String::as_str));
            }
            let shown = ShownProduct {
                product_id: product.id.clone(),
                title: product.title.clone(),
                price: product.price,
                compare_at_price: product.compare_at_price,
                url: product.url.clone(),
                image: product.image.clone(),
                in_stock: product.in_stock,
            };
            model.catalogue_mut().insert(product.id.clone(), shown);
        }
    }

    /// A product this process just deleted: no card shows it any more.
    pub fn product_deleted(&self, shop_id: &str, product_id: &str) {
        if let Some(model) = self.get(shop_id) {
            model.catalogue_mut().remove(product_id);
        }
    }

    /// Brings the shop's model up to date: builds it when missing or due for a full
    /// rebuild, otherwise adds the orders and products stored since it last looked.
    /// Returns the orders added (a build counts every order).
    async fn refresh(
        &self,
        store: &Store,
        shop_id: &str,
        config: &RecommendationsConfig,
        now: i64,
    ) -> Result<usize, StoreError> {
        let rebuild_after = i64::try_from(config.rebuild_every_minutes)
            .unwrap_or(i64::MAX)
            .saturating_mul(60);
        let current = self.get(shop_id);
        let due = current.as_ref().is_none_or(|model| {
            now.saturating_sub(model.built_at.load(Ordering::Relaxed)) >= rebuild_after
        });
        if due {
            let _building = self.building.lock().await;
            let model = build(store, shop_id, config, now).await?;
            let orders = model.read(Model::customers);
            self.put(shop_id, model);
            return Ok(orders);
        }
        let Some(model) = current else {
            return Ok(0);
        };
        let since = model
            .followed_to
            .load(Ordering::Relaxed)
            .saturating_sub(FOLLOW_MARGIN);
        let (lines, latest) = store.lines_stored_since(shop_id, since).await?;
        let orders = model.learn(&lines, now);
        if let Some(latest) = latest {
            model.followed_to.fetch_max(latest, Ordering::Relaxed);
        }
        let synced_since = model
            .synced_to
            .load(Ordering::Relaxed)
            .saturating_sub(FOLLOW_MARGIN);
        let synced = store.catalogue_rows(shop_id, Some(synced_since)).await?;
        if let Some(latest) = synced.iter().map(|row| row.synced_at).max() {
            model.synced_to.fetch_max(latest, Ordering::Relaxed);
        }
        {
            let mut learning = model.write();
            for row in &synced {
                let id = &row.product.product_id;
                learning.add_product(id, row.listed_at);
                learning.set_categories(id, row.categories.iter().map(String::as_str));
            }
        }
        let mut catalogue = model.catalogue_mut();
        for row in synced {
            catalogue.insert(row.product.product_id.clone(), row.product);
        }
        Ok(orders)
    }
}

/// Keeps every shop's model current in this process (each process holds its own, so
/// the job runs in every one of them).
pub struct FollowJob;

impl Job for FollowJob {
    fn name(&self) -> &'static str {
        "recommendations_follow"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(5)
    }

    fn exclusive(&self) -> bool {
        false
    }

    fn run(&self, state: AppState) -> JobFuture {
        Box::pin(async move {
            let now = state.clock.now();
            let mut failures = 0;
            let mut orders = 0;
            for (shop_id, shop) in state.shops.snapshot().iter() {
                let Some(config) = &shop.recommendations else {
                    continue;
                };
                match state
                    .recommenders
                    .refresh(&state.store, shop_id, config, now)
                    .await
                {
                    Ok(added) => orders += added,
                    Err(error) => {
                        skip_failed("recommendations_follow", shop_id, &error, &mut failures)
                    }
                }
            }
            Ok(JobReport::new(
                vec![("orders", i64::try_from(orders).unwrap_or(i64::MAX))],
                failures,
            ))
        })
    }
}
