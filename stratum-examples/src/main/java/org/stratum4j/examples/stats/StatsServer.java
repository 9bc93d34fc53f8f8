package org.stratum4j.examples.stats;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.stratum4j.core.engine.Announcement;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.share.RejectReason;
import org.stratum4j.examples.store.ShareStore;
import org.stratum4j.transport.nio.TransportMetrics;

/**
 * The operator's HTTP endpoint (JDK {@code HttpServer}, one thread): {@code /stats} (JSON:
 * hashrate, workers, shares by result and reason, blocks, height, connections, the PPLNS split in
 * pool mode, the process's resident memory, heap and threads), {@code /metrics} (Prometheus text
 * format) and {@code /health} (200 when the pool should get new miners: it has a job to hand out
 * and is not draining or cut off from its store; 503 with the reason otherwise, for a balancer's
 * health check).
 */
public final class StatsServer implements AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();

    private final HttpServer http;
    private final ExecutorService thread;
    private final PoolStats stats;
    private final PoolEngine engine;
    private final TransportMetrics transport;
    private final String mode;
    private final Supplier<ShareStore.Status> store;
    private final List<Section> sections;

    /** More of {@code /stats}: an object named {@link #name()}, whose fields {@link #write} writes. */
    public interface Section {
        /** The field name in {@code /stats}. */
        String name();

        /** Writes the object's fields (the object itself is opened and closed around this). */
        void write(com.fasterxml.jackson.core.JsonGenerator g) throws IOException;
    }

    private StatsServer(HttpServer http, ExecutorService thread, PoolStats stats, PoolEngine engine, TransportMetrics transport,
                        String mode, Supplier<ShareStore.Status> store, List<Section> sections) {
        this.store = store;
        this.sections = List.copyOf(sections);
        this.http = http;
        this.thread = thread;
        this.stats = stats;
        this.engine = engine;
        this.transport = transport;
        this.mode = mode;
    }

    /**
     * Serves on {@code at}.
     *
     * @throws IOException when the port cannot be bound
     */
    public static StatsServer start(InetSocketAddress at, PoolStats stats, PoolEngine engine, TransportMetrics transport,
                                    String mode) throws IOException {
        return start(at, stats, engine, transport, mode, null);
    }

    /** As above, also showing the share store's state ({@code store} may be null: no store). */
    public static StatsServer start(InetSocketAddress at, PoolStats stats, PoolEngine engine, TransportMetrics transport,
                                    String mode, Supplier<ShareStore.Status> store) throws IOException {
        return start(at, stats, engine, transport, mode, store, List.of());
    }

    /** As above, with more sections in {@code /stats} (the payouts', say). */
    public static StatsServer start(InetSocketAddress at, PoolStats stats, PoolEngine engine, TransportMetrics transport,
                                    String mode, Supplier<ShareStore.Status> store, List<Section> sections) throws IOException {
        return start(at, stats, engine, transport, mode, store, sections, () -> null);
    }

    /**
     * As above; {@code unready} says why this process should not get new miners (draining, say),
     * or null when it should: {@code /health} answers 503 with that reason.
     */
    public static StatsServer start(InetSocketAddress at, PoolStats stats, PoolEngine engine, TransportMetrics transport,
                                    String mode, Supplier<ShareStore.Status> store, List<Section> sections, Supplier<String> unready)
            throws IOException {
        HttpServer http;
        try {
            http = HttpServer.create(at, 64);
        } catch (IOException e) {
            throw new IOException("cannot serve stats on " + at + ": " + e.getMessage(), e);
        }
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "stats-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(thread);
        StatsServer s = new StatsServer(http, thread, Objects.requireNonNull(stats), Objects.requireNonNull(engine),
                Objects.requireNonNull(transport), mode, store, sections);
        http.createContext("/stats", ex -> s.answer(ex, "application/json", s.statsJson()));
        http.createContext("/metrics", ex -> s.answer(ex, "text/plain; version=0.0.4", s.prometheus()));
        Objects.requireNonNull(unready, "unready");
        http.createContext("/health", ex -> {
            String why = engine.latest() == null ? "no job yet" : unready.get();
            s.answer(ex, why == null ? 200 : 503, "text/plain", (why == null ? "ok\n" : why + "\n").getBytes(StandardCharsets.UTF_8));
        });
        http.start();
        return s;
    }

    /** The bound address (the port chosen for port 0). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    private void answer(HttpExchange ex, String type, byte[] body) throws IOException {
        answer(ex, 200, type, body);
    }

    private void answer(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, ex.getRequestMethod().equals("HEAD") ? -1 : body.length);
            if (!ex.getRequestMethod().equals("HEAD")) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    byte[] statsJson() throws IOException {
        PoolEngine.Stats e = engine.stats();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("mode", mode);
            g.writeNumberField("uptime_seconds", java.time.Duration.between(stats.started(), java.time.Instant.now()).toSeconds());
            Announcement a = engine.latest();
            if (a != null && a.job().template().isPresent()) {
                g.writeNumberField("height", a.job().template().get().height());
                g.writeNumberField("network_difficulty", a.job().template().get().bits().difficulty());
            }
            g.writeNumberField("hashrate", stats.hashrate());
            g.writeNumberField("connections", transport.openConnections());
            g.writeNumberField("last_fanout_ms", transport.lastFanOutMillis());
            g.writeNumberField("sessions", e.sessions());
            g.writeNumberField("blocks", e.blocks());
            g.writeObjectFieldStart("shares");
            g.writeNumberField("accepted", e.accepted());
            g.writeObjectFieldStart("rejected");
            for (RejectReason r : RejectReason.values()) {
                g.writeNumberField(name(r), e.rejected(r));
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeArrayFieldStart("workers");
            for (PoolStats.WorkerStats w : stats.workers().values()) {
                g.writeStartObject();
                g.writeStringField("name", w.worker());
                g.writeNumberField("accepted", w.accepted());
                g.writeNumberField("hashrate", w.hashrate());
                g.writeStringField("last_share", w.lastShare() == null ? null : w.lastShare().toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            PplnsWindow p = stats.pplns();
            if (p != null) {
                g.writeObjectFieldStart("pplns");
                g.writeNumberField("window_difficulty", p.size());
                g.writeNumberField("difficulty_in_window", p.total());
                g.writeNumberField("shares_in_window", p.shares());
                g.writeObjectFieldStart("next_block_split");
                for (Map.Entry<String, Double> s : p.split().entrySet()) {
                    g.writeNumberField(s.getKey(), s.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            if (store != null) {
                ShareStore.Status st = store.get();
                g.writeObjectFieldStart("store");
                g.writeBooleanField("reachable", st.reachable());
                g.writeNumberField("backlog_entries", st.backlogEntries());
                g.writeNumberField("oldest_waiting_seconds", oldestWaitingSeconds(st));
                g.writeNumberField("shipped", st.shipped());
                g.writeNumberField("outages", st.outages());
                g.writeNumberField("rejected_not_journaled", st.rejectedNotJournaled());
                g.writeEndObject();
            }
            for (Section section : sections) {
                g.writeObjectFieldStart(section.name());
                section.write(g);
                g.writeEndObject();
            }
            ProcessFigures pf = ProcessFigures.now();
            g.writeObjectFieldStart("process");
            g.writeNumberField("pid", pf.pid());
            if (pf.residentBytes() >= 0) {
                g.writeNumberField("rss_bytes", pf.residentBytes());
            }
            g.writeNumberField("heap_used_bytes", pf.heapUsedBytes());
            g.writeNumberField("heap_committed_bytes", pf.heapCommittedBytes());
            g.writeNumberField("heap_after_gc_bytes", pf.heapAfterLastGcBytes());
            g.writeNumberField("threads", pf.threads());
            g.writeEndObject();
            g.writeObjectFieldStart("closes");
            for (Map.Entry<String, Long> c : transport.closesByReason().entrySet()) {
                g.writeNumberField(c.getKey(), c.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        out.write('\n');
        return out.toByteArray();
    }

    byte[] prometheus() {
        PoolEngine.Stats e = engine.stats();
        StringBuilder b = new StringBuilder();
        metric(b, "stratum_connections", "gauge", "Open miner connections.", transport.openConnections());
        metric(b, "stratum_workers", "gauge", "Workers that have submitted an accepted share.", stats.workers().size());
        metric(b, "stratum_hashrate_hashes_per_second", "gauge", "Pool hashrate estimated from the last ten minutes of shares.",
                stats.hashrate());
        metric(b, "stratum_shares_accepted_total", "counter", "Accepted shares.", e.accepted());
        b.append("# HELP stratum_shares_rejected_total Rejected shares by reason.\n# TYPE stratum_shares_rejected_total counter\n");
        for (RejectReason r : RejectReason.values()) {
            b.append("stratum_shares_rejected_total{reason=\"").append(name(r)).append("\"} ").append(e.rejected(r)).append('\n');
        }
        metric(b, "stratum_blocks_found_total", "counter", "Blocks found (submitted to the chain).", e.blocks());
        metric(b, "stratum_last_fanout_seconds", "gauge", "How long the last job took to be written to every miner (-1: none yet).",
                transport.lastFanOutMillis() < 0 ? -1 : transport.lastFanOutMillis() / 1000);
        metric(b, "stratum_received_bytes_total", "counter", "Bytes received from miners.", transport.bytesIn());
        metric(b, "stratum_sent_bytes_total", "counter", "Bytes sent to miners.", transport.bytesOut());
        if (store != null) {
            ShareStore.Status st = store.get();
            metric(b, "stratum_store_reachable", "gauge", "Whether the share store's database answered the last attempt (1) or not (0).",
                    st.reachable() ? 1 : 0);
            metric(b, "stratum_store_backlog_entries", "gauge", "Journaled shares not yet copied into the database.", st.backlogEntries());
            metric(b, "stratum_store_oldest_waiting_seconds", "gauge", "Age of the oldest share waiting for the database (0: none).",
                    oldestWaitingSeconds(st));
            metric(b, "stratum_store_shipped_total", "counter", "Journal entries copied into the database since start.", st.shipped());
            metric(b, "stratum_store_outages_total", "counter", "Times the database became unreachable.", st.outages());
            metric(b, "stratum_store_rejected_not_journaled_total", "counter",
                    "Rejected shares left out of the journal (and the rollups) under queue pressure.", st.rejectedNotJournaled());
        }
        ProcessFigures pf = ProcessFigures.now();
        if (pf.residentBytes() >= 0) {
            metric(b, "process_resident_memory_bytes", "gauge", "Resident memory of the pool process.", pf.residentBytes());
        }
        metric(b, "jvm_heap_used_bytes", "gauge", "Java heap in use (live and not yet collected).", pf.heapUsedBytes());
        metric(b, "jvm_threads", "gauge", "Live threads of the pool process.", pf.threads());
        b.append("# HELP stratum_connection_closes_total Closed connections by reason.\n# TYPE stratum_connection_closes_total counter\n");
        for (Map.Entry<String, Long> c : transport.closesByReason().entrySet()) {
            b.append("stratum_connection_closes_total{reason=\"").append(c.getKey().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\"} ").append(c.getValue()).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void metric(StringBuilder b, String name, String type, String help, double value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        b.append(name).append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            b.append((long) value);
        } else {
            b.append(String.format(Locale.ROOT, "%.6g", value));
        }
        b.append('\n');
    }

    private static double oldestWaitingSeconds(ShareStore.Status st) {
        return st.oldestWaiting() == null ? 0 : Math.max(0, java.time.Duration.between(st.oldestWaiting(), java.time.Instant.now())
                .toMillis() / 1000.0);
    }

    private static String name(RejectReason r) {
        return r.name().toLowerCase(Locale.ROOT);
    }

    /** Stops serving. */
    @Override
    public void close() {
        http.stop(0);
        thread.shutdownNow();
    }
}
