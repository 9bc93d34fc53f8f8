package org.stratum4j.examples.stats;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pay-per-last-N-shares accounting: the most recent accepted shares whose difficulties add up to
 * at most {@code size} (in pool mode, a multiple of the network difficulty), and each worker's
 * part of that window: how the next block's reward would be split. Thread-safe.
 */
public final class PplnsWindow {

    private record Entry(String worker, double difficulty) {
    }

    private final ArrayDeque<Entry> shares = new ArrayDeque<>();
    private final Map<String, Double> byWorker = new LinkedHashMap<>();
    private double size;
    private double total;

    /** A window of {@code size} total share difficulty. */
    public PplnsWindow(double size) {
        resize(size);
    }

    /** Changes the window's size (the network difficulty changed); older shares fall out. */
    public synchronized void resize(double newSize) {
        if (!(newSize > 0)) {
            throw new IllegalArgumentException("PPLNS window size " + newSize + " must be positive");
        }
        size = newSize;
        trim();
    }

    /** Adds an accepted share. */
    public synchronized void add(String worker, double difficulty) {
        if (!(difficulty > 0)) {
            return;
        }
        shares.addLast(new Entry(worker, difficulty));
        byWorker.merge(worker, difficulty, Double::sum);
        total += difficulty;
        trim();
    }

    private void trim() {
        while (total > size && shares.size() > 1) {
            Entry e = shares.removeFirst();
            total -= e.difficulty();
            byWorker.computeIfPresent(e.worker(), (k, v) -> v - e.difficulty() <= 1e-12 * size ? null : v - e.difficulty());
        }
    }

    /** Each worker's fraction of the window (summing to 1), sorted by worker; empty when no shares. */
    public synchronized Map<String, Double> split() {
        Map<String, Double> out = new TreeMap<>();
        if (total <= 0) {
            return out;
        }
        byWorker.forEach((w, d) -> out.put(w, d / total));
        return out;
    }

    /** The share difficulty the window holds now. */
    public synchronized double total() {
        return total;
    }

    /** The window's size. */
    public synchronized double size() {
        return size;
    }
}
