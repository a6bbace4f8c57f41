-- The product catalogue and the customer profiles the shop's backend syncs.

-- One row per product. `title` and `description` are JSON objects by locale,
-- `categories` a JSON array; `in_stock` 0 or 1; `updated_at` the shop's Unix seconds
-- (a sync older than the stored one changes nothing).
CREATE TABLE products (
    shop_id          TEXT   NOT NULL,
    product_id       TEXT   NOT NULL,
    title            TEXT   NOT NULL,
    description      TEXT,
    price            BIGINT NOT NULL,
    compare_at_price BIGINT,
    url              TEXT   NOT NULL,
    image            TEXT,
    in_stock         BIGINT NOT NULL,
    categories       TEXT   NOT NULL,
    updated_at       BIGINT NOT NULL,
    synced_at        BIGINT NOT NULL,
    PRIMARY KEY (shop_id, product_id)
);

-- One row per customer the shop's backend told about. `email` is lowercased for
-- comparison (referral fraud rules, help tickets); `created_at` the shop's Unix seconds.
CREATE TABLE customer_profiles (
    shop_id     TEXT   NOT NULL,
    customer_id TEXT   NOT NULL,
    email       TEXT,
    name        TEXT,
    created_at  BIGINT NOT NULL,
    synced_at   BIGINT NOT NULL,
    PRIMARY KEY (shop_id, customer_id)
);
CREATE INDEX customer_profiles_by_email ON customer_profiles (shop_id, email);
