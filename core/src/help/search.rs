//! Search over a shop's help articles, instant and local.
//!
//! Text is folded ([`super::fold`]) and cut into terms: Latin-script words whole, and
//! Chinese, which has no spaces, one and two characters at a time (unigrams and bigrams),
//! so 积分 matches inside 积分规则 without a dictionary. A query word matches every term
//! it begins (the shopper is still typing); a run of Chinese characters must match all its
//! bigrams. Every query part must match, and a title outranks tags, which outrank the
//! body. When no article matches every part, the articles matching the most parts come
//! back instead, so a typo in one word still finds something.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::fold::{is_han, Folding};

/// The longest query looked at, in characters; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 64;

/// Where in an article a term was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// The title: the strongest evidence.
    Title,
    /// The tags the author gave it.
    Tags,
    /// The body text.
    Body,
}

impl Field {
    const ALL: [Field; 3] = [Field::Title, Field::Tags, Field::Body];

    fn weight(self) -> u32 {
        match self {
            Field::Title => 8,
            Field::Tags => 4,
            Field::Body => 2,
        }
    }

    fn code(self) -> u32 {
        self as u32
    }
}

/// An article as the index reads it: plain text (the server strips the Markdown).
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    /// The title.
    pub title: &'a str,
    /// The tags.
    pub tags: &'a [String],
    /// The body as plain text.
    pub body: &'a str,
}

/// The search index of one shop's articles in one locale. Documents are numbered in the
/// order they were given to [`Index::build`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Index {
    /// Every term, sorted and distinct.
    pub terms: Vec<String>,
    /// Per term (same position), where it occurs: `document * 4 + field`, ascending.
    pub postings: Vec<Vec<u32>>,
    /// What a query is folded with.
    pub folding: Folding,
}

/// A matching article and how well it matched (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The article's number in the index.
    pub doc: u32,
    /// Its score: the best field weight of each matched query part, summed.
    pub score: u32,
}

/// A piece of text cut for searching.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// A word of letters and digits (any script but Han), folded.
    Word(String),
    /// A run of Han characters, folded.
    Han(Vec<char>),
}

/// Cuts `text` into words and Han runs, each folded with `fold`.
fn parts(text: &str, fold: &dyn Fn(char) -> char) -> Vec<Part> {
    let mut found = Vec::new();
    let mut word = String::new();
    let mut han = Vec::new();
    for c in text.chars().map(fold) {
        if is_han(c) {
            if !word.is_empty() {
                found.push(Part::Word(std::mem::take(&mut word)));
            }
            han.push(c);
        } else if c.is_alphanumeric() {
            if !han.is_empty() {
                found.push(Part::Han(std::mem::take(&mut han)));
            }
            word.push(c);
        } else {
            if !word.is_empty() {
                found.push(Part::Word(std::mem::take(&mut word)));
            }
            if !han.is_empty() {
                found.push(Part::Han(std::mem::take(&mut han)));
            }
        }
    }
    if !word.is_empty() {
        found.push(Part::Word(word));
    }
    if !han.is_empty() {
        found.push(Part::Han(han));
    }
    found
}

impl Index {
    /// Indexes `docs`, folding their text with `fold` (the server passes the full
    /// table), and keeps `folding` for the queries.
    pub fn build(docs: &[Doc<'_>], fold: &dyn Fn(char) -> char, folding: Folding) -> Index {
        let mut postings: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (number, doc) in docs.iter().enumerate() {
            let number = u32::try_from(number).unwrap_or(u32::MAX / 4);
            let tags = doc.tags.join(" ");
            for (field, text) in Field::ALL.into_iter().zip([doc.title, &tags, doc.body]) {
                let entry = number.saturating_mul(4).saturating_add(field.code());
                for part in parts(text, fold) {
                    let mut add = |term: String| {
                        let list = postings.entry(term).or_default();
                        if list.last() != Some(&entry) {
                            list.push(entry);
                        }
                    };
                    match part {
                        Part::Word(word) => add(word),
                        Part::Han(run) => {
                            for (at, c) in run.iter().enumerate() {
                                add(c.to_string());
                                if let Some(next) = run.get(at + 1) {
                                    add([*c, *next].iter().collect());
                                }
                            }
                        }
                    }
                }
            }
        }
        let (terms, postings) = postings.into_iter().unzip();
        Index {
            terms,
            postings,
            folding,
        }
    }

    /// Every folded character of the indexed terms: the alphabet [`Folding`] is cut to.
    pub fn alphabet(&self) -> std::collections::BTreeSet<char> {
        self.terms.iter().flat_map(|term| term.chars()).collect()
    }

    /// The articles matching `query`, best first (ties in article order), at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        let parts = parts(&query, &|c| self.folding.char(c));
        if parts.is_empty() {
            return Vec::new();
        }
        // Per document: how many query parts it matched and the sum of their weights.
        let mut matched: BTreeMap<u32, (usize, u32)> = BTreeMap::new();
        for part in &parts {
            for (doc, weight) in self.part_weights(part) {
                let entry = matched.entry(doc).or_default();
                entry.0 += 1;
                entry.1 += weight;
            }
        }
        let most = matched.values().map(|&(count, _)| count).max().unwrap_or(0);
        let mut hits: Vec<Hit> = matched
            .into_iter()
            .filter(|&(_, (count, _))| count == most)
            .map(|(doc, (_, score))| Hit { doc, score })
            .collect();
        hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
        hits.truncate(limit);
        hits
    }

    /// The best weight each document earns for one query part.
    fn part_weights(&self, part: &Part) -> BTreeMap<u32, u32> {
        match part {
            Part::Word(word) => {
                let from = self
                    .terms
                    .partition_point(|term| term.as_str() < word.as_str());
                let mut best = BTreeMap::new();
                for at in (from..self.terms.len())
                    .take_while(|&at| self.terms[at].starts_with(word.as_str()))
                {
                    // A whole word outranks a word it only begins.
                    let exact = u32::from(self.terms[at] == *word);
                    for (doc, weight) in self.weights(at) {
                        let slot = best.entry(doc).or_insert(0);
                        *slot = (*slot).max(weight + exact);
                    }
                }
                best
            }
            Part::Han(run) if run.len() == 1 => self.term_weights(&run[0].to_string()),
            Part::Han(run) => {
                // Every bigram must occur; the document keeps its weakest bigram's weight.
                let mut all: Option<BTreeMap<u32, u32>> = None;
                for pair in run.windows(2) {
                    let these = self.term_weights(&pair.iter().collect::<String>());
                    all = Some(match all {
                        None => these,
                        Some(before) => before
                            .into_iter()
                            .filter_map(|(doc, w)| these.get(&doc).map(|&v| (doc, w.min(v))))
                            .collect(),
                    });
                }
                all.unwrap_or_default()
            }
        }
    }

    fn term_weights(&self, term: &str) -> BTreeMap<u32, u32> {
        match self.terms.binary_search_by(|t| t.as_str().cmp(term)) {
            Ok(at) => self.weights(at).collect(),
            Err(_) => BTreeMap::new(),
        }
    }

    /// The documents a term occurs in, each with its best field's weight (postings are
    /// ascending, so a document's fields come together, best first).
    fn weights(&self, at: usize) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut last = None;
        self.postings[at].iter().filter_map(move |&entry| {
            let doc = entry / 4;
            if last == Some(doc) {
                return None;
            }
            last = Some(doc);
            let field = Field::ALL
                .get((entry % 4) as usize)
                .copied()
                .unwrap_or(Field::Body);
            Some((doc, field.weight()))
        })
    }
}

/// The byte ranges of `text` that `query` matched, in order and merged, for showing
/// them marked: each query word where a word of the text begins with it, each Chinese run
/// where it occurs whole (or, if nowhere, its bigrams).
pub fn highlight(text: &str, query: &str, folding: &Folding) -> Vec<(usize, usize)> {
    let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let fold = |c| folding.char(c);
    // The folded characters with the byte range of each original.
    let chars: Vec<(usize, usize, char)> = text
        .char_indices()
        .map(|(at, c)| (at, at + c.len_utf8(), fold(c)))
        .collect();
    let mut ranges = Vec::new();
    // The bytes of `count` characters from the `from`th.
    let span = |from: usize, count: usize| match (chars.get(from), chars.get(from + count - 1)) {
        (Some(first), Some(last)) => Some((first.0, last.1)),
        _ => None,
    };
    let starts_at = |at: usize, wanted: &[char]| {
        wanted
            .iter()
            .enumerate()
            .all(|(k, w)| chars.get(at + k).is_some_and(|c| c.2 == *w))
    };
    for part in parts(&query, &fold) {
        match part {
            Part::Word(word) => {
                let wanted: Vec<char> = word.chars().collect();
                for at in 0..chars.len() {
                    let word_start = at == 0 || !is_word_char(chars[at - 1].2);
                    if word_start && starts_at(at, &wanted) {
                        ranges.extend(span(at, wanted.len()));
                    }
                }
            }
            Part::Han(run) => {
                let before = ranges.len();
                for at in 0..chars.len() {
                    if starts_at(at, &run) {
                        ranges.extend(span(at, run.len()));
                    }
                }
                if ranges.len() == before && run.len() > 2 {
                    for pair in run.windows(2) {
                        for at in 0..chars.len() {
                            if starts_at(at, pair) {
                                ranges.extend(span(at, 2));
                            }
                        }
                    }
                }
            }
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (from, to) in ranges {
        match merged.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    merged
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_han(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folding() -> Folding {
        Folding::new(vec![
            ('積', '积'),
            ('規', '规'),
            ('則', '则'),
            ('運', '运'),
            ('費', '费'),
        ])
    }

    fn index(docs: &[(&str, &[&str], &str)]) -> Index {
        let tags: Vec<Vec<String>> = docs
            .iter()
            .map(|(_, tags, _)| tags.iter().map(|t| t.to_string()).collect())
            .collect();
        let docs: Vec<Doc> = docs
            .iter()
            .zip(&tags)
            .map(|((title, _, body), tags)| Doc { title, tags, body })
            .collect();
        let folding = folding();
        let fold = |c| folding.char(c);
        Index::build(&docs, &fold, folding.clone())
    }

    fn found(index: &Index, query: &str) -> Vec<u32> {
        index
            .search(query, 10)
            .into_iter()
            .map(|hit| hit.doc)
            .collect()
    }

    fn sample() -> Index {
        index(&[
            (
                "How to brew green tea",
                &["brewing"],
                "Use water at 80 degrees for two minutes.",
            ),
            (
                "Shipping and delivery",
                &["shipping"],
                "Orders ship within two days; green tea travels well.",
            ),
            (
                "积分规则",
                &["积分"],
                "每消费一元获得一积分，积分可兑换优惠券。",
            ),
            (
                "運費說明",
                &["運費"],
                "訂單滿 ¥99 免運費。積分不可抵扣運費。",
            ),
        ])
    }

    #[test]
    fn english_words_match_as_typed_and_titles_rank_first() {
        let idx = sample();
        assert_eq!(found(&idx, "green tea"), vec![0, 1]);
        assert_eq!(found(&idx, "gre"), vec![0, 1]);
        assert_eq!(found(&idx, "SHIP"), vec![1]);
        assert_eq!(found(&idx, "delivery"), vec![1]);
        // Equal scores keep article order.
        assert_eq!(found(&idx, "two"), vec![0, 1]);
        assert!(found(&idx, "").is_empty());
        assert!(found(&idx, "   ,, ").is_empty());
    }

    #[test]
    fn simplified_finds_traditional_and_the_reverse() {
        let idx = sample();
        // 积分 is in doc 2's title and doc 3's body (as 積分).
        assert_eq!(found(&idx, "积分"), vec![2, 3]);
        assert_eq!(found(&idx, "積分"), vec![2, 3]);
        // 运费 (Simplified) finds the Traditional article.
        assert_eq!(found(&idx, "运费"), vec![3]);
        assert_eq!(found(&idx, "運費"), vec![3]);
        // One character matches alone; a longer run must match all its bigrams.
        assert_eq!(found(&idx, "规"), vec![2]);
        assert_eq!(found(&idx, "积分规则"), vec![2]);
    }

    #[test]
    fn mixed_queries_need_every_part_or_fall_back_to_the_most() {
        let idx = sample();
        assert_eq!(found(&idx, "¥99 运费"), vec![3]);
        // No article has both: those with either, by score (titles first).
        assert_eq!(found(&idx, "green 积分"), vec![0, 2, 1, 3]);
        // A typo in one word: the articles matching the other word still come back.
        assert_eq!(found(&idx, "green teaa"), vec![0, 1]);
        assert!(found(&idx, "quantum").is_empty());
    }

    #[test]
    fn full_width_and_case_fold() {
        let idx = sample();
        assert_eq!(found(&idx, "ＧＲＥＥＮ"), vec![0, 1]);
    }

    #[test]
    fn results_are_limited_and_the_query_is_bounded() {
        let idx = sample();
        assert_eq!(idx.search("green", 1).len(), 1);
        let long = "green ".repeat(1000);
        assert_eq!(found(&idx, &long), vec![0, 1]);
    }

    #[test]
    fn highlights_mark_word_starts_and_han_runs() {
        let f = folding();
        let text = "Green tea, greener teapots";
        let marks: Vec<&str> = highlight(text, "gree tea", &f)
            .iter()
            .map(|&(a, b)| &text[a..b])
            .collect();
        assert_eq!(marks, vec!["Gree", "tea", "gree", "tea"]);
        let han = "訂單滿 ¥99 免運費。積分不可抵扣運費。";
        let marks: Vec<&str> = highlight(han, "运费 积分", &f)
            .iter()
            .map(|&(a, b)| &han[a..b])
            .collect();
        assert_eq!(marks, vec!["運費", "積分", "運費"]);
        // A run found nowhere whole is marked by its bigrams; overlaps merge.
        let rules = "积分的规则";
        let marks: Vec<&str> = highlight(rules, "积分规则", &f)
            .iter()
            .map(|&(a, b)| &rules[a..b])
            .collect();
        assert_eq!(marks, vec!["积分", "规则"]);
        assert!(highlight("abc", "", &f).is_empty());
    }

    #[test]
    fn the_index_round_trips_through_json() {
        let idx = sample();
        let json = serde_json::to_string(&idx).unwrap();
        let back: Index = serde_json::from_str(&json).unwrap();
        assert_eq!(back, idx);
        assert!(idx.alphabet().contains(&'积'));
    }
}
