//! Tiers (VIP levels) and the progress a shopper has made towards the next one.

use serde::{Deserialize, Serialize};

use crate::LocalizedText;

/// One level of the programme, reached by the qualifying total of the programme's
/// window (points earned or money spent, see [`crate::tiers`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tier {
    /// Stable id, such as `gold`.
    pub id: String,
    /// Name shown to shoppers.
    pub name: LocalizedText,
    /// Qualifying total needed to reach this tier: points, or minor units when the
    /// programme counts money spent.
    pub threshold: i64,
    /// What members of this tier get.
    #[serde(default)]
    pub perks: TierPerks,
}

/// The benefits of a tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierPerks {
    /// Points earned on orders, in percent of the programme's rate: 150 earns 1.5 times
    /// the points. 100 (the default) is no bonus.
    #[serde(default = "no_multiplier")]
    pub points_multiplier_percent: u32,
    /// Extra points added to the birthday reward.
    #[serde(default)]
    pub birthday_bonus: i64,
    /// Every order ships free.
    #[serde(default)]
    pub free_shipping: bool,
    /// Ids of the rewards only members of this tier (among others) may redeem.
    #[serde(default)]
    pub exclusive_rewards: Vec<String>,
}

fn no_multiplier() -> u32 {
    100
}

impl Default for TierPerks {
    fn default() -> Self {
        TierPerks {
            points_multiplier_percent: no_multiplier(),
            birthday_bonus: 0,
            free_shipping: false,
            exclusive_rewards: Vec::new(),
        }
    }
}

impl TierPerks {
    /// Whether the tier brings anything beyond its name.
    pub fn is_empty(&self) -> bool {
        *self == TierPerks::default()
    }

    /// `points` scaled by the multiplier, rounded down.
    pub fn multiply(&self, points: i64) -> i64 {
        points.saturating_mul(i64::from(self.points_multiplier_percent)) / 100
    }
}

/// Where a shopper stands on the tier ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierProgress {
    /// Id of the tier reached, if any.
    pub current: Option<String>,
    /// Id of the next tier, if any is above the current one.
    pub next: Option<String>,
    /// Qualifying total still needed to reach `next` (0 at the top): points, or minor
    /// units when the programme counts money spent.
    pub points_to_next: i64,
    /// Progress from the current tier's threshold to the next one, 0 to 100.
    pub percent: u8,
}

/// Checks a tier ladder: ids unique and non-empty, thresholds non-negative and strictly
/// rising. Returns a message naming the first problem.
pub fn validate_ladder(tiers: &[Tier]) -> Result<(), String> {
    let mut previous: Option<&Tier> = None;
    for (index, tier) in tiers.iter().enumerate() {
        if tier.id.trim().is_empty() {
            return Err(format!("tier {index} has an empty id"));
        }
        if tier.threshold < 0 {
            return Err(format!("tier `{}` has a negative threshold", tier.id));
        }
        if tiers[..index].iter().any(|t| t.id == tier.id) {
            return Err(format!("tier id `{}` is used twice", tier.id));
        }
        if let Some(previous) = previous {
            if tier.threshold <= previous.threshold {
                return Err(format!(
                    "tier `{}` must need more points than `{}`",
                    tier.id, previous.id
                ));
            }
        }
        previous = Some(tier);
    }
    Ok(())
}

/// Progress for `lifetime_points` on a ladder sorted by rising threshold (see
/// [`validate_ladder`]).
pub fn tier_progress(tiers: &[Tier], lifetime_points: i64) -> TierProgress {
    let reached = tiers
        .iter()
        .rposition(|tier| lifetime_points >= tier.threshold);
    let current = reached.map(|index| &tiers[index]);
    let next = tiers.get(reached.map_or(0, |index| index + 1));
    let (points_to_next, percent) = match next {
        None => (0, 100),
        Some(next) => {
            let floor = current.map_or(0, |tier| tier.threshold);
            let span = (next.threshold - floor).max(1);
            let done = (lifetime_points - floor).clamp(0, span);
            let percent = u8::try_from(done * 100 / span).unwrap_or(100);
            (next.threshold - lifetime_points, percent)
        }
    };
    TierProgress {
        current: current.map(|tier| tier.id.clone()),
        next: next.map(|tier| tier.id.clone()),
        points_to_next,
        percent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ladder() -> Vec<Tier> {
        [("leaf", 0), ("bud", 500), ("bloom", 2_000)]
            .into_iter()
            .map(|(id, threshold)| Tier {
                id: id.into(),
                name: LocalizedText::en(id),
                threshold,
                perks: TierPerks::default(),
            })
            .collect()
    }

    #[test]
    fn progress_between_tiers() {
        let progress = tier_progress(&ladder(), 1_250);
        assert_eq!(progress.current.as_deref(), Some("bud"));
        assert_eq!(progress.next.as_deref(), Some("bloom"));
        assert_eq!(progress.points_to_next, 750);
        assert_eq!(progress.percent, 50);
    }

    #[test]
    fn perks_default_to_nothing_and_multiply_down() {
        let perks = TierPerks::default();
        assert!(perks.is_empty());
        assert_eq!(perks.multiply(333), 333);
        let gold = TierPerks {
            points_multiplier_percent: 150,
            ..TierPerks::default()
        };
        assert!(!gold.is_empty());
        assert_eq!(gold.multiply(333), 499);
        assert_eq!(gold.multiply(-10), -15);
    }

    #[test]
    fn top_tier_is_full() {
        let progress = tier_progress(&ladder(), 9_000);
        assert_eq!(progress.current.as_deref(), Some("bloom"));
        assert_eq!(progress.next, None);
        assert_eq!((progress.points_to_next, progress.percent), (0, 100));
    }

    #[test]
    fn below_the_first_threshold_has_no_tier() {
        let mut tiers = ladder();
        tiers[0].threshold = 100;
        let progress = tier_progress(&tiers, 40);
        assert_eq!(progress.current, None);
        assert_eq!(progress.next.as_deref(), Some("leaf"));
        assert_eq!((progress.points_to_next, progress.percent), (60, 40));
    }

    #[test]
    fn empty_ladder_is_complete() {
        let progress = tier_progress(&[], 10);
        assert_eq!((progress.current, progress.next), (None, None));
    }

    #[test]
    fn ladder_validation_names_the_problem() {
        assert!(validate_ladder(&ladder()).is_ok());
        let mut bad = ladder();
        bad[2].threshold = 500;
        assert!(validate_ladder(&bad).unwrap_err().contains("bloom"));
        let mut twice = ladder();
        twice[1].id = "leaf".into();
        assert!(validate_ladder(&twice).unwrap_err().contains("twice"));
    }

    proptest! {
        #[test]
        fn progress_is_consistent(points in 0_i64..10_000) {
            let progress = tier_progress(&ladder(), points);
            prop_assert!(progress.percent <= 100);
            prop_assert!(progress.points_to_next >= 0);
            if progress.next.is_some() {
                prop_assert!(progress.points_to_next > 0);
            }
        }
    }
}
