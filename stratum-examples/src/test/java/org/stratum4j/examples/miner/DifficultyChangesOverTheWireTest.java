package org.stratum4j.examples.miner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.engine.DifficultyPolicy;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.job.CoinbaseOutput;
import org.stratum4j.core.share.RejectReason;
import org.stratum4j.examples.demo.DemoChain;
import org.stratum4j.examples.pool.PoolMain;
import org.stratum4j.transport.nio.Listener;
import org.stratum4j.transport.nio.StratumServer;

/**
 * The difficulty rule end to end: the engine behind the NIO server, the demo chain finding blocks,
 * and the CPU miner switching work as cpuminer does, while the difficulty changes every few shares.
 */
class DifficultyChangesOverTheWireTest {

    /**
     * A difficulty that climbs ×2, ×2, ×2 and falls back ÷8, one step after every {@code every}
     * accepted shares: changes far more often than any vardiff makes them, and in series, so that
     * threads are still on work from one, two or three rises ago.
     */
    private static DifficultyPolicy sawtooth(Difficulty start, int every) {
        return new DifficultyPolicy() {
            @Override
            public Controller start(Difficulty initial, Instant now) {
                return new Controller() {
                    Difficulty current = start;
                    long shares;
                    long steps;

                    @Override
                    public Difficulty current() {
                        return current;
                    }

                    @Override
                    public Difficulty setFloor(Difficulty floor, Instant at) {
                        return null;
                    }

                    @Override
                    public Difficulty suggest(Difficulty suggestion, Instant at) {
                        return null;
                    }

                    @Override
                    public Difficulty onAccepted(Difficulty judgedAt, Instant at) {
                        if (++shares % every != 0) {
                            return null;
                        }
                        current = Difficulty.of(++steps % 4 == 0 ? current.toDouble() / 8 : current.toDouble() * 2);
                        return current;
                    }

                    @Override
                    public Difficulty onTick(Instant at) {
                        return null;
                    }
                };
            }

            @Override
            public Difficulty minimum() {
                return Difficulty.of("1e-9");
            }

            @Override
            public Difficulty maximum() {
                return Difficulty.of(1);
            }
        };
    }

    static void await(BooleanSupplier condition, long seconds, java.util.function.Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what.get());
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aMinerThatFinishesOldWorkAsCpuminerDoesLosesNoShareAcrossDifficultyChangesAndBlocks() throws Exception {
        // The demo chain also finds a block of its own every 3 s, so clean jobs race the changes.
        DemoChain chain = DemoChain.builder().clock(Clock.systemUTC()).networkDifficulty(Difficulty.of("0.05"))
                .blockInterval(java.time.Duration.ofSeconds(3)).build();
        byte[] pay = Address.parse(PoolMain.DEMO_ADDRESS, DemoChain.NETWORK).scriptPubKey();
        PoolEngine engine = PoolEngine.builder().clock(Clock.systemUTC())
                .payouts(t -> List.of(CoinbaseOutput.of(t.coinbaseValue(), pay)))
                .blockSubmitter(chain)
                // Difficulty 0.0002: a share every 0.1 s or so at the CPU miner's few MH/s per thread.
                .difficultyPolicy(sawtooth(Difficulty.of("0.0002"), 2))
                .build();
        try (StratumServer server = StratumServer.builder(engine)
                .listen(Listener.on(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))).build()) {
            server.start();
            chain.start(t -> server.announce(engine.newTemplate(t)));
            try (CpuMiner miner = new CpuMiner(server.boundAddresses().get(0), null, "farm.lazy", "x", 4, CpuMiner.WorkSwitch.CPUMINER)) {
                miner.start();
                await(() -> miner.difficultyChanges() >= 30 && miner.acceptedAtAnEarlierDifficulty() >= 5 && chain.height() >= 2, 120,
                        () -> "30 difficulty changes, 5 shares accepted on work from an earlier difficulty and 2 blocks; saw "
                                + miner.difficultyChanges() + ", " + miner.acceptedAtAnEarlierDifficulty() + " and " + chain.height());
                PoolEngine.Stats stats = engine.stats();
                assertThat(stats.rejected(RejectReason.LOW_DIFFICULTY)).as("low-difficulty refusals").isZero();
                // Work in flight across a new block comes back stale (21); nothing else may be refused.
                assertThat(miner.rejected()).isLessThanOrEqualTo(stats.rejected(RejectReason.JOB_NOT_FOUND));
                assertThat(stats.rejected(RejectReason.JOB_NOT_FOUND)).as("stale shares").isLessThan(stats.accepted() / 20 + 1);
            }
        } finally {
            chain.stop();
        }
    }
}
