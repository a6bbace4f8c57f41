-- Indexed points expiry: earning entries by shop and time, so each run reads only the
-- entries that became due since the last complete run of the shop (and, for the
-- `points.expiring` warnings, those expiring within the warning window) instead of the
-- whole ledger; and the point in time up to which each shop's expiry is complete.
CREATE INDEX ledger_entries_earned ON ledger_entries (shop_id, created_at) WHERE points > 0;

CREATE TABLE expiry_watermarks (
    shop_id        TEXT   NOT NULL PRIMARY KEY,
    checked_before BIGINT NOT NULL
);
