//! What the survey keeps on the device and reads from the page: the contact history
//! (`comeback:surveys:<shop>`, at most 50), half-finished drafts
//! (`comeback:survey-drafts:<shop>`) and the answers waiting to be sent
//! (`comeback:survey-queue:<shop>`, at most 20, each with its `Idempotency-Key`, the
//! token it was answered with and its body), plus the few facts of the page it asks
//! about (the path, whether a Comeback dialog is open, the names `Comeback.track` saw).
//! A full or blocked storage never breaks the widget: the survey then only forgets.

use comeback_core::survey::{Answers, Contact};
use js_sys::{Array, JSON};
use wasm_bindgen::{JsCast, JsValue};

use super::model::{self, Draft};
use super::wire::{answers_js, contact_js, draft_js, or_null};
use crate::wire::{count, get, object_of, opt_string, string, DecodeError, FromJs};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read_list(key: &str) -> Array {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|text| JSON::parse(&text).ok())
        .filter(Array::is_array)
        .map(|list| list.unchecked_into::<Array>())
        .unwrap_or_default()
}

fn write_list(key: &str, list: &Array) {
    let Some(storage) = storage() else {
        return;
    };
    let _ = if list.length() == 0 {
        storage.remove_item(key)
    } else {
        match JSON::stringify(list) {
            Ok(text) => storage.set_item(key, &String::from(text)),
            Err(_) => Ok(()),
        }
    };
}

/// The items of a stored list that decode (others were written by something else).
fn decoded<T: FromJs>(key: &str) -> Vec<T> {
    // A plain loop: an iterator chain here was a kilobyte of chunk per item type.
    let mut items = Vec::new();
    for item in read_list(key).iter() {
        if let Ok(item) = T::from_js(&item) {
            items.push(item);
        }
    }
    items
}

fn write_all<T>(key: &str, items: &[T], to_js: fn(&T) -> JsValue) {
    write_list(key, &items.iter().map(to_js).collect());
}

/// Unix seconds now.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// The browser's contacts with the shop's surveys.
pub fn history(shop: &str) -> Vec<Contact> {
    decoded(&model::history_key(shop))
}

/// Records a contact in the browser's history.
pub fn remember(shop: &str, contact: Contact) {
    let key = model::history_key(shop);
    let mut history = decoded(&key);
    model::remember(&mut history, contact);
    write_all(&key, &history, contact_js);
}

/// The live draft of `survey` about `order`, if the shopper left one.
pub fn draft(shop: &str, survey: &str, order: Option<&str>) -> Option<Draft> {
    let mut drafts: Vec<Draft> = decoded(&model::drafts_key(shop));
    let found = model::find_draft(&drafts, survey, order, now())?;
    let index = drafts.iter().position(|d| std::ptr::eq(d, found))?;
    Some(drafts.swap_remove(index))
}

/// Keeps the shopper's `answers` so far on `step` (replacing the draft of the same
/// survey, version and order).
pub fn keep_draft(
    shop: &str,
    survey: &str,
    version: u32,
    order: Option<&str>,
    answers: &Answers,
    step: usize,
) {
    let key = model::drafts_key(shop);
    let mut drafts = decoded(&key);
    let draft = Draft {
        survey: survey.to_owned(),
        version,
        order: order.map(str::to_owned),
        answers: Answers::new(),
        step,
        at: now(),
    };
    model::keep_draft(&mut drafts, draft);
    // The new draft is the last; its answers are written from the widget's, not copied.
    let list: Array = drafts.iter().map(draft_js).collect();
    if let Some(last) = list.length().checked_sub(1) {
        let _ = js_sys::Reflect::set(&list.get(last), &"answers".into(), &answers_js(answers));
    }
    write_list(&key, &list);
}

/// Forgets the drafts of `survey` about `order` (answered or dismissed).
pub fn forget_draft(shop: &str, survey: &str, order: Option<&str>) {
    let key = model::drafts_key(shop);
    let mut drafts = decoded(&key);
    model::forget_draft(&mut drafts, survey, order);
    write_all(&key, &drafts, draft_js);
}

/// An answer waiting to be sent.
#[derive(Debug, Clone)]
pub struct Queued {
    /// Its `Idempotency-Key`, the same for every try: the server keeps it once.
    pub key: String,
    /// The API prefix it goes to.
    pub base: String,
    /// The survey's id.
    pub survey: String,
    /// The version answered.
    pub version: u32,
    /// The token the shopper was signed in with when answering.
    pub token: Option<String>,
    /// The response body (`SurveyResponse`), as sent the first time.
    pub body: JsValue,
}

impl FromJs for Queued {
    fn from_js(value: &JsValue) -> Result<Self, DecodeError> {
        let body = get(value, "body");
        if !body.is_object() {
            return Err(DecodeError("body"));
        }
        Ok(Queued {
            key: string(value, "key")?,
            base: string(value, "base")?,
            survey: string(value, "survey")?,
            version: count(value, "version")?,
            token: opt_string(value, "token")?,
            body,
        })
    }
}

fn queued_js(item: &Queued) -> JsValue {
    object_of(&[
        ("key", item.key.as_str().into()),
        ("base", item.base.as_str().into()),
        ("survey", item.survey.as_str().into()),
        ("version", item.version.into()),
        ("token", or_null(item.token.as_deref())),
        ("body", item.body.clone()),
    ])
}

/// The answers waiting to be sent for `shop`, oldest first.
pub fn queue(shop: &str) -> Vec<Queued> {
    decoded(&model::queue_key(shop))
}

/// Queues `item`; returns the items a full queue pushed out.
pub fn enqueue(shop: &str, item: Queued) -> Vec<Queued> {
    let key = model::queue_key(shop);
    let mut queue: Vec<Queued> = decoded(&key);
    let evicted = model::push_bounded(&mut queue, item, model::QUEUE_LIMIT);
    write_all(&key, &queue, queued_js);
    evicted
}

/// Removes the item with `key` (sent, or refused for good).
pub fn unqueue(shop: &str, key: &str) {
    let list = model::queue_key(shop);
    let mut queue: Vec<Queued> = decoded(&list);
    queue.retain(|item| item.key != key);
    write_all(&list, &queue, queued_js);
}

/// Forgets the token of the item with `key` (the server refused it).
pub fn drop_token(shop: &str, key: &str) {
    let list = model::queue_key(shop);
    let mut queue: Vec<Queued> = decoded(&list);
    for item in queue.iter_mut().filter(|item| item.key == key) {
        item.token = None;
    }
    write_all(&list, &queue, queued_js);
}

/// The page's path, without its query string or fragment (they may hold personal data).
pub fn page_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

/// Whether another Comeback dialog (the launcher's panel) is open.
pub fn dialog_open() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("comeback-launcher[open]").ok().flatten())
        .is_some()
}

/// The names `Comeback.track(name)` recorded on this page (the loader keeps the last 20).
pub fn tracked() -> Vec<String> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let names = get(&get(&window.into(), "Comeback"), "tracked");
    if !Array::is_array(&names) {
        return Vec::new();
    }
    texts_of(names.unchecked_ref())
}

/// The strings of `array`, anything else left out.
pub fn texts_of(array: &Array) -> Vec<String> {
    let mut texts = Vec::new();
    for item in array.iter() {
        if let Some(text) = item.as_string() {
            texts.push(text);
        }
    }
    texts
}
