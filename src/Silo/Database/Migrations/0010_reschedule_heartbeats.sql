-- Automatic rescheduling: each attempt is its own job, linked both ways to the one it replaced.
-- finish_time is indexed for crash counts over a time window.
ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS attempt          INT NOT NULL DEFAULT 1,
    ADD COLUMN IF NOT EXISTS rescheduled_from BIGINT UNSIGNED NULL,
    ADD COLUMN IF NOT EXISTS rescheduled_as   BIGINT UNSIGNED NULL,
    ADD KEY IF NOT EXISTS ix_jobs_finish_time (finish_time);

-- Testboxes that heartbeat. A box silent past heartbeat_deadline while holding a confirmed job has crashed.
-- Boxes that never heartbeat (plain lkp clients) have no row and are watched by deadlines alone.
CREATE TABLE IF NOT EXISTS testboxes (
    testbox              VARCHAR(255) NOT NULL,
    last_heartbeat       BIGINT NOT NULL,      -- unix ms
    heartbeat_interval_s INT NOT NULL,
    heartbeat_deadline   BIGINT NOT NULL,      -- unix ms: last_heartbeat + missed beats x interval
    PRIMARY KEY (testbox),
    KEY ix_testboxes_deadline (heartbeat_deadline)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
