package org.stratum4j.core.engine;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Open subscribed sessions by miner software, from the user agent each sent with
 * {@code mining.subscribe}: the name before the first {@code /} or space ("cgminer/4.12.0" is
 * "cgminer"), at most 32 printable ASCII characters. At most {@link #MAX_NAMES} names are kept;
 * later ones count as {@code other}, so that made-up agents cannot grow it.
 */
final class MinerSoftware {

    static final int MAX_NAMES = 64;
    static final String UNKNOWN = "unknown";
    static final String OTHER = "other";

    private final ConcurrentHashMap<String, LongAdder> open = new ConcurrentHashMap<>();

    /** The name a user agent is counted under. */
    static String name(String userAgent) {
        if (userAgent == null) {
            return UNKNOWN;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < userAgent.length() && b.length() < 32; i++) {
            char c = userAgent.charAt(i);
            if (c == '/' || c == ' ') {
                break;
            }
            if (c > ' ' && c < 127) {
                b.append(c);
            }
        }
        return b.length() == 0 ? UNKNOWN : b.toString();
    }

    /** A session subscribed with {@code userAgent}; returns the name it is counted under. */
    String subscribed(String userAgent) {
        return subscribed(userAgent, "");
    }

    /** As {@link #subscribed(String)}, the name followed by {@code suffix} (the protocol, say). */
    String subscribed(String userAgent, String suffix) {
        String name = name(userAgent) + suffix;
        LongAdder n = open.get(name);
        if (n == null) {
            if (open.size() >= MAX_NAMES) {
                name = OTHER;
            }
            n = open.computeIfAbsent(name, k -> new LongAdder());
        }
        n.increment();
        return name;
    }

    /** A session counted under {@code name} closed. */
    void closed(String name) {
        LongAdder n = open.get(name);
        if (n != null) {
            n.decrement();
        }
    }

    /** Names with open sessions, and how many. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        open.forEach((k, v) -> {
            long c = v.sum();
            if (c > 0) {
                out.put(k, c);
            }
        });
        return out;
    }
}
