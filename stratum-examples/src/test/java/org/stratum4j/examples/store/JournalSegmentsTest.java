package org.stratum4j.examples.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.engine.ShareEvent;
import org.stratum4j.examples.sharelog.LoggedShare;
import org.stratum4j.examples.sharelog.ShareLog;
import org.stratum4j.examples.testing.TestPostgres;

/** The journal in segments: cut as it grows, read across, and deleted once the database holds them. */
class JournalSegmentsTest {

    private static ShareEvent share(int i) {
        byte[] hash = new byte[32];
        hash[0] = (byte) i;
        hash[1] = (byte) (i >> 8);
        return new ShareEvent(Instant.now(), 1, new InetSocketAddress("127.0.0.1", 4000), "ivan.rig1", "j" + i, "j" + i, "00000001",
                String.format("%016x", i), 0x6b12d461, i, 0x20000000, Difficulty.of(1), Sha256Hash.fromInternalBytes(hash), 1, null,
                false);
    }

    /** Writes shares five at a time, each group on disk before the next (a segment is cut between groups). */
    private static void write(ShareLog log, int from, int to) {
        for (int i = from; i < to; i += 5) {
            CompletableFuture<?> last = null;
            for (int k = i; k < Math.min(i + 5, to); k++) {
                last = log.record(share(k)).toCompletableFuture();
            }
            last.join();
        }
    }

    @Test
    void aSegmentedLogCutsItselfReadsBackWholeAndReopensWhereItWas(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("journal.jsonl");
        // A share log from before segments becomes the first segment.
        try (ShareLog plain = ShareLog.open(base, 100)) {
            write(plain, 0, 10);
        }
        long length;
        try (ShareLog log = ShareLog.openSegmented(base, 1000, true, 4096)) {
            assertThat(Files.exists(base)).isFalse();
            write(log, 10, 200);
            length = log.durableLength();
        }
        List<ShareLog.Segment> segments = ShareLog.segments(base);
        assertThat(segments).hasSizeGreaterThan(10).first().satisfies(s -> assertThat(s.start()).isZero());
        long total = 0;
        for (int i = 0; i < segments.size(); i++) {
            long size = Files.size(segments.get(i).path());
            if (i + 1 < segments.size()) {
                assertThat(segments.get(i).start() + size).as("segments are contiguous").isEqualTo(segments.get(i + 1).start());
                assertThat(size).isGreaterThanOrEqualTo(4096);
            }
            total += size;
        }
        assertThat(total).isEqualTo(length);
        List<LoggedShare> read = new ArrayList<>();
        assertThat(ShareLog.read(base, read::add)).isZero();
        assertThat(read).hasSize(200).extracting(LoggedShare::job).startsWith("j0", "j1").endsWith("j199");
        try (ShareLog again = ShareLog.openSegmented(base, 1000, true, 4096)) {
            assertThat(again.durableLength()).isEqualTo(length);
        }
    }

    @Test
    void theStoreDeletesSegmentsItHasCopiedAndAfterARestartCopiesOnlyWhatIsNew(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("journal.jsonl");
        try (TestPostgres pg = TestPostgres.start()) {
            DatabaseUrl url = DatabaseUrl.parse(pg.url(), null, null);
            try (ShareLog log = ShareLog.openSegmented(base, 1000, true, 4096)) {
                write(log, 0, 300);
                try (ShareStore store = ShareStore.builder(url, log).open()) {
                    awaitCopied(store);
                    write(log, 300, 400);
                    awaitCopied(store);
                    assertThat(ShareLog.segments(base)).as("only the segment being written is left").hasSize(1);
                }
            }
            try (ShareLog log = ShareLog.openSegmented(base, 1000, true, 4096)) {
                try (ShareStore store = ShareStore.builder(url, log).open()) {
                    assertThat(store.status().backlogEntries()).isZero();
                    write(log, 400, 450);
                    awaitCopied(store);
                }
            }
            try (Connection c = pg.connect("pool", "pool"); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT job_id), count(DISTINCT seq) FROM shares")) {
                r.next();
                assertThat(r.getLong(1)).isEqualTo(450);
                assertThat(r.getLong(2)).isEqualTo(450);
                assertThat(r.getLong(3)).isEqualTo(450);
            }
        }
    }

    private static void awaitCopied(ShareStore store) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (store.status().backlogEntries() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not copied: " + store.status());
            }
            Thread.sleep(20);
        }
    }
}
