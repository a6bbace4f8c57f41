-- What shoppers did with recommended products, as their widgets report it, counted per
-- shop, UTC day (`day` is the day's first Unix second) and kind of list. No shopper is
-- named: the dashboard reads totals over a period.
CREATE TABLE recommendation_days (
    shop_id TEXT   NOT NULL,
    day     BIGINT NOT NULL,
    kind    TEXT   NOT NULL,
    clicks  BIGINT NOT NULL DEFAULT 0,
    adds    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (shop_id, day, kind)
);
