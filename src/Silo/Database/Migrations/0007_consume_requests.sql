-- One row per consume request id: the fence that makes a retried consume safe. Every attempt bumps
-- `attempt`; an assignment commits only while its attempt is still the latest, so a write still in flight
-- from a silo that died can never land after the retry has looked (and then hand out a second job).
CREATE TABLE IF NOT EXISTS consume_requests (
    request_id  VARCHAR(128) NOT NULL,
    testbox     VARCHAR(255) NOT NULL,
    attempt     INT NOT NULL,
    created_at  BIGINT NOT NULL,   -- unix ms of the first attempt
    PRIMARY KEY (request_id),
    KEY ix_consume_requests_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
