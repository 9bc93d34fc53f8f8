package org.stratum4j.examples.payout;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.stratum4j.examples.pool.ExamplePool;
import org.stratum4j.examples.testing.TestPools;
import org.stratum4j.examples.testing.PostgresServer;
import org.stratum4j.examples.testing.ValidShareMiner;

/** Pool mode paying miners in the coinbase, on the demo chain (which checks a coinbase as Bitcoin Core does) and a real PostgreSQL. */
class CoinbasePayoutsTest {

    static final String ALICE = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
    static final String BOB = "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn";
    static final String POOL = "2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc";

    @RegisterExtension
    static final PostgresServer PG = new PostgresServer();

    static String database() throws Exception {
        String name = PG.newDatabase("payouts");
        return name;
    }

    static List<List<Object>> rows(String db, String sql) throws Exception {
        try (Connection c = PG.server().connect("pool", db); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            List<List<Object>> out = new ArrayList<>();
            while (r.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    row.add(r.getObject(i));
                }
                out.add(row);
            }
            return out;
        }
    }

    static long number(String db, String sql) throws Exception {
        Object v = rows(db, sql).get(0).get(0);
        return v == null ? 0 : ((Number) v).longValue();
    }

    @Test
    void blocksPayTheMinersOfTheWindowToTheSatoshiCarryingWhatIsBelowTheMinimum(@TempDir Path dir) throws Exception {
        String db = database();
        String url = PG.server().url(db);
        // A block is about one share in a thousand; the window (1,000 x the network difficulty) holds every share of the test.
        // A quarter of each block is the fee; Bob earns about a tenth of the rest, under the 0.625 BTC minimum (a fifth of the
        // demo chain's 3.125 BTC subsidy), so he is carried
        // and paid once his balance and a block's earnings reach it.
        try (ExamplePool pool = TestPools.start(new String[] {"--bind", "127.0.0.1", "--port", "0", "--mode", "pool",
                "--payout-address", POOL, "--database", url, "--share-log", dir.resolve("journal.jsonl").toString(),
                "--difficulty", ValidShareMiner.DIFFICULTY, "--vardiff", "off", "--vardiff-min", ValidShareMiner.DIFFICULTY,
                "--demo-network-difficulty", "0.00001", "--pplns-window-factor", "1000", "--pplns-refresh-seconds", "0.2",
                "--pool-fee", "25", "--min-payout", "62500000", "--block-check-seconds", "0.2", "--stats-port", "0",
                "--web-port", "0", "--web-bind", "127.0.0.1"});
             ValidShareMiner alice = new ValidShareMiner(pool.boundAddresses().get(0).getPort(), ALICE + ".rig1", 8);
             ValidShareMiner bob = new ValidShareMiner(pool.boundAddresses().get(0).getPort(), BOB + ".rig1", 8)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            java.util.function.BooleanSupplier enough = () -> {
                try {
                    return System.nanoTime() > deadline || number(db, "SELECT count(*) FROM block_payouts WHERE address = '" + BOB
                            + "' AND paid > 0 AND carried_in > 0") >= 1 && number(db, "SELECT count(*) FROM blocks WHERE"
                            + " coinbase_value IS NOT NULL AND NOT payouts_void") >= 4;
                } catch (Exception e) {
                    return true;
                }
            };
            Thread bobMining = new Thread(() -> {
                try {
                    bob.mine(1L << 40, 30, enough);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            bobMining.start();
            alice.mine(0, 300, enough);
            bobMining.join();
            alice.drain();
            bob.drain();
            String stats = new String(java.net.URI.create("http://127.0.0.1:" + pool.statsAddress().orElseThrow().getPort() + "/stats")
                    .toURL().openStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(stats).contains("\"scheme\" : \"pplns-coinbase\"").contains("\"payees_in_window\" : 2")
                    .containsPattern("\"blocks_recorded\" : [4-9]|\"blocks_recorded\" : [1-9][0-9]");
            // The dashboard shows Bob what he earned, block by block, from the ledger.
            String earnings = new String(java.net.URI.create("http://127.0.0.1:" + pool.webAddress().orElseThrow().getPort()
                    + "/api/miner/" + BOB).toURL().openStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(earnings).contains("\"earnings\":[{\"block_hash\":").containsPattern("\"paid_sats\":[1-9]")
                    .containsPattern("\"earned_sats\":[1-9]");
            String page = new String(java.net.URI.create("http://127.0.0.1:" + pool.webAddress().orElseThrow().getPort()
                    + "/miner/" + BOB).toURL().openStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(page).contains("<table id=\"earnings\">").contains(" BTC</td>");
            // The last block is replaced on the chain: once the store sees it orphaned, its payouts are void.
            var demo = pool.demoChain().orElseThrow();
            String tip = demo.tip().toDisplayHex();
            long recordDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (number(db, "SELECT count(*) FROM blocks WHERE hash = '" + tip + "' AND coinbase_value IS NOT NULL") == 0
                    && System.nanoTime() < recordDeadline) {
                Thread.sleep(50);
            }
            demo.orphanTip();
            long orphanDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (number(db, "SELECT count(*) FROM blocks WHERE hash = '" + tip + "' AND status = 'orphaned'") == 0
                    && System.nanoTime() < orphanDeadline) {
                Thread.sleep(50);
            }
            assertThat(rows(db, "SELECT status, payouts_void FROM blocks WHERE hash = '" + tip + "'"))
                    .containsExactly(List.of("orphaned", true));
        }
        List<List<Object>> blocks = rows(db, "SELECT hash, coinbase_value, fee, pool_output, status, payouts_void FROM blocks"
                + " WHERE coinbase_value IS NOT NULL ORDER BY created_at");
        assertThat(blocks).as("blocks with payouts").hasSizeGreaterThanOrEqualTo(4);
        for (List<Object> b : blocks) {
            String hash = (String) b.get(0);
            long value = ((Number) b.get(1)).longValue();
            long fee = ((Number) b.get(2)).longValue();
            long poolOutput = ((Number) b.get(3)).longValue();
            boolean anyone = number(db, "SELECT count(*) FROM block_payouts WHERE block_hash = '" + hash + "'") > 0;
            // Before the first window is read the jobs pay the pool everything: no one has earned anything yet.
            assertThat(fee).isEqualTo(anyone ? value / 4 : value);
            assertThat(number(db, "SELECT sum(paid) FROM block_payouts WHERE block_hash = '" + hash + "'") + poolOutput).isEqualTo(value);
            assertThat(number(db, "SELECT coalesce(sum(earned), 0) FROM block_payouts WHERE block_hash = '" + hash + "'") + fee)
                    .as("earnings + fee of %s", hash).isEqualTo(value);
            // Earnings follow the credits to the satoshi's rounding.
            BigDecimal total = (BigDecimal) rows(db, "SELECT coalesce(sum(credit), 0) FROM block_payouts WHERE block_hash = '" + hash
                    + "'").get(0).get(0);
            for (List<Object> p : rows(db, "SELECT address, credit, earned FROM block_payouts WHERE block_hash = '" + hash + "'")) {
                BigDecimal exact = BigDecimal.valueOf(value - fee).multiply((BigDecimal) p.get(1)).divide(total, 6, RoundingMode.HALF_EVEN);
                assertThat(BigDecimal.valueOf(((Number) p.get(2)).longValue()).subtract(exact).abs())
                        .as("%s in %s", p.get(0), hash).isLessThanOrEqualTo(BigDecimal.ONE);
            }
            if (!(Boolean) b.get(5)) {
                // The node took it: the demo chain checks the coinbase's total against the template's value.
                assertThat(b.get(4)).isIn("submitted", "pending", "confirmed");
            }
        }
        assertThat(number(db, "SELECT count(*) FROM block_payouts WHERE address = '" + BOB + "' AND paid = 0 AND carried_out > 0"))
                .as("Bob carried").isGreaterThanOrEqualTo(1);
        assertThat(number(db, "SELECT count(*) FROM block_payouts WHERE address = '" + BOB + "' AND paid > 0 AND carried_in > 0"))
                .as("Bob paid with his balance").isGreaterThanOrEqualTo(1);
        assertThat(number(db, "SELECT count(*) FROM block_payouts WHERE address = '" + ALICE + "' AND paid > 0")).isGreaterThanOrEqualTo(3);
        // What the pool's address holds for payees is exactly the balances it carries.
        assertThat(number(db, "SELECT coalesce(sum(balance), 0) FROM payout_balances"))
                .isEqualTo(number(db, "SELECT sum(pool_output - fee) FROM blocks WHERE coinbase_value IS NOT NULL AND NOT payouts_void"));
    }
}
