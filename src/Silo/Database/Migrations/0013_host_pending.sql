-- A job that ended on a host and whose host has not yet acted on it (wipe, quarantine, release). Set in the same
-- write that ends the job, cleared by the host grain; the sweeper re-drives what is left set.
ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS host_pending TINYINT NULL,
    ADD KEY IF NOT EXISTS ix_jobs_host_pending (host_pending, finish_time);
