//! Ids as dense `u32` indexes: every per-product and per-customer table is a plain
//! vector indexed by them.

use rustc_hash::FxHashMap;

/// Strings numbered in the order they were first seen.
#[derive(Debug, Default, Clone)]
pub(crate) struct Interner {
    index: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    /// The index of `name`, if it was seen.
    pub(crate) fn get(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    /// The index of `name`, numbering it if it is new; `true` when it was new.
    pub(crate) fn intern(&mut self, name: &str) -> (u32, bool) {
        if let Some(&index) = self.index.get(name) {
            return (index, false);
        }
        // Tables are indexed by u32: four billion ids is far beyond any shop.
        let index = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        let boxed: Box<str> = name.into();
        self.names.push(boxed.clone());
        self.index.insert(boxed, index);
        (index, true)
    }

    /// The name numbered `index`.
    pub(crate) fn name(&self, index: u32) -> &str {
        &self.names[index as usize]
    }

    /// How many names.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }
}
