//! Folding text before it is indexed or looked up: case, full-width forms, and
//! Traditional Chinese to Simplified, so 積分 finds 积分 and the reverse.
//!
//! The full Traditional-to-Simplified table is large, so only the server carries it
//! (feature `han-fold`, from the `fast2s` crate). It folds the content it indexes with the
//! whole table and ships the widget a [`Folding`] holding just the pairs that can matter:
//! each Traditional character whose Simplified form occurs in the index. A query
//! character outside those pairs cannot match anything the table would have folded it to.

use serde::{Deserialize, Serialize};

/// The Traditional-to-Simplified pairs a search needs, sorted by the first character.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Folding {
    pairs: Vec<(char, char)>,
}

impl Folding {
    /// A folding from `(traditional, simplified)` pairs in any order; a character listed
    /// twice keeps its first pair.
    pub fn new(mut pairs: Vec<(char, char)>) -> Folding {
        pairs.sort_by_key(|&(from, _)| from);
        pairs.dedup_by_key(|&mut (from, _)| from);
        Folding { pairs }
    }

    /// The pairs, sorted by the Traditional character.
    pub fn pairs(&self) -> &[(char, char)] {
        &self.pairs
    }

    /// `c` folded: lower case, half width, Simplified where the pairs say so.
    pub fn char(&self, c: char) -> char {
        let c = basic(c);
        match self.pairs.binary_search_by_key(&c, |&(from, _)| from) {
            Ok(at) => self.pairs[at].1,
            Err(_) => c,
        }
    }
}

/// Case and width folding, the part every side applies without a table: full-width ASCII
/// (`ＡＢＣ１`) becomes ASCII, the ideographic space a space, letters lower case.
pub fn basic(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        c => c,
    };
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(single), None) => single,
        _ => c,
    }
}

/// Whether `c` is a Han character (CJK ideographs and their extensions), which the
/// search indexes one and two characters at a time instead of by words.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// `c` in Simplified Chinese, from the full table (server side).
#[cfg(feature = "han-fold")]
pub fn simplified(c: char) -> char {
    if !is_han(c) {
        return c;
    }
    let mut buffer = [0u8; 4];
    fast2s::convert(c.encode_utf8(&mut buffer))
        .chars()
        .next()
        .unwrap_or(c)
}

/// Full folding with the whole table: [`basic`], then [`simplified`].
#[cfg(feature = "han-fold")]
pub fn full(c: char) -> char {
    simplified(basic(c))
}

#[cfg(feature = "han-fold")]
impl Folding {
    /// The pairs of the full table whose Simplified side is in `alphabet` (the folded
    /// characters of an index): everything a query needs to find that index's content.
    pub fn for_alphabet(alphabet: &std::collections::BTreeSet<char>) -> Folding {
        let ranges = [
            0x3400..=0x4DBF_u32,
            0x4E00..=0x9FFF,
            0xF900..=0xFAFF,
            0x20000..=0x2FA1F,
        ];
        let pairs = ranges
            .into_iter()
            .flatten()
            .filter_map(char::from_u32)
            .filter_map(|from| {
                let to = simplified(from);
                (to != from && alphabet.contains(&to)).then_some((from, to))
            })
            .collect();
        Folding::new(pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_width_fold_without_a_table() {
        let none = Folding::default();
        assert_eq!(none.char('Ａ'), 'a');
        assert_eq!(none.char('１'), '1');
        assert_eq!(none.char('É'), 'é');
        assert_eq!(none.char('\u{3000}'), ' ');
        assert_eq!(none.char('積'), '積');
    }

    #[test]
    fn pairs_fold_traditional_to_simplified() {
        let folding = Folding::new(vec![('積', '积'), ('點', '点'), ('積', 'x')]);
        assert_eq!(folding.char('積'), '积');
        assert_eq!(folding.char('积'), '积');
        assert_eq!(folding.char('點'), '点');
        assert_eq!(folding.pairs().len(), 2);
    }

    #[cfg(feature = "han-fold")]
    #[test]
    fn the_full_table_folds_and_ships_only_what_the_content_needs() {
        assert_eq!(full('積'), '积');
        assert_eq!(full('運'), '运');
        assert_eq!(full('积'), '积');
        assert_eq!(full('Q'), 'q');
        let alphabet: std::collections::BTreeSet<char> = "积分".chars().collect();
        let folding = Folding::for_alphabet(&alphabet);
        assert_eq!(folding.char('積'), '积');
        // 運 folds to 运, which the content lacks: its pair stays on the server.
        assert_eq!(folding.char('運'), '運');
        assert!(folding.pairs().iter().all(|(_, to)| alphabet.contains(to)));
    }
}
