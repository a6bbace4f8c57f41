-- The shop's admin API: points spent per discount code, and listing a shop's
-- redemptions newest first.

-- Points a redemption spent, kept on its code. Codes issued before this migration get
-- the amount from their `redeemed` ledger entry (same customer, reward and second).
ALTER TABLE discount_codes ADD COLUMN points_spent BIGINT NOT NULL DEFAULT 0;
UPDATE discount_codes SET points_spent = COALESCE((
    SELECT -MIN(l.points) FROM ledger_entries l
    WHERE l.shop_id = discount_codes.shop_id
      AND l.customer_id = discount_codes.customer_id
      AND l.kind = 'redeemed'
      AND l.reference = discount_codes.reward_id
      AND l.created_at = discount_codes.created_at
), 0);

CREATE INDEX discount_codes_by_shop ON discount_codes (shop_id, created_at);
