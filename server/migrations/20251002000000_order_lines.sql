-- Orders for every feature: each order's lines and the optional fields of its webhook,
-- stored once, from the first delivery of the order (paid, or a refund that came first).

-- One row per order: who placed it and what came with it. `email` is lowercased
-- (`comeback_core::orders::normalize_email`); `discount_codes` a JSON array of strings.
CREATE TABLE order_details (
    shop_id        TEXT   NOT NULL,
    order_id       TEXT   NOT NULL,
    customer_id    TEXT   NOT NULL,
    email          TEXT,
    discount_codes TEXT   NOT NULL,
    referral_code  TEXT,
    total          BIGINT NOT NULL,
    currency       TEXT   NOT NULL,
    placed_at      BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (shop_id, order_id)
);
CREATE INDEX order_details_by_customer ON order_details (shop_id, customer_id, placed_at);
CREATE INDEX order_details_by_email ON order_details (shop_id, email);
CREATE INDEX order_details_by_referral ON order_details (shop_id, referral_code);

-- The order's lines in the order sent (`line_no` from 0), with the subscription a line
-- was bought under (NULL when none).
CREATE TABLE order_lines (
    shop_id               TEXT   NOT NULL,
    order_id              TEXT   NOT NULL,
    line_no               BIGINT NOT NULL,
    product_id            TEXT   NOT NULL,
    quantity              BIGINT NOT NULL,
    unit_price            BIGINT NOT NULL,
    subscription_plan_id  TEXT,
    subscription_interval TEXT,
    PRIMARY KEY (shop_id, order_id, line_no)
);
CREATE INDEX order_lines_by_product ON order_lines (shop_id, product_id);
