//! How long a visit through a referral link attributes the friend's first order. The
//! loader keeps the code in the browser's first-party storage until [`ends_at`], which
//! the server answers to the visit; the newest link wins, and a visit through the same
//! link renews the window.

/// Days a visit attributes when the shop sets nothing.
pub const DEFAULT_WINDOW_DAYS: u32 = 30;
/// Longest window a shop may set, in days.
pub const MAX_WINDOW_DAYS: u32 = 365;

const DAY: i64 = 86_400;

/// Unix seconds after which a visit at `visited_at` no longer attributes an order.
pub fn ends_at(visited_at: i64, window_days: u32) -> i64 {
    visited_at.saturating_add(i64::from(window_days).saturating_mul(DAY))
}

/// Whether a visit at `visited_at` still attributes an order placed at `now`.
pub fn attributes(visited_at: i64, window_days: u32, now: i64) -> bool {
    (visited_at..ends_at(visited_at, window_days)).contains(&now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visit_attributes_for_its_window_only() {
        let visited = 1_800_000_000;
        assert_eq!(ends_at(visited, 30), visited + 30 * DAY);
        assert!(attributes(visited, 30, visited));
        assert!(attributes(visited, 30, visited + 30 * DAY - 1));
        assert!(!attributes(visited, 30, visited + 30 * DAY));
        // An order placed before the visit is not the link's doing.
        assert!(!attributes(visited, 30, visited - 1));
        assert!(!attributes(visited, 0, visited));
    }

    #[test]
    fn the_window_never_overflows() {
        assert_eq!(ends_at(i64::MAX - 5, MAX_WINDOW_DAYS), i64::MAX);
    }
}
