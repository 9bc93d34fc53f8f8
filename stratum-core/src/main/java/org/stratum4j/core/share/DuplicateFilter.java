package org.stratum4j.core.share;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.stratum4j.core.bitcoin.Target;

/**
 * The headers already accepted on one job, safe to share between event loops (sessions on several
 * loops submit to the same job). Keyed by the first 16 bytes of the proof-of-work hash: the hash
 * covers the extranonces (through the merkle root), ntime, nonce and version, so two shares with
 * the same key are the same work; an accidental 128-bit collision is not a practical concern.
 *
 * <p>Only accepted shares are recorded, so memory grows with accepted work and is dropped with the
 * job. The filter also remembers the easiest target a recorded share met: a hash above it (every
 * random-nonce share of a flood, say) is answered without a lookup.
 */
public final class DuplicateFilter {

    private record Key(long high, long low) {
    }

    private final Set<Key> seen = ConcurrentHashMap.newKeySet();
    /** The easiest target any recorded share met; a hash above it cannot be recorded. */
    private volatile Target easiest;

    /** An empty filter, for one job. */
    public DuplicateFilter() {
        // nothing recorded yet
    }

    /** Whether a share with this hash was already recorded. */
    public boolean contains(byte[] hashInternal) {
        Target e = easiest;
        return e != null && e.isMetBy(hashInternal, 0) && seen.contains(key(hashInternal));
    }

    /**
     * Records a share accepted at {@code target}; false when it was already there (a race between
     * two loops: the second is the duplicate).
     */
    public boolean add(byte[] hashInternal, Target target) {
        widen(target);
        return seen.add(key(hashInternal));
    }

    private synchronized void widen(Target target) {
        if (easiest == null || target.compareTo(easiest) > 0) {
            easiest = target;
        }
    }

    /** How many shares are recorded. */
    public int size() {
        return seen.size();
    }

    private static Key key(byte[] h) {
        long a = 0;
        long b = 0;
        for (int i = 0; i < 8; i++) {
            a = a << 8 | (h[i] & 0xffL);
            b = b << 8 | (h[8 + i] & 0xffL);
        }
        return new Key(a, b);
    }
}
