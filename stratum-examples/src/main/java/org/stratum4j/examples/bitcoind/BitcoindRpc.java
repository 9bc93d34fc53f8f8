package org.stratum4j.examples.bitcoind;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpRetryException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.BlockTemplateParser;
import org.stratum4j.examples.store.BlockLookup;

/**
 * A Bitcoin Core JSON-RPC client for a pool: {@code getblocktemplate} (plain and long-poll),
 * {@code submitblock} and {@code getblockchaininfo}, over the JDK's {@link HttpURLConnection}
 * (one short-lived connection per call: no idle connection for the node to close under it; and
 * not the JDK's {@code java.net.http} client, whose TLS set-up and 600 classes cost a pool 15 MB
 * resident for a plain-HTTP node on the same machine).
 *
 * <p>Every call has a deadline that covers connecting, the headers and the whole body, and a cap
 * on the body's size, so a node that hangs or sends garbage gives a typed {@link RpcException}
 * instead of a stuck pool. Bodies are read with jackson's streaming parser; a template goes
 * straight from the stream into {@link BlockTemplateParser}.
 *
 * <p>Thread-safe; blocking. Call it from a thread that may wait (a template poller, a block
 * submitter), never from an event loop. Interrupting the calling thread does not end a call
 * (blocking I/O does not heed it); its deadline does, and {@link #close} ends every call under way.
 */
public final class BitcoindRpc implements AutoCloseable {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(16_000_000).maxNestingDepth(64).maxNumberLength(64).build())
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private final URI url;
    private final RpcAuth auth;
    private final Duration requestTimeout;
    private final Duration longPollTimeout;
    private final int maxResponseBytes;
    private final URL endpoint;
    private final int connectTimeoutMillis;
    /** Cuts a call at its deadline: a read timeout alone would let a node that trickles bytes hold a call forever. */
    private final ScheduledExecutorService deadlines;
    /** The calls under way, cut by {@link #close}. */
    private final Set<HttpURLConnection> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private final AtomicLong ids = new AtomicLong();

    private BitcoindRpc(Builder b) {
        this.url = b.url;
        this.auth = b.auth;
        this.requestTimeout = b.requestTimeout;
        this.longPollTimeout = b.longPollTimeout;
        this.maxResponseBytes = b.maxResponseBytes;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, b.connectTimeout.toMillis());
        try {
            this.endpoint = b.url.toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("the node's URL " + b.url + " is not a URL: " + e.getMessage(), e);
        }
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bitcoind-rpc-deadlines");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Ends the calls under way (they fail as interrupted) and stops the deadline thread; calls
     * after this fail the same way.
     */
    @Override
    public void close() {
        closed = true;
        for (HttpURLConnection c : inFlight) {
            c.disconnect();
        }
        deadlines.shutdownNow();
    }

    /** A builder for a node at {@code url} (e.g. {@code http://127.0.0.1:8332/}). */
    public static Builder builder(URI url, RpcAuth auth) {
        return new Builder(url, auth);
    }

    /** The node's address. */
    public URI url() {
        return url;
    }

    /** {@code getblocktemplate {"rules":["segwit"]}}: the node's current template. */
    public BlockTemplate getBlockTemplate() throws RpcException {
        return call("getblocktemplate", g -> writeTemplateRequest(g, null), requestTimeout, BitcoindRpc::readTemplate);
    }

    /**
     * Long poll: returns when the node has a template newer than the one with {@code longPollId}
     * (a new tip, or new transactions after a while), or fails with {@link RpcException.Kind#TIMEOUT}
     * after the long-poll timeout, upon which the caller simply asks again.
     */
    public BlockTemplate waitForNewTemplate(String longPollId) throws RpcException {
        Objects.requireNonNull(longPollId, "longPollId");
        return call("getblocktemplate", g -> writeTemplateRequest(g, longPollId), longPollTimeout, BitcoindRpc::readTemplate);
    }

    /**
     * {@code submitblock}: empty when the node accepted the block, otherwise its reason
     * ({@code high-hash}, {@code bad-txnmrklroot}, {@code duplicate}, {@code inconclusive}, …).
     */
    public Optional<String> submitBlock(byte[] block) throws RpcException {
        Objects.requireNonNull(block, "block");
        String hex = Hex.encode(block);
        String reason = call("submitblock", g -> g.writeString(hex), requestTimeout, BitcoindRpc::readSubmitResult);
        return Optional.ofNullable(reason);
    }

    /**
     * {@code getblockheader HASH}: the block's height and confirmations (−1 when it is not on the
     * main chain), or empty when the node does not know it (RPC error −5).
     */
    public Optional<BlockLookup.BlockState> getBlockHeader(Sha256Hash hash) throws RpcException {
        Objects.requireNonNull(hash, "hash");
        String hex = hash.toDisplayHex();
        try {
            return Optional.ofNullable(call("getblockheader", g -> {
                g.writeString(hex);
                g.writeBoolean(true);
            }, requestTimeout, BitcoindRpc::readBlockHeader));
        } catch (RpcException e) {
            if (e.rpcCode() != null && e.rpcCode() == -5) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code getblockchaininfo}. */
    public ChainInfo getBlockchainInfo() throws RpcException {
        ChainInfo info = call("getblockchaininfo", g -> { }, requestTimeout, BitcoindRpc::readChainInfo);
        if (info == null) {
            throw new RpcException(RpcException.Kind.BAD_RESPONSE, "getblockchaininfo returned null", null);
        }
        return info;
    }

    /**
     * Checks that the node is on {@code expected}'s network, so that a pool never pays a testnet
     * address on mainnet (or the reverse).
     *
     * @return the node's chain info
     * @throws RpcException when the node cannot be asked, or is on another network
     *     ({@link RpcException.Kind#BAD_RESPONSE} with a message naming both)
     */
    public ChainInfo checkNetwork(Network expected) throws RpcException {
        ChainInfo info = getBlockchainInfo();
        Network actual;
        try {
            actual = info.network();
        } catch (IllegalArgumentException e) {
            throw new RpcException(RpcException.Kind.BAD_RESPONSE, "the node at " + url + " is on an unknown chain: "
                    + e.getMessage(), e);
        }
        if (actual != expected) {
            throw new RpcException(RpcException.Kind.BAD_RESPONSE, "the node at " + url + " is on chain \"" + info.chain()
                    + "\" (" + actual.id() + ") but the payout address is for " + expected.id(), null);
        }
        return info;
    }

    @FunctionalInterface
    private interface ParamsWriter {
        void write(JsonGenerator g) throws IOException;
    }

    @FunctionalInterface
    interface ResultReader<T> {
        /** Reads the result value; the parser is on its first token and must be left on its last. */
        T read(JsonParser p) throws IOException;
    }

    private <T> T call(String method, ParamsWriter params, Duration timeout, ResultReader<T> reader) throws RpcException {
        byte[] body = request(method, params);
        Reply response = send(body, timeout);
        if (response.status() == 401 || response.status() == 403) {
            if (auth.refresh()) {
                response = send(body, timeout);
            }
            if (response.status() == 401 || response.status() == 403) {
                throw new RpcException(RpcException.Kind.UNAUTHORIZED, "the node at " + url + " refused the credentials ("
                        + auth + ", HTTP " + response.status() + ")", response.status(), null, null);
            }
        }
        return parse(method, response.status(), response.body(), reader);
    }

    /** An HTTP answer: its status and its whole body. */
    private record Reply(int status, byte[] body) {
    }

    /**
     * Reads a response body as {@code method}'s call does: its result, or the {@link RpcException}
     * the call would throw. For tests and the fuzzer, which feed it whatever a node could send.
     */
    Object parseResponse(String method, int status, byte[] body) throws RpcException {
        return switch (method) {
            case "getblocktemplate" -> parse(method, status, body, BitcoindRpc::readTemplate);
            case "getblockchaininfo" -> parse(method, status, body, BitcoindRpc::readChainInfo);
            case "submitblock" -> parse(method, status, body, BitcoindRpc::readSubmitResult);
            case "getblockheader" -> parse(method, status, body, BitcoindRpc::readBlockHeader);
            default -> throw new IllegalArgumentException("no reader for " + method);
        };
    }

    private Reply send(byte[] body, Duration timeout) throws RpcException {
        if (closed) {
            throw new RpcException(RpcException.Kind.INTERRUPTED, "the RPC client for " + url + " is closed", null);
        }
        HttpURLConnection c;
        try {
            c = (HttpURLConnection) endpoint.openConnection(Proxy.NO_PROXY);
            c.setRequestMethod("POST");
        } catch (IOException e) {
            throw new RpcException(RpcException.Kind.UNREACHABLE, "cannot connect to the node at " + url + " (" + e + ")", e);
        }
        long millis = Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        c.setConnectTimeout((int) Math.min(connectTimeoutMillis, millis));
        c.setReadTimeout((int) millis);
        c.setUseCaches(false);
        c.setInstanceFollowRedirects(false);
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        c.setRequestProperty("Authorization", auth.header());
        c.setRequestProperty("Connection", "close");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        inFlight.add(c);
        ScheduledFuture<?> cut;
        try {
            cut = deadlines.schedule(c::disconnect, millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.remove(c);
            throw new RpcException(RpcException.Kind.INTERRUPTED, "the RPC client for " + url + " is closed", e);
        }
        try {
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int status;
            try {
                status = c.getResponseCode();
            } catch (HttpRetryException e) {
                return new Reply(e.responseCode(), new byte[0]);
            }
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            if (in == null) {
                return new Reply(status, new byte[0]);
            }
            byte[] bytes;
            try (in) {
                bytes = readCapped(in);
            }
            long announced = c.getContentLengthLong();
            if (announced >= 0 && bytes.length < announced) {
                // HttpURLConnection ends a body cut short as if it were complete.
                throw new java.io.EOFException("the connection closed after " + bytes.length + " of " + announced + " bytes");
            }
            return new Reply(status, bytes);
        } catch (ResponseTooLarge e) {
            throw new RpcException(RpcException.Kind.BAD_RESPONSE, "the node at " + url + " sent more than "
                    + maxResponseBytes + " bytes", e);
        } catch (IOException e) {
            if (closed) {
                throw new RpcException(RpcException.Kind.INTERRUPTED, "the RPC client for " + url + " was closed during the call", e);
            }
            if (e instanceof SocketTimeoutException || System.nanoTime() - deadline >= 0) {
                throw new RpcException(RpcException.Kind.TIMEOUT, "the node at " + url + " did not answer within " + timeout, e);
            }
            if (e instanceof ConnectException) {
                throw new RpcException(RpcException.Kind.UNREACHABLE, "cannot connect to the node at " + url + " (" + e + ")", e);
            }
            throw new RpcException(RpcException.Kind.UNREACHABLE, "lost the connection to the node at " + url + " (" + e + ")", e);
        } finally {
            cut.cancel(false);
            inFlight.remove(c);
            c.disconnect();
        }
    }

    /** The body, up to the cap: a node sending more is cut off at once instead of buffered. */
    private byte[] readCapped(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            if (out.size() + n > maxResponseBytes) {
                throw new ResponseTooLarge(maxResponseBytes);
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    private byte[] request(String method, ParamsWriter params) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("jsonrpc", "1.0");
            g.writeNumberField("id", ids.incrementAndGet());
            g.writeStringField("method", method);
            g.writeArrayFieldStart("params");
            params.write(g);
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    private static void writeTemplateRequest(JsonGenerator g, String longPollId) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("rules");
        g.writeString("segwit");
        g.writeEndArray();
        if (longPollId != null) {
            g.writeStringField("longpollid", longPollId);
        }
        g.writeEndObject();
    }

    /**
     * Reads {@code {"result": …, "error": …, "id": …}} in any key order. Core answers errors with
     * HTTP 500 (404 for an unknown method) and the error in the body, so the body is read whatever
     * the status.
     */
    private <T> T parse(String method, int status, byte[] body, ResultReader<T> reader) throws RpcException {
        T result = null;
        Integer errorCode = null;
        String errorMessage = null;
        boolean sawResult = false;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the body is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("result")) {
                    sawResult = true;
                    if (value != JsonToken.VALUE_NULL && status == 200) {
                        result = reader.read(p);
                    } else {
                        p.skipChildren();
                    }
                } else if (name.equals("error") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        if (field.equals("code") && v == JsonToken.VALUE_NUMBER_INT) {
                            errorCode = p.getIntValue();
                        } else if (field.equals("message") && v == JsonToken.VALUE_STRING) {
                            errorMessage = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("the body has data after the JSON object");
            }
        } catch (IOException | IllegalArgumentException e) {
            if (status != 200) {
                throw new RpcException(RpcException.Kind.HTTP_STATUS, method + " at " + url + ": HTTP " + status, status,
                        null, e);
            }
            throw new RpcException(RpcException.Kind.BAD_RESPONSE, method + " at " + url + " sent an unusable answer: "
                    + e.getMessage(), status, null, e);
        }
        if (errorCode != null || errorMessage != null) {
            throw new RpcException(RpcException.Kind.NODE_ERROR, method + " at " + url + " failed: "
                    + (errorMessage == null ? "(no message)" : errorMessage) + " (code " + errorCode + ")", status, errorCode,
                    null);
        }
        if (status != 200) {
            throw new RpcException(RpcException.Kind.HTTP_STATUS, method + " at " + url + ": HTTP " + status, status, null,
                    null);
        }
        if (!sawResult) {
            throw new RpcException(RpcException.Kind.BAD_RESPONSE, method + " at " + url + " sent no result", status, null,
                    null);
        }
        return result;
    }

    private static String readSubmitResult(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("submitblock result must be null or a string");
        }
        return p.getText();
    }

    private static BlockTemplate readTemplate(JsonParser p) {
        return BlockTemplateParser.read(p);
    }

    private static BlockLookup.BlockState readBlockHeader(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("getblockheader result must be an object");
        }
        long height = -1;
        Long confirmations = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "height" -> height = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                case "confirmations" -> confirmations = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                default -> p.skipChildren();
            }
        }
        if (height < 0 || confirmations == null) {
            throw new IllegalArgumentException("getblockheader lacks height or confirmations");
        }
        return new BlockLookup.BlockState(height, confirmations);
    }

    private static ChainInfo readChainInfo(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("getblockchaininfo result must be an object");
        }
        String chain = null;
        long blocks = -1;
        Sha256Hash best = null;
        boolean ibd = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "chain" -> chain = v == JsonToken.VALUE_STRING ? p.getText() : null;
                case "blocks" -> blocks = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                case "bestblockhash" -> best = v == JsonToken.VALUE_STRING ? Sha256Hash.fromDisplayHex(p.getText()) : null;
                case "initialblockdownload" -> ibd = v == JsonToken.VALUE_TRUE;
                default -> p.skipChildren();
            }
        }
        if (chain == null || blocks < 0 || best == null) {
            throw new IllegalArgumentException("getblockchaininfo lacks chain, blocks or bestblockhash");
        }
        return new ChainInfo(chain, blocks, best, ibd);
    }

    /** The body size went over the cap: the connection is dropped at once instead of buffering the rest. */
    private static final class ResponseTooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        ResponseTooLarge(int cap) {
            super("response larger than " + cap + " bytes");
        }
    }


    /** Settings for a {@link BitcoindRpc}, checked when built. */
    public static final class Builder {
        private final URI url;
        private final RpcAuth auth;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration longPollTimeout = Duration.ofMinutes(5);
        private int maxResponseBytes = 64 << 20;

        private Builder(URI url, RpcAuth auth) {
            Objects.requireNonNull(url, "url");
            if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("RPC URL \"" + url + "\" must be http://host:port/ (Bitcoin Core's RPC"
                        + " speaks plain HTTP; put TLS in a proxy in front of it)");
            }
            this.url = url;
            this.auth = Objects.requireNonNull(auth, "auth");
        }

        /** Time to establish the TCP connection (default 5 s). */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /** Deadline of an ordinary call, body included (default 30 s). */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = positive(d, "requestTimeout");
            return this;
        }

        /** Deadline of a long poll, after which the caller asks again (default 5 minutes). */
        public Builder longPollTimeout(Duration d) {
            this.longPollTimeout = positive(d, "longPollTimeout");
            return this;
        }

        /** Largest response body accepted (default 64 MiB; a full template is under 10 MiB). */
        public Builder maxResponseBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxResponseBytes " + bytes + " is below the minimum of 1024");
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /** The client. */
        public BitcoindRpc build() {
            return new BitcoindRpc(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
