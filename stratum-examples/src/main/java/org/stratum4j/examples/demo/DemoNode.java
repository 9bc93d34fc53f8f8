package org.stratum4j.examples.demo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.TemplateTransaction;
import org.stratum4j.examples.store.BlockLookup;

/**
 * A {@link DemoChain} served over Bitcoin Core's JSON-RPC, so that several pool processes follow one
 * chain exactly as they follow one Bitcoin Core ({@code --chain bitcoind}): a block found through
 * any of them moves every one's miners. It answers the four calls a pool makes, as Core does:
 * {@code getblocktemplate} (with {@code longpollid}: held until the tip moves, or for the long-poll
 * hold, then the current template), {@code submitblock}, {@code getblockheader} and
 * {@code getblockchaininfo} (chain {@code regtest}). HTTP basic authentication is required.
 *
 * <p>For demos and tests on one machine: the chain is {@link DemoChain}'s (fixed difficulty,
 * synthetic transactions), nothing is stored, and it listens where it is told (loopback by default
 * in {@link DemoNodeMain}).
 */
public final class DemoNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoNode.class);
    private static final JsonFactory JSON = new JsonFactory();
    /** A 4 MB block is 8 MB of hex; a request beyond this is refused unread. */
    static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024 + 4096;
    /** Threads that answer calls; a long poll holds one, so this bounds the pools that can follow at once. */
    private static final int THREADS = 64;

    private final DemoChain chain;
    private final HttpServer http;
    private final ExecutorService threads;
    private final byte[] expectedAuthorization;
    private final long holdMillis;
    private final Object changed = new Object();
    private volatile BlockTemplate current;
    private volatile boolean closed;

    private DemoNode(DemoChain chain, HttpServer http, ExecutorService threads, String user, String password, Duration hold) {
        this.chain = chain;
        this.http = http;
        this.threads = threads;
        this.expectedAuthorization = ("Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.US_ASCII);
        this.holdMillis = hold.toMillis();
    }

    /**
     * Starts {@code chain} and serves it at {@code at}.
     *
     * @param hold how long a long poll waits for a new tip before it is answered with the current
     *     template (Core answers within about a minute); 1 s .. 10 min
     * @throws IOException when the address cannot be bound
     */
    public static DemoNode start(DemoChain chain, InetSocketAddress at, String user, String password, Duration hold)
            throws IOException {
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(at, "at");
        if (user == null || user.isEmpty() || user.contains(":")) {
            throw new IllegalArgumentException("RPC user \"" + user + "\" must be non-empty and without ':'");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("RPC password must be non-empty");
        }
        if (hold == null || hold.toMillis() < 1000 || hold.toMinutes() > 10) {
            throw new IllegalArgumentException("long-poll hold " + hold + " is outside 1 s .. 10 min");
        }
        HttpServer http = HttpServer.create(at, 64);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "demo-node-rpc");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(threads);
        DemoNode node = new DemoNode(chain, http, threads, user, password, hold);
        http.createContext("/", node::handle);
        chain.start(node::templateChanged);
        http.start();
        LOG.info("demo node: chain regtest at height {}, JSON-RPC on http://{}:{}/", chain.height(),
                http.getAddress().getHostString(), http.getAddress().getPort());
        return node;
    }

    /** Where it listens (the port is the real one when 0 was asked for). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** Its RPC URL, for a pool's {@code --rpc-url}. */
    public URI url() {
        return URI.create("http://" + http.getAddress().getHostString() + ":" + http.getAddress().getPort() + "/");
    }

    /** The chain it serves. */
    public DemoChain chain() {
        return chain;
    }

    private void templateChanged(BlockTemplate t) {
        synchronized (changed) {
            current = t;
            changed.notifyAll();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] given = Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")).orElse("")
                    .getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(given, expectedAuthorization)) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"jsonrpc\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                reply(ex, 405, error(null, -32600, "JSON-RPC server handles only POST requests"));
                return;
            }
            byte[] body = readCapped(ex.getRequestBody());
            if (body == null) {
                reply(ex, 413, error(null, -32700, "request larger than " + MAX_REQUEST_BYTES + " bytes"));
                return;
            }
            Call call;
            try {
                call = Call.parse(body);
            } catch (IOException | IllegalArgumentException e) {
                reply(ex, 500, error(null, -32700, "Parse error: " + e.getMessage()));
                return;
            }
            answer(ex, call);
        } catch (IOException e) {
            LOG.debug("demo node: a caller went away mid-answer", e);
        } catch (RuntimeException e) {
            LOG.error("demo node: a call failed", e);
        }
    }

    private void answer(HttpExchange ex, Call call) throws IOException {
        switch (call.method) {
            case "getblocktemplate" -> reply(ex, 200, result(call.id, g -> writeTemplate(g, awaitTemplate(call.longPollId))));
            case "submitblock" -> {
                byte[] block;
                try {
                    block = Hex.decode(call.firstString == null ? "" : call.firstString);
                } catch (IllegalArgumentException e) {
                    reply(ex, 500, error(call.id, -22, "Block decode failed"));
                    return;
                }
                Optional<String> verdict = awaitChain(ex, call, chain.submitSerialized(block), "judge the block");
                if (verdict == null) {
                    return;
                }
                reply(ex, 200, result(call.id, g -> {
                    if (verdict.isPresent()) {
                        g.writeString(verdict.get());
                    } else {
                        g.writeNull();
                    }
                }));
            }
            case "getblockheader" -> {
                Sha256Hash hash;
                try {
                    hash = Sha256Hash.fromDisplayHex(call.firstString == null ? "" : call.firstString);
                } catch (IllegalArgumentException e) {
                    reply(ex, 500, error(call.id, -8, "hash must be of length 64"));
                    return;
                }
                Optional<BlockLookup.BlockState> state = chain.lookup(hash);
                if (state.isEmpty()) {
                    reply(ex, 500, error(call.id, -5, "Block not found"));
                    return;
                }
                reply(ex, 200, result(call.id, g -> {
                    g.writeStartObject();
                    g.writeStringField("hash", hash.toDisplayHex());
                    g.writeNumberField("confirmations", state.get().confirmations());
                    g.writeNumberField("height", state.get().height());
                    g.writeEndObject();
                }));
            }
            case "generatetoaddress" -> {
                // Regtest's call, so that one script makes blocks for this node and for Bitcoin Core. The blocks
                // are other miners' (the demo chain keeps no coinbases), so the address is not checked.
                if (call.firstNumber == null || call.firstNumber < 1 || call.firstNumber > 1_000) {
                    reply(ex, 500, error(call.id, -8, "nblocks must be a number of blocks, 1..1000"));
                    return;
                }
                List<Sha256Hash> hashes = awaitChain(ex, call, chain.foundElsewhere(call.firstNumber.intValue()), "make the blocks");
                if (hashes == null) {
                    return;
                }
                reply(ex, 200, result(call.id, g -> {
                    g.writeStartArray();
                    for (Sha256Hash h : hashes) {
                        g.writeString(h.toDisplayHex());
                    }
                    g.writeEndArray();
                }));
            }
            case "getblockchaininfo" -> reply(ex, 200, result(call.id, g -> {
                g.writeStartObject();
                g.writeStringField("chain", "regtest");
                g.writeNumberField("blocks", chain.height());
                g.writeNumberField("headers", chain.height());
                g.writeStringField("bestblockhash", chain.tip().toDisplayHex());
                g.writeNumberField("difficulty", chain.networkDifficulty());
                g.writeBooleanField("initialblockdownload", false);
                g.writeEndObject();
            }));
            default -> reply(ex, 404, error(call.id, -32601, "Method not found"));
        }
    }

    /**
     * What the chain's thread answers, within 30 s; null after replying with the error when it
     * does not ({@code what}: what the chain failed to do, for the message).
     */
    private <T> T awaitChain(HttpExchange ex, Call call, java.util.concurrent.CompletionStage<T> stage, String what) throws IOException {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(ex, 500, error(call.id, -1, "interrupted"));
        } catch (Exception e) {
            reply(ex, 500, error(call.id, -1, "the chain did not " + what + ": " + e));
        }
        return null;
    }

    /** The current template, or with a long-poll id the first one after it (at most the hold later). */
    private BlockTemplate awaitTemplate(String longPollId) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(holdMillis);
        synchronized (changed) {
            while (current == null || (longPollId != null && longPollId.equals(current.longPollId().orElse(null)))) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (closed || (left <= 0 && current != null)) {
                    break;
                }
                try {
                    changed.wait(Math.max(1, Math.min(left, 1000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return current;
        }
    }

    private static void writeTemplate(JsonGenerator g, BlockTemplate t) throws IOException {
        if (t == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeArrayFieldStart("capabilities");
        g.writeString("proposal");
        g.writeEndArray();
        g.writeNumberField("version", t.version());
        g.writeArrayFieldStart("rules");
        g.writeString("csv");
        g.writeString("!segwit");
        g.writeString("taproot");
        g.writeEndArray();
        g.writeObjectFieldStart("vbavailable");
        g.writeEndObject();
        g.writeNumberField("vbrequired", 0);
        g.writeStringField("previousblockhash", t.previousBlockHash().toDisplayHex());
        g.writeArrayFieldStart("transactions");
        for (TemplateTransaction tx : t.transactions()) {
            g.writeStartObject();
            g.writeStringField("data", Hex.encode(tx.data()));
            g.writeStringField("txid", tx.txid().toDisplayHex());
            g.writeStringField("hash", tx.wtxid().toDisplayHex());
            g.writeArrayFieldStart("depends");
            g.writeEndArray();
            g.writeNumberField("fee", tx.fee());
            g.writeNumberField("sigops", 4);
            g.writeNumberField("weight", tx.weight());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("coinbaseaux");
        g.writeEndObject();
        g.writeNumberField("coinbasevalue", t.coinbaseValue());
        if (t.longPollId().isPresent()) {
            g.writeStringField("longpollid", t.longPollId().get());
        }
        g.writeStringField("target", t.target().toHex());
        g.writeNumberField("mintime", t.minTime());
        g.writeArrayFieldStart("mutable");
        g.writeString("time");
        g.writeString("transactions");
        g.writeString("prevblock");
        g.writeEndArray();
        g.writeStringField("noncerange", "00000000ffffffff");
        g.writeNumberField("sigoplimit", 80_000);
        g.writeNumberField("sizelimit", 4_000_000);
        g.writeNumberField("weightlimit", 4_000_000);
        g.writeNumberField("curtime", t.curTime());
        g.writeStringField("bits", t.bits().toHex());
        g.writeNumberField("height", t.height());
        if (t.witnessCommitment().isPresent()) {
            g.writeStringField("default_witness_commitment", Hex.encode(t.witnessCommitment().get().scriptPubKey()));
        }
        g.writeEndObject();
    }

    @FunctionalInterface
    private interface ResultWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] result(Object id, ResultWriter result) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("result");
            result.write(g);
            g.writeNullField("error");
            writeId(g, id);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static byte[] error(Object id, int code, String message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNullField("result");
            g.writeObjectFieldStart("error");
            g.writeNumberField("code", code);
            g.writeStringField("message", message);
            g.writeEndObject();
            writeId(g, id);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void writeId(JsonGenerator g, Object id) throws IOException {
        g.writeFieldName("id");
        if (id instanceof Long n) {
            g.writeNumber(n);
        } else if (id instanceof String s) {
            g.writeString(s);
        } else {
            g.writeNull();
        }
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** The body, or null when it is over {@link #MAX_REQUEST_BYTES}. */
    private static byte[] readCapped(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        byte[] buf = new byte[65536];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > MAX_REQUEST_BYTES) {
                return null;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Stops answering (a held long poll is answered with the current template) and stops the chain. */
    @Override
    public void close() {
        synchronized (changed) {
            closed = true;
            changed.notifyAll();
        }
        http.stop(0);
        threads.shutdownNow();
        chain.stop();
    }

    /** One JSON-RPC request: its id (a number, a string or null), method, and the parameters a pool sends. */
    static final class Call {
        Object id;
        String method = "";
        /** The first parameter when it is a string (submitblock's block, getblockheader's hash). */
        String firstString;
        /** The first parameter when it is a whole number (generatetoaddress's block count). */
        Long firstNumber;
        /** getblocktemplate's {@code longpollid}. */
        String longPollId;

        static Call parse(byte[] body) throws IOException {
            Call c = new Call();
            try (JsonParser p = JSON.createParser(body)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new IllegalArgumentException("the request is not a JSON object");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    switch (name) {
                        case "id" -> c.id = v == JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue()
                                : v == JsonToken.VALUE_STRING ? p.getText() : skip(p);
                        case "method" -> {
                            if (v != JsonToken.VALUE_STRING) {
                                throw new IllegalArgumentException("method must be a string");
                            }
                            c.method = p.getText();
                        }
                        case "params" -> c.readParams(p, v);
                        default -> p.skipChildren();
                    }
                }
            }
            return c;
        }

        private void readParams(JsonParser p, JsonToken start) throws IOException {
            if (start != JsonToken.START_ARRAY) {
                p.skipChildren();
                return;
            }
            boolean first = true;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null) {
                    throw new IllegalArgumentException("params ends early");
                }
                if (first && t == JsonToken.VALUE_STRING) {
                    firstString = p.getText();
                } else if (first && t == JsonToken.VALUE_NUMBER_INT) {
                    firstNumber = p.getLongValue();
                } else if (first && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        if (field.equals("longpollid") && v == JsonToken.VALUE_STRING) {
                            longPollId = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
                first = false;
            }
        }

        private static Object skip(JsonParser p) throws IOException {
            p.skipChildren();
            return null;
        }
    }
}
