-- When a job last became pending: at submit, and again whenever it returns to its queue (lease expired, given back).
-- Queues re-read the pending jobs that became pending recently, so a job that returned to its queue (keeping its old,
-- low id) is found again even when the message that should have put it back in the queue's memory was lost.
-- The queue index ends with queued_at instead of id (InnoDB appends the id to every secondary index anyway), so a job
-- write maintains as many indexes as before.
ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS queued_at BIGINT NULL,
    ADD KEY IF NOT EXISTS ix_jobs_queued (queue_key(255), job_stage, queued_at),
    DROP KEY IF EXISTS ix_jobs_queue;

UPDATE jobs SET queued_at = submit_time WHERE job_stage = 'submit' AND queued_at IS NULL;
