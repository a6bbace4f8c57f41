-- Feedback surveys: each published version's structure (so a changed question never
-- mixes with old answers, and a queued answer to an older version is still checked
-- against what it answered), the responses with their scores, the reward each scope
-- earned once, and the shown/dismissed contacts the recontact rules read.

-- The structure of a survey version as first published at start: its questions as
-- JSON `QuestionView`s with every text blanked (ids, kinds, optional, option ids,
-- conditions). A version, once recorded, never changes.
CREATE TABLE survey_versions (
    shop_id      TEXT   NOT NULL,
    survey_id    TEXT   NOT NULL,
    version      BIGINT NOT NULL,
    structure    TEXT   NOT NULL,
    published_at BIGINT NOT NULL,
    PRIMARY KEY (shop_id, survey_id, version)
);

-- One shopper's answers. `customer_id` comes from the token only (NULL for a guest);
-- `answers` and `context` are JSON; `week` is the Monday of `answered_at`'s week in the
-- shop's survey time zone (`YYYY-MM-DD`); `nps`, `csat` and `effort` the answer to the
-- version's first question of that kind, so the report sums scores without reading
-- the answers. `reward` is a `RewardOutcome`.
CREATE TABLE survey_responses (
    -- UUID v7.
    id          TEXT   NOT NULL PRIMARY KEY,
    shop_id     TEXT   NOT NULL,
    survey_id   TEXT   NOT NULL,
    version     BIGINT NOT NULL,
    customer_id TEXT,
    order_id    TEXT,
    answers     TEXT   NOT NULL,
    context     TEXT   NOT NULL,
    answered_at BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    week        TEXT   NOT NULL,
    nps         BIGINT,
    csat        BIGINT,
    effort      BIGINT,
    reward      TEXT   NOT NULL,
    points      BIGINT NOT NULL
);
-- The report and the export, newest first.
CREATE INDEX survey_responses_by_survey ON survey_responses (shop_id, survey_id, answered_at);
-- A customer's history for the recontact rules.
CREATE INDEX survey_responses_by_customer ON survey_responses (shop_id, customer_id, answered_at);

-- A survey's reward, once per scope: per customer (`scope` empty) or per order
-- (`scope` the order id). The ledger entry (kind `survey`) has the response id as its
-- reference.
CREATE TABLE survey_rewards (
    shop_id     TEXT   NOT NULL,
    survey_id   TEXT   NOT NULL,
    customer_id TEXT   NOT NULL,
    scope       TEXT   NOT NULL,
    response_id TEXT   NOT NULL,
    points      BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (shop_id, survey_id, customer_id, scope)
);

-- A survey shown to, or dismissed by, a shopper (answers are responses). Counted once
-- per `Idempotency-Key` of the shopper (`customer_key` is the customer id, empty for
-- a guest).
CREATE TABLE survey_contacts (
    shop_id         TEXT   NOT NULL,
    customer_key    TEXT   NOT NULL,
    idempotency_key TEXT   NOT NULL,
    survey_id       TEXT   NOT NULL,
    version         BIGINT NOT NULL,
    order_id        TEXT,
    outcome         TEXT   NOT NULL,
    at              BIGINT NOT NULL,
    PRIMARY KEY (shop_id, customer_key, idempotency_key)
);
CREATE INDEX survey_contacts_by_customer ON survey_contacts (shop_id, customer_key, at);
CREATE INDEX survey_contacts_by_survey ON survey_contacts (shop_id, survey_id, outcome);
