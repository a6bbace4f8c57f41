-- Tiers in depth: the tier status each customer holds (`comeback_core::tiers`), the day
-- each order was placed (tier windows date purchases and their refunds by it), and the
-- points an entry would have earned without a tier perk.

-- The tier held (NULL: none), the last day it is held whatever the total does
-- (`YYYY-MM-DD`, NULL for lifetime programmes), and when the status was last evaluated
-- (NULL: never; the first evaluation is silent, see `store::tiers`).
ALTER TABLE customers ADD COLUMN tier_id TEXT;
ALTER TABLE customers ADD COLUMN tier_held_until TEXT;
ALTER TABLE customers ADD COLUMN tier_evaluated_at BIGINT;
CREATE INDEX customers_by_tier_hold ON customers (shop_id, tier_held_until);

-- When the order was placed (the webhook's `created_at`, never later than its
-- processing), Unix seconds. Orders recorded before this migration use the processing
-- time, which is what they had.
ALTER TABLE orders ADD COLUMN placed_at BIGINT;
UPDATE orders SET placed_at = created_at;

-- For entries a tier perk added points to (the order multiplier, the birthday bonus):
-- the points before the perk. NULL otherwise.
ALTER TABLE ledger_entries ADD COLUMN base_points BIGINT;
