-- The programme settings of shops that keep them in the database (`settings =
-- "dashboard"`): every save is a new version, never an update, so the history of who
-- changed what, and a revert to any version, come from the rows themselves. The newest
-- version of a shop is the one in force; every process polls for it.
CREATE TABLE shop_settings (
    shop_id       TEXT   NOT NULL,
    version       BIGINT NOT NULL,
    -- The document, JSON: the shop's programme sections as in the configuration file.
    document      TEXT   NOT NULL,
    saved_at      BIGINT NOT NULL,
    -- A staff email, `api key` or `configuration file`.
    saved_by      TEXT   NOT NULL,
    note          TEXT   NOT NULL DEFAULT '',
    -- The version a revert restored.
    reverted_from BIGINT,
    -- The sections that differ from the version before, comma-separated.
    sections      TEXT   NOT NULL DEFAULT '',
    PRIMARY KEY (shop_id, version)
);
