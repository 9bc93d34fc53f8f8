package org.stratum4j.core.proxy;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.engine.ExtranonceAllocator;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.Notify;

/**
 * How a proxy shares one upstream session's extranonce space among its miners. Each miner's
 * extranonce1 is an index of {@code indexBytes} that the proxy hands out; the upstream extranonce1
 * moves into the end of the miners' coinb1, and what the upstream extranonce2 has beyond the index
 * and the miner's own extranonce2 is zero padding at the start of their coinb2:
 *
 * <pre>
 * upstream: coinb1          ‖ [ up extranonce1 ] ‖ [ up extranonce2 ...................... ] ‖ coinb2
 * miners:   coinb1 ‖ up en1 ‖                      [ index ] ‖ [ miner's extranonce2 ]  ‖ 00… ‖ coinb2
 * </pre>
 *
 * The coinbase bytes are the same either way, so a miner's share is an upstream share with
 * extranonce2 = index ‖ the miner's extranonce2 ‖ padding ({@link #upstreamExtranonce2}); two
 * miners never hold the same index, so they can never build the same coinbase. Since a miner's
 * extranonces do not contain the upstream's, they stay valid when the proxy moves to another
 * upstream session (a backup pool, a {@code mining.set_extranonce}): only the jobs change.
 *
 * <p>Immutable.
 */
public final class ExtranonceSplit {

    /** The fewest extranonce2 bytes left to a miner. */
    public static final int MIN_MINER_EXTRANONCE2 = 2;

    private final byte[] upstreamExtranonce1;
    private final int upstreamExtranonce2Size;
    private final int indexBytes;
    private final int minerExtranonce2Size;

    private ExtranonceSplit(byte[] upstreamExtranonce1, int upstreamExtranonce2Size, int indexBytes, int minerExtranonce2Size) {
        this.upstreamExtranonce1 = upstreamExtranonce1;
        this.upstreamExtranonce2Size = upstreamExtranonce2Size;
        this.indexBytes = indexBytes;
        this.minerExtranonce2Size = minerExtranonce2Size;
    }

    /**
     * The split of an upstream session's extranonces into miners' indexes of {@code indexBytes}
     * (1..4) and extranonce2s of {@code minerExtranonce2Size} bytes (2..16).
     *
     * @throws IllegalArgumentException when a size is out of range, or when the upstream's
     *     extranonce2 is shorter than the index and the miner's extranonce2 together (the message
     *     says by how much)
     */
    public static ExtranonceSplit of(byte[] upstreamExtranonce1, int upstreamExtranonce2Size, int indexBytes,
                                     int minerExtranonce2Size) {
        Objects.requireNonNull(upstreamExtranonce1, "upstreamExtranonce1");
        checkShape(indexBytes, minerExtranonce2Size);
        if (upstreamExtranonce2Size < indexBytes + minerExtranonce2Size) {
            throw new IllegalArgumentException("the upstream gives " + upstreamExtranonce2Size + " bytes of extranonce2, and the proxy needs "
                    + (indexBytes + minerExtranonce2Size) + ": " + indexBytes + " for its miners' index and " + minerExtranonce2Size
                    + " for each miner's own extranonce2");
        }
        return new ExtranonceSplit(upstreamExtranonce1.clone(), upstreamExtranonce2Size, indexBytes, minerExtranonce2Size);
    }

    private static void checkShape(int indexBytes, int minerExtranonce2Size) {
        if (indexBytes < 1 || indexBytes > 4) {
            throw new IllegalArgumentException("index bytes " + indexBytes + " is outside 1..4");
        }
        if (minerExtranonce2Size < MIN_MINER_EXTRANONCE2 || minerExtranonce2Size > 16) {
            throw new IllegalArgumentException("a miner's extranonce2 of " + minerExtranonce2Size + " bytes is outside "
                    + MIN_MINER_EXTRANONCE2 + "..16");
        }
    }

    /** The upstream session's extranonce1 (a copy). */
    public byte[] upstreamExtranonce1() {
        return upstreamExtranonce1.clone();
    }

    /** Bytes of the upstream's extranonce2. */
    public int upstreamExtranonce2Size() {
        return upstreamExtranonce2Size;
    }

    /** Bytes of each miner's extranonce1: the index. */
    public int minerExtranonce1Size() {
        return indexBytes;
    }

    /** Bytes each miner rolls. */
    public int minerExtranonce2Size() {
        return minerExtranonce2Size;
    }

    /**
     * The upstream job as miners see it, under the proxy's own {@code id} (upstream ids are only
     * unique within one upstream session): the upstream extranonce1 at the end of coinb1, the
     * padding at the start of coinb2. Shares on it are checked at the miner's own difficulty.
     *
     * @throws IllegalArgumentException when the notify's coinbase halves are too short for a coinbase
     */
    public Job minerJob(String id, Notify upstream, Instant receivedAt) {
        byte[] coinb1 = Arrays.copyOf(upstream.coinb1(), upstream.coinb1().length + upstreamExtranonce1.length);
        System.arraycopy(upstreamExtranonce1, 0, coinb1, upstream.coinb1().length, upstreamExtranonce1.length);
        int padding = upstreamExtranonce2Size - indexBytes - minerExtranonce2Size;
        byte[] coinb2 = new byte[padding + upstream.coinb2().length];
        System.arraycopy(upstream.coinb2(), 0, coinb2, padding, upstream.coinb2().length);
        Notify mine = new Notify(id, upstream.prevHash(), coinb1, coinb2, upstream.merkleBranch(), upstream.version(), upstream.nbits(),
                upstream.ntime(), upstream.cleanJobs());
        return Job.fromNotify(mine, indexBytes, minerExtranonce2Size, receivedAt);
    }

    /**
     * The upstream extranonce2 of a miner's share: its index (its extranonce1), its extranonce2,
     * then the padding.
     *
     * @throws IllegalArgumentException when either has the wrong length
     */
    public byte[] upstreamExtranonce2(byte[] minerExtranonce1, byte[] minerExtranonce2) {
        if (minerExtranonce1.length != indexBytes || minerExtranonce2.length != minerExtranonce2Size) {
            throw new IllegalArgumentException("a miner's extranonces are " + indexBytes + "+" + minerExtranonce2Size + " bytes, got "
                    + minerExtranonce1.length + "+" + minerExtranonce2.length);
        }
        byte[] out = new byte[upstreamExtranonce2Size];
        System.arraycopy(minerExtranonce1, 0, out, 0, indexBytes);
        System.arraycopy(minerExtranonce2, 0, out, indexBytes, minerExtranonce2Size);
        return out;
    }

    /**
     * The miners' extranonce1s: indexes of {@code indexBytes} (1..4), each held by at most one
     * live miner, counting on from the last one handed out so that a released index is reused
     * last. Thread-safe.
     */
    public static ExtranonceAllocator indexes(int indexBytes) {
        checkShape(indexBytes, MIN_MINER_EXTRANONCE2);
        return ExtranonceAllocator.counting(indexBytes, "miner indexes");
    }

    @Override
    public String toString() {
        return "ExtranonceSplit[upstream " + Hex.encode(upstreamExtranonce1) + "+" + upstreamExtranonce2Size + ", miners " + indexBytes + "+"
                + minerExtranonce2Size + "]";
    }
}
