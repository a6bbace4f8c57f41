-- Several server processes on one database: leases so each periodic job and each
-- outbound webhook runs in one process at a time.

-- One row per periodic job (`scheduler::Job::name`): the process holding it and until
-- when (Unix seconds). A run holds it for a bounded time and then until the job's next
-- run is due; a lapsed lease may be taken by any process.
CREATE TABLE job_leases (
    name         TEXT   NOT NULL PRIMARY KEY,
    owner        TEXT   NOT NULL,
    locked_until BIGINT NOT NULL
);

-- An outbox event being delivered by a process is locked until then (Unix seconds; NULL
-- when not locked). A process that dies mid-delivery leaves the lock to lapse.
ALTER TABLE outbox ADD COLUMN locked_until BIGINT;
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
