-- Testboxes and hosts. Every job records the host it ran on (set with its assignment) and, when it ends, its
-- host_lifecycle string; the host's history is read from the jobs table, so it can never miss a job.
ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS host           VARCHAR(255) NULL,
    ADD COLUMN IF NOT EXISTS host_lifecycle TEXT NULL,
    ADD KEY IF NOT EXISTS ix_jobs_host (host, boot_time);

-- The registry: every testbox that consumes or heartbeats. Heartbeat columns are empty for boxes that never beat.
ALTER TABLE testboxes
    MODIFY COLUMN last_heartbeat BIGINT NULL,
    MODIFY COLUMN heartbeat_interval_s INT NULL,
    MODIFY COLUMN heartbeat_deadline BIGINT NULL,
    ADD COLUMN IF NOT EXISTS host          VARCHAR(255) NULL,
    ADD COLUMN IF NOT EXISTS tags          LONGTEXT NULL CHECK (tags IS NULL OR JSON_VALID(tags)),
    ADD COLUMN IF NOT EXISTS memory_mb     BIGINT NULL,
    ADD COLUMN IF NOT EXISTS last_seen     BIGINT NULL,
    ADD COLUMN IF NOT EXISTS waiting_until BIGINT NULL,
    ADD KEY IF NOT EXISTS ix_testboxes_host (host),
    ADD KEY IF NOT EXISTS ix_testboxes_seen (last_seen);

-- One row per host that was wiped or quarantined; a host without a row has never been either.
CREATE TABLE IF NOT EXISTS hosts (
    host                 VARCHAR(255) NOT NULL,
    wiped_at             BIGINT NULL,
    quarantined          TINYINT NOT NULL DEFAULT 0,
    quarantined_at       BIGINT NULL,
    quarantine_reason    TEXT NULL,
    suspects             LONGTEXT NULL CHECK (suspects IS NULL OR JSON_VALID(suspects)),
    health_check_job_id  BIGINT UNSIGNED NULL,
    released_at          BIGINT NULL,
    release_reason       TEXT NULL,
    PRIMARY KEY (host)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
