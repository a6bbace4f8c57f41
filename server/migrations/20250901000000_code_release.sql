-- Codes give points back: when the shop's backend released a code (Unix seconds; NULL
-- while not released). The points a code gives back, on release or when it expires
-- unused, are a `returned` ledger entry whose reference is the code; this index makes a
-- second return of the same code impossible even if two runs raced past the lock.
ALTER TABLE discount_codes ADD COLUMN released_at BIGINT;
CREATE UNIQUE INDEX ledger_entries_returned_once
    ON ledger_entries (shop_id, reference) WHERE kind = 'returned';
CREATE INDEX discount_codes_by_expiry ON discount_codes (shop_id, expires_at);
