package org.stratum4j.transport.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A plain TCP stream. */
final class PlainWire implements Wire {

    private final SocketChannel channel;
    private final TransportMetrics metrics;
    private byte[] early;

    PlainWire(SocketChannel channel, TransportMetrics metrics) {
        this.channel = channel;
        this.metrics = metrics;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (early != null) {
            int n = Math.min(early.length, dst.remaining());
            dst.put(early, 0, n);
            early = n == early.length ? null : java.util.Arrays.copyOfRange(early, n, early.length);
            return n;
        }
        int n = channel.read(dst);
        if (n > 0 && metrics != null) {
            metrics.bytesIn.add(n);
        }
        return n;
    }

    @Override
    public boolean mayHaveMore() {
        return early != null;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = channel.write(src);
        if (metrics != null) {
            metrics.bytesOut.add(n);
        }
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int count) throws IOException {
        long n = channel.write(srcs, 0, count);
        if (metrics != null) {
            metrics.bytesOut.add(n);
        }
        return n;
    }

    @Override
    public boolean hasPendingOutput() {
        return false;
    }

    @Override
    public boolean flushPending() {
        return true;
    }

    @Override
    public boolean established() {
        return true;
    }

    @Override
    public void unread(byte[] bytes) {
        early = bytes.length == 0 ? null : bytes.clone();
    }

    @Override
    public void start() {
        // nothing to negotiate
    }

    @Override
    public void closeOutbound() {
        // TCP FIN comes with the close
    }
}
