package org.stratum4j.examples.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.engine.BlockSubmitter;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.examples.sharelog.LoggedShare;
import org.stratum4j.examples.sharelog.ShareLog;

/**
 * The share store: copies the pool's journal (its {@link ShareLog}, where every share is on disk
 * before the miner hears {@code true}) into PostgreSQL, in batches, exactly once.
 *
 * <p>One thread, one connection. Each batch is the journal's next complete lines up to what is on
 * disk; it goes in one transaction: the accepted shares by {@code COPY}, the 10-minute worker
 * rollups by one upsert (rows in a fixed order, so pool processes sharing the database never
 * deadlock), and the instance's progress (the journal offset after the batch), guarded by the
 * offset before it. A crash at any moment leaves the database at the end of some batch and the
 * journal on disk, so after a restart the same lines are copied once. Each share's {@code seq} is
 * its byte offset in the journal.
 *
 * <p>While the database is away mining goes on: shares wait in the journal (one WARN line), the
 * connection is retried with backoff up to 30 s, and the backlog is copied when it is back (one
 * INFO line). {@link #status()} says how far behind the store is.
 *
 * <p>An advisory lock per instance id, held by the connection, keeps a second process with the
 * same {@code --instance-id} from shipping into the same database.
 *
 * <p><b>Blocks.</b> A share that is a block makes its {@code blocks} row (status {@code submitted})
 * in the same transaction; the node's verdict ({@link #blockSubmitted}) fills in height, reward
 * and {@code pending} or {@code rejected}; and every {@link Builder#blockCheckInterval} the
 * instance's unfinished blocks are looked up on the chain ({@link BlockLookup}): confirmations
 * counted, {@code confirmed} at 100 (coinbase maturity), {@code orphaned} once another block holds
 * its height.
 */
public final class ShareStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShareStore.class);
    private static final int MAX_BATCH_BYTES = 4 << 20;
    private static final long IDLE_MILLIS = 500;
    private static final long INSTANCE_LOCK_BASE = 0x53746f7265000000L; // "Store" and the instance id
    private static final Duration MAINTENANCE_EVERY = Duration.ofHours(1);
    private static final int DAYS_AHEAD = 3;
    private static final String COPY = "COPY shares (instance_id, seq, created_at, worker, job_id, extranonce1, extranonce2, ntime,"
            + " nonce, version, difficulty, actual_difficulty, hash, block, remote_address) FROM STDIN (FORMAT text)";
    private static final String ROLLUP = "INSERT INTO worker_stats AS w (worker, bucket, shares, difficulty, rejected_stale,"
            + " rejected_duplicate, rejected_low_difficulty, rejected_invalid, best_difficulty, last_share)"
            // Times go as epoch seconds: the driver formats a timestamp array through a calendar, element by element.
            + " SELECT u.worker, to_timestamp(u.bucket), u.shares, u.difficulty, u.stale, u.duplicate, u.low, u.invalid, u.best,"
            + " to_timestamp(nullif(u.last, 0))"
            + " FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::float8[], ?::bigint[], ?::bigint[], ?::bigint[],"
            + " ?::bigint[], ?::float8[], ?::bigint[]) AS u(worker, bucket, shares, difficulty, stale, duplicate, low, invalid, best,"
            + " last)"
            + " ON CONFLICT (worker, bucket) DO UPDATE SET shares = w.shares + excluded.shares,"
            + " difficulty = w.difficulty + excluded.difficulty, rejected_stale = w.rejected_stale + excluded.rejected_stale,"
            + " rejected_duplicate = w.rejected_duplicate + excluded.rejected_duplicate,"
            + " rejected_low_difficulty = w.rejected_low_difficulty + excluded.rejected_low_difficulty,"
            + " rejected_invalid = w.rejected_invalid + excluded.rejected_invalid,"
            + " best_difficulty = greatest(w.best_difficulty, excluded.best_difficulty),"
            + " last_share = greatest(w.last_share, excluded.last_share)";

    /**
     * How far the store is behind the journal.
     *
     * @param reachable      whether the last attempt to reach the database succeeded
     * @param backlogEntries journal entries (shares, accepted or rejected) not yet in the database
     * @param oldestWaiting  when the oldest of them was journaled, or null when there are none
     * @param shipped        entries copied since start
     * @param outages        outages since start
     * @param rejectedNotJournaled rejected shares left out of the journal (and so of the rollups) because its queue
     *                       was over half full
     */
    public record Status(boolean reachable, long backlogEntries, Instant oldestWaiting, long shipped, long outages,
                         long rejectedNotJournaled) {
    }

    /** Confirmations after which a coinbase may be spent, and a block is final here. */
    static final int MATURITY = 100;

    private record Verdict(String hash, long height, String worker, long reward, String verdict, Instant at) {
    }

    private final DatabaseUrl url;
    private final int instanceId;
    private final BlockLookup blocks;
    private final Duration blockCheckInterval;
    private final java.util.concurrent.ConcurrentLinkedQueue<Verdict> verdicts = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private Instant nextBlockCheck = Instant.MIN;
    private final ShareLog journal;
    private final JournalBatch batch;
    private ByteBuffer readBuffer = ByteBuffer.allocate(0);
    private final JournalReader reader;
    private final int retentionDays;
    private final Clock clock;
    private final Thread thread;
    private final Set<LocalDate> partitions = new HashSet<>();
    private volatile boolean running = true;
    private volatile boolean reachable = true;
    private volatile long shippedOffset;
    private volatile long shipped;
    private volatile long outages;
    private volatile long journaledAtOpen;
    private volatile Instant oldestWaiting;
    private final long writtenAtOpen;
    private Connection connection;
    private Instant outageSince;
    private long shippedAtOutage;
    private Instant nextMaintenance = Instant.MIN;

    private ShareStore(DatabaseUrl url, int instanceId, ShareLog journal, JournalReader reader, int retentionDays, Clock clock,
                       BlockLookup blocks, Duration blockCheckInterval) {
        this.url = url;
        this.instanceId = instanceId;
        this.blocks = blocks;
        this.blockCheckInterval = blockCheckInterval;
        this.journal = journal;
        this.reader = reader;
        this.retentionDays = retentionDays;
        this.clock = clock;
        this.writtenAtOpen = journal.written();
        this.batch = new JournalBatch(instanceId, journal.path().toString());
        this.thread = new Thread(this::run, "share-store");
        this.thread.setDaemon(true);
    }

    /** A store copying {@code journal} into the database at {@code url}; see {@link Builder} for the rest. */
    public static Builder builder(DatabaseUrl url, ShareLog journal) {
        return new Builder(url, journal);
    }

    /** Store settings, checked when set. */
    public static final class Builder {
        private final DatabaseUrl url;
        private final ShareLog journal;
        private int instanceId;
        private int retentionDays = 30;
        private Clock clock = Clock.systemUTC();
        private BlockLookup blocks;
        private Duration blockCheckInterval = Duration.ofSeconds(30);

        private Builder(DatabaseUrl url, ShareLog journal) {
            this.url = Objects.requireNonNull(url, "url");
            this.journal = Objects.requireNonNull(journal, "journal");
        }

        /** This process's instance id, 0..255 (default 0): the key of its journal's progress. */
        public Builder instanceId(int id) {
            if (id < 0 || id > 255) {
                throw new IllegalArgumentException("instance id " + id + " is outside 0..255");
            }
            this.instanceId = id;
            return this;
        }

        /** Days of shares kept, 1..3650 (default 30); older daily partitions are dropped. */
        public Builder retentionDays(int days) {
            if (days < 1 || days > 3650) {
                throw new IllegalArgumentException("share retention " + days + " days is outside 1..3650");
            }
            this.retentionDays = days;
            return this;
        }

        /** Where time comes from (default the system clock, UTC). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** The chain to follow found blocks on (default none: blocks stay as the node's verdict left them). */
        public Builder blocks(BlockLookup lookup) {
            this.blocks = lookup;
            return this;
        }

        /** How often unfinished blocks are looked up, 100 ms to 1 hour (default 30 s). */
        public Builder blockCheckInterval(Duration d) {
            Objects.requireNonNull(d, "blockCheckInterval");
            if (d.compareTo(Duration.ofMillis(100)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("block check interval " + d + " is outside PT0.1S..PT1H");
            }
            this.blockCheckInterval = d;
            return this;
        }

        /**
         * Connects, migrates the schema, takes this instance's lock, reads how far its journal was
         * copied, and starts copying the rest.
         *
         * @throws StoreException with one sentence when the database cannot be used (unreachable, wrong password, no
         *     such database, a newer schema, the same instance id shipping from elsewhere, a journal shorter than what
         *     was copied)
         */
        public ShareStore open() {
            JournalReader reader = new JournalReader(journal);
            ShareStore store = new ShareStore(url, instanceId, journal, reader, retentionDays, clock, blocks, blockCheckInterval);
            try {
                store.connect();
                Migrations.apply(store.connection);
                store.readProgress();
                store.maintain();
            } catch (SQLException e) {
                store.closeQuietly();
                throw new StoreException("cannot use the share store at " + url + ": " + firstLine(e), e);
            } catch (StoreException | IOException e) {
                store.closeQuietly();
                throw e instanceof StoreException se ? se : new StoreException("cannot read the journal " + journal.path() + ": "
                        + e.getMessage(), e);
            }
            store.thread.start();
            return store;
        }
    }

    /**
     * The node's verdict on a block the pool found (from the block submitter, on any thread):
     * recorded with its height and reward, as {@code pending} (accepted) or {@code rejected}.
     */
    public void blockSubmitted(Sha256Hash hash, long height, String worker, long reward, Optional<String> verdict) {
        verdicts.add(new Verdict(hash.toDisplayHex(), height, worker == null ? "" : worker, reward, verdict.orElse(null),
                clock.instant()));
    }

    /** {@code submitter}, telling this store each block's verdict as the node gives it (the engine only logs it). */
    public BlockSubmitter recording(BlockSubmitter submitter) {
        Objects.requireNonNull(submitter, "submitter");
        return found -> submitter.submit(found).whenComplete((verdict, e) -> blockSubmitted(found.hash(), found.height(),
                found.worker(), found.job().template().map(BlockTemplate::coinbaseValue).orElse(0L),
                e == null ? verdict : Optional.of("submission failed: " + e.getMessage())));
    }

    /** How far behind the journal the database is. */
    public Status status() {
        long behind = Math.max(0, journaledAtOpen + (journal.written() - writtenAtOpen) - shipped);
        return new Status(reachable, behind, behind == 0 ? null : oldestWaiting, shipped, outages, journal.droppedRejected());
    }

    /** The journal offset copied so far. */
    public long shippedOffset() {
        return shippedOffset;
    }

    /** Copies what is on disk (for up to {@code timeout}), then stops and closes the connection. */
    public void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (reachable && shippedOffset < journal.durableLength() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    // ------------------------------------------------------------------ the thread

    private void run() {
        long backoffMillis = 1000;
        while (running) {
            try {
                if (connection == null) {
                    connect();
                    if (!readProgressAgain()) {
                        sleep(backoffMillis);
                        continue;
                    }
                }
                // Reachable again: the INFO line comes once the backlog is copied (see shipBatch), with its size.
                reachable = true;
                if (!clock.instant().isBefore(nextMaintenance)) {
                    maintain();
                }
                boolean shippedSome = shipBatch();
                applyVerdicts();
                if (blocks != null && !clock.instant().isBefore(nextBlockCheck)) {
                    followBlocks();
                }
                // What came in meanwhile: its oldest entry's age is the backlog's age until the next batch.
                peekOldest();
                if (!shippedSome) {
                    // Caught up: wait for a batch's worth. Fewer, larger transactions mean fewer WAL flushes
                    // competing with the journal's own fsync, which is what miners wait for.
                    sleep(IDLE_MILLIS);
                }
                backoffMillis = 1000;
            } catch (SQLException e) {
                lost(e);
                peekOldest();
                sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 30_000);
            } catch (IOException | RuntimeException e) {
                LOG.error("share store: cannot read the journal {}: {}", journal.path(), e.toString());
                sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 30_000);
            }
        }
    }

    private void lost(SQLException e) {
        closeConnection();
        if (reachable) {
            reachable = false;
            outages++;
            outageSince = clock.instant();
            shippedAtOutage = shipped;
            LOG.warn("share store unreachable ({}): shares stay in the journal {} and are copied when it is back", firstLine(e),
                    journal.path());
        }
    }

    /** While the database is away, the oldest waiting share is the journal's line at the shipped offset. */
    private void peekOldest() {
        if (oldestWaiting != null || journal.durableLength() <= shippedOffset) {
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(4096, journal.durableLength() - shippedOffset));
        try {
            reader.read(buf, shippedOffset);
            String head = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            int nl = head.indexOf('\n');
            LoggedShare first = nl < 0 ? null : ShareLog.parse(head.substring(0, nl));
            if (first != null) {
                oldestWaiting = Instant.parse(first.time());
            }
        } catch (IOException | RuntimeException e) {
            // statistics only: the shipper will read it properly
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies the next batch; false when there was nothing to copy. */
    private boolean shipBatch() throws SQLException, IOException {
        long from = shippedOffset;
        long end = journal.durableLength();
        if (end <= from) {
            if (outageSince != null) {
                LOG.info("share store reachable again after {} s; {} journal entries copied since", Duration.between(outageSince,
                        clock.instant()).toSeconds(), shipped - shippedAtOutage);
                outageSince = null;
            }
            oldestWaiting = null;
            return false;
        }
        int size = (int) Math.min(end - from, MAX_BATCH_BYTES);
        if (readBuffer.capacity() < size) {
            readBuffer = ByteBuffer.allocate(Math.max(size, Math.min(readBuffer.capacity() * 2, MAX_BATCH_BYTES)));
        }
        ByteBuffer buf = readBuffer.clear().limit(size);
        reader.read(buf, from);
        byte[] bytes = buf.array();
        int limit = buf.position();
        int lastNewline = -1;
        for (int i = limit - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                lastNewline = i;
                break;
            }
        }
        if (lastNewline < 0) {
            if (limit == MAX_BATCH_BYTES) {
                throw new IOException("a journal line at offset " + from + " is longer than " + MAX_BATCH_BYTES + " bytes");
            }
            return false;
        }
        JournalBatch batch = this.batch;
        batch.clear();
        batch.addLines(from, bytes, lastNewline + 1);
        if (batch.first() != null) {
            oldestWaiting = batch.first();
        }
        long to = from + lastNewline + 1;
        write(batch, from, to);
        oldestWaiting = null;
        shippedOffset = to;
        shipped += batch.entries();
        int deleted = reader.deleteBefore(to);
        if (deleted > 0) {
            LOG.debug("share store: deleted {} journal segments copied into the database", deleted);
        }
        return true;
    }

    private void write(JournalBatch b, long from, long to) throws SQLException {
        Connection c = connection;
        for (LocalDate day : b.days()) {
            // Before the batch's own transaction: a partition is made (and committed) on its own.
            if (!partitions.contains(day)) {
                Partitions.ensure(c, day, day);
                partitions.add(day);
            }
        }
        c.setAutoCommit(false);
        try {
            if (b.hasRows()) {
                b.copyRows(c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY));
            }
            for (JournalBatch.BlockShare block : b.blocks()) {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO blocks (hash, worker, instance_id, created_at, status,"
                        + " updated_at) VALUES (?, ?, ?, ?, 'submitted', now()) ON CONFLICT (hash) DO NOTHING")) {
                    p.setString(1, block.hash());
                    p.setString(2, block.worker());
                    p.setInt(3, instanceId);
                    p.setTimestamp(4, Timestamp.from(Instant.parse(block.time())));
                    p.executeUpdate();
                }
            }
            List<Map.Entry<JournalBatch.RollupKey, JournalBatch.Rollup>> rollups = b.rollups();
            if (!rollups.isEmpty()) {
                try (PreparedStatement p = c.prepareStatement(ROLLUP)) {
                    int n = rollups.size();
                    String[] workers = new String[n];
                    Long[] buckets = new Long[n];
                    Long[][] counts = new Long[5][n];
                    Double[] difficulty = new Double[n];
                    Double[] best = new Double[n];
                    Long[] last = new Long[n];
                    int i = 0;
                    for (Map.Entry<JournalBatch.RollupKey, JournalBatch.Rollup> e : rollups) {
                        workers[i] = e.getKey().worker();
                        buckets[i] = e.getKey().bucket();
                        JournalBatch.Rollup r = e.getValue();
                        counts[0][i] = r.shares;
                        counts[1][i] = r.stale;
                        counts[2][i] = r.duplicate;
                        counts[3][i] = r.lowDifficulty;
                        counts[4][i] = r.invalid;
                        difficulty[i] = r.difficulty;
                        best[i] = r.best;
                        last[i] = r.lastShare;
                        i++;
                    }
                    p.setArray(1, array(c, "text", workers));
                    p.setArray(2, array(c, "int8", buckets));
                    p.setArray(3, array(c, "int8", counts[0]));
                    p.setArray(4, array(c, "float8", difficulty));
                    p.setArray(5, array(c, "int8", counts[1]));
                    p.setArray(6, array(c, "int8", counts[2]));
                    p.setArray(7, array(c, "int8", counts[3]));
                    p.setArray(8, array(c, "int8", counts[4]));
                    p.setArray(9, array(c, "float8", best));
                    p.setArray(10, array(c, "int8", last));
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE journal_progress SET shipped_offset = ?, shipped_shares ="
                    + " shipped_shares + ?, updated_at = now() WHERE instance_id = ? AND shipped_offset = ?")) {
                p.setLong(1, to);
                p.setLong(2, b.entries());
                p.setInt(3, instanceId);
                p.setLong(4, from);
                if (p.executeUpdate() != 1) {
                    throw new SQLException("the progress of instance " + instanceId + " moved under us: is another pool process"
                            + " shipping as instance " + instanceId + "?");
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is going anyway
            }
            throw e;
        } finally {
            // Verdicts and block following run in autocommit: left in this transaction, they would wait for the next batch.
            if (!c.isClosed()) {
                c.setAutoCommit(true);
            }
        }
    }

    private void applyVerdicts() throws SQLException {
        Verdict v;
        while ((v = verdicts.peek()) != null) {
            boolean accepted = v.verdict() == null || v.verdict().equals("duplicate");
            try (PreparedStatement p = connection.prepareStatement("INSERT INTO blocks AS b (hash, height, worker, instance_id,"
                    + " created_at, verdict, status, reward, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, now())"
                    + " ON CONFLICT (hash) DO UPDATE SET height = excluded.height, verdict = excluded.verdict,"
                    + " reward = excluded.reward, updated_at = now(),"
                    + " status = CASE WHEN b.status = 'submitted' THEN excluded.status ELSE b.status END")) {
                p.setString(1, v.hash());
                p.setLong(2, v.height());
                p.setString(3, v.worker());
                p.setInt(4, instanceId);
                p.setTimestamp(5, Timestamp.from(v.at()));
                p.setString(6, v.verdict());
                p.setString(7, accepted ? "pending" : "rejected");
                p.setLong(8, v.reward());
                p.executeUpdate();
            }
            verdicts.poll();
        }
    }

    /** Looks up this instance's unfinished blocks on the chain and moves them on. */
    private void followBlocks() throws SQLException {
        nextBlockCheck = clock.instant().plus(blockCheckInterval);
        List<String> open = new ArrayList<>();
        try (PreparedStatement p = connection.prepareStatement("SELECT hash FROM blocks WHERE instance_id = ? AND status IN"
                + " ('submitted', 'pending') ORDER BY created_at LIMIT 1000")) {
            p.setInt(1, instanceId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    open.add(r.getString(1));
                }
            }
        }
        for (String hash : open) {
            Optional<BlockLookup.BlockState> state;
            try {
                state = blocks.lookup(Sha256Hash.fromDisplayHex(hash));
            } catch (Exception e) {
                LOG.debug("share store: cannot look up block {} now: {}", hash, e.toString());
                return; // the chain is away; next round
            }
            if (state.isEmpty()) {
                continue; // not (yet) known to the node: the verdict decides
            }
            BlockLookup.BlockState st = state.get();
            String status = !st.onMainChain() ? "orphaned" : st.confirmations() >= MATURITY ? "confirmed" : "pending";
            try (PreparedStatement p = connection.prepareStatement("UPDATE blocks SET height = ?, confirmations = ?, status = ?,"
                    + " updated_at = now() WHERE hash = ? AND (status IS DISTINCT FROM ? OR confirmations IS DISTINCT FROM ?)")) {
                p.setLong(1, st.height());
                p.setLong(2, Math.max(0, st.confirmations()));
                p.setString(3, status);
                p.setString(4, hash);
                p.setString(5, status);
                p.setLong(6, Math.max(0, st.confirmations()));
                if (p.executeUpdate() > 0 && !status.equals("pending")) {
                    LOG.info("block {} at height {} is {}", hash, st.height(), status);
                }
            }
        }
    }

    private static Array array(Connection c, String type, Object[] values) throws SQLException {
        return c.createArrayOf(type, values);
    }

    // ------------------------------------------------------------------ connection, progress, maintenance

    private void connect() throws SQLException {
        Connection c = url.connect("stratum4j-" + instanceId);
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_try_advisory_lock(" + (INSTANCE_LOCK_BASE
                + instanceId) + ")")) {
            r.next();
            if (!r.getBoolean(1)) {
                c.close();
                throw new InstanceBusyException(instanceId);
            }
        }
        connection = c;
    }

    /** Another connection holds the instance's lock: at start a second process; after an outage, our old session not yet gone. */
    private static final class InstanceBusyException extends SQLException {
        private static final long serialVersionUID = 1L;

        InstanceBusyException(int instanceId) {
            super("another pool process is shipping shares as instance " + instanceId + " into this database (two processes with"
                    + " the same --instance-id?)");
        }
    }

    private void readProgress() throws SQLException, IOException {
        Connection c = connection;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO journal_progress (instance_id, journal, shipped_offset,"
                + " shipped_shares, updated_at) VALUES (?, ?, 0, 0, now()) ON CONFLICT (instance_id) DO NOTHING")) {
            p.setInt(1, instanceId);
            p.setString(2, journal.path().toAbsolutePath().toString());
            p.executeUpdate();
        }
        long offset;
        try (PreparedStatement p = c.prepareStatement("SELECT shipped_offset FROM journal_progress WHERE instance_id = ?")) {
            p.setInt(1, instanceId);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                offset = r.getLong(1);
            }
        }
        long length = journal.durableLength();
        if (offset > length) {
            throw new StoreException("the database has copied instance " + instanceId + "'s journal up to byte " + offset
                    + " but the journal " + journal.path() + " has only " + length + ": it is not the journal this instance"
                    + " wrote (restore it, or give this process another --instance-id)");
        }
        shippedOffset = offset;
        journaledAtOpen = countLines(offset, length);
    }

    /** After an outage: the progress must be where we left it, or someone else shipped meanwhile. */
    private boolean readProgressAgain() throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT shipped_offset FROM journal_progress WHERE instance_id = ?")) {
            p.setInt(1, instanceId);
            try (ResultSet r = p.executeQuery()) {
                if (r.next() && r.getLong(1) != shippedOffset) {
                    LOG.error("share store: instance {}'s progress is at byte {}, not {} where this process left it; is another"
                            + " process shipping as instance {}? Not shipping until it is resolved", instanceId, r.getLong(1),
                            shippedOffset, instanceId);
                    closeConnection();
                    return false;
                }
            }
        }
        return true;
    }

    private long countLines(long from, long to) throws IOException {
        long lines = 0;
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        for (long pos = from; pos < to; ) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), to - pos));
            int n = reader.read(buf, pos);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buf.get(i) == '\n') {
                    lines++;
                }
            }
            pos += n;
        }
        return lines;
    }

    private void maintain() throws SQLException {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Partitions.ensure(connection, today.minusDays(1), today.plusDays(DAYS_AHEAD));
        int dropped = Partitions.dropBefore(connection, today.minusDays(retentionDays - 1L));
        if (dropped > 0) {
            LOG.info("share store: dropped {} daily partitions of shares older than {} days", dropped, retentionDays);
        }
        partitions.clear();
        partitions.addAll(Partitions.days(connection));
        nextMaintenance = clock.instant().plus(MAINTENANCE_EVERY);
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    private void closeQuietly() {
        closeConnection();
        reader.close();
    }

    private static String firstLine(SQLException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }

    @Override
    public String toString() {
        return "ShareStore[" + url + ", instance " + instanceId + ", journal " + journal.path() + " at byte " + shippedOffset + "]";
    }
}
