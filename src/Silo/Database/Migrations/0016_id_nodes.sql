-- The node numbers of job ids (10 bits, 0-1023), each leased by one silo at a time: two silos never draw ids under
-- the same node number, so two ids can never clash. A silo renews its lease while it runs; an expired one is reused.
CREATE TABLE IF NOT EXISTS id_nodes (
    node        INT NOT NULL,
    owner       VARCHAR(128) NOT NULL,   -- the silo process holding it
    lease_until BIGINT NOT NULL,         -- unix ms on the database's clock
    PRIMARY KEY (node),
    KEY ix_id_nodes_owner (owner)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
