//! The advocate's referral code: six characters of the unambiguous alphabet in two
//! groups, `K7M-2QX`, stable per customer (the server draws it once and keeps it). A
//! code typed by hand is read back whatever its case, spacing or dash.

use crate::code::CODE_ALPHABET;

/// Random characters in a referral code.
pub const REFERRAL_CODE_LEN: usize = 6;

/// Builds a code from random bytes (each picks one character; the slight modulo bias
/// is irrelevant here).
pub fn referral_code(random: [u8; REFERRAL_CODE_LEN]) -> String {
    let mut code = String::with_capacity(REFERRAL_CODE_LEN + 1);
    for (index, byte) in random.iter().enumerate() {
        if index == REFERRAL_CODE_LEN / 2 {
            code.push('-');
        }
        code.push(char::from(
            CODE_ALPHABET[usize::from(*byte) % CODE_ALPHABET.len()],
        ));
    }
    code
}

/// A referral code as typed or taken from a link, in canonical form (`k7m 2qx` reads
/// as `K7M-2QX`); `None` when it cannot be one.
pub fn parse_referral_code(input: &str) -> Option<String> {
    let characters: Vec<u8> = input
        .bytes()
        .filter(|byte| !matches!(byte, b'-' | b' ' | b'\t'))
        .map(|byte| byte.to_ascii_uppercase())
        .collect();
    if characters.len() != REFERRAL_CODE_LEN
        || !characters.iter().all(|byte| CODE_ALPHABET.contains(byte))
    {
        return None;
    }
    let random: [u8; REFERRAL_CODE_LEN] = characters.try_into().ok()?;
    // Each character is in the alphabet, so it maps back to itself.
    let indices = random.map(|byte| {
        let index = CODE_ALPHABET
            .iter()
            .position(|candidate| *candidate == byte)
            .unwrap_or(0);
        u8::try_from(index).unwrap_or(0)
    });
    Some(referral_code(indices))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_have_the_documented_shape() {
        assert_eq!(referral_code([0, 1, 2, 28, 29, 30]), "234-XYZ");
        assert_eq!(referral_code([31, 32, 33, 34, 35, 36]), "234-567");
    }

    #[test]
    fn typed_codes_are_read_back() {
        assert_eq!(parse_referral_code("k7m-2qx").as_deref(), Some("K7M-2QX"));
        assert_eq!(parse_referral_code(" K7M 2QX ").as_deref(), Some("K7M-2QX"));
        assert_eq!(parse_referral_code("K7M2QX").as_deref(), Some("K7M-2QX"));
        // Ambiguous characters, wrong lengths and other symbols are not codes.
        for bad in [
            "", "K7M-2Q", "K7M-2QXX", "K0M-2QX", "KOM-2QX", "K1M-2QX", "K7M_2QX",
        ] {
            assert_eq!(parse_referral_code(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn every_drawn_code_parses_to_itself(random in any::<[u8; REFERRAL_CODE_LEN]>()) {
            let code = referral_code(random);
            prop_assert_eq!(parse_referral_code(&code), Some(code.clone()));
            prop_assert!(crate::orders::is_valid_code(&code));
        }
    }
}
