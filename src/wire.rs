//! Moving data across the JS boundary without serde.
//!
//! API answers are parsed by the browser (`JSON.parse`) and read here field by field
//! with `Reflect`; request bodies and event details are built as plain JS objects. This
//! replaces `serde` + `serde-wasm-bindgen`, which cost about a third of the bundle
//! (their generic visitors and the float formatting their error messages pull in) for
//! a handful of fixed shapes. The wire types themselves stay in `comeback-core`, where
//! the server serialises them with serde; the browser tests decode real answers to keep
//! both sides in step.

use comeback_core::date::Date;
use comeback_core::error::ErrorCode;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// An answer the widget does not read (a write that only has to succeed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ignored;

impl FromJs for Ignored {
    fn from_js(_: &JsValue) -> Result<Self, DecodeError> {
        Ok(Ignored)
    }
}

/// A field that is missing or of the wrong type; names the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeError(pub &'static str);

/// Reading a value out of what `JSON.parse` returned.
pub trait FromJs: Sized {
    /// Reads `value`, or names the first field that does not fit.
    fn from_js(value: &JsValue) -> Result<Self, DecodeError>;
}

/// The own property `name` of `value` (`undefined` when absent, inherited or not an
/// object). Only own properties count: a host page that put `api`, `token` or
/// `join_url` on `Object.prototype` must not reach a setting or an API answer. This is
/// the one reader of JS objects for settings and answers alike.
#[inline(never)]
pub fn get(value: &JsValue, name: &str) -> JsValue {
    let key = JsValue::from_str(name);
    // `is_object` rather than `instanceof Object`: objects without a prototype count.
    if value.is_object() && Object::has_own(value.unchecked_ref::<Object>(), &key) {
        Reflect::get(value, &key).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// A required string field.
#[inline(never)]
pub fn string(value: &JsValue, name: &'static str) -> Result<String, DecodeError> {
    get(value, name).as_string().ok_or(DecodeError(name))
}

/// An optional string field: absent or `null` is `None`, another type an error.
#[inline(never)]
pub fn opt_string(value: &JsValue, name: &'static str) -> Result<Option<String>, DecodeError> {
    let field = get(value, name);
    if field.is_undefined() || field.is_null() {
        return Ok(None);
    }
    field.as_string().map(Some).ok_or(DecodeError(name))
}

/// A required integer field.
#[inline(never)]
pub fn int(value: &JsValue, name: &'static str) -> Result<i64, DecodeError> {
    let number = get(value, name).as_f64().ok_or(DecodeError(name))?;
    // JSON numbers arrive as doubles; the API only sends integers well inside 2^53.
    if number.is_finite() && number.fract() == 0.0 && number.abs() < 9.0e15 {
        Ok(number as i64)
    } else {
        Err(DecodeError(name))
    }
}

/// An integer field that is 0 when absent.
#[inline(never)]
pub fn opt_int(value: &JsValue, name: &'static str) -> Result<i64, DecodeError> {
    if get(value, name).is_undefined() {
        Ok(0)
    } else {
        int(value, name)
    }
}

/// An optional integer field: absent or `null` is `None`.
#[inline(never)]
pub fn maybe_int(value: &JsValue, name: &'static str) -> Result<Option<i64>, DecodeError> {
    let field = get(value, name);
    if field.is_undefined() || field.is_null() {
        Ok(None)
    } else {
        int(value, name).map(Some)
    }
}

/// An optional `YYYY-MM-DD` field.
pub fn maybe_date(value: &JsValue, name: &'static str) -> Result<Option<Date>, DecodeError> {
    opt_string(value, name)?
        .map(|text| Date::parse(&text).ok_or(DecodeError(name)))
        .transpose()
}

/// A count field that must fit `u32`.
#[inline(never)]
pub fn count(value: &JsValue, name: &'static str) -> Result<u32, DecodeError> {
    u32::try_from(int(value, name)?).map_err(|_| DecodeError(name))
}

/// A list of strings; absent is empty.
#[inline(never)]
pub fn strings(value: &JsValue, name: &'static str) -> Result<Vec<String>, DecodeError> {
    let field = get(value, name);
    if field.is_undefined() || field.is_null() {
        return Ok(Vec::new());
    }
    if !Array::is_array(&field) {
        return Err(DecodeError(name));
    }
    field
        .unchecked_into::<Array>()
        .iter()
        .map(|item| item.as_string().ok_or(DecodeError(name)))
        .collect()
}

/// A field holding one of a fixed set of names, with a default when absent; an unknown
/// name also falls back, so a newer server cannot break the widget.
pub fn named_or<T: Default>(
    value: &JsValue,
    name: &'static str,
    parse: fn(&str) -> Option<T>,
) -> T {
    get(value, name)
        .as_string()
        .and_then(|text| parse(&text))
        .unwrap_or_default()
}

/// A required list, every item decoded.
pub fn list<T: FromJs>(value: &JsValue, name: &'static str) -> Result<Vec<T>, DecodeError> {
    let field = get(value, name);
    if !Array::is_array(&field) {
        return Err(DecodeError(name));
    }
    field
        .unchecked_into::<Array>()
        .iter()
        .map(|item| T::from_js(&item))
        .collect()
}

/// Like [`list`], but an absent field is an empty list (fields newer than the server).
pub fn optional_list<T: FromJs>(
    value: &JsValue,
    name: &'static str,
) -> Result<Vec<T>, DecodeError> {
    if get(value, name).is_undefined() {
        Ok(Vec::new())
    } else {
        list(value, name)
    }
}

/// Like [`list`], but items of a `kind` this build does not know are left out, so a
/// newer server can add kinds of entries without breaking older widgets.
pub fn known<T: FromJs>(value: &JsValue, name: &'static str) -> Result<Vec<T>, DecodeError> {
    let field = get(value, name);
    if !Array::is_array(&field) {
        return Err(DecodeError(name));
    }
    let mut items = Vec::new();
    for item in field.unchecked_into::<Array>().iter() {
        match T::from_js(&item) {
            Ok(item) => items.push(item),
            Err(DecodeError("kind")) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(items)
}

/// A required nested object.
pub fn object<T: FromJs>(value: &JsValue, name: &'static str) -> Result<T, DecodeError> {
    T::from_js(&get(value, name))
}

/// A string field holding one of a fixed set of names.
pub fn named<T>(
    value: &JsValue,
    name: &'static str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, DecodeError> {
    string(value, name)
        .ok()
        .and_then(|s| parse(&s))
        .ok_or(DecodeError(name))
}

/// The `code` and `message` of an API error body.
pub fn error_body(value: &JsValue) -> Option<(ErrorCode, String)> {
    let error = get(value, "error");
    let code = get(&error, "code").as_string()?;
    let message = get(&error, "message").as_string().unwrap_or_default();
    Some((ErrorCode::parse(&code), message))
}

/// A plain JS object from name/value pairs: request bodies and event details.
pub fn object_of(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in pairs {
        // Defining a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object.into()
}

/// A JS number for an integer the API sent (exact below 2^53).
pub fn number(value: i64) -> JsValue {
    JsValue::from_f64(value as f64)
}
