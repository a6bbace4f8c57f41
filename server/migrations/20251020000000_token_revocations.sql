-- Customer tokens a shop's backend revoked: tokens of the customer issued (`iat`) before
-- `revoked_before` (Unix seconds) are refused. One row per customer; the time only
-- moves forward.
CREATE TABLE token_revocations (
    shop_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    revoked_before BIGINT NOT NULL,
    PRIMARY KEY (shop_id, customer_id)
);
