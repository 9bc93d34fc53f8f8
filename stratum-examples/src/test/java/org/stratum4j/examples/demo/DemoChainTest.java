package org.stratum4j.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.BlockHeader;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Transaction;
import org.stratum4j.core.engine.FoundBlock;
import org.stratum4j.core.job.BlockAssembler;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.CoinbaseBuilder;
import org.stratum4j.core.job.CoinbaseOutput;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.job.JobFactory;
import org.stratum4j.examples.pool.PoolMain;

/** The demo chain judges blocks as Bitcoin Core would and moves its tip only for good ones. */
class DemoChainTest {

    final LinkedBlockingQueue<BlockTemplate> templates = new LinkedBlockingQueue<>();
    DemoChain chain;

    @AfterEach
    void stop() {
        chain.stop();
    }

    static final byte[] EN1 = {1, 2, 3, 4};
    static final byte[] EN2 = new byte[8];

    /** A job on {@code t} paying the demo address, and a header on it that meets the network target. */
    static FoundBlock solve(BlockTemplate t) {
        Job job = new JobFactory(Clock.systemUTC(), CoinbaseBuilder.defaults())
                .create(t, List.of(CoinbaseOutput.to(org.stratum4j.core.bitcoin.Address.parse(PoolMain.DEMO_ADDRESS,
                        DemoChain.NETWORK), t.coinbaseValue())));
        for (long nonce = 0; ; nonce++) {
            BlockHeader h = job.header(EN1, EN2, job.version(), job.ntime(), nonce);
            if (h.meets(job.networkTarget())) {
                return new FoundBlock(h.hash(), t.height(), BlockAssembler.assemble(job, EN1, EN2, h), job, "test");
            }
        }
    }

    Optional<String> submit(FoundBlock b) throws Exception {
        return chain.submit(b).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aGoodBlockMovesTheTipAndTheNextTemplateFollowsAtOnce() throws Exception {
        chain = DemoChain.builder().networkDifficulty(Difficulty.of("0.0001")).seed(1).build();
        chain.start(templates::add);
        BlockTemplate first = templates.poll(10, TimeUnit.SECONDS);
        assertThat(first.height()).as("above 16: the BIP34 height is a push, as Bitaxe firmware expects")
                .isEqualTo(DemoChain.DEFAULT_START_HEIGHT + 1);
        assertThat(first.transactions()).hasSize(3);
        assertThat(first.transactions()).anyMatch(tx -> Transaction.parse(tx.data()).hasWitness())
                .anyMatch(tx -> !Transaction.parse(tx.data()).hasWitness());
        assertThat(first.witnessCommitmentMatchesTransactions()).isTrue();
        assertThat(first.coinbaseValue()).isGreaterThan(DemoChain.subsidy(DemoChain.DEFAULT_START_HEIGHT + 1)).isLessThan(313_000_000L);

        FoundBlock good = solve(first);
        assertThat(submit(good)).isEmpty();
        BlockTemplate next = templates.poll(10, TimeUnit.SECONDS);
        assertThat(next.height()).isEqualTo(DemoChain.DEFAULT_START_HEIGHT + 2);
        assertThat(next.previousBlockHash()).isEqualTo(good.hash());
        assertThat(chain.blocksAccepted()).isEqualTo(1);
        // The same block again is valid but no longer extends the tip.
        assertThat(submit(good)).contains("inconclusive");
        assertThat(chain.height()).isEqualTo(DemoChain.DEFAULT_START_HEIGHT + 1);
    }

    @Test
    void badBlocksGetBitcoinCoresReasonsAndChangeNothing() throws Exception {
        chain = DemoChain.builder().networkDifficulty(Difficulty.of("0.0001")).seed(2).build();
        chain.start(templates::add);
        BlockTemplate t = templates.poll(10, TimeUnit.SECONDS);
        FoundBlock good = solve(t);

        byte[] tampered = good.block().clone();
        tampered[tampered.length - 1] ^= 1; // the last transaction's lock time: its txid, so the merkle root, changes
        assertThat(submit(new FoundBlock(good.hash(), t.height(), tampered, good.job(), "test"))).contains("bad-txnmrklroot");
        byte[] witness = good.block().clone();
        witness[witness.length - 10] ^= 1; // inside its witness: only the wtxid changes, so the commitment fails
        assertThat(submit(new FoundBlock(good.hash(), t.height(), witness, good.job(), "test"))).contains("bad-witness-merkle-match");

        byte[] weak = good.block().clone();
        BlockHeader h = BlockHeader.parse(java.util.Arrays.copyOf(weak, 80));
        long nonce = h.nonce();
        BlockHeader other;
        do {
            other = h.withNonce(++nonce);
        } while (other.meets(good.job().networkTarget()));
        System.arraycopy(other.serialize(), 0, weak, 0, 80);
        assertThat(submit(new FoundBlock(other.hash(), t.height(), weak, good.job(), "test"))).contains("high-hash");

        assertThat(chain.height()).isEqualTo(DemoChain.DEFAULT_START_HEIGHT);
        assertThat(templates).isEmpty();
        assertThat(submit(good)).isEmpty();
    }

    @Test
    void blocksFromElsewhereMoveTheTipOnSchedule() throws Exception {
        chain = DemoChain.builder().blockInterval(Duration.ofMillis(200)).seed(3).startHeight(0).build();
        chain.start(templates::add);
        BlockTemplate a = templates.poll(10, TimeUnit.SECONDS);
        BlockTemplate b = templates.poll(10, TimeUnit.SECONDS);
        BlockTemplate c = templates.poll(10, TimeUnit.SECONDS);
        assertThat(List.of(a.height(), b.height(), c.height())).containsExactly(1L, 2L, 3L);
        assertThat(b.previousBlockHash()).isNotEqualTo(a.previousBlockHash());
        assertThat(DemoChain.subsidy(210_000)).isEqualTo(25 * 100_000_000L);
        assertThat(DemoChain.subsidy(DemoChain.DEFAULT_START_HEIGHT + 1)).isEqualTo(312_500_000L);
    }
}
