-- Help centre: the tickets shoppers send from the widget, with the context they came
-- with (the wizard path, the article read, the page, the locale), and the "did this
-- help" answers counted per article and per wizard leaf.
CREATE TABLE help_tickets (
    shop_id TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    -- From the customer token, never from the body; NULL for a signed-out shopper.
    customer_id TEXT,
    email TEXT,
    name TEXT,
    order_id TEXT,
    message TEXT NOT NULL,
    -- JSON: tree, path ([{question, answer}]), article, page, locale.
    context TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (shop_id, ticket_id)
);
CREATE INDEX help_tickets_by_time ON help_tickets (shop_id, created_at);

CREATE TABLE help_feedback (
    shop_id TEXT NOT NULL,
    -- `article:<id>` or `leaf:<tree id>/<step id>`.
    subject TEXT NOT NULL,
    helpful BIGINT NOT NULL DEFAULT 0,
    not_helpful BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (shop_id, subject)
);
