package org.stratum4j.examples.pool;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.stratum4j.core.engine.BlockSubmitter;
import org.stratum4j.core.engine.ShareSink;
import org.stratum4j.core.engine.TemplateSource;
import org.stratum4j.examples.sharelog.ShareLog;
import org.stratum4j.examples.store.BlockLookup;
import org.stratum4j.examples.store.ShareStore;
import org.stratum4j.examples.store.StoreException;

/**
 * Where the pool's accepted shares go: the share log ({@code --share-log}) and, with
 * {@code --database}, the share store that copies it, as its journal, into PostgreSQL. Opened
 * together, closed together: the log first, then the store (which copies what the log holds).
 */
final class PoolStorage implements AutoCloseable {

    /** With a database, the journal is cut into segments of this size, deleted once copied. */
    static final long JOURNAL_SEGMENT_BYTES = 64L << 20;
    private static final int QUEUE = 100_000;

    private final ShareLog shareLog;
    private final ShareStore store;

    private PoolStorage(ShareLog shareLog, ShareStore store) {
        this.shareLog = shareLog;
        this.store = store;
    }

    /** Opens what the configuration asks for; {@code chain} answers the store's block questions when it can. */
    static PoolStorage open(PoolConfig c, Clock clock, TemplateSource chain) throws ConfigException {
        ShareLog shareLog = null;
        if (c.shareLog != null) {
            try {
                shareLog = c.database == null ? ShareLog.open(c.shareLog, QUEUE)
                        : ShareLog.openSegmented(c.shareLog, QUEUE, true, JOURNAL_SEGMENT_BYTES);
            } catch (IOException e) {
                throw new ConfigException("cannot open the share log " + c.shareLog + ": " + e.getMessage());
            }
        }
        ShareStore store = null;
        if (c.database != null) {
            try {
                store = ShareStore.builder(c.database, shareLog).instanceId(c.instanceId).retentionDays(c.shareRetentionDays)
                        .clock(clock).blocks(chain instanceof BlockLookup lookup ? lookup : null)
                        .blockCheckInterval(Duration.ofMillis(Math.round(c.blockCheckSeconds * 1000))).open();
            } catch (StoreException e) {
                shareLog.close();
                throw new ConfigException(e.getMessage());
            }
        }
        return new PoolStorage(shareLog, store);
    }

    /** Where the engine's share events go after the statistics. */
    ShareSink sink() {
        return shareLog == null ? ShareSink.discard() : shareLog;
    }

    /** {@code submitter}, with the node's verdicts recorded in the store when there is one. */
    BlockSubmitter recording(BlockSubmitter submitter) {
        return store == null ? submitter : store.recording(submitter);
    }

    Optional<ShareStore> store() {
        return Optional.ofNullable(store);
    }

    void describe(Logger log, PoolConfig config) {
        if (store != null) {
            log.info("shares go to the share store at {} through the journal {} (on disk before miners hear 'true')", config.database,
                    config.shareLog);
        } else if (shareLog != null) {
            log.info("accepted shares are logged to {} before miners hear 'true'", config.shareLog);
        }
    }

    @Override
    public void close() {
        if (shareLog != null) {
            shareLog.close();
        }
        if (store != null) {
            store.close();
        }
    }
}
