-- Punch cards: the products of each order (its lines' product ids, a JSON array of
-- strings; NULL for orders recorded before this migration, which then only stamp
-- cards without a product list), and the rewards issued for full cards.
ALTER TABLE orders ADD COLUMN product_ids TEXT;

-- One row per full card rewarded: the n-th (`seq`, from 1) reward of a card for a
-- customer and the discount code issued for it. A card's progress is recomputed from
-- the orders; only when it counts more full cards than rows here is a code issued, so
-- a refund and a new stamp never pay a card twice. Rows are never deleted.
CREATE TABLE punch_card_rewards (
    shop_id     TEXT   NOT NULL,
    customer_id TEXT   NOT NULL,
    card_id     TEXT   NOT NULL,
    seq         BIGINT NOT NULL,
    code        TEXT   NOT NULL,
    order_id    TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (shop_id, customer_id, card_id, seq)
);
