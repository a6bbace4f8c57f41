-- The loyalty ledger. One portable script for SQLite and PostgreSQL: TEXT ids,
-- BIGINT numbers, timestamps as BIGINT Unix seconds, no booleans.

-- One row per shopper per shop. `lock_version` is bumped at the start of every
-- points-changing transaction so those transactions queue up one customer at a time.
CREATE TABLE customers (
    shop_id      TEXT   NOT NULL,
    customer_id  TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    lock_version BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (shop_id, customer_id)
);

-- Append-only. The balance is SUM(points); the lifetime total (tier) is SUM(lifetime).
CREATE TABLE ledger_entries (
    id          TEXT   NOT NULL PRIMARY KEY,
    shop_id     TEXT   NOT NULL,
    customer_id TEXT   NOT NULL,
    kind        TEXT   NOT NULL,
    points      BIGINT NOT NULL,
    lifetime    BIGINT NOT NULL,
    reference   TEXT   NOT NULL,
    reward_name TEXT,
    forgiven    BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    FOREIGN KEY (shop_id, customer_id) REFERENCES customers (shop_id, customer_id)
);
CREATE INDEX ledger_entries_by_customer ON ledger_entries (shop_id, customer_id, created_at);

-- Each order is processed at most once per status.
CREATE TABLE orders (
    shop_id     TEXT   NOT NULL,
    order_id    TEXT   NOT NULL,
    status      TEXT   NOT NULL,
    customer_id TEXT   NOT NULL,
    total       BIGINT NOT NULL,
    currency    TEXT   NOT NULL,
    points      BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (shop_id, order_id, status)
);

CREATE TABLE discount_codes (
    shop_id       TEXT   NOT NULL,
    code          TEXT   NOT NULL,
    customer_id   TEXT   NOT NULL,
    reward_id     TEXT   NOT NULL,
    kind          TEXT   NOT NULL,
    value         BIGINT NOT NULL,
    currency      TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    used_by_order TEXT,
    used_at       BIGINT,
    PRIMARY KEY (shop_id, code)
);
CREATE INDEX discount_codes_by_customer ON discount_codes (shop_id, customer_id, created_at);

-- The first successful answer to each mutating request, replayed for repeats.
CREATE TABLE idempotency_keys (
    shop_id       TEXT   NOT NULL,
    customer_id   TEXT   NOT NULL,
    key           TEXT   NOT NULL,
    request_hash  TEXT   NOT NULL,
    status_code   BIGINT NOT NULL,
    response_body TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (shop_id, customer_id, key)
);
