-- Results (issue 12). result_root and all_params_md5 are written into the job's document at submit, as compass-ci
-- does; the columns are generated from the document, so the two can never disagree and no insert names them.
-- all_params_md5 is indexed with finish_time: the regression plugin reads a test's latest finished runs by it.
-- job_data_readiness: NULL until the first accepted upload, then 'uploading'; the results pipeline later sets
-- 'complete' or 'incomplete'. Written outside the job grain's versioned row (a plain column, not in JobRecord).
-- LEFT(…) keeps a row that a client stuffed with a long value from failing this migration.
ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS result_root VARCHAR(1024) AS (LEFT(JSON_VALUE(jj, '$.result_root'), 1024)) PERSISTENT,
    ADD COLUMN IF NOT EXISTS all_params_md5 CHAR(32) AS (LEFT(JSON_VALUE(jj, '$.all_params_md5'), 32)) PERSISTENT,
    ADD COLUMN IF NOT EXISTS job_data_readiness VARCHAR(16) NULL,
    ADD KEY IF NOT EXISTS ix_jobs_all_params_md5 (all_params_md5, finish_time);
