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
    void aMinersShareIsTheSameCoinbaseAndHeaderAsTheUpstreamShareItBecomes() {
        Notify notify = upstreamNotify();
        ExtranonceSplit split = ExtranonceSplit.of(UPSTREAM_EN1, 8, 2, 4);
        assertThat(split.minerExtranonce1Size()).isEqualTo(2);
        assertThat(split.minerExtranonce2Size()).isEqualTo(4);
        Job upstream = Job.fromNotify(notify, 4, 8, Instant.ofEpochSecond(T0));
        Job mine = split.minerJob("p1", notify, Instant.ofEpochSecond(T0));
        assertThat(mine.id()).isEqualTo("p1");
        ExtranonceAllocator indexes = ExtranonceSplit.indexes(2);
        indexes.allocate();
        byte[] en1 = indexes.allocate();
        assertThat(Hex.encode(en1)).isEqualTo("0001");
        byte[] en2 = Hex.decode("0102ff03");
        byte[] upstreamEn2 = split.upstreamExtranonce2(en1, en2);
        assertThat(Hex.encode(upstreamEn2)).isEqualTo("00010102ff030000");
        assertThat(mine.coinbase().serialize(en1, en2)).isEqualTo(upstream.coinbase().serialize(UPSTREAM_EN1, upstreamEn2));
        assertThat(mine.header(en1, en2, 0x20002000, T0 + 5, 12345).hash())
                .isEqualTo(upstream.header(UPSTREAM_EN1, upstreamEn2, 0x20002000, T0 + 5, 12345).hash());
        assertThat(mine.previousBlockHash()).isEqualTo(upstream.previousBlockHash());
        assertThat(mine.ntime()).isEqualTo(upstream.ntime());
    }

    @Test
    void aMinersExtranoncesStayValidUnderAnotherUpstreamSessionButTheCoinbaseDiffers() {
        Notify notify = upstreamNotify();
        ExtranonceSplit first = ExtranonceSplit.of(UPSTREAM_EN1, 8, 2, 4);
        ExtranonceSplit second = ExtranonceSplit.of(Hex.decode("0000000000000009"), 6, 2, 4);
        byte[] en1 = Hex.decode("0005");
        byte[] en2 = Hex.decode("00000001");
        Job a = first.minerJob("a", notify, Instant.ofEpochSecond(T0));
        Job b = second.minerJob("b", notify, Instant.ofEpochSecond(T0));
        assertThat(a.coinbase().serialize(en1, en2)).isNotEqualTo(b.coinbase().serialize(en1, en2));
        Job upstreamB = Job.fromNotify(notify, 8, 6, Instant.ofEpochSecond(T0));
        assertThat(b.coinbase().serialize(en1, en2))
                .isEqualTo(upstreamB.coinbase().serialize(Hex.decode("0000000000000009"), second.upstreamExtranonce2(en1, en2)));
    }

    @Test
    void noTwoMinersGetTheSameIndex() {
        ExtranonceAllocator indexes = ExtranonceSplit.indexes(1);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 256; i++) {
            assertThat(seen.add(Hex.encode(indexes.allocate()))).isTrue();
        }
        assertThatThrownBy(indexes::allocate).isInstanceOf(IllegalStateException.class)
                .hasMessage("all 256 miner indexes are in use (1-byte extranonce1)");
        indexes.release(Hex.decode("2a"));
        assertThat(Hex.encode(indexes.allocate())).isEqualTo("2a");
    }

    @Test
    void anUpstreamWithTooLittleExtranonce2AndBadSizesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> ExtranonceSplit.of(UPSTREAM_EN1, 4, 2, 4))
                .hasMessage("the upstream gives 4 bytes of extranonce2, and the proxy needs 6: 2 for its miners' index and 4 for each"
                        + " miner's own extranonce2");
        assertThatThrownBy(() -> ExtranonceSplit.of(UPSTREAM_EN1, 8, 5, 2)).hasMessage("index bytes 5 is outside 1..4");
        assertThatThrownBy(() -> ExtranonceSplit.of(UPSTREAM_EN1, 8, 2, 1)).hasMessage("a miner's extranonce2 of 1 bytes is outside 2..16");
        ExtranonceSplit split = ExtranonceSplit.of(UPSTREAM_EN1, 8, 2, 4);
        assertThatThrownBy(() -> split.upstreamExtranonce2(Hex.decode("000102"), new byte[4]))
                .hasMessage("a miner's extranonces are 2+4 bytes, got 3+4");
    }
}
