-- stratum4j share store, version 1: shares (partitioned by day), blocks, worker rollups, shipping progress.

-- One row per accepted share. seq is the share's position in its instance's journal, the key that
-- makes shipping exactly once (with journal_progress, in the same transaction). Range-partitioned by
-- created_at into UTC days; retention drops whole partitions.
CREATE TABLE shares (
    instance_id       smallint         NOT NULL,
    seq               bigint           NOT NULL,
    created_at        timestamptz      NOT NULL,
    worker            text             NOT NULL,
    job_id            text             NOT NULL,
    extranonce1       text             NOT NULL,
    extranonce2       text             NOT NULL,
    ntime             bigint           NOT NULL,
    nonce             bigint           NOT NULL,
    version           bigint           NOT NULL,
    difficulty        numeric          NOT NULL,
    actual_difficulty double precision NOT NULL,
    hash              text             NOT NULL,
    block             boolean          NOT NULL,
    remote_address    text
) PARTITION BY RANGE (created_at);

CREATE INDEX shares_worker_time ON shares (worker, created_at);
CREATE INDEX shares_instance_seq ON shares (instance_id, seq);

-- Blocks found, followed on the node until final.
CREATE TABLE blocks (
    hash          text        PRIMARY KEY,
    height        bigint      NOT NULL,
    worker        text        NOT NULL,
    instance_id   smallint    NOT NULL,
    created_at    timestamptz NOT NULL,
    verdict       text,
    status        text        NOT NULL CHECK (status IN ('submitted', 'rejected', 'pending', 'confirmed', 'orphaned')),
    confirmations integer     NOT NULL DEFAULT 0,
    reward        bigint,
    updated_at    timestamptz NOT NULL
);

CREATE INDEX blocks_height ON blocks (height);

-- Per-worker statistics in 10-minute buckets, kept current by the shipper in the same transaction
-- as the shares, so that statistics never scan the shares table.
CREATE TABLE worker_stats (
    worker                  text             NOT NULL,
    bucket                  timestamptz      NOT NULL,
    shares                  bigint           NOT NULL DEFAULT 0,
    difficulty              double precision NOT NULL DEFAULT 0,
    rejected_stale          bigint           NOT NULL DEFAULT 0,
    rejected_duplicate      bigint           NOT NULL DEFAULT 0,
    rejected_low_difficulty bigint           NOT NULL DEFAULT 0,
    rejected_invalid        bigint           NOT NULL DEFAULT 0,
    best_difficulty         double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (worker, bucket)
);

CREATE INDEX worker_stats_bucket ON worker_stats (bucket);

-- How far each instance's journal has been copied into this database.
CREATE TABLE journal_progress (
    instance_id    smallint    PRIMARY KEY,
    journal        text        NOT NULL,
    shipped_offset bigint      NOT NULL,
    shipped_shares bigint      NOT NULL,
    updated_at     timestamptz NOT NULL
);
