package org.stratum4j.examples.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Sha256Hash;

/**
 * One batch of journal lines made into what the database takes: {@code COPY} rows (text format)
 * for the accepted shares, the 10-minute worker rollups, the days the shares fall on, and the
 * block shares. Reused from batch to batch.
 *
 * <p>The shipper shares the pool's cores, so this is written to cost little: lines are read by
 * Jackson's streaming parser straight from the journal's bytes into fields (no string per line, no
 * map per line), and rows are written as bytes into one growing buffer that {@code COPY} reads.
 * Measured in BENCHMARKS.md (share store).
 */
final class JournalBatch {

    private static final Logger LOG = LoggerFactory.getLogger(JournalBatch.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final int BUCKET_SECONDS = 600;

    /** A worker's 10-minute bucket. */
    record RollupKey(String worker, long bucket) implements Comparable<RollupKey> {
        @Override
        public int compareTo(RollupKey o) {
            int c = worker.compareTo(o.worker);
            return c != 0 ? c : Long.compare(bucket, o.bucket);
        }
    }

    /** What one bucket gained in this batch. */
    static final class Rollup {
        long shares;
        double difficulty;
        long stale;
        long duplicate;
        long lowDifficulty;
        long invalid;
        double best;
    }

    /** A block share: its hash (display hex), worker and time. */
    record BlockShare(String hash, String worker, String time) {
    }

    private final int instanceId;
    private final String journalName;
    private byte[] copy = new byte[1 << 16];
    private int copyLength;
    private final Map<RollupKey, Rollup> rollups = new HashMap<>();
    private final Set<LocalDate> days = new HashSet<>();
    private final List<BlockShare> blocks = new ArrayList<>();
    private long lastDay = Long.MIN_VALUE;
    private Instant first;
    private long entries;

    // One line's fields, overwritten line by line.
    private String time;
    private String worker;
    private String job;
    private String extranonce1;
    private String extranonce2;
    private String ntime;
    private String nonce;
    private String version;
    private String difficulty;
    private String hash;
    private String remote;
    private String reject;
    private boolean block;

    JournalBatch(int instanceId, String journalName) {
        this.instanceId = instanceId;
        this.journalName = journalName;
    }

    /** Empties the batch for the next one, keeping its buffer. */
    void clear() {
        copyLength = 0;
        rollups.clear();
        days.clear();
        blocks.clear();
        lastDay = Long.MIN_VALUE;
        first = null;
        entries = 0;
    }

    /**
     * Adds the journal line in {@code bytes[from, to)}, which starts at byte {@code seq} of the
     * journal. A torn line (a crash mid-write) is skipped silently, as {@code ShareLog.read} does; a
     * line that parses but holds a damaged value is skipped with a WARN, so that it cannot stop
     * every share behind it.
     */
    void add(long seq, byte[] bytes, int from, int to) {
        entries++;
        int copied = copyLength;
        try {
            if (read(bytes, from, to)) {
                addShare(seq);
            }
        } catch (RuntimeException e) {
            copyLength = copied;
            LOG.warn("share store: journal line at byte {} of {} skipped: {}", seq, journalName, e.toString());
        }
    }

    private boolean read(byte[] bytes, int from, int to) {
        time = worker = job = extranonce1 = extranonce2 = ntime = nonce = version = difficulty = hash = remote = reject = null;
        block = false;
        try (JsonParser p = JSON.createParser(bytes, from, to - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v != JsonToken.VALUE_STRING) {
                    if (name.equals("block")) {
                        block = v == JsonToken.VALUE_TRUE;
                    }
                    p.skipChildren();
                    continue;
                }
                String s = p.getText();
                switch (name) {
                    case "time" -> time = s;
                    case "worker" -> worker = s;
                    case "job" -> job = s;
                    case "extranonce1" -> extranonce1 = s;
                    case "extranonce2" -> extranonce2 = s;
                    case "ntime" -> ntime = s;
                    case "nonce" -> nonce = s;
                    case "version" -> version = s;
                    case "difficulty" -> difficulty = s;
                    case "hash" -> hash = s;
                    case "remote" -> remote = s;
                    case "reject" -> reject = s;
                    default -> {
                        // a field from a later version: not stored
                    }
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        return time != null && worker != null && difficulty != null && (reject != null || hash != null && nonce != null);
    }

    private void addShare(long seq) {
        long epochSecond = epochSecond(time);
        // Everything that can fail is parsed before anything is counted: a damaged line leaves no trace.
        boolean accepted = reject == null;
        double actual = 0;
        double shareDifficulty = 0;
        long ntimeValue = 0;
        long nonceValue = 0;
        long versionValue = 0;
        if (accepted) {
            actual = Difficulty.ofHash(Sha256Hash.fromDisplayHex(hash));
            shareDifficulty = Double.parseDouble(difficulty);
            ntimeValue = Long.parseLong(ntime, 16);
            nonceValue = Long.parseLong(nonce, 16);
            versionValue = Long.parseLong(version, 16);
        }
        if (first == null) {
            first = Instant.parse(time); // to the millisecond, for the backlog's age
        }
        Rollup r = rollups.computeIfAbsent(new RollupKey(worker, Math.floorDiv(epochSecond, BUCKET_SECONDS) * BUCKET_SECONDS),
                k -> new Rollup());
        if (!accepted) {
            switch (reject) {
                case "job_not_found" -> r.stale++;
                case "duplicate" -> r.duplicate++;
                case "low_difficulty" -> r.lowDifficulty++;
                default -> r.invalid++;
            }
            return;
        }
        r.shares++;
        r.difficulty += shareDifficulty;
        r.best = Math.max(r.best, actual);
        long day = Math.floorDiv(epochSecond, 86_400);
        if (day != lastDay) {
            days.add(LocalDate.ofEpochDay(day));
            lastDay = day;
        }
        if (block) {
            blocks.add(new BlockShare(hash, worker, time));
        }
        number(instanceId).tab().number(seq).tab().text(time).tab().text(worker).tab().text(job).tab().text(extranonce1).tab()
                .text(extranonce2).tab().number(ntimeValue).tab().number(nonceValue).tab().number(versionValue).tab().text(difficulty)
                .tab().text(Double.toString(actual)).tab().text(hash).tab().ascii(block ? 't' : 'f').tab();
        if (remote == null) {
            ascii('\\').ascii('N');
        } else {
            text(remote);
        }
        ascii('\n');
    }

    /**
     * The second of an ISO-8601 UTC time as {@code Instant.toString()} writes it
     * ({@code 2026-12-04T16:05:09.123Z}), read without a formatter (the shipper reads thousands a
     * second); any other shape goes through {@link Instant#parse}. Both refuse what is not a time.
     */
    static long epochSecond(String s) {
        int n = s.length();
        if (n >= 20 && n != 21 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T' && s.charAt(13) == ':'
                && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z' && (n == 20 || s.charAt(19) == '.')
                && (n == 20 || digits(s, 20, n - 21) >= 0)) {
            int year = digits(s, 0, 4);
            int hour = digits(s, 11, 2);
            int minute = digits(s, 14, 2);
            int second = digits(s, 17, 2);
            if (year >= 0 && hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60) {
                // LocalDate.of refuses a month or day that does not exist.
                return LocalDate.of(year, digits(s, 5, 2), digits(s, 8, 2)).toEpochDay() * 86_400
                        + hour * 3600 + minute * 60 + second;
            }
        }
        return Instant.parse(s).getEpochSecond();
    }

    /** The decimal number in {@code s[from, from + n)}, or -1 when a character is not a digit (or it is too long). */
    private static int digits(String s, int from, int n) {
        if (n > 9) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    // ------------------------------------------------------------------ COPY text format, as bytes

    private JournalBatch tab() {
        return ascii('\t');
    }

    private JournalBatch ascii(char c) {
        ensure(1);
        copy[copyLength++] = (byte) c;
        return this;
    }

    /** A non-negative number in decimal; journal values are (hex of at most 32 bits, offsets, the instance). */
    private JournalBatch number(long v) {
        if (v < 0) {
            return text(Long.toString(v));
        }
        ensure(20);
        int start = copyLength;
        do {
            copy[copyLength++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        for (int i = start, j = copyLength - 1; i < j; i++, j--) {
            byte b = copy[i];
            copy[i] = copy[j];
            copy[j] = b;
        }
        return this;
    }

    /** A value in COPY's text format: backslash, tab, newline and carriage return escaped, UTF-8. */
    private JournalBatch text(String v) {
        int n = v.length();
        for (int i = 0; i < n; i++) {
            if (v.charAt(i) >= 0x80) {
                return utf8(v);
            }
        }
        ensure(n * 2);
        for (int i = 0; i < n; i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '\\' -> escape('\\');
                case '\t' -> escape('t');
                case '\n' -> escape('n');
                case '\r' -> escape('r');
                default -> copy[copyLength++] = (byte) ch;
            }
        }
        return this;
    }

    /** The rare value with characters beyond ASCII (a worker name, say): escaped, then encoded whole. */
    private JournalBatch utf8(String v) {
        String escaped = v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
        byte[] b = escaped.getBytes(StandardCharsets.UTF_8);
        ensure(b.length);
        System.arraycopy(b, 0, copy, copyLength, b.length);
        copyLength += b.length;
        return this;
    }

    private void escape(char c) {
        copy[copyLength++] = '\\';
        copy[copyLength++] = (byte) c;
    }

    private void ensure(int more) {
        if (copyLength + more > copy.length) {
            copy = Arrays.copyOf(copy, Math.max(copy.length * 2, copyLength + more));
        }
    }

    // ------------------------------------------------------------------ what the shipper reads

    /** Whether there are rows to copy. */
    boolean hasRows() {
        return copyLength > 0;
    }

    /** Sends the rows to a {@code COPY … FROM STDIN (FORMAT text)} and ends it; cancels it on failure. */
    void copyRows(CopyIn in) throws SQLException {
        try {
            in.writeToCopy(copy, 0, copyLength);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** The rollups, in lock order (worker, then bucket), so that pool processes never deadlock. */
    List<Map.Entry<RollupKey, Rollup>> rollups() {
        List<Map.Entry<RollupKey, Rollup>> sorted = new ArrayList<>(rollups.entrySet());
        sorted.sort(Map.Entry.comparingByKey());
        return sorted;
    }

    Set<LocalDate> days() {
        return days;
    }

    List<BlockShare> blocks() {
        return blocks;
    }

    /** When the batch's first entry was journaled, or null for an empty batch. */
    Instant first() {
        return first;
    }

    /** Lines read, including skipped ones (each is a journal entry). */
    long entries() {
        return entries;
    }
}
