package org.stratum4j.core.proxy;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.engine.ExtranonceAllocator;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.Notify;

/**
 * How a proxy shares one upstream session's extranonce space among its downstream miners: each
 * miner's extranonce1 is the upstream extranonce1 followed by an index of {@code indexBytes}, and
 * its extranonce2 is what is left of the upstream extranonce2. The coinbase bytes are the same
 * whichever way they are split, so a downstream share is an upstream share with extranonce2 =
 * index ‖ the miner's extranonce2 ({@link #upstreamExtranonce2}); two miners never share an index,
 * so they can never build the same coinbase.
 *
 * <pre>
 * upstream:    coinb1 ‖ [ upstream extranonce1 ] ‖ [ upstream extranonce2              ] ‖ coinb2
 * downstream:  coinb1 ‖ [ upstream extranonce1 ‖ index ] ‖ [ downstream extranonce2 ] ‖ coinb2
 * </pre>
 *
 * Immutable; its {@link #allocator()} is thread-safe.
 */
public final class ExtranonceSplit {

    /** The fewest extranonce2 bytes left to a downstream miner: miners roll at least this many. */
    public static final int MIN_DOWNSTREAM_EXTRANONCE2 = 2;

    private final byte[] upstreamExtranonce1;
    private final int upstreamExtranonce2Size;
    private final int indexBytes;

    private ExtranonceSplit(byte[] upstreamExtranonce1, int upstreamExtranonce2Size, int indexBytes) {
        this.upstreamExtranonce1 = upstreamExtranonce1;
        this.upstreamExtranonce2Size = upstreamExtranonce2Size;
        this.indexBytes = indexBytes;
    }

    /**
     * The split of an upstream session's extranonces with an index of {@code indexBytes} (1..4).
     *
     * @throws IllegalArgumentException when the upstream extranonce2 leaves fewer than
     *     {@value #MIN_DOWNSTREAM_EXTRANONCE2} bytes after the index; the message says how many
     *     index bytes would fit
     */
    public static ExtranonceSplit of(byte[] upstreamExtranonce1, int upstreamExtranonce2Size, int indexBytes) {
        Objects.requireNonNull(upstreamExtranonce1, "upstreamExtranonce1");
        if (indexBytes < 1 || indexBytes > 4) {
            throw new IllegalArgumentException("index bytes " + indexBytes + " is outside 1..4");
        }
        if (upstreamExtranonce2Size - indexBytes < MIN_DOWNSTREAM_EXTRANONCE2) {
            throw new IllegalArgumentException("an upstream extranonce2 of " + upstreamExtranonce2Size + " bytes leaves "
                    + (upstreamExtranonce2Size - indexBytes) + " to miners after a " + indexBytes + "-byte index; they need at least "
                    + MIN_DOWNSTREAM_EXTRANONCE2 + " (at most " + Math.max(0, upstreamExtranonce2Size - MIN_DOWNSTREAM_EXTRANONCE2)
                    + " index bytes fit)");
        }
        return new ExtranonceSplit(upstreamExtranonce1.clone(), upstreamExtranonce2Size, indexBytes);
    }

    /** Bytes of each downstream extranonce1: the upstream one and the index. */
    public int downstreamExtranonce1Size() {
        return upstreamExtranonce1.length + indexBytes;
    }

    /** Bytes each downstream miner rolls. */
    public int downstreamExtranonce2Size() {
        return upstreamExtranonce2Size - indexBytes;
    }

    /** How many miners this upstream session can serve at once (256 to the power of the index bytes). */
    public long capacity() {
        return 1L << (8 * indexBytes);
    }

    /**
     * The upstream job as downstream miners see it: the same coinbase halves, split after the
     * index. Shares on it are checked at the miner's own difficulty; blocks go upstream as shares.
     */
    public Job downstreamJob(Notify upstream, Instant receivedAt) {
        return Job.fromNotify(upstream, downstreamExtranonce1Size(), downstreamExtranonce2Size(), receivedAt);
    }

    /**
     * The upstream extranonce2 of a downstream share: the miner's index (the end of its
     * extranonce1) followed by its extranonce2.
     *
     * @throws IllegalArgumentException when {@code downstreamExtranonce1} is not one of this split's
     *     or the extranonce2 has the wrong length
     */
    public byte[] upstreamExtranonce2(byte[] downstreamExtranonce1, byte[] downstreamExtranonce2) {
        if (downstreamExtranonce1.length != downstreamExtranonce1Size()
                || !Arrays.equals(downstreamExtranonce1, 0, upstreamExtranonce1.length, upstreamExtranonce1, 0, upstreamExtranonce1.length)) {
            throw new IllegalArgumentException("extranonce1 " + Hex.encode(downstreamExtranonce1) + " is not under upstream extranonce1 "
                    + Hex.encode(upstreamExtranonce1));
        }
        if (downstreamExtranonce2.length != downstreamExtranonce2Size()) {
            throw new IllegalArgumentException("a downstream extranonce2 is " + downstreamExtranonce2Size() + " bytes, got "
                    + downstreamExtranonce2.length);
        }
        byte[] out = new byte[upstreamExtranonce2Size];
        System.arraycopy(downstreamExtranonce1, upstreamExtranonce1.length, out, 0, indexBytes);
        System.arraycopy(downstreamExtranonce2, 0, out, indexBytes, downstreamExtranonce2.length);
        return out;
    }

    /** Hands out the downstream extranonce1s: the upstream extranonce1 and a free index. */
    public ExtranonceAllocator allocator() {
        return new Indexes();
    }

    /** Each index at most once while its miner is connected. */
    private final class Indexes implements ExtranonceAllocator {
        private final AtomicLong next = new AtomicLong();
        private final Set<Long> live = ConcurrentHashMap.newKeySet();

        @Override
        public int size() {
            return downstreamExtranonce1Size();
        }

        @Override
        public byte[] allocate() {
            long space = capacity();
            for (long tries = 0; tries < space; tries++) {
                long index = Math.floorMod(next.getAndIncrement(), space);
                if (live.add(index)) {
                    byte[] out = Arrays.copyOf(upstreamExtranonce1, downstreamExtranonce1Size());
                    for (int i = 0; i < indexBytes; i++) {
                        out[upstreamExtranonce1.length + i] = (byte) (index >>> (8 * (indexBytes - 1 - i)));
                    }
                    return out;
                }
            }
            throw new IllegalStateException("all " + space + " indexes under upstream extranonce1 " + Hex.encode(upstreamExtranonce1)
                    + " are in use: open another upstream session");
        }

        @Override
        public void release(byte[] extranonce1) {
            long index = 0;
            for (int i = 0; i < indexBytes; i++) {
                index = index << 8 | (extranonce1[upstreamExtranonce1.length + i] & 0xFF);
            }
            live.remove(index);
        }
    }

    @Override
    public String toString() {
        return "ExtranonceSplit[" + Hex.encode(upstreamExtranonce1) + " + " + indexBytes + "-byte index, " + downstreamExtranonce2Size()
                + " bytes to miners]";
    }
}
