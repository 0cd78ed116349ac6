-- What an unchanged lkp-tests testbox reports through compass-ci's cgi calls. On a job: the health its last finish
-- word (job_state=finished, failed, OOM, ...) stood for, noted but not yet the job's health (lkp-post-run ends the
-- job with it), and the other variables it appended (job_state, start_time, end_time, loadavg, ssh_port, job_step,
-- ...) as one JSON object. On a testbox: its last lkp-wtmp state (network_up, running, rebooting, ...), when, and
-- the job, mac and ip it named.
ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS noted_health VARCHAR(64) NULL,
    ADD COLUMN IF NOT EXISTS lkp_vars MEDIUMTEXT NULL;

ALTER TABLE testboxes
    ADD COLUMN IF NOT EXISTS wtmp_state VARCHAR(64) NULL,
    ADD COLUMN IF NOT EXISTS wtmp_time BIGINT NULL,
    ADD COLUMN IF NOT EXISTS wtmp_job_id BIGINT UNSIGNED NULL,
    ADD COLUMN IF NOT EXISTS wtmp_mac VARCHAR(64) NULL,
    ADD COLUMN IF NOT EXISTS wtmp_ip VARCHAR(64) NULL;
