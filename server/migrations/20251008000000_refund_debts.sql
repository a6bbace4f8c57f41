-- Refunds take back what was spent (docs/server.md, "Refunds, debts and revoked codes").
-- `debt` is each ledger entry's change to the points the shopper owes: a refund that
-- cannot take all it owes from the balance or from unused codes records the rest as a
-- positive debt, and each repayment from a later earning a negative one; the debt is
-- their sum. `detail` says which step of a refund an entry is when its `kind` alone
-- does not (`code_revoked`, `debt_repaid`); NULL for every other entry.
ALTER TABLE ledger_entries ADD COLUMN debt BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger_entries ADD COLUMN detail TEXT;
-- For a `code_revoked` step: the code it revoked.
ALTER TABLE ledger_entries ADD COLUMN code TEXT;
-- A code a refund revoked: when, and the refunded order that revoked it. A revoked code
-- can no longer be used, released or given back when it expires.
ALTER TABLE discount_codes ADD COLUMN revoked_at BIGINT;
ALTER TABLE discount_codes ADD COLUMN revoked_by_order TEXT;
-- A punch card reward whose code a refund revoked no longer counts as issued: the card
-- pays it again when the shopper fills it again.
ALTER TABLE punch_card_rewards ADD COLUMN revoked_at BIGINT;
