package org.stratum4j.examples.web;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Escaping and formatting for the pages: everything a miner chose goes through {@link #text}. */
final class Html {

    private static final String[] HASH_UNITS = {"H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s", "EH/s", "ZH/s"};

    private Html() {
    }

    /** {@code s} as inert text inside an element or a quoted attribute. */
    static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\t') {
                        b.append(' ');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** A hashrate with the unit that keeps it between 1 and 1000: "12.3 TH/s", up to ZH/s. */
    static String hashrate(double hs) {
        if (!(hs > 0)) {
            return "0 H/s";
        }
        int unit = 0;
        double v = hs;
        while (v >= 1000 && unit < HASH_UNITS.length - 1) {
            v /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, HASH_UNITS[unit]);
    }

    /** Satoshis as bitcoin with eight decimals: "0.12345678 BTC". */
    static String btc(long sats) {
        return java.math.BigDecimal.valueOf(sats, 8).toPlainString() + " BTC";
    }

    /** A difficulty, short: "0.00123", "1.5k", "2.3M", "45.6G", "7.8T". */
    static String difficulty(double d) {
        if (d <= 0) {
            return "0";
        }
        if (d < 1000) {
            return String.format(Locale.ROOT, d >= 1 ? "%.2f" : "%.3g", d);
        }
        String[] units = {"k", "M", "G", "T", "P", "E"};
        int unit = -1;
        double v = d;
        while (v >= 1000 && unit < units.length - 1) {
            v /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f%s", v, units[unit]);
    }

    /** "35 s ago", "4 min ago", "3 h ago", "2 d ago"; "never" for null. */
    static String ago(Instant then, Instant now) {
        if (then == null) {
            return "never";
        }
        long s = Math.max(0, Duration.between(then, now).toSeconds());
        if (s < 90) {
            return s + " s ago";
        }
        if (s < 90 * 60) {
            return (s / 60) + " min ago";
        }
        if (s < 36 * 3600) {
            return (s / 3600) + " h ago";
        }
        return (s / 86400) + " d ago";
    }

    /** A duration as "45 s", "12 min", "5.2 h", "3.1 days", "2.4 years"; "never" when negative. */
    static String duration(double seconds) {
        if (seconds < 0 || Double.isInfinite(seconds) || Double.isNaN(seconds)) {
            return "never";
        }
        if (seconds < 90) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 90 * 60) {
            return String.format(Locale.ROOT, "%.0f min", seconds / 60);
        }
        if (seconds < 36 * 3600) {
            return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
        }
        if (seconds < 400 * 86400) {
            return String.format(Locale.ROOT, "%.1f days", seconds / 86400);
        }
        return String.format(Locale.ROOT, "%.1f years", seconds / (365.25 * 86400));
    }
}
