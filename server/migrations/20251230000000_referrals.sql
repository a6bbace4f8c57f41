-- Referrals: each advocate's code, the visits through it, the friends who claimed
-- their reward, and each referred first order with what it earns the advocate. Dates
-- are the shop's calendar dates (its time zone) as ISO 8601 text, `YYYY-MM-DD`.

-- One code per advocate, drawn on their first `GET /referrals/me` and kept.
CREATE TABLE referral_advocates (
    shop_id     TEXT   NOT NULL,
    customer_id TEXT   NOT NULL,
    -- Canonical form, `K7M-2QX` (`comeback_core::referral::code`).
    code        TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (shop_id, customer_id)
);
CREATE UNIQUE INDEX referral_advocates_by_code ON referral_advocates (shop_id, code);

-- Visits through an advocate's link, counted per UTC day (`day` is the day's first
-- Unix second), so the funnel can be read for a period.
CREATE TABLE referral_visits (
    shop_id     TEXT   NOT NULL,
    advocate_id TEXT   NOT NULL,
    day         BIGINT NOT NULL,
    visits      BIGINT NOT NULL,
    PRIMARY KEY (shop_id, advocate_id, day)
);
CREATE INDEX referral_visits_by_day ON referral_visits (shop_id, day);

-- A friend's claim of their reward: one per mailbox per shop (`mailbox` is
-- `comeback_core::referral::rules::mailbox` of the email), with the discount code it
-- issued (a row of `discount_codes`).
CREATE TABLE referral_claims (
    shop_id     TEXT   NOT NULL,
    mailbox     TEXT   NOT NULL,
    email       TEXT   NOT NULL,
    advocate_id TEXT   NOT NULL,
    -- The friend's discount code.
    code        TEXT   NOT NULL,
    -- The signed-in shopper who claimed, or the customer whose order used the code.
    customer_id TEXT,
    -- The network address claimed from (IPv4, or an IPv6 /64), when known.
    address     TEXT,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    PRIMARY KEY (shop_id, mailbox)
);
CREATE UNIQUE INDEX referral_claims_by_code ON referral_claims (shop_id, code);
CREATE INDEX referral_claims_by_advocate ON referral_claims (shop_id, advocate_id, created_at);
CREATE INDEX referral_claims_by_customer ON referral_claims (shop_id, customer_id);
CREATE INDEX referral_claims_by_time ON referral_claims (shop_id, created_at);

-- A referred first order: one per order. `status` is `pending`, `paid`, `cancelled` or
-- `declined`; `reason` a `ReferralReason` when declined or cancelled; `decided_by`
-- `rules` (the order webhook), `job` (paid by the job), or `shop` (by hand).
CREATE TABLE referrals (
    -- UUID v7.
    id                 TEXT   NOT NULL PRIMARY KEY,
    shop_id            TEXT   NOT NULL,
    advocate_id        TEXT   NOT NULL,
    -- The advocate's code the order came through.
    code               TEXT   NOT NULL,
    friend_customer_id TEXT   NOT NULL,
    friend_email       TEXT,
    friend_mailbox     TEXT,
    order_id           TEXT   NOT NULL,
    order_total        BIGINT NOT NULL,
    currency           TEXT   NOT NULL,
    ordered_on         TEXT   NOT NULL,
    status             TEXT   NOT NULL,
    reason             TEXT,
    pays_on            TEXT,
    paid_on            TEXT,
    paid_at            BIGINT,
    -- The advocate's reward as promised when the order arrived.
    reward_kind        TEXT   NOT NULL,
    reward_value       BIGINT NOT NULL,
    -- Once paid: the code issued, or the points on the ledger.
    reward_code        TEXT,
    points             BIGINT,
    -- The order's network address (IPv4, or an IPv6 /64), when known.
    address            TEXT,
    decided_by         TEXT   NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
-- The same order never refers twice.
CREATE UNIQUE INDEX referrals_by_order ON referrals (shop_id, order_id);
-- The advocate's list and cap.
CREATE INDEX referrals_by_advocate ON referrals (shop_id, advocate_id, created_at);
-- The payment job: pending ones whose day has come.
CREATE INDEX referrals_due ON referrals (shop_id, status, pays_on);
-- The per-address weekly limit.
CREATE INDEX referrals_by_address ON referrals (shop_id, address, created_at);
-- "Referred before": by customer and by mailbox.
CREATE INDEX referrals_by_friend ON referrals (shop_id, friend_customer_id);
CREATE INDEX referrals_by_mailbox ON referrals (shop_id, friend_mailbox);
-- The funnel for a period.
CREATE INDEX referrals_by_time ON referrals (shop_id, created_at);
