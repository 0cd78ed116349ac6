-- The outbox of job changes: each row is work a change of a job causes elsewhere (tell its host, reconcile its
-- cluster, enqueue a job), inserted in the same transaction as the change and marked done by whoever delivered it.
-- The sweeper delivers what is not done by next_attempt_at. Done rows are deleted a day later.
CREATE TABLE IF NOT EXISTS job_effects (
    job_id          BIGINT UNSIGNED NOT NULL,   -- the job whose change caused it
    version         INT NOT NULL,               -- the version that change wrote
    kind            VARCHAR(32) NOT NULL,       -- host_job_ended | cluster_reconcile | enqueue | dequeue
    target          VARCHAR(768) NOT NULL,      -- a host, a cluster id, a queue key
    subject_id      BIGINT UNSIGNED NULL,       -- the job it is about, when not job_id (a successor)
    created_at      BIGINT NOT NULL,            -- unix ms
    next_attempt_at BIGINT NOT NULL,            -- unix ms: from then the sweeper may deliver it
    attempts        INT NOT NULL,               -- deliveries begun
    done_at         BIGINT NULL,                -- unix ms; null until delivered
    last_error      TEXT NULL,
    PRIMARY KEY (job_id, version, kind),
    KEY ix_job_effects_due (done_at, next_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Jobs whose host was not yet told they ended become effects, and the flag that tracked them goes.
INSERT IGNORE INTO job_effects (job_id, version, kind, target, subject_id, created_at, next_attempt_at, attempts)
    SELECT id, version, 'host_job_ended', host, NULL, COALESCE(finish_time, 0), 0, 1 FROM jobs WHERE host_pending = 1 AND host IS NOT NULL;
ALTER TABLE jobs DROP INDEX IF EXISTS ix_jobs_host_pending, DROP COLUMN IF EXISTS host_pending;

-- Idempotent submit: the job each account's submit_id created, written in the transaction that stores the job.
CREATE TABLE IF NOT EXISTS submit_keys (
    my_account VARCHAR(128) NOT NULL,
    submit_id  VARCHAR(128) NOT NULL,
    job_id     BIGINT UNSIGNED NOT NULL,        -- the job (for a cluster, its first node job: the cluster id)
    digest     CHAR(64) NOT NULL,               -- sha-256 of the submitted document: a repeat matches it
    created_at BIGINT NOT NULL,
    PRIMARY KEY (my_account, submit_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
