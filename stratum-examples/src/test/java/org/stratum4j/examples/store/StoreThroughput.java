package org.stratum4j.examples.store;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.engine.ShareEvent;
import org.stratum4j.examples.sharelog.ShareLog;
import org.stratum4j.examples.testing.TestPostgres;

/**
 * The share store's sustained rate into PostgreSQL (BENCHMARKS.md, run by
 * {@code benchmarks/store.sh}): a journal of N shares from W workers is written first, then a
 * store opens on it with the database empty, and the time until its backlog is zero gives shares
 * per second. Not a test: it runs only when asked.
 */
public final class StoreThroughput {

    private StoreThroughput() {
    }

    /** {@code [shares] [workers]}; defaults 1,000,000 and 9,000. */
    public static void main(String[] args) throws Exception {
        int shares = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 9_000;
        Path dir = Files.createTempDirectory("stratum4j-store-bench");
        Path journalFile = dir.resolve("journal.jsonl");
        SplittableRandom random = new SplittableRandom(7);
        Difficulty difficulty = Difficulty.of(1024);
        Instant start = Instant.now();
        try (ShareLog journal = ShareLog.open(journalFile, 200_000, true)) {
            CompletableFuture<?> last = null;
            for (int i = 0; i < shares; i++) {
                byte[] hash = new byte[32];
                for (int k = 0; k < 26; k++) {
                    hash[k] = (byte) random.nextInt();
                }
                int w = random.nextInt(workers);
                ShareEvent e = new ShareEvent(start.plusMillis(i / 8), w, new InetSocketAddress("127.0." + (w >> 8) + "." + (w & 255), 40000),
                        "bc1qworker" + w + ".rig" + (w % 4), "66" + Integer.toHexString(i / 5000), null, String.format("%08x", w),
                        String.format("%016x", i), (int) start.getEpochSecond(), random.nextInt(), 0x20000000, difficulty,
                        Sha256Hash.fromInternalBytes(hash), 2048, null, false);
                last = journal.record(e).toCompletableFuture();
                while (journal.written() < i - 150_000) {
                    Thread.onSpinWait();
                }
            }
            last.join();
            System.out.printf("journal: %,d shares, %,d bytes%n", shares, journal.durableLength());
            try (TestPostgres pg = TestPostgres.start()) {
                com.sun.management.OperatingSystemMXBean os =
                        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                try (ShareStore store = ShareStore.builder(DatabaseUrl.parse(pg.url(), null, null), journal).open()) {
                    while (store.status().backlogEntries() > 0) {
                        Thread.sleep(5);
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
                    try (Connection c = pg.connect("pool", "pool"); Statement s = c.createStatement();
                         ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT worker) FROM shares")) {
                        r.next();
                        System.out.printf("shipped %,d shares (%,d workers) in %.2f s: %,.0f shares/s; the pool side used %.2f s of"
                                + " CPU (%.1f µs a share)%n", r.getLong(1), r.getLong(2), seconds, r.getLong(1) / seconds, cpu,
                                cpu * 1e6 / r.getLong(1));
                    }
                }
            }
        }
    }
}
