package org.stratum4j.examples.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.stratum4j.examples.sharelog.ShareLog;

/**
 * Reads a journal by offset across its segments (or a plain share log, as one segment at 0), and
 * deletes the segments the database holds in full. Used by the store's one thread only.
 */
final class JournalReader implements AutoCloseable {

    private final ShareLog journal;
    /** The segments as last listed, and the writer's segment then: listed again only when a segment has begun. */
    private List<ShareLog.Segment> listed;
    private long listedAt = -1;
    private ShareLog.Segment open;
    private FileChannel channel;

    JournalReader(ShareLog journal) {
        this.journal = journal;
    }

    /**
     * Reads into {@code buf} from journal offset {@code offset}, never past the end of the segment
     * that holds it (a line never spans two) nor past what is on disk.
     *
     * @return bytes read; 0 when there is nothing at that offset yet
     */
    int read(ByteBuffer buf, long offset) throws IOException {
        long end = journal.durableLength();
        if (offset >= end) {
            return 0;
        }
        List<ShareLog.Segment> segments = segments();
        ShareLog.Segment holder = null;
        long segmentEnd = end;
        for (int i = 0; i < segments.size(); i++) {
            ShareLog.Segment s = segments.get(i);
            if (s.start() <= offset) {
                holder = s;
                segmentEnd = i + 1 < segments.size() ? segments.get(i + 1).start() : end;
            }
        }
        if (holder == null) {
            throw new IOException("no segment of the journal " + journal.path() + " holds offset " + offset
                    + " (deleted by hand?)");
        }
        if (open == null || !open.equals(holder)) {
            closeChannel();
            channel = FileChannel.open(holder.path(), StandardOpenOption.READ);
            open = holder;
        }
        int want = (int) Math.min(buf.remaining(), segmentEnd - offset);
        int limit = buf.limit();
        buf.limit(buf.position() + want);
        int total = 0;
        try {
            while (buf.hasRemaining()) {
                int n = channel.read(buf, offset - holder.start() + total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
        } finally {
            buf.limit(limit);
        }
        return total;
    }

    /** Deletes the segments that end at or before {@code shipped} (never the one being written). */
    int deleteBefore(long shipped) throws IOException {
        List<ShareLog.Segment> segments = segments();
        int deleted = 0;
        for (int i = 0; i + 1 < segments.size(); i++) {
            if (segments.get(i + 1).start() <= shipped) {
                if (segments.get(i).equals(open)) {
                    closeChannel();
                }
                Files.deleteIfExists(segments.get(i).path());
                deleted++;
            }
        }
        if (deleted > 0) {
            listed = null;
        }
        return deleted;
    }

    private List<ShareLog.Segment> segments() throws IOException {
        long current = journal.currentSegmentStart();
        if (listed == null || listedAt != current) {
            List<ShareLog.Segment> segments = ShareLog.segments(journal.path());
            listed = segments.isEmpty() ? List.of(new ShareLog.Segment(0, journal.path())) : segments;
            listedAt = current;
        }
        return listed;
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
            open = null;
        }
    }

    @Override
    public void close() {
        try {
            closeChannel();
        } catch (IOException e) {
            // read-only
        }
    }
}
