package org.stratum4j.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.engine.ExtranonceAllocator;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.CoinbaseOutput;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.testing.MutableClock;

/** The extranonce arithmetic of a proxy: a downstream miner's work is exactly an upstream share's. */
class ExtranonceSplitTest {

    static final long T0 = 1_700_000_000L;
    static final byte[] UPSTREAM_EN1 = Hex.decode("07a1b2c3");

    /** A real upstream notify: the engine's own job for a template (extranonce1 4 bytes, extranonce2 8). */
    static Notify upstreamNotify() {
        PoolEngine pool = PoolEngine.builder().clock(new MutableClock(Instant.ofEpochSecond(T0)))
                .payouts(t -> List.of(CoinbaseOutput.of(t.coinbaseValue(), Hex.decode("0014e6f22ca44dc800e9d049621a3b9a42c509f1c4bc"))))
                .blockSubmitter(b -> CompletableFuture.completedFuture(Optional.empty())).build();
        byte[] prev = new byte[32];
        prev[31] = 9;
        return pool.newTemplate(BlockTemplate.builder().previousBlockHash(Sha256Hash.fromInternalBytes(prev))
                .bits(CompactBits.of(0x1d00ffff)).height(900_000).curTime(T0).minTime(T0 - 600).coinbaseValue(312_500_000L).build())
                .job().notifyMessage();
    }

    @Test
    void aDownstreamShareIsTheSameCoinbaseAndHeaderAsTheUpstreamShareItBecomes() {
        Notify notify = upstreamNotify();
        ExtranonceSplit split = ExtranonceSplit.of(UPSTREAM_EN1, 8, 2);
        assertThat(split.downstreamExtranonce1Size()).isEqualTo(6);
        assertThat(split.downstreamExtranonce2Size()).isEqualTo(6);
        assertThat(split.capacity()).isEqualTo(65_536);
        Job upstream = Job.fromNotify(notify, 4, 8, Instant.ofEpochSecond(T0));
        Job downstream = split.downstreamJob(notify, Instant.ofEpochSecond(T0));
        byte[] en1 = split.allocator().allocate();
        assertThat(Hex.encode(en1)).isEqualTo("07a1b2c30000");
        byte[] en2 = Hex.decode("0102030405ff");
        byte[] upstreamEn2 = split.upstreamExtranonce2(en1, en2);
        assertThat(Hex.encode(upstreamEn2)).isEqualTo("00000102030405ff");
        assertThat(downstream.coinbase().serialize(en1, en2)).isEqualTo(upstream.coinbase().serialize(UPSTREAM_EN1, upstreamEn2));
        assertThat(downstream.header(en1, en2, 0x20002000, T0 + 5, 12345).hash())
                .isEqualTo(upstream.header(UPSTREAM_EN1, upstreamEn2, 0x20002000, T0 + 5, 12345).hash());
    }

    @Test
    void noTwoMinersGetTheSameIndexAndAFullSessionSaysToOpenAnother() {
        ExtranonceSplit split = ExtranonceSplit.of(UPSTREAM_EN1, 4, 1);
        ExtranonceAllocator indexes = split.allocator();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 256; i++) {
            assertThat(seen.add(Hex.encode(indexes.allocate()))).isTrue();
        }
        assertThatThrownBy(indexes::allocate).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("all 256 indexes").hasMessageContaining("open another upstream session");
        indexes.release(Hex.decode("07a1b2c32a"));
        assertThat(Hex.encode(indexes.allocate())).isEqualTo("07a1b2c32a");
    }

    @Test
    void splitsThatLeaveMinersTooLittleOrForeignExtranoncesAreRefused() {
        assertThatThrownBy(() -> ExtranonceSplit.of(UPSTREAM_EN1, 4, 3))
                .hasMessage("an upstream extranonce2 of 4 bytes leaves 1 to miners after a 3-byte index; they need at least 2"
                        + " (at most 2 index bytes fit)");
        assertThatThrownBy(() -> ExtranonceSplit.of(UPSTREAM_EN1, 8, 5)).hasMessageContaining("outside 1..4");
        ExtranonceSplit split = ExtranonceSplit.of(UPSTREAM_EN1, 8, 2);
        assertThatThrownBy(() -> split.upstreamExtranonce2(Hex.decode("08a1b2c30001"), new byte[6]))
                .hasMessageContaining("is not under upstream extranonce1 07a1b2c3");
        assertThatThrownBy(() -> split.upstreamExtranonce2(Hex.decode("07a1b2c30001"), new byte[5]))
                .hasMessageContaining("6 bytes, got 5");
    }
}
