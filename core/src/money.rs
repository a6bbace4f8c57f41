//! Currencies and the points an order earns.

/// Minor-unit digits of an ISO 4217 currency (2 for CNY: 1 yuan = 100 fen), or `None`
/// for a code that is not three uppercase letters. Codes not in the short list of
/// exceptions use two digits, as most currencies do.
pub fn currency_exponent(code: &str) -> Option<u32> {
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    Some(match code {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    })
}

/// Points earned for an order of `total_minor` minor units at `points_per_unit` points
/// per whole currency unit. Fractions of a point are dropped; a negative or zero total
/// earns nothing; the product saturates instead of overflowing.
pub fn points_for_order(total_minor: i64, exponent: u32, points_per_unit: i64) -> i64 {
    if total_minor <= 0 || points_per_unit <= 0 {
        return 0;
    }
    let unit = 10_i64.saturating_pow(exponent);
    let points = i128::from(total_minor) * i128::from(points_per_unit) / i128::from(unit);
    i64::try_from(points).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_follow_iso_4217() {
        assert_eq!(currency_exponent("CNY"), Some(2));
        assert_eq!(currency_exponent("JPY"), Some(0));
        assert_eq!(currency_exponent("KWD"), Some(3));
        assert_eq!(currency_exponent("cny"), None);
        assert_eq!(currency_exponent("YUAN"), None);
    }

    #[test]
    fn order_points_drop_fractions() {
        // ¥128.50 at 1 point per yuan.
        assert_eq!(points_for_order(12_850, 2, 1), 128);
        // ¥0.99 earns nothing.
        assert_eq!(points_for_order(99, 2, 1), 0);
        // ¥1,000 at 2 points per yen.
        assert_eq!(points_for_order(1_000, 0, 2), 2_000);
        assert_eq!(points_for_order(-500, 2, 1), 0);
        assert_eq!(points_for_order(i64::MAX, 0, 10), i64::MAX);
    }
}
