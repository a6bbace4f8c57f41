//! The format of discount codes handed out for redeemed rewards.

/// Letters and digits a code is made of: no `0`/`O`, `1`/`I`/`L`, so a code read aloud or
/// copied by hand survives.
pub const CODE_ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Random characters in a code, in two groups of four.
pub const CODE_RANDOM_LEN: usize = 8;

/// Builds a code `PREFIX-ABCD-EFGH` from a validated prefix and random bytes (each byte
/// picks one character; the slight modulo bias is irrelevant at this length).
pub fn format_code(prefix: &str, random: [u8; CODE_RANDOM_LEN]) -> String {
    let mut code = String::with_capacity(prefix.len() + 2 + CODE_RANDOM_LEN);
    code.push_str(prefix);
    for (index, byte) in random.iter().enumerate() {
        if index % 4 == 0 {
            code.push('-');
        }
        code.push(char::from(
            CODE_ALPHABET[usize::from(*byte) % CODE_ALPHABET.len()],
        ));
    }
    code
}

/// Whether a prefix is acceptable: 1 to 12 uppercase ASCII letters or digits.
pub fn is_valid_prefix(prefix: &str) -> bool {
    (1..=12).contains(&prefix.len())
        && prefix
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A code as typed by a person or pasted by a shop backend, in canonical form:
/// trimmed and uppercased.
pub fn normalize_code(input: &str) -> String {
    input.trim().to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_documented_shape() {
        let code = format_code("TEA", [0, 1, 2, 3, 30, 31, 200, 255]);
        assert_eq!(code, "TEA-2345-Z2G9");
        assert!(code
            .bytes()
            .all(|b| b == b'-' || CODE_ALPHABET.contains(&b) || b"TEA".contains(&b)));
    }

    #[test]
    fn prefixes_and_normalization() {
        assert!(is_valid_prefix("TEA"));
        assert!(!is_valid_prefix("tea"));
        assert!(!is_valid_prefix(""));
        assert!(!is_valid_prefix("WAY-TOO-LONG-PREFIX"));
        assert_eq!(normalize_code("  tea-2345-z2g9 "), "TEA-2345-Z2G9");
    }
}
