package org.stratum4j.core.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SPI: hands out extranonce1 values, unique among live sessions. Thread-safe: sessions on every
 * event loop allocate and release.
 */
public interface ExtranonceAllocator {

    /** Length of every extranonce1, in bytes. */
    int size();

    /**
     * A value no live session holds.
     *
     * @throws IllegalStateException when every value is in use
     */
    byte[] allocate();

    /** Gives a value back when its session ends. */
    void release(byte[] extranonce1);

    /**
     * Sequential values of {@code size} bytes whose first byte is {@code instanceId}, so that up to
     * 256 pool processes behind one payout never hand two miners the same work; the other
     * {@code size - 1} bytes count (wrapping, skipping live values).
     *
     * @param size       2..8 bytes
     * @param instanceId 0..255
     */
    static ExtranonceAllocator sequential(int size, int instanceId) {
        if (size < 2 || size > 8) {
            throw new IllegalArgumentException("extranonce1 size " + size + " is outside 2..8 (one byte is the instance id)");
        }
        if (instanceId < 0 || instanceId > 255) {
            throw new IllegalArgumentException("instance id " + instanceId + " is outside 0..255");
        }
        int counterBits = 8 * (size - 1);
        return new Sequential(size, (long) instanceId << counterBits, counterBits, "extranonce1 values of this instance are in use");
    }

    /**
     * Values of {@code size} bytes (1..8) counting from zero, wrapping and skipping live values,
     * with no instance byte: a proxy's indexes for its miners, say.
     *
     * @param what what the values are, for the message when every one is in use
     */
    static ExtranonceAllocator counting(int size, String what) {
        if (size < 1 || size > 8) {
            throw new IllegalArgumentException("extranonce1 size " + size + " is outside 1..8");
        }
        return new Sequential(size, 0, 8 * size, what + " are in use (" + size + "-byte extranonce1)");
    }

    /** {@link #sequential} and {@link #counting}. */
    final class Sequential implements ExtranonceAllocator {
        private final int size;
        private final long prefix;
        private final long space;
        private final String exhausted;
        private final AtomicLong next = new AtomicLong();
        private final Set<Long> live = ConcurrentHashMap.newKeySet();

        Sequential(int size, long prefix, int counterBits, String exhausted) {
            this.size = size;
            this.space = counterBits >= 63 ? Long.MAX_VALUE : 1L << counterBits;
            this.prefix = prefix;
            this.exhausted = exhausted;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public byte[] allocate() {
            long limit = Math.min(space, live.size() + 1_000_000L);
            for (long tries = 0; tries < limit; tries++) {
                long value = prefix | Math.floorMod(next.getAndIncrement(), space);
                if (live.add(value)) {
                    byte[] out = new byte[size];
                    for (int i = size - 1; i >= 0; i--) {
                        out[i] = (byte) (value >>> (8 * (size - 1 - i)));
                    }
                    return out;
                }
            }
            throw new IllegalStateException("all " + space + " " + exhausted);
        }

        @Override
        public void release(byte[] extranonce1) {
            long value = 0;
            for (byte b : extranonce1) {
                value = value << 8 | (b & 0xff);
            }
            live.remove(value);
        }
    }
}
