package org.stratum4j.examples.payout;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.payout.PayoutPlan;
import org.stratum4j.core.payout.Pplns;
import org.stratum4j.examples.store.TestSchema;
import org.stratum4j.examples.testing.PostgresServer;

/** The payout ledger against a real PostgreSQL server. */
class PayoutLedgerTest {

    @RegisterExtension
    static final PostgresServer PG = new PostgresServer();

    static final Address A = Address.parse("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", Network.REGTEST);
    static final Address B = Address.parse("bcrt1q0z9q7p6dsqa95f67hd3xcnhdmvr8088h0dmfms", Network.REGTEST);
    static final Address C = Address.parse("mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", Network.REGTEST);
    static final Address POOL = Address.parse("2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc", Network.REGTEST);

    static Connection database() throws Exception {
        String name = PG.newDatabase("ledger");
        Connection c = PG.server().connect("pool", name);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        TestSchema.prepare(c, today.minusDays(1), today);
        return c;
    }

    record Row(int instance, long seq, Instant at, String worker, BigDecimal difficulty) {
    }

    /** Shares (and their rollups, as the store keeps them) straight into the tables. */
    static void insert(Connection c, List<Row> rows) throws Exception {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO shares (instance_id, seq, created_at, worker, job_id, extranonce1,"
                + " extranonce2, ntime, nonce, version, difficulty, actual_difficulty, hash, block) VALUES (?, ?, ?, ?, 'j', '00', '00',"
                + " 0, 0, 0, ?, 1, 'h', false)")) {
            for (Row r : rows) {
                p.setInt(1, r.instance());
                p.setLong(2, r.seq());
                p.setTimestamp(3, Timestamp.from(r.at()));
                p.setString(4, r.worker());
                p.setBigDecimal(5, r.difficulty());
                p.addBatch();
            }
            p.executeBatch();
        }
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM worker_stats");
            s.execute("INSERT INTO worker_stats (worker, bucket, shares, difficulty) SELECT worker,"
                    + " to_timestamp(floor(extract(epoch FROM created_at) / 600) * 600), count(*), sum(difficulty) FROM shares GROUP BY 1, 2");
        }
    }

    @Test
    void theWindowInSqlIsPplnsWindowOverEveryInstancesSharesNewestFirst() throws Exception {
        try (Connection c = database()) {
            SplittableRandom r = new SplittableRandom(16);
            Instant start = Instant.now().minusSeconds(3 * 3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            String[] workers = {A.text() + ".rig1", A.text() + ".rig2", B.text(), C.text() + ".x", "not-an-address.rig"};
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                // Three hours of shares from two instances, with many equal times (the order falls back to instance, then seq).
                Instant at = start.plusSeconds(i * 3L);
                rows.add(new Row(i % 2, 1000L * i, at, workers[r.nextInt(workers.length)], BigDecimal.valueOf(r.nextLong(1, 100_000), 3)));
                if (r.nextInt(4) == 0) {
                    rows.add(new Row(1 - i % 2, 1000L * i + 1, at, workers[r.nextInt(workers.length)], BigDecimal.valueOf(r.nextLong(1, 5_000), 2)));
                }
            }
            insert(c, rows);
            List<Row> newestFirst = new ArrayList<>(rows);
            newestFirst.sort(Comparator.comparing(Row::at).thenComparingInt(Row::instance).thenComparingLong(Row::seq).reversed());
            BigDecimal all = rows.stream().map(Row::difficulty).reduce(BigDecimal.ZERO, BigDecimal::add);
            for (BigDecimal size : new BigDecimal[] {new BigDecimal("1234.5"), new BigDecimal("20000.001"), all.divide(BigDecimal.valueOf(3),
                    3, java.math.RoundingMode.DOWN), all, all.multiply(BigDecimal.TEN)}) {
                Map<Address, BigDecimal> expected = Pplns.window(newestFirst.stream()
                        .filter(x -> !x.worker().startsWith("not-"))
                        .map(x -> new Pplns.Share(Address.parse(x.worker().split("\\.")[0], Network.REGTEST), x.difficulty())).iterator(),
                        size);
                Map<Address, BigDecimal> fromSql = PayoutLedger.window(c, size, Network.REGTEST);
                // The SQL window counts the non-address shares too (they take room; they earn nothing): compare in that light.
                BigDecimal taken = fromSql.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
                assertThat(taken).as("window %s", size).isLessThanOrEqualTo(size.min(all));
                Map<Address, BigDecimal> withStrangers = windowWithStrangers(newestFirst, size);
                assertThat(fromSql.keySet()).isEqualTo(withStrangers.keySet());
                withStrangers.forEach((a, v) -> assertThat(fromSql.get(a)).as("%s in a window of %s", a, size).isEqualByComparingTo(v));
                if (size.compareTo(all) >= 0) {
                    expected.forEach((a, v) -> assertThat(fromSql.get(a)).isEqualByComparingTo(v));
                }
            }
        }
    }

    /** The window with every share taking room, then the non-address ones dropped (what the pool does). */
    static Map<Address, BigDecimal> windowWithStrangers(List<Row> newestFirst, BigDecimal size) {
        Address stranger = POOL; // a stand-in key for shares whose user is not an address
        Map<Address, BigDecimal> w = new java.util.HashMap<>(Pplns.window(newestFirst.stream().map(x -> new Pplns.Share(
                x.worker().startsWith("not-") ? stranger : Address.parse(x.worker().split("\\.")[0], Network.REGTEST), x.difficulty()))
                .iterator(), size));
        w.remove(stranger);
        return w;
    }

    static long query(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void aBlocksPayoutsAreRecordedAsItsCoinbasePaysAndAnOrphanUndoesThem() throws Exception {
        try (Connection c = database()) {
            Pplns pplns = Pplns.builder(POOL).feePercent(new BigDecimal("2")).minPayout(1_000_000).build();
            // C is owed 400,000 from before; A earns a lot, B a little, C a little more.
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO payout_balances VALUES ('" + C.text() + "', 400000, now())");
            }
            Map<Address, Long> balances = PayoutLedger.balances(c, Network.REGTEST);
            assertThat(balances).containsExactly(Map.entry(C, 400_000L));
            PayoutPlan plan = pplns.plan(5_000_000_000L, Map.of(A, new BigDecimal("990"), B, new BigDecimal("0.1"), C,
                    new BigDecimal("0.2")), balances);
            assertThat(PayoutLedger.recordBlock(c, "aa".repeat(32), A.text() + ".rig1", 0, Instant.now(), plan)).isTrue();
            assertThat(PayoutLedger.recordBlock(c, "aa".repeat(32), A.text() + ".rig1", 0, Instant.now(), plan)).as("once").isFalse();

            // Exact accounts, from the database alone.
            assertThat(query(c, "SELECT sum(paid) + (SELECT pool_output FROM blocks) FROM block_payouts")).isEqualTo(5_000_000_000L);
            assertThat(query(c, "SELECT sum(earned) + (SELECT fee FROM blocks) FROM block_payouts")).isEqualTo(5_000_000_000L);
            assertThat(query(c, "SELECT count(*) FROM block_payouts WHERE paid > 0")).isEqualTo(2); // A, and C with its balance
            long bEarned = plan.payees().stream().filter(p -> p.address().equals(B)).findFirst().orElseThrow().earned();
            assertThat(PayoutLedger.balances(c, Network.REGTEST)).containsOnly(Map.entry(B, bEarned));
            assertThat(query(c, "SELECT output FROM block_payouts WHERE address = '" + C.text() + "'")).isEqualTo(1);

            List<PayoutLedger.Earning> earnings = PayoutLedger.earnings(c, C, 10);
            assertThat(earnings).singleElement().satisfies(e -> {
                assertThat(e.paid()).isEqualTo(400_000 + e.earned());
                assertThat(e.status()).isEqualTo("submitted");
            });
            try (Statement s = c.createStatement()) {
                s.execute("UPDATE blocks SET status = 'orphaned' WHERE hash = '" + "aa".repeat(32) + "'");
            }
            assertThat(PayoutLedger.earnings(c, C, 10)).extracting(PayoutLedger.Earning::status).containsExactly("void");
            assertThat(query(c, "SELECT count(*) FROM blocks WHERE payouts_void")).isEqualTo(1);
            assertThat(PayoutLedger.balances(c, Network.REGTEST)).containsOnly(Map.entry(C, 400_000L));
            try (Statement s = c.createStatement()) {
                s.execute("UPDATE blocks SET status = 'orphaned', updated_at = now()");
            }
            assertThat(PayoutLedger.balances(c, Network.REGTEST)).as("undone once").containsOnly(Map.entry(C, 400_000L));
        }
    }
}
