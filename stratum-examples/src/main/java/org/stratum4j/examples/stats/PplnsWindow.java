package org.stratum4j.examples.stats;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pay-per-last-N-shares accounting: the most recent accepted shares whose difficulties add up to
 * at most {@code size} (in pool mode, a multiple of the network difficulty), and each worker's
 * part of that window: how the next block's reward would be split. Thread-safe.
 *
 * <p>Memory is bounded whatever the difficulties: the window holds at most {@link #MAX_SHARES}
 * shares (12 bytes each, in primitive arrays that the collector need not trace); beyond that the
 * oldest leave early and {@link #total()} is less than the size. Workers are kept by number while
 * they have a share in the window.
 */
public final class PplnsWindow {

    /** The most shares the window holds: 12 MiB of arrays at most. */
    public static final int MAX_SHARES = 1 << 20;

    private final int maxShares;
    // A ring of shares: worker number and difficulty.
    private int[] workerOf = new int[256];
    private double[] difficultyOf = new double[256];
    private int head;
    private int count;
    // Workers with a share in the window, by number; numbers are reused once a worker's last share leaves.
    private final Map<String, Integer> numbers = new HashMap<>();
    private String[] names = new String[16];
    private double[] sums = new double[16];
    private int[] shareCounts = new int[16];
    private final ArrayDeque<Integer> freeNumbers = new ArrayDeque<>();
    private int nextNumber;
    private double size;
    private double total;

    /** A window of {@code size} total share difficulty. */
    public PplnsWindow(double size) {
        this(size, MAX_SHARES);
    }

    PplnsWindow(double size, int maxShares) {
        this.maxShares = maxShares;
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
        if (count == maxShares) {
            removeOldest();
        }
        int w = number(worker);
        if (count == workerOf.length) {
            grow();
        }
        int slot = (head + count) % workerOf.length;
        workerOf[slot] = w;
        difficultyOf[slot] = difficulty;
        count++;
        sums[w] += difficulty;
        shareCounts[w]++;
        total += difficulty;
        trim();
    }

    private int number(String worker) {
        Integer known = numbers.get(worker);
        if (known != null) {
            return known;
        }
        int w = freeNumbers.isEmpty() ? nextNumber++ : freeNumbers.pop();
        if (w == names.length) {
            names = Arrays.copyOf(names, w * 2);
            sums = Arrays.copyOf(sums, w * 2);
            shareCounts = Arrays.copyOf(shareCounts, w * 2);
        }
        names[w] = worker;
        numbers.put(worker, w);
        return w;
    }

    /** Doubles the ring (never past the bound), oldest share first. */
    private void grow() {
        int capacity = Math.min(workerOf.length * 2, maxShares);
        int[] workers = new int[capacity];
        double[] difficulties = new double[capacity];
        for (int i = 0; i < count; i++) {
            int slot = (head + i) % workerOf.length;
            workers[i] = workerOf[slot];
            difficulties[i] = difficultyOf[slot];
        }
        workerOf = workers;
        difficultyOf = difficulties;
        head = 0;
    }

    private void trim() {
        while (total > size && count > 1) {
            removeOldest();
        }
    }

    private void removeOldest() {
        int w = workerOf[head];
        double d = difficultyOf[head];
        head = (head + 1) % workerOf.length;
        count--;
        total -= d;
        sums[w] -= d;
        if (--shareCounts[w] == 0) {
            numbers.remove(names[w]);
            names[w] = null;
            sums[w] = 0;
            freeNumbers.push(w);
        }
        if (count == 0) {
            total = 0; // no rounding left behind
        }
    }

    /** Each worker's fraction of the window (summing to 1), sorted by worker; empty when no shares. */
    public synchronized Map<String, Double> split() {
        Map<String, Double> out = new TreeMap<>();
        if (count == 0 || total <= 0) {
            return out;
        }
        for (int w = 0; w < nextNumber; w++) {
            if (names[w] != null) {
                out.put(names[w], sums[w] / total);
            }
        }
        return out;
    }

    /** The share difficulty the window holds now. */
    public synchronized double total() {
        return total;
    }

    /** The shares the window holds now. */
    public synchronized int shares() {
        return count;
    }

    /** The window's size. */
    public synchronized double size() {
        return size;
    }
}
