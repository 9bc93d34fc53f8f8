package org.stratum4j.transport.nio;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a {@link StratumServer}, safe to read from any thread (a stats endpoint): open
 * connections, accepted and refused connections, bytes and lines in each direction, closes by
 * reason, and how long the last job took to reach every session.
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
    /** The last job every loop has written to all its sessions, and the longest any loop took. */
    private String fannedOutJob;
    private long fanOutNanos = -1;

    /** Made by the server; read through {@link StratumServer#metrics()}. */
    TransportMetrics() {
    }

    /** A loop has written {@code jobId} to all its sessions in {@code nanos}. */
    synchronized void fannedOut(String jobId, long nanos) {
        if (!jobId.equals(fannedOutJob)) {
            fannedOutJob = jobId;
            fanOutNanos = nanos;
        } else {
            fanOutNanos = Math.max(fanOutNanos, nanos);
        }
    }

    /**
     * How long the last job took to be written to every session, in milliseconds (the slowest
     * event loop, from its first write to its last, reads served in between included), or −1
     * before the first. Its growth with the number of miners is what makes their work stale
     * after a new block.
     */
    public synchronized double lastFanOutMillis() {
        return fanOutNanos < 0 ? -1 : fanOutNanos / 1e6;
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
