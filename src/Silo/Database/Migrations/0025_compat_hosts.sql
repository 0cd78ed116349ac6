-- compass-ci's host registry, kept durably instead of in redis. host_macs: which hostname boots with a MAC
-- (PUT /set_host_mac), so that an iPXE box asking by MAC is known by name. host_registrations: what a provider or a
-- hardware host offers (PUT /register-host2redis: type dc/vm/hw, arch, memory in GiB); it lives until expires_at
-- (unix ms, the database's clock), which each /heart-beat moves on, like compass-ci's 60 s redis TTL.
CREATE TABLE IF NOT EXISTS host_macs (
    mac        VARCHAR(64) NOT NULL,
    hostname   VARCHAR(255) NOT NULL,
    set_at     BIGINT NOT NULL,
    PRIMARY KEY (mac)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS host_registrations (
    hostname       VARCHAR(255) NOT NULL,
    tbox_type      VARCHAR(16) NOT NULL,
    arch           VARCHAR(64) NULL,
    max_mem_gb     INT NULL,
    owner          VARCHAR(128) NULL,
    is_remote      TINYINT NOT NULL,
    registered_at  BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    PRIMARY KEY (hostname)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
