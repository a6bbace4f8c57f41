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
