-- Outbound webhooks: events for the shop's backend, written in the transaction of the
-- change that causes them and delivered later by the server's delivery task.
-- `dedupe_key` is NULL except where an event must be written at most once (for
-- `points.expiring`: the customer and the expiry date); NULLs never conflict.
CREATE TABLE outbox (
    id              TEXT   NOT NULL PRIMARY KEY,
    shop_id         TEXT   NOT NULL,
    type            TEXT   NOT NULL,
    dedupe_key      TEXT,
    payload         TEXT   NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    delivered_at    BIGINT,
    failed_at       BIGINT,
    last_error      TEXT
);
CREATE UNIQUE INDEX outbox_once ON outbox (shop_id, type, dedupe_key);
CREATE INDEX outbox_due ON outbox (next_attempt_at, created_at);
