package org.stratum4j.transport.nio;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a {@link StratumServer}, safe to read from any thread (a stats endpoint): open
 * connections, accepted and refused connections, bytes and lines in each direction, and closes by
 * reason.
 */
public final class TransportMetrics {

    final LongAdder open = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder linesIn = new LongAdder();
    final LongAdder linesOut = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> closes = new ConcurrentHashMap<>();

    /** Made by the server; read through {@link StratumServer#metrics()}. */
    TransportMetrics() {
    }

    void closed(String reason) {
        closes.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** Connections open now. */
    public long openConnections() {
        return open.sum();
    }

    /** Connections accepted since start. */
    public long acceptedConnections() {
        return accepted.sum();
    }

    /** Connections refused at accept (limits, bans, shutting down). */
    public long refusedConnections() {
        return refused.sum();
    }

    /** Bytes read from miners. */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Bytes written to miners. */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /** Lines read from miners. */
    public long linesIn() {
        return linesIn.sum();
    }

    /** Lines queued for miners. */
    public long linesOut() {
        return linesOut.sum();
    }

    /** Closed connections by reason, sorted by reason. */
    public Map<String, Long> closesByReason() {
        Map<String, Long> out = new TreeMap<>();
        closes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
