package org.stratum4j.core.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * SPI: when a connection has sent so much invalid work that it should be closed and its address
 * refused for a while (the transport enforces it). The engine counts, per session, accepted and
 * rejected shares in windows of {@link #window()}; stale shares (21) do not count, since every
 * honest miner sends some after a block change.
 */
public interface BanPolicy {

    /** Length of the counting window. */
    Duration window();

    /** After a counted rejection: how long to ban, or {@code null} for no ban. */
    Duration judge(long acceptedInWindow, long rejectedInWindow);

    /** Never bans. */
    static BanPolicy never() {
        return new BanPolicy() {
            @Override
            public Duration window() {
                return Duration.ofMinutes(1);
            }

            @Override
            public Duration judge(long accepted, long rejected) {
                return null;
            }
        };
    }

    /**
     * Bans for {@code banFor} once a window holds at least {@code minRejected} rejections that are
     * at least {@code ratio} of the window's shares.
     */
    static BanPolicy invalidShares(int minRejected, double ratio, Duration window, Duration banFor) {
        if (minRejected < 1) {
            throw new IllegalArgumentException("minRejected " + minRejected + " must be at least 1");
        }
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("ratio " + ratio + " is outside (0, 1]");
        }
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(banFor, "banFor");
        return new BanPolicy() {
            @Override
            public Duration window() {
                return window;
            }

            @Override
            public Duration judge(long accepted, long rejected) {
                return rejected >= minRejected && rejected >= ratio * (accepted + rejected) ? banFor : null;
            }
        };
    }
}
