-- The results pipeline of each ended job: extraction, then the post-extract plugins in their configured order, one row
-- a step. Planned on the pipeline's first run; a step is marked done in the same commit as what it wrote, so a crash
-- resumes at the first step not done. The pipeline's trigger is the job's 'extract' effect in job_effects (the truth
-- that work is due); these rows are its progress.
CREATE TABLE IF NOT EXISTS result_steps (
    job_id     BIGINT UNSIGNED NOT NULL,
    position   INT NOT NULL,                -- 0 is extraction; the plugins follow in their configured order
    step       VARCHAR(64) NOT NULL,        -- 'extract' or a plugin's name
    state      VARCHAR(16) NOT NULL,        -- pending | done | failed
    attempts   INT NOT NULL,
    last_error TEXT NULL,
    output     LONGTEXT NULL CHECK (output IS NULL OR JSON_VALID(output)),
    updated_at BIGINT NOT NULL,             -- unix ms
    PRIMARY KEY (job_id, position),
    KEY ix_result_steps_state (state, job_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- What extraction found (stats already has its column): the failure stat keys, and those the regression plugin found new.
ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS errid      LONGTEXT NULL CHECK (errid IS NULL OR JSON_VALID(errid)),
    ADD COLUMN IF NOT EXISTS new_errids LONGTEXT NULL CHECK (new_errids IS NULL OR JSON_VALID(new_errids));

-- One row per errid of a job, for GET /api/v1/jobs?errid=…
CREATE TABLE IF NOT EXISTS job_errids (
    errid  VARCHAR(700) NOT NULL,             -- 700 × 4 bytes and the id fit an index key (3072 bytes)
    job_id BIGINT UNSIGNED NOT NULL,
    PRIMARY KEY (errid, job_id),
    KEY ix_job_errids_job (job_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
