-- The jobs table: compass-ci's Manticore shape on MariaDB. Real, indexed columns for what is filtered,
-- sorted or swept; the whole submitted document in jj. The single truth about every job.
CREATE TABLE IF NOT EXISTS jobs (
    id            BIGINT UNSIGNED NOT NULL,
    submit_time   BIGINT NOT NULL,            -- unix ms
    my_account    VARCHAR(128) NOT NULL,
    suite         VARCHAR(128) NOT NULL,
    tbox_group    VARCHAR(255) NULL,
    testbox       VARCHAR(255) NULL,           -- requested before dispatch, holder after
    arch          VARCHAR(64) NULL,
    queue_key     VARCHAR(768) NOT NULL,
    job_stage     VARCHAR(16) NOT NULL,
    job_health    VARCHAR(32) NULL,
    priority      INT NOT NULL,
    memory_mb     BIGINT NOT NULL,
    lease_id      VARCHAR(128) NULL,
    boot_time     BIGINT NULL,
    version       INT NOT NULL,
    jj            LONGTEXT NOT NULL CHECK (JSON_VALID(jj)),
    stats         LONGTEXT NULL CHECK (stats IS NULL OR JSON_VALID(stats)),
    PRIMARY KEY (id),
    KEY ix_jobs_queue (queue_key(255), job_stage, id),
    KEY ix_jobs_stage (job_stage, id),
    KEY ix_jobs_account (my_account, id),
    KEY ix_jobs_suite (suite, id),
    KEY ix_jobs_tbox_group (tbox_group, id),
    KEY ix_jobs_testbox (testbox, id),
    KEY ix_jobs_lease (lease_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
