package org.stratum4j.examples.payout;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.CoinbaseOutput;
import org.stratum4j.core.payout.Pplns;
import org.stratum4j.examples.demo.DemoChain;
import org.stratum4j.examples.store.DatabaseUrl;
import org.stratum4j.examples.store.TestSchema;
import org.stratum4j.examples.testing.PostgresServer;

/** Two pool processes' payout books on one real database make the same coinbase. */
class PayoutBookTest {

    @RegisterExtension
    static final PostgresServer PG = new PostgresServer();

    @Test
    void twoProcessesOnOneDatabaseMakeTheSameOutputsFromTheSameWindow() throws Exception {
        PG.server().createDatabase("books");
        List<PayoutLedgerTest.Row> rows = new ArrayList<>();
        Instant start = Instant.now().minusSeconds(600);
        String[] workers = {PayoutLedgerTest.A.text() + ".a", PayoutLedgerTest.B.text() + ".b", PayoutLedgerTest.C.text()};
        for (int i = 0; i < 900; i++) {
            // Each instance journaled some of the shares.
            rows.add(new PayoutLedgerTest.Row(i % 2, i, start.plusMillis(600L * i), workers[i % 3], BigDecimal.valueOf(1 + i % 7)));
        }
        try (Connection c = PG.server().connect("pool", "books")) {
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            TestSchema.prepare(c, today.minusDays(1), today);
            PayoutLedgerTest.insert(c, rows);
        }
        DatabaseUrl url = DatabaseUrl.parse(PG.server().url("books"), null, null);
        DemoChain chain = DemoChain.builder().networkDifficulty(org.stratum4j.core.bitcoin.Difficulty.of("0.5")).build();
        CompletableFuture<BlockTemplate> first = new CompletableFuture<>();
        chain.start(first::complete);
        BlockTemplate template = first.get(10, TimeUnit.SECONDS);
        chain.stop();
        Pplns pplns = Pplns.builder(PayoutLedgerTest.POOL).feePercent(BigDecimal.ONE).minPayout(0).build();
        // Window: 1,000 × 0.5 = 500 of the 3,600 difficulty: the newest shares only, the last in part.
        try (PayoutBook one = PayoutBook.start(url, Network.REGTEST, pplns, BigDecimal.valueOf(1000), 0, Duration.ofMillis(100),
                Clock.systemUTC());
             PayoutBook two = PayoutBook.start(url, Network.REGTEST, pplns, BigDecimal.valueOf(1000), 1, Duration.ofMillis(100),
                     Clock.systemUTC())) {
            Instant asked = Instant.now();
            one.outputsFor(template); // tells each book the window's size
            two.outputsFor(template);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((!one.lastRefresh().isAfter(asked) || !two.lastRefresh().isAfter(asked)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<CoinbaseOutput> a = one.outputsFor(template);
            List<CoinbaseOutput> b = two.outputsFor(template);
            assertThat(a).hasSize(4).isEqualTo(b);
            assertThat(a.stream().mapToLong(CoinbaseOutput::value).sum()).isEqualTo(template.coinbaseValue());
        }
    }
}
