package org.stratum4j.examples.loadgen;

import java.util.Arrays;

/**
 * Latencies in microseconds, counted in log-linear buckets: exact below 1,024 µs, then 512
 * buckets per power of two (every value within 0.2% of its bucket's lower bound), up to about
 * 2^40 µs. Fixed size (about 150 KiB) whatever the run's length, so an hour-long soak counts
 * every submit without holding them; mergeable across threads and processes.
 */
public final class LatencyHistogram {

    private static final int LINEAR = 1024;
    private static final int SUB_BITS = 9;
    private static final int SUB = 1 << SUB_BITS;
    private static final int POWERS = 31;
    private static final int SIZE = LINEAR + POWERS * SUB;

    private final long[] counts = new long[SIZE];
    private long total;
    private long max;

    /** Counts one latency; negative values count as 0. */
    public void record(long micros) {
        long v = Math.max(0, micros);
        counts[index(v)]++;
        total++;
        if (v > max) {
            max = v;
        }
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int power = 63 - Long.numberOfLeadingZeros(v); // ≥ 10
        int shift = power - SUB_BITS;
        int sub = (int) ((v >>> shift) & (SUB - 1));
        int bucket = LINEAR + (power - 10) * SUB + sub;
        return Math.min(bucket, SIZE - 1);
    }

    static long lowerBound(int index) {
        if (index < LINEAR) {
            return index;
        }
        int power = (index - LINEAR) / SUB + 10;
        int sub = (index - LINEAR) % SUB;
        return (1L << power) + ((long) sub << (power - SUB_BITS));
    }

    /** Number of latencies counted. */
    public long count() {
        return total;
    }

    /** The largest latency counted (exact). */
    public long max() {
        return max;
    }

    /**
     * The latency at quantile {@code q} (0..1): the lower bound of the bucket that holds the
     * ⌈q·count⌉-th smallest value, so exact below 1,024 µs and within 0.2% above; 0 when empty.
     */
    public long quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile " + q + " is outside 0..1");
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < SIZE; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(lowerBound(i), max);
            }
        }
        return max;
    }

    /** Adds another histogram's counts to this one. */
    public void add(LatencyHistogram other) {
        for (int i = 0; i < SIZE; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    /** A compact text form ({@code index:count} pairs of the non-empty buckets, then the max) for a child process's report. */
    public String encode() {
        StringBuilder b = new StringBuilder();
        b.append(max);
        for (int i = 0; i < SIZE; i++) {
            if (counts[i] != 0) {
                b.append(' ').append(i).append(':').append(counts[i]);
            }
        }
        return b.toString();
    }

    /** Reads {@link #encode()}'s form. */
    public static LatencyHistogram decode(String text) {
        LatencyHistogram h = new LatencyHistogram();
        String[] parts = text.strip().split(" ");
        h.max = Long.parseLong(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            int colon = parts[i].indexOf(':');
            int index = Integer.parseInt(parts[i].substring(0, colon));
            long n = Long.parseLong(parts[i].substring(colon + 1));
            if (index < 0 || index >= SIZE || n < 0) {
                throw new IllegalArgumentException("bad histogram bucket " + parts[i]);
            }
            h.counts[index] += n;
            h.total += n;
        }
        return h;
    }

    @Override
    public String toString() {
        return "LatencyHistogram[count=" + total + ", p50=" + quantile(0.5) + "µs, p99=" + quantile(0.99) + "µs, max=" + max
                + "µs, buckets=" + Arrays.stream(counts).filter(c -> c != 0).count() + "]";
    }
}
