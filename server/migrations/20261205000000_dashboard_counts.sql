-- What the dashboard counts over a period that left no dated trace before.

-- Every change a shopper made to a subscription (`skip`, `deliver-now`, `pause`,
-- `resume`, `change`, `cancel`), written in the change's transaction, so the dashboard
-- can count a period's skips (a skip leaves no other trace than the moved date).
CREATE TABLE subscription_log (
    shop_id         TEXT   NOT NULL,
    subscription_id TEXT   NOT NULL,
    action          TEXT   NOT NULL,
    at              BIGINT NOT NULL
);
CREATE INDEX subscription_log_by_action ON subscription_log (shop_id, action, at);

-- "Did this help" answers counted per shop and UTC day (`day` is the day's first Unix
-- second) beside the all-time counts per subject, so the dashboard can read a period.
CREATE TABLE help_feedback_days (
    shop_id     TEXT   NOT NULL,
    day         BIGINT NOT NULL,
    helpful     BIGINT NOT NULL DEFAULT 0,
    not_helpful BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (shop_id, day)
);
