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
        /** The newest accepted share's time (epoch seconds), 0 when none. */
        long lastShare;
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

    // One line's fields: slices of one scratch array, overwritten line by line. Only the worker
    // (a rollup key) and the hash (its difficulty) become strings.
    private static final int TIME = 0;
    private static final int WORKER = 1;
    private static final int JOB = 2;
    private static final int EXTRANONCE1 = 3;
    private static final int EXTRANONCE2 = 4;
    private static final int NTIME = 5;
    private static final int NONCE = 6;
    private static final int VERSION = 7;
    private static final int DIFFICULTY = 8;
    private static final int HASH = 9;
    private static final int REMOTE = 10;
    private static final int REJECT = 11;
    private static final int FIELDS = 12;
    private char[] chars = new char[512];
    private int charsUsed;
    private final int[] fieldStart = new int[FIELDS];
    private final int[] fieldLength = new int[FIELDS];
    private final Slice[] fields = new Slice[FIELDS];
    private boolean block;
    /** The last difficulty read, as text and as a number: a session's difficulty changes seldom, parsing it is not free. */
    private String lastDifficultyText = "";
    private double lastDifficulty;

    JournalBatch(int instanceId, String journalName) {
        this.instanceId = instanceId;
        this.journalName = journalName;
        for (int i = 0; i < FIELDS; i++) {
            fields[i] = new Slice(i);
        }
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
     * Adds the lines in {@code bytes[0, end)}, which ends with a newline and begins at byte
     * {@code base} of the journal (each line's offset there is its share's {@code seq}). A torn line
     * (a crash mid-write) is skipped silently, as {@code ShareLog.read} does; a line that parses but
     * holds a damaged value is skipped with a WARN, so that it cannot stop every share behind it.
     *
     * <p>One parser reads the whole batch, since lines are JSON values one after another; each
     * object must begin and end exactly on its line, and a line where it does not (damage) is read
     * again on its own, the parser starting afresh after it.
     */
    void addLines(long base, byte[] bytes, int end) throws IOException {
        JsonParser p = null;
        int parserStart = 0;
        int lineStart = 0;
        try {
            while (lineStart < end) {
                int lineEnd = lineStart;
                while (bytes[lineEnd] != '\n') {
                    lineEnd++;
                }
                if (lineEnd > lineStart) {
                    entries++;
                    if (p == null) {
                        parserStart = lineStart;
                        p = JSON.createParser(bytes, parserStart, end - parserStart);
                    }
                    boolean read;
                    boolean inStep;
                    try {
                        read = read(p, lineStart - parserStart, lineEnd - parserStart);
                        inStep = true;
                    } catch (IOException | OutOfStep e) {
                        read = false;
                        inStep = false;
                    }
                    if (!inStep) {
                        p.close();
                        p = null;
                        try (JsonParser alone = JSON.createParser(bytes, lineStart, lineEnd - lineStart)) {
                            read = read(alone, 0, -1) && alone.nextToken() == null;
                        } catch (IOException | OutOfStep e) {
                            read = false;
                        }
                    }
                    if (read) {
                        add(base + lineStart);
                    }
                }
                lineStart = lineEnd + 1;
            }
        } finally {
            if (p != null) {
                p.close();
            }
        }
    }

    /** A line where the batch's parser is not where the line is: read it alone. */
    private static final class OutOfStep extends Exception {
        private static final long serialVersionUID = 1L;

        OutOfStep() {
            super(null, null, false, false);
        }
    }

    private static final OutOfStep OUT_OF_STEP = new OutOfStep();

    private void add(long seq) {
        int copied = copyLength;
        try {
            addShare(seq);
        } catch (RuntimeException e) {
            copyLength = copied;
            LOG.warn("share store: journal line at byte {} of {} skipped: {}", seq, journalName, e.toString());
        }
    }

    /**
     * Reads the object that must span {@code [from, to)} of the parser's input into the fields
     * ({@code to} negative: where it ends is not checked).
     *
     * @return whether it is a complete share entry
     * @throws OutOfStep when the object does not begin at {@code from} or end at {@code to}
     */
    private boolean read(JsonParser p, int from, int to) throws IOException, OutOfStep {
        java.util.Arrays.fill(fieldLength, -1);
        charsUsed = 0;
        block = false;
        if (p.nextToken() != JsonToken.START_OBJECT || p.currentTokenLocation().getByteOffset() != from) {
            throw OUT_OF_STEP;
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            int field = switch (p.currentName()) {
                case "time" -> TIME;
                case "worker" -> WORKER;
                case "job" -> JOB;
                case "extranonce1" -> EXTRANONCE1;
                case "extranonce2" -> EXTRANONCE2;
                case "ntime" -> NTIME;
                case "nonce" -> NONCE;
                case "version" -> VERSION;
                case "difficulty" -> DIFFICULTY;
                case "hash" -> HASH;
                case "remote" -> REMOTE;
                case "reject" -> REJECT;
                case "block" -> -2;
                default -> -1; // a field from a later version: not stored
            };
            JsonToken v = p.nextToken();
            if (field == -2) {
                block = v == JsonToken.VALUE_TRUE;
            } else if (field >= 0 && v == JsonToken.VALUE_STRING) {
                int n = p.getTextLength();
                if (charsUsed + n > chars.length) {
                    chars = java.util.Arrays.copyOf(chars, Math.max(chars.length * 2, charsUsed + n));
                }
                System.arraycopy(p.getTextCharacters(), p.getTextOffset(), chars, charsUsed, n);
                fieldStart[field] = charsUsed;
                fieldLength[field] = n;
                charsUsed += n;
            }
            p.skipChildren();
        }
        if (t != JsonToken.END_OBJECT || to >= 0 && p.currentLocation().getByteOffset() != to) {
            throw OUT_OF_STEP;
        }
        return has(TIME) && has(WORKER) && has(DIFFICULTY) && (has(REJECT) || has(HASH) && has(NONCE));
    }

    private boolean has(int field) {
        return fieldLength[field] >= 0;
    }

    /** A field's text, or null when the line has none. */
    private Slice field(int field) {
        return has(field) ? fields[field] : null;
    }

    /** A field of the current line as a {@link CharSequence}, without copying it into a string. */
    private final class Slice implements CharSequence {
        private final int field;

        Slice(int field) {
            this.field = field;
        }

        @Override
        public int length() {
            return fieldLength[field];
        }

        @Override
        public char charAt(int index) {
            return chars[fieldStart[field] + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().substring(start, end);
        }

        boolean is(String s) {
            return s.contentEquals(this);
        }

        @Override
        public String toString() {
            return new String(chars, fieldStart[field], fieldLength[field]);
        }
    }

    private void addShare(long seq) {
        Slice time = field(TIME);
        long epochSecond = epochSecond(time);
        // Everything that can fail is parsed before anything is counted: a damaged line leaves no trace.
        boolean accepted = !has(REJECT);
        String worker = field(WORKER).toString();
        String hash = null;
        double actual = 0;
        double shareDifficulty = 0;
        long ntimeValue = 0;
        long nonceValue = 0;
        long versionValue = 0;
        if (accepted) {
            hash = field(HASH).toString();
            actual = Difficulty.ofHash(Sha256Hash.fromDisplayHex(hash));
            Slice difficulty = field(DIFFICULTY);
            if (!difficulty.is(lastDifficultyText)) {
                lastDifficulty = Double.parseDouble(difficulty.toString());
                lastDifficultyText = difficulty.toString();
            }
            shareDifficulty = lastDifficulty;
            ntimeValue = hex(field(NTIME));
            nonceValue = hex(field(NONCE));
            versionValue = hex(field(VERSION));
        }
        if (first == null) {
            first = Instant.parse(time); // to the millisecond, for the backlog's age
        }
        Rollup r = rollups.computeIfAbsent(new RollupKey(worker, Math.floorDiv(epochSecond, BUCKET_SECONDS) * BUCKET_SECONDS),
                k -> new Rollup());
        if (!accepted) {
            Slice reject = field(REJECT);
            if (reject.is("job_not_found")) {
                r.stale++;
            } else if (reject.is("duplicate")) {
                r.duplicate++;
            } else if (reject.is("low_difficulty")) {
                r.lowDifficulty++;
            } else {
                r.invalid++;
            }
            return;
        }
        r.shares++;
        r.difficulty += shareDifficulty;
        r.best = Math.max(r.best, actual);
        r.lastShare = Math.max(r.lastShare, epochSecond);
        long day = Math.floorDiv(epochSecond, 86_400);
        if (day != lastDay) {
            days.add(LocalDate.ofEpochDay(day));
            lastDay = day;
        }
        if (block) {
            blocks.add(new BlockShare(hash, worker, time.toString()));
        }
        number(instanceId).tab().number(seq).tab().text(time).tab().text(worker).tab().text(field(JOB)).tab()
                .text(field(EXTRANONCE1)).tab().text(field(EXTRANONCE2)).tab().number(ntimeValue).tab().number(nonceValue).tab()
                .number(versionValue).tab().text(field(DIFFICULTY)).tab().text(Double.toString(actual)).tab().text(hash).tab()
                .ascii(block ? 't' : 'f').tab();
        Slice remote = field(REMOTE);
        if (remote == null) {
            ascii('\\').ascii('N');
        } else {
            text(remote);
        }
        ascii('\n');
    }

    /** A 32-bit field in hex, as the journal writes it; a missing one is refused like a damaged one. */
    private static long hex(Slice s) {
        if (s == null) {
            throw new NumberFormatException("a share field is missing");
        }
        return Long.parseLong(s, 0, s.length(), 16);
    }

    /**
     * The second of an ISO-8601 UTC time as {@code Instant.toString()} writes it
     * ({@code 2026-12-04T16:05:09.123Z}), read without a formatter (the shipper reads thousands a
     * second); any other shape goes through {@link Instant#parse}. Both refuse what is not a time.
     */
    static long epochSecond(CharSequence s) {
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
    private static int digits(CharSequence s, int from, int n) {
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
    private JournalBatch text(CharSequence v) {
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
    private JournalBatch utf8(CharSequence v) {
        String escaped = v.toString().replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
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

    /** The COPY rows as text (UTF-8), to look at. */
    String rowsAsText() {
        return new String(copy, 0, copyLength, StandardCharsets.UTF_8);
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
