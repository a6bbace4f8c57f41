-- Earning actions: the configured action an `action` ledger entry awards, so its limits
-- (once per reference, once a year, daily cap) can be checked against this customer's
-- earlier awards of the same action. NULL for every other kind of entry. The entry's
-- `reference` stays what the shop sent (an order id, a review id, `signup`).
ALTER TABLE ledger_entries ADD COLUMN action_id TEXT;
CREATE INDEX ledger_entries_by_action ON ledger_entries (shop_id, customer_id, action_id);
