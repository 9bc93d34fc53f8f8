package org.stratum4j.examples.proxy;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The proxy's per-miner counts, by worker name: shares it judged (accepted, rejected), shares it
 * forwarded, the upstream's verdicts on them, and stale ones after a change of upstream. At most
 * {@value #MAX_MINERS} names are kept (then {@code other}), so miners cannot grow it without bound.
 * Thread-safe.
 */
final class MinerBook {

    static final int MAX_MINERS = 65_536;
    static final String OTHER = "other";

    /** One miner's counters. */
    static final class Miner {
        final LongAdder accepted = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder forwarded = new LongAdder();
        final LongAdder upstreamAccepted = new LongAdder();
        final LongAdder upstreamRejected = new LongAdder();
        final LongAdder stale = new LongAdder();
    }

    /** A miner's counts at one moment. */
    record Counts(long accepted, long rejected, long forwarded, long upstreamAccepted, long upstreamRejected, long stale) {
    }

    private final ConcurrentHashMap<String, Miner> miners = new ConcurrentHashMap<>();

    /** The counters of {@code worker} (null: the unnamed). */
    Miner of(String worker) {
        String name = worker == null ? "" : worker;
        Miner m = miners.get(name);
        if (m != null) {
            return m;
        }
        if (miners.size() >= MAX_MINERS) {
            return miners.computeIfAbsent(OTHER, k -> new Miner());
        }
        return miners.computeIfAbsent(name, k -> new Miner());
    }

    /** Every miner's counts, by name. */
    Map<String, Counts> snapshot() {
        Map<String, Counts> out = new TreeMap<>();
        miners.forEach((name, m) -> out.put(name, new Counts(m.accepted.sum(), m.rejected.sum(), m.forwarded.sum(),
                m.upstreamAccepted.sum(), m.upstreamRejected.sum(), m.stale.sum())));
        return out;
    }
}
