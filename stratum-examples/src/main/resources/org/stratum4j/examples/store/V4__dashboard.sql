-- stratum4j share store, version 4: what the dashboard reads for a whole cluster.
-- Each rollup keeps its worker's last accepted share, so "online" (a share in the last 5 minutes)
-- is one indexed read of the newest buckets.
ALTER TABLE worker_stats ADD COLUMN last_share timestamptz;

-- A miner's page reads its address's workers: the part of the worker name before the first dot.
-- Only the worker and the bucket are indexed, and an upsert never changes them, so the rollups'
-- updates stay heap-only.
CREATE INDEX worker_stats_address ON worker_stats (split_part(worker, '.', 1), bucket);
