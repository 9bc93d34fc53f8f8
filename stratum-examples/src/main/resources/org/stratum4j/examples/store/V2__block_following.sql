-- stratum4j share store, version 2: blocks are followed on the chain.
-- A block's row may come first from the share that found it (journal order), before the node's
-- verdict and the chain say its height.
ALTER TABLE blocks ALTER COLUMN height DROP NOT NULL;

-- The blocks an instance still follows (not yet confirmed, orphaned or rejected).
CREATE INDEX blocks_following ON blocks (instance_id) WHERE status IN ('submitted', 'pending');
