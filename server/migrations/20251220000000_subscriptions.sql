-- Subscribe and save: the subscriptions paid order lines start, their delivery schedule
-- and what the shopper changed. Dates are the shop's calendar dates (its time zone) as
-- ISO 8601 text, `YYYY-MM-DD`, which order as text the way they order as dates.
CREATE TABLE subscriptions (
    -- UUID v7.
    id                    TEXT   NOT NULL PRIMARY KEY,
    shop_id               TEXT   NOT NULL,
    customer_id           TEXT   NOT NULL,
    product_id            TEXT   NOT NULL,
    plan_id               TEXT   NOT NULL,
    quantity              BIGINT NOT NULL,
    -- ISO 8601 duration of one unit (`P2W`); `interval` is a word PostgreSQL keeps.
    delivery_interval     TEXT   NOT NULL,
    -- The day of the month monthly and yearly schedules keep to (1-31).
    anchor_day            BIGINT NOT NULL,
    -- `active`, `paused` or `cancelled`.
    status                TEXT   NOT NULL,
    -- The next delivery the shop has not been asked for yet; NULL once cancelled.
    next_delivery         TEXT,
    -- While paused: the day it resumes.
    paused_until          TEXT,
    -- The delivery the shop was asked to charge and ship (`subscription.renewal_due`)
    -- and has not confirmed with a renewal order yet.
    renewal_requested_for TEXT,
    -- Deliveries confirmed so far, the first order included.
    deliveries            BIGINT NOT NULL,
    started_on            TEXT   NOT NULL,
    cancelled_on          TEXT,
    cancelled_at          BIGINT,
    cancel_reason         TEXT,
    cancel_comment        TEXT,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    -- The order line that started it (`line_no` from 0).
    order_id              TEXT   NOT NULL,
    line_no               BIGINT NOT NULL
);
-- A repeated order webhook cannot start a line's subscription twice.
CREATE UNIQUE INDEX subscriptions_by_order_line ON subscriptions (shop_id, order_id, line_no);
-- The manager's list and the admin filter.
CREATE INDEX subscriptions_by_customer ON subscriptions (shop_id, customer_id, created_at);
-- The renewal job: active ones whose next delivery has come, paused ones whose pause ended.
CREATE INDEX subscriptions_due ON subscriptions (shop_id, status, next_delivery);
CREATE INDEX subscriptions_resuming ON subscriptions (shop_id, status, paused_until);
-- The admin's recent cancellations.
CREATE INDEX subscriptions_by_cancellation ON subscriptions (shop_id, cancelled_at);

-- A renewal order's line names the subscription it renews.
ALTER TABLE order_lines ADD COLUMN subscription_id TEXT;
