-- When a job's history last grew (unix ms): the greatest entry time in its events array, set by every statement that
-- appends to it (and by the insert). The many-job watch finds the jobs that changed after its position by this index
-- instead of reading every history. Rows from before it stay NULL until their next change.
ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS changed_at BIGINT NULL,
    ADD KEY IF NOT EXISTS ix_jobs_changed (changed_at);
