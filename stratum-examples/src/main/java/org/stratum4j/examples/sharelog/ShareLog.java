package org.stratum4j.examples.sharelog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.engine.ShareEvent;
import org.stratum4j.core.engine.ShareSink;

/**
 * An append-only file of accepted shares, one JSON object per line, and a durable
 * {@link ShareSink}: a share's stage completes only after its line is written and forced to disk,
 * so the engine sends the miner's {@code true} only for shares that survive a crash.
 *
 * <p>The event loops never touch the disk: they encode the line and queue it (a full queue fails
 * the share, which the miner then hears as an error rather than a lie). One writer thread takes
 * everything queued, writes it in one call and forces it once (grouped fsync), then completes the
 * whole group. A crash can leave a torn last line; {@link #read} skips it, and reopening starts the
 * next line on a fresh line. Rejected shares are counted by the engine and logged only when asked
 * ({@link #open(Path, int, boolean)}: the share store's rollups count them), without a wait.
 *
 * <p>The log is also the share store's journal ({@link #openSegmented}): then it is a series of
 * segment files {@code <path>.<start offset in hex>}, a new one begun once the current one passes
 * the segment size, so that the store can delete what it has copied. {@link #durableLength()} is
 * how far the whole journal is on disk, and each line's offset in it is that share's sequence
 * number.
 */
public final class ShareLog implements ShareSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShareLog.class);
    private static final JsonFactory JSON = new JsonFactory();

    private record Pending(byte[] line, CompletableFuture<Void> stored) {
    }

    private final Path path;
    private final long segmentBytes;
    /** The writer thread's: a group's lines, written in one call (direct, so the channel does not copy them again). */
    private ByteBuffer writeBuffer = ByteBuffer.allocateDirect(1 << 16);
    private FileChannel channel;
    private volatile long segmentStart;
    private final BlockingQueue<Pending> queue;
    private final Thread writer;
    private final boolean includeRejected;
    private final int capacity;
    private final java.util.concurrent.atomic.LongAdder droppedRejected = new java.util.concurrent.atomic.LongAdder();
    private volatile boolean running = true;
    private volatile long written;
    private volatile long durableLength;

    private ShareLog(Path path, FileChannel channel, int capacity, boolean includeRejected, long segmentStart, long size,
                     long segmentBytes) {
        this.path = path;
        this.channel = channel;
        this.segmentStart = segmentStart;
        this.segmentBytes = segmentBytes;
        this.includeRejected = includeRejected;
        this.capacity = capacity;
        this.durableLength = segmentStart + size;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = new Thread(this::writeLoop, "share-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Opens (or creates) the log at {@code path} for appending; up to {@code capacity} shares may
     * wait for the disk at once.
     *
     * @throws IOException when the file cannot be opened for writing
     */
    public static ShareLog open(Path path, int capacity) throws IOException {
        return open(path, capacity, false);
    }

    /** As {@link #open(Path, int)}; with {@code includeRejected}, rejected shares are logged too (with their reason). */
    public static ShareLog open(Path path, int capacity, boolean includeRejected) throws IOException {
        if (capacity < 1) {
            throw new IllegalArgumentException("share log capacity " + capacity + " must be at least 1");
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        long size = endWhole(ch);
        return new ShareLog(path, ch, capacity, includeRejected, 0, size, 0);
    }

    /**
     * Opens (or creates) a segmented journal at {@code base}: segment files {@code base.<hex start>},
     * a new one begun once the current one holds {@code segmentBytes}. A plain file at {@code base}
     * (a share log from before) becomes the first segment.
     *
     * @throws IOException when the files cannot be opened, or a plain file and segments both exist
     */
    public static ShareLog openSegmented(Path base, int capacity, boolean includeRejected, long segmentBytes) throws IOException {
        if (capacity < 1) {
            throw new IllegalArgumentException("share log capacity " + capacity + " must be at least 1");
        }
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("journal segment size " + segmentBytes + " must be at least 4096 bytes");
        }
        List<Segment> segments = segments(base);
        if (Files.exists(base)) {
            if (!segments.isEmpty()) {
                throw new IOException("both " + base + " and its segments exist: move one of them away");
            }
            Files.move(base, segmentPath(base, 0));
            segments = segments(base);
        }
        Segment active = segments.isEmpty() ? new Segment(0, segmentPath(base, 0)) : segments.get(segments.size() - 1);
        FileChannel ch = FileChannel.open(active.path(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        long size = endWhole(ch);
        syncDirectory(base);
        return new ShareLog(base, ch, capacity, includeRejected, active.start(), size, segmentBytes);
    }

    /**
     * One segment of a journal: the journal offset of its first byte, and its file.
     *
     * @param start the offset of its first byte in the whole journal
     * @param path  its file
     */
    public record Segment(long start, Path path) {
    }

    /** The segments of the journal at {@code base}, oldest first (none for a plain share log). */
    public static List<Segment> segments(Path base) throws IOException {
        Path dir = base.toAbsolutePath().getParent();
        String prefix = base.getFileName().toString() + ".";
        List<Segment> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith(prefix) && name.length() == prefix.length() + 16
                        && name.substring(prefix.length()).matches("[0-9a-f]{16}")) {
                    found.add(new Segment(Long.parseUnsignedLong(name.substring(prefix.length()), 16), f));
                }
            }
        }
        found.sort(java.util.Comparator.comparingLong(Segment::start));
        return found;
    }

    private static Path segmentPath(Path base, long start) {
        return base.resolveSibling(base.getFileName() + "." + String.format("%016x", start));
    }

    private static void syncDirectory(Path base) {
        try (FileChannel dir = FileChannel.open(base.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Not every platform can sync a directory; the file's own data is forced regardless.
        }
    }

    /** Ends a torn last line and positions the channel at the end; returns the size. */
    private static long endWhole(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size > 0) {
            ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, size - 1);
            if (last.get(0) != '\n') {
                // A crash tore the last line: end it, so it stays one skippable line and the next share starts clean.
                ch.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
                ch.force(false);
                size++;
            }
        }
        ch.force(false);
        ch.position(size);
        return size;
    }

    @Override
    public boolean isDurable() {
        return true;
    }

    @Override
    public CompletionStage<Void> record(ShareEvent e) {
        if (!e.accepted() && (!includeRejected || e.rejectReason() == org.stratum4j.core.share.RejectReason.NOT_SUBSCRIBED)) {
            return CompletableFuture.completedFuture(null);
        }
        if (!e.accepted() && queue.remainingCapacity() < capacity / 2) {
            // Rejected shares are statistics: under a flood they must not crowd out the ones miners wait for.
            droppedRejected.increment();
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> stored = new CompletableFuture<>();
        if (!running) {
            stored.completeExceptionally(new IOException("share log " + path + " is closed"));
            return stored;
        }
        if (!queue.offer(new Pending(LineEncoder.encode(e), stored))) {
            stored.completeExceptionally(new IOException("share log " + path + " is " + queue.size() + " shares behind the disk"));
        }
        return stored;
    }

    private void writeLoop() {
        List<Pending> group = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group);
                writeGroup(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    private void writeGroup(List<Pending> group) {
        int bytes = 0;
        for (Pending p : group) {
            bytes += p.line().length;
        }
        if (writeBuffer.capacity() < bytes) {
            writeBuffer = ByteBuffer.allocateDirect(Math.max(bytes, writeBuffer.capacity() * 2));
        }
        ByteBuffer buf = writeBuffer.clear();
        for (Pending p : group) {
            buf.put(p.line());
        }
        buf.flip();
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(false);
            written += group.size();
            durableLength += bytes;
            for (Pending p : group) {
                p.stored().complete(null);
            }
            if (segmentBytes > 0 && durableLength - segmentStart >= segmentBytes) {
                nextSegment();
            }
        } catch (IOException e) {
            LOG.error("share log {}: {} shares could not be stored: {}", path, group.size(), e.toString());
            for (Pending p : group) {
                p.stored().completeExceptionally(e);
            }
        }
    }

    /** Begins the next segment at the journal's end; a failure keeps appending to the current one. */
    private void nextSegment() {
        long start = durableLength;
        try {
            FileChannel next = FileChannel.open(segmentPath(path, start), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            syncDirectory(path);
            FileChannel old = channel;
            channel = next;
            segmentStart = start;
            old.close();
        } catch (IOException e) {
            LOG.warn("journal {}: cannot begin a new segment at {} ({}); the current one grows", path, start, e.toString());
        }
    }

    /** Bytes of the log on disk (written and forced): a reader may ship everything before this offset. */
    public long durableLength() {
        return durableLength;
    }

    /** Where the segment being written begins (0 for a log that is one file): it moves when a segment begins. */
    public long currentSegmentStart() {
        return segmentStart;
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** Rejected shares left out because the queue was over half full (they are statistics, never acknowledged). */
    public long droppedRejected() {
        return droppedRejected.sum();
    }

    /** Shares written and forced so far. */
    public long written() {
        return written;
    }

    /** Stores what is queued, then closes the file. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.stored().completeExceptionally(new IOException("share log " + path + " closed"));
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("share log {}: close failed: {}", path, e.toString());
        }
    }

    /**
     * Reads every complete share in the log at {@code path}, in order; lines that are not whole
     * JSON objects (a torn last line after a crash) are skipped.
     *
     * @return the number of lines skipped
     * @throws IOException when the file cannot be read
     */
    public static int read(Path path, Consumer<LoggedShare> consumer) throws IOException {
        if (!Files.exists(path)) {
            int skipped = 0;
            for (Segment s : segments(path)) {
                skipped += read(s.path(), consumer);
            }
            return skipped;
        }
        int skipped = 0;
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            LoggedShare s = parse(line);
            if (s == null) {
                skipped++;
            } else {
                consumer.accept(s);
            }
        }
        return skipped;
    }

    /** One line of a log (without its newline) as a share, or null when it is not a whole share line (a torn one). */
    public static LoggedShare parse(String line) {
        Map<String, String> f = new HashMap<>();
        boolean block = false;
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("block")) {
                    block = v == JsonToken.VALUE_TRUE;
                } else if (v == JsonToken.VALUE_STRING) {
                    f.put(name, p.getText());
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        if (!f.containsKey("time") || !f.containsKey("worker") || !f.containsKey("difficulty")
                || !f.containsKey("reject") && (!f.containsKey("hash") || !f.containsKey("nonce"))) {
            return null;
        }
        return new LoggedShare(f.get("time"), f.get("worker"), f.get("job"), f.get("extranonce1"), f.get("extranonce2"),
                f.get("ntime"), f.get("nonce"), f.get("version"), f.get("difficulty"), f.get("hash"), block, f.get("remote"),
                f.get("reject"));
    }
}
