package org.stratum4j.examples.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.stratum4j.examples.store.DatabaseUrl;
import org.stratum4j.examples.store.TestSchema;
import org.stratum4j.examples.testing.TestPostgres;

/** On a real PostgreSQL: one process leads the cluster's worker alerts, and a worker's last share is read wherever it mined. */
class ClusterWorkersTest {

    @Test
    void oneProcessLeadsUntilItGoesAndTheLastShareIsTheClustersNewest() throws Exception {
        try (TestPostgres pg = TestPostgres.start()) {
            pg.createDatabase("alerts");
            DatabaseUrl url = DatabaseUrl.parse(pg.url("alerts"), null, null);
            Instant now = Instant.now();
            try (Connection c = pg.connect("pool", "alerts"); Statement s = c.createStatement()) {
                TestSchema.prepare(c, LocalDate.now().minusDays(1), LocalDate.now().plusDays(1));
                // rig1 mined on two processes (two rollup rows, one per bucket); rig2 stopped long ago.
                s.executeUpdate("INSERT INTO worker_stats (worker, bucket, shares, difficulty, last_share) VALUES"
                        + " ('a.rig1', date_bin('10 minutes', now() - interval '12 minutes', 'epoch'), 5, 1, now() - interval '12 minutes'),"
                        + " ('a.rig1', date_bin('10 minutes', now() - interval '1 minute', 'epoch'), 5, 1, now() - interval '1 minute'),"
                        + " ('a.rig2', date_bin('10 minutes', now() - interval '3 hours', 'epoch'), 5, 1, now() - interval '3 hours')");
            }
            ClusterWorkers first = new ClusterWorkers(url, Clock.systemUTC(), Duration.ofMinutes(40));
            try (ClusterWorkers second = new ClusterWorkers(url, Clock.systemUTC(), Duration.ofMinutes(40))) {
                assertThat(first.leading()).isTrue();
                assertThat(second.leading()).isFalse();
                assertThat(first.leading()).as("still").isTrue();
                var shares = second.lastShares();
                assertThat(shares).containsOnlyKeys("a.rig1");
                assertThat(shares.get("a.rig1")).isBetween(now.minusSeconds(90), now.minusSeconds(30));
                first.close(); // the leading process goes: its connection, and the lock with it
                // The server frees the lock when that backend has ended, just after the close: the next check takes it.
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!second.leading() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(second.leading()).isTrue();
            } finally {
                first.close();
            }
        }
    }
}
