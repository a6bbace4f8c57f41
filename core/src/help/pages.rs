//! Which articles to suggest on a page: each article's `pages` patterns against the
//! path the shopper is on.

/// Whether `path` matches a `pages` pattern (`*` matches any run of characters).
pub fn page_matches(pattern: &str, path: &str) -> bool {
    let mut pieces = pattern.split('*');
    let Some(first) = pieces.next() else {
        return false;
    };
    let Some(mut rest) = path.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        // No `*`: the whole path must be the pattern.
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::page_matches;

    #[test]
    fn page_patterns_match_with_stars() {
        assert!(page_matches("/cart", "/cart"));
        assert!(!page_matches("/cart", "/cart/x"));
        assert!(page_matches("/products/*", "/products/green-tea"));
        assert!(!page_matches("/products/*", "/product"));
        assert!(page_matches("/*/returns", "/en/returns"));
        assert!(!page_matches("/*/returns", "/en/returns/x"));
        assert!(page_matches("*", "/anything"));
        assert!(page_matches("/a*b*c", "/axxbyyc"));
        assert!(!page_matches("/a*b*c", "/axxcyyb"));
        // Pieces may not overlap.
        assert!(!page_matches("/ab*ba", "/aba"));
    }
}
