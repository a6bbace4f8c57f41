-- Staff accounts of the shop-owner dashboard and their sign-in sessions.

-- One account per shop and email (stored lowercased). `password_hash` is an Argon2id
-- PHC string; `role` is `owner` or `staff`. `failed_attempts` counts the failed
-- sign-ins in a row; enough of them set `locked_until` (Unix seconds) and start the
-- count again.
CREATE TABLE staff_users (
    shop_id         TEXT   NOT NULL,
    email           TEXT   NOT NULL,
    password_hash   TEXT   NOT NULL,
    role            TEXT   NOT NULL,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until    BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (shop_id, email)
);

-- A signed-in dashboard. `token_hash` is the SHA-256 (hex) of the random token in the
-- `comeback_staff` cookie: the token itself is never stored. A session ends at
-- `expires_at`, or earlier when no request came for a while after `last_seen_at`.
CREATE TABLE staff_sessions (
    token_hash   TEXT   NOT NULL PRIMARY KEY,
    shop_id      TEXT   NOT NULL,
    email        TEXT   NOT NULL,
    csrf_token   TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
-- Ending every session of an account (removed, new password).
CREATE INDEX staff_sessions_by_user ON staff_sessions (shop_id, email);
