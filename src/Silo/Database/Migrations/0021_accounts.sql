-- Tenants (issue 13). An account is compass-ci's my_account with its my_email and my_name; its token is stored only as
-- an HMAC-SHA256 under the server's token key (auth_state 'token-key', or CompassCi:Auth:TokenKey), never in clear.
-- shares weigh the account in fair-share; the limits are NULL when the configured defaults apply.
CREATE TABLE IF NOT EXISTS accounts (
    my_account        VARCHAR(128) NOT NULL,
    my_email          VARCHAR(255) NOT NULL,
    my_name           VARCHAR(255) NOT NULL,
    token_hash        BINARY(32) NOT NULL,
    shares            INT NOT NULL DEFAULT 1,
    queued_soft_limit INT NULL,
    queued_hard_limit INT NULL,
    running_limit     INT NULL,
    disabled          TINYINT(1) NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL,          -- unix ms
    updated_at        BIGINT NOT NULL,          -- unix ms
    PRIMARY KEY (my_account),
    UNIQUE KEY ux_accounts_token (token_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Facts about access itself: 'closed' (present once open mode has ended, for good), 'token-key' (the generated HMAC
-- key, when none is configured).
CREATE TABLE IF NOT EXISTS auth_state (
    name  VARCHAR(64) NOT NULL,
    value VARBINARY(255) NOT NULL,
    PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Decayed machine-seconds per account for fair-share: usage_seconds as of usage_at (unix ms); decay is applied when
-- read. Kept apart from accounts, so fair-share also works in open mode, where accounts are only names on jobs.
CREATE TABLE IF NOT EXISTS account_usage (
    my_account    VARCHAR(128) NOT NULL,
    usage_seconds DOUBLE NOT NULL,
    usage_at      BIGINT NOT NULL,
    PRIMARY KEY (my_account)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- No index on jobs (my_account, job_stage): quotas and fair-share count queued and held jobs in memory, and only
-- recount them from the table every 30 s (through ix_jobs_stage); one more index would cost every insert and every
-- stage change.
