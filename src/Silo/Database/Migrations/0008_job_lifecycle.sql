-- Lifecycle columns: when each stage began, the current deadline, the crash classification, and the job's
-- event history (a JSON array appended by the same UPDATE that changes the job, so the two never disagree).
ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS running_time      BIGINT NULL,
    ADD COLUMN IF NOT EXISTS post_run_time     BIGINT NULL,
    ADD COLUMN IF NOT EXISTS manual_check_time BIGINT NULL,
    ADD COLUMN IF NOT EXISTS renew_time        BIGINT NULL,
    ADD COLUMN IF NOT EXISTS finish_time       BIGINT NULL,
    ADD COLUMN IF NOT EXISTS deadline          BIGINT NULL,
    ADD COLUMN IF NOT EXISTS crash             LONGTEXT NULL CHECK (crash IS NULL OR JSON_VALID(crash)),
    ADD COLUMN IF NOT EXISTS events            LONGTEXT NULL CHECK (events IS NULL OR JSON_VALID(events)),
    ADD KEY IF NOT EXISTS ix_jobs_deadline (job_stage, deadline);
