-- Fair-share charges a held job at the mean usage of a finished job, a decayed average kept as a decayed sum of usage
-- and a decayed count of jobs as of at_ms (unix ms). One row (id 1), so a new fair-share grain starts from it.
CREATE TABLE IF NOT EXISTS fairshare_job_length (
    id         TINYINT NOT NULL,
    usage_sum  DOUBLE NOT NULL,
    jobs       DOUBLE NOT NULL,
    at_ms      BIGINT NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
