-- Birthday rewards: the birthday a shopper sets (month and day, no year) and when they
-- set it (Unix seconds; its UTC date is the `set_on` of the 30-day gate). All NULL until
-- set. The last rewarded year is not stored: it is read from the customer's birthday
-- entries in the ledger (`kind = 'action'`, `action_id = 'birthday'`,
-- `reference = 'birthday-<year>'`), and this unique index makes a second award for the
-- same year impossible even if two job runs raced past the customer lock.
ALTER TABLE customers ADD COLUMN birthday_month BIGINT;
ALTER TABLE customers ADD COLUMN birthday_day BIGINT;
ALTER TABLE customers ADD COLUMN birthday_set_at BIGINT;
CREATE UNIQUE INDEX ledger_entries_birthday_once
    ON ledger_entries (shop_id, customer_id, reference) WHERE action_id = 'birthday';
