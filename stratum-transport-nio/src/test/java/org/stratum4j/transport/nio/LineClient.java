package org.stratum4j.transport.nio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.stratum4j.core.protocol.ClientCodec;
import org.stratum4j.core.protocol.PoolMessage;
import org.stratum4j.core.protocol.Response;

/** A blocking line client for tests: writes raw text, reads and decodes what the pool sends. */
final class LineClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ClientCodec codec = new ClientCodec();

    LineClient(InetSocketAddress address) throws IOException {
        this(address, 0);
    }

    /** A client whose kernel receive buffer is {@code receiveBuffer} bytes (0: the default). */
    LineClient(InetSocketAddress address, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(address, 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
        out = socket.getOutputStream();
    }

    /** A client over an already connected socket (a JDK {@code SSLSocket}, for one). */
    LineClient(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(10_000);
        in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
        out = socket.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void sendLine(String json) throws IOException {
        send(json + "\n");
    }

    /** The next line, or null at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return b.toString(StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    PoolMessage read() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new IOException("connection closed");
        }
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return codec.decode(bytes, 0, bytes.length);
    }

    /** Reads until the next response (skipping notifications). */
    Response response() throws IOException {
        while (true) {
            PoolMessage m = read();
            if (m instanceof Response r) {
                return r;
            }
        }
    }

    /** Reads until the next message of {@code type}. */
    <T> T next(Class<T> type) throws IOException {
        while (true) {
            PoolMessage m = read();
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
    }

    /** True when the server closed the connection (reads end) within the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            byte[] sink = new byte[8192];
            while (true) {
                if (in.read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
