-- Multi-node cluster jobs: stored cluster specs, each node job's cluster, and each cluster's barrier state.
CREATE TABLE IF NOT EXISTS cluster_specs (
    name       VARCHAR(255) NOT NULL,
    spec       LONGTEXT NOT NULL CHECK (JSON_VALID(spec)),
    updated_at BIGINT NOT NULL,              -- unix ms
    PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS cluster_id BIGINT UNSIGNED NULL,
    ADD KEY IF NOT EXISTS ix_jobs_cluster (cluster_id);

-- One row per cluster, written by its ClusterBarrierGrain on every change (version-checked). outcome and
-- start_deadline are columns so the sweeper finds clusters to act on without reading the state.
CREATE TABLE IF NOT EXISTS cluster_barriers (
    cluster_id     BIGINT UNSIGNED NOT NULL,
    version        INT NOT NULL,
    outcome        VARCHAR(16) NOT NULL,      -- active | aborted | finished
    start_deadline BIGINT NULL,               -- unix ms; null once every node started
    created_at     BIGINT NOT NULL,
    state          LONGTEXT NOT NULL CHECK (JSON_VALID(state)),
    PRIMARY KEY (cluster_id),
    KEY ix_cluster_barriers_outcome (outcome, start_deadline)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
