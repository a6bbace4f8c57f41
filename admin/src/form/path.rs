//! Paths into a settings document, written the way the server names a field at fault
//! (`loyalty.rewards[0].cost`), and reading, writing and removing the value at one.

use std::fmt;

use serde_json::{Map, Value};

/// One step of a [`Path`]: a key of an object or an index of an array.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// A property or map key.
    Key(String),
    /// An array position, from 0.
    Index(usize),
}

/// Where a value sits in a document; the empty path is the document itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path(pub Vec<Step>);

impl Path {
    /// The document itself.
    pub fn root() -> Path {
        Path(Vec::new())
    }

    /// Reads `text` (`loyalty.rewards[0].cost`); `None` for an empty step (`a..b`), an
    /// unclosed bracket or an index that is not a number. The empty text is the root.
    pub fn parse(text: &str) -> Option<Path> {
        let mut steps = Vec::new();
        if text.is_empty() {
            return Some(Path(steps));
        }
        for (at, part) in text.split('.').enumerate() {
            let (key, mut rest) = match part.find('[') {
                Some(at) => part.split_at(at),
                None => (part, ""),
            };
            // Only the first step may be an index without a key (`[0].a`).
            if key.is_empty() && (at > 0 || rest.is_empty()) {
                return None;
            }
            if !key.is_empty() {
                steps.push(Step::Key(key.to_owned()));
            }
            while !rest.is_empty() {
                let inner = rest.strip_prefix('[')?;
                let (index, after) = inner.split_once(']')?;
                steps.push(Step::Index(index.parse().ok()?));
                rest = after;
            }
        }
        Some(Path(steps))
    }

    /// This path with a key appended.
    pub fn key(&self, key: &str) -> Path {
        let mut steps = self.0.clone();
        steps.push(Step::Key(key.to_owned()));
        Path(steps)
    }

    /// This path with an index appended.
    pub fn index(&self, index: usize) -> Path {
        let mut steps = self.0.clone();
        steps.push(Step::Index(index));
        Path(steps)
    }

    /// The path one step up, `None` for the root.
    pub fn parent(&self) -> Option<Path> {
        let (_, parent) = self.0.split_last()?;
        Some(Path(parent.to_vec()))
    }

    /// The first key, which names the section of a settings document.
    pub fn section(&self) -> Option<&str> {
        match self.0.first() {
            Some(Step::Key(key)) => Some(key),
            _ => None,
        }
    }

    /// Whether `self` is `other` or lies inside it.
    pub fn starts_with(&self, other: &Path) -> bool {
        self.0.starts_with(&other.0)
    }

    /// The value at this path in `document`.
    pub fn get<'a>(&self, document: &'a Value) -> Option<&'a Value> {
        self.0.iter().try_fold(document, |value, step| match step {
            Step::Key(key) => value.get(key),
            Step::Index(index) => value.get(index),
        })
    }

    /// Writes `value` at this path, creating missing objects on the way (an index
    /// one past the end appends). False when the path crosses a value of another kind
    /// or an index further out.
    pub fn set(&self, document: &mut Value, value: Value) -> bool {
        let Some((last, parents)) = self.0.split_last() else {
            *document = value;
            return true;
        };
        let mut here = document;
        for (at, step) in parents.iter().enumerate() {
            if here.is_null() {
                *here = match step {
                    Step::Key(_) => Value::Object(Map::new()),
                    Step::Index(_) => return false,
                };
            }
            let next = match (step, here) {
                (Step::Key(key), Value::Object(map)) => {
                    let fresh = match parents.get(at + 1).unwrap_or(last) {
                        Step::Key(_) => Value::Object(Map::new()),
                        Step::Index(_) => Value::Array(Vec::new()),
                    };
                    map.entry(key.clone()).or_insert(fresh)
                }
                (Step::Index(index), Value::Array(items)) => match items.get_mut(*index) {
                    Some(item) => item,
                    None => return false,
                },
                _ => return false,
            };
            here = next;
        }
        if here.is_null() {
            if let Step::Key(_) = last {
                *here = Value::Object(Map::new());
            }
        }
        match (last, here) {
            (Step::Key(key), Value::Object(map)) => {
                map.insert(key.clone(), value);
                true
            }
            (Step::Index(index), Value::Array(items)) if *index < items.len() => {
                items[*index] = value;
                true
            }
            (Step::Index(index), Value::Array(items)) if *index == items.len() => {
                items.push(value);
                true
            }
            _ => false,
        }
    }

    /// Takes the value at this path out: the key leaves its object, the item its
    /// array (later items move up). The root cannot be removed.
    pub fn remove(&self, document: &mut Value) -> Option<Value> {
        let (last, parents) = self.0.split_last()?;
        let parent = Path(parents.to_vec()).get_mut(document)?;
        match (last, parent) {
            (Step::Key(key), Value::Object(map)) => map.remove(key),
            (Step::Index(index), Value::Array(items)) if *index < items.len() => {
                Some(items.remove(*index))
            }
            _ => None,
        }
    }

    /// Swaps the items `from` and `to` of the array at this path; false when either is
    /// out of range or there is no array.
    pub fn swap(&self, document: &mut Value, from: usize, to: usize) -> bool {
        match self.get_mut(document) {
            Some(Value::Array(items)) if from < items.len() && to < items.len() => {
                items.swap(from, to);
                true
            }
            _ => false,
        }
    }

    /// Renames the key `from` of the object at this path to `to`, keeping its value;
    /// false when `from` is missing or `to` is taken.
    pub fn rename(&self, document: &mut Value, from: &str, to: &str) -> bool {
        match self.get_mut(document) {
            Some(Value::Object(map)) if from == to => map.contains_key(from),
            Some(Value::Object(map)) if !map.contains_key(to) => match map.remove(from) {
                Some(value) => {
                    map.insert(to.to_owned(), value);
                    true
                }
                None => false,
            },
            _ => false,
        }
    }

    /// The value at this path, to change in place.
    pub fn get_mut<'a>(&self, document: &'a mut Value) -> Option<&'a mut Value> {
        self.0.iter().try_fold(document, |value, step| match step {
            Step::Key(key) => value.get_mut(key),
            Step::Index(index) => value.get_mut(index),
        })
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (at, step) in self.0.iter().enumerate() {
            match step {
                Step::Key(key) if at == 0 => write!(f, "{key}")?,
                Step::Key(key) => write!(f, ".{key}")?,
                Step::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path(text: &str) -> Path {
        Path::parse(text).unwrap()
    }

    #[test]
    fn paths_read_back_from_their_text() {
        for text in [
            "",
            "loyalty",
            "loyalty.rewards[0].cost",
            "help.articles[12].title.zh-Hans",
            "surveys[1][2]",
        ] {
            assert_eq!(path(text).to_string(), text);
        }
        assert_eq!(
            path("loyalty.rewards[3].cost").0,
            vec![
                Step::Key("loyalty".into()),
                Step::Key("rewards".into()),
                Step::Index(3),
                Step::Key("cost".into()),
            ]
        );
        assert_eq!(path("[0].a").0, vec![Step::Index(0), Step::Key("a".into())]);
    }

    #[test]
    fn malformed_paths_are_refused() {
        for text in ["a..b", "a.", ".a", "a[", "a[x]", "a[0", "a[0]b", "a.[0]"] {
            assert_eq!(Path::parse(text), None, "{text}");
        }
    }

    #[test]
    fn values_are_read_written_and_removed_at_a_path() {
        let mut doc = json!({"loyalty": {"rewards": [{"cost": 100}, {"cost": 200}]}});
        assert_eq!(path("loyalty.rewards[1].cost").get(&doc), Some(&json!(200)));
        assert_eq!(path("loyalty.rewards[2].cost").get(&doc), None);

        assert!(path("loyalty.rewards[0].cost").set(&mut doc, json!(150)));
        assert_eq!(doc["loyalty"]["rewards"][0]["cost"], json!(150));
        // Missing objects on the way are created; an array needs its index in range.
        assert!(path("help.widget.title.en").set(&mut doc, json!("Help")));
        assert_eq!(doc["help"]["widget"]["title"]["en"], json!("Help"));
        assert!(path("help.articles[0]").set(&mut doc, json!({"id": "a"})));
        assert_eq!(doc["help"]["articles"], json!([{"id": "a"}]));
        assert!(!path("loyalty.rewards[5].cost").set(&mut doc, json!(1)));
        assert!(!path("loyalty.rewards.cost").set(&mut doc, json!(1)));
        // Appending one past the end.
        assert!(path("loyalty.rewards[2]").set(&mut doc, json!({"cost": 300})));
        assert_eq!(doc["loyalty"]["rewards"].as_array().unwrap().len(), 3);

        assert_eq!(
            path("loyalty.rewards[0]").remove(&mut doc),
            Some(json!({"cost": 150}))
        );
        assert_eq!(doc["loyalty"]["rewards"][0]["cost"], json!(200));
        assert_eq!(
            path("help.widget").remove(&mut doc),
            Some(json!({"title": {"en": "Help"}}))
        );
        assert!(
            doc["help"].get("widget").is_none(),
            "the key is gone, not null"
        );
        assert_eq!(path("nowhere.at.all").remove(&mut doc), None);
        assert_eq!(Path::root().remove(&mut doc), None);
    }

    #[test]
    fn items_swap_and_keys_rename() {
        let mut doc = json!({"list": [1, 2, 3], "map": {"a": 1, "b": 2}});
        assert!(path("list").swap(&mut doc, 0, 2));
        assert_eq!(doc["list"], json!([3, 2, 1]));
        assert!(!path("list").swap(&mut doc, 0, 3));
        assert!(path("map").rename(&mut doc, "a", "c"));
        assert_eq!(doc["map"], json!({"b": 2, "c": 1}));
        assert!(!path("map").rename(&mut doc, "c", "b"), "b is taken");
        assert!(!path("map").rename(&mut doc, "zz", "y"));
    }

    #[test]
    fn ancestry_and_sections() {
        let field = path("loyalty.rewards[0].cost");
        assert!(field.starts_with(&path("loyalty.rewards")));
        assert!(!field.starts_with(&path("help")));
        assert_eq!(field.section(), Some("loyalty"));
        assert_eq!(field.parent(), Some(path("loyalty.rewards[0]")));
        assert_eq!(Path::root().parent(), None);
        assert_eq!(path("a").index(2).key("b").to_string(), "a[2].b");
    }
}
