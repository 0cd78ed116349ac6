-- Results (issue 12). result_root and all_params_md5 are computed at submit, as compass-ci does, and written both into
-- the job's document and, by the same insert, into these columns (plain columns: generated ones made MariaDB parse the
-- whole document twice on every insert). all_params_md5 is indexed with finish_time: the regression plugin reads a
-- test's latest finished runs by it.
-- job_data_readiness: NULL until the first accepted upload, then 'uploading'; the results pipeline later sets
-- 'complete' or 'incomplete'. Written outside the job grain's versioned row (a plain column, not in JobRecord).
ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS result_root VARCHAR(1024) NULL,
    ADD COLUMN IF NOT EXISTS all_params_md5 CHAR(32) NULL,
    ADD COLUMN IF NOT EXISTS job_data_readiness VARCHAR(16) NULL,
    ADD KEY IF NOT EXISTS ix_jobs_all_params_md5 (all_params_md5, finish_time);
