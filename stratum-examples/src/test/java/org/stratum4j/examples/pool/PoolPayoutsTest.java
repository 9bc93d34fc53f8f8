package org.stratum4j.examples.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.engine.Authorizer;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.examples.demo.DemoChain;
import org.stratum4j.examples.store.TestSchema;
import org.stratum4j.examples.testing.TestPostgres;

/** PPLNS in the coinbase, as the pool wires it: who may mine, and jobs remade when the window changes. */
class PoolPayoutsTest {

    @Test
    void onlyAddressesMayMineAndJobsAreRemadeFromTheLastTemplateWhenTheWindowWasReadAgain() throws Exception {
        try (TestPostgres pg = TestPostgres.start()) {
            pg.createDatabase("wiring");
            try (Connection c = pg.connect("pool", "wiring")) {
                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                TestSchema.prepare(c, today, today);
            }
            PoolConfig config = PoolConfig.parse("--mode", "pool", "--payout-address", PoolMain.DEMO_ADDRESS, "--database",
                    pg.url("wiring"), "--pplns-refresh-seconds",
                    "0.1");
            assertThat(config.payoutScheme).isEqualTo(PoolConfig.PayoutScheme.PPLNS_COINBASE);
            DemoChain chain = DemoChain.builder().build();
            CompletableFuture<BlockTemplate> first = new CompletableFuture<>();
            chain.start(first::complete);
            BlockTemplate template = first.get(10, TimeUnit.SECONDS);
            chain.stop();
            try (PoolPayouts payouts = PoolPayouts.choose(config, DemoChain.NETWORK, Clock.systemUTC())) {
                InetSocketAddress from = new InetSocketAddress("127.0.0.1", 1);
                assertThat(payouts.authorizer.authorize(new Authorizer.Request(PoolMain.DEMO_ADDRESS + ".rig1", "x", from))
                        .toCompletableFuture().get().authorized()).isTrue();
                assertThat(payouts.authorizer.authorize(new Authorizer.Request("heidi.rig1", "x", from)).toCompletableFuture().get()
                        .authorized()).as("not an address: nothing to pay").isFalse();

                AtomicInteger announced = new AtomicInteger();
                // As the engine does: a job's outputs come from the payouts (which tells the book the window's size).
                Consumer<BlockTemplate> announce = payouts.refreshing(t -> {
                    payouts.payouts.outputsFor(t);
                    announced.incrementAndGet();
                }, Duration.ofMillis(300));
                long started = System.nanoTime();
                announce.accept(template);
                long deadline = started + TimeUnit.SECONDS.toNanos(10);
                while (announced.get() < 4 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                // Remade from the same template, each time the window had been read since, no more often than every 300 ms.
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertThat(announced.get()).isGreaterThanOrEqualTo(4).isLessThanOrEqualTo(1 + (int) (elapsedMillis / 300));
            }
        }
    }
}
