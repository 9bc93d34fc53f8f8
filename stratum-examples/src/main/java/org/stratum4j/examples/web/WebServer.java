package org.stratum4j.examples.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public dashboard ({@code --web-port}): {@code /} (the pool), {@code /miner/ADDRESS} (one
 * miner's workers), the JSON API behind them ({@code /api/pool}, {@code /api/pool/hashrate},
 * {@code /api/miner/ADDRESS}, {@code /api/miner/ADDRESS/hashrate}, {@code /api/blocks}) and the
 * static files (uPlot from its WebJar, the page script and style). Pages are rendered here with
 * every name a miner chose escaped; the script only draws the charts, from the API. GET only,
 * on the JDK's HTTP server with four threads of its own; it shows nothing private (no addresses
 * of miners' connections, no process figures: those stay on the stats port).
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final String UPLOT = "META-INF/resources/webjars/uplot/" + webJarVersion("org.webjars.npm", "uplot") + "/dist/";
    private static final Map<String, String[]> STATIC = Map.of(
            "/static/uplot.js", new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript"},
            "/static/uplot.css", new String[] {UPLOT + "uPlot.min.css", "text/css"},
            "/static/app.js", new String[] {"org/stratum4j/examples/web/app.js", "text/javascript"},
            "/static/app.css", new String[] {"org/stratum4j/examples/web/app.css", "text/css"});

    private final HttpServer http;
    private final ExecutorService threads;
    private final DashboardSource source;
    private final Clock clock;
    private final String title;
    private final java.util.function.Predicate<String> minerNames;

    private WebServer(HttpServer http, ExecutorService threads, DashboardSource source, Clock clock, String title,
                      java.util.function.Predicate<String> minerNames) {
        this.minerNames = minerNames;
        this.http = http;
        this.threads = threads;
        this.source = source;
        this.clock = clock;
        this.title = title;
    }

    /**
     * Bounds how long the JDK's HTTP server lets a client take over a request (10 s) and over
     * reading an answer (30 s). Its worker threads read requests themselves, so without this a few
     * clients that send half a request ("slowloris") hold every thread. The settings are the JVM's
     * and are read when its first HTTP server starts: call this before any (an operator's own
     * {@code -D} settings win).
     */
    public static void boundRequestTimes() {
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", "10");
        System.getProperties().putIfAbsent("sun.net.httpserver.maxRspTime", "30");
    }

    /**
     * Serves {@code source} at {@code at}.
     *
     * @param title the pool's name on every page
     * @throws IOException when the address cannot be bound
     */
    public static WebServer start(InetSocketAddress at, DashboardSource source, Clock clock, String title) throws IOException {
        return start(at, source, clock, title, WebServer::validAddress);
    }

    /**
     * As above, with miner pages ({@code /miner/NAME}) for the names {@code minerNames} allows
     * (a worker name's part before its first dot): addresses for a pool, a farm's own names for a
     * proxy. Names must still be safe in a URL and a page; the predicate narrows, never widens,
     * that.
     */
    public static WebServer start(InetSocketAddress at, DashboardSource source, Clock clock, String title,
                                  java.util.function.Predicate<String> minerNames) throws IOException {
        Objects.requireNonNull(minerNames, "minerNames");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(title, "title");
        HttpServer http = HttpServer.create(at, 128);
        ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "web");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(threads);
        WebServer s = new WebServer(http, threads, source, clock, title, minerNames);
        http.createContext("/", s::handle);
        http.start();
        return s;
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                send(ex, 405, "text/plain", "GET only".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            ShareHistory.View view = ShareHistory.View.named(query.get("view"));
            if (path.equals("/")) {
                send(ex, 200, "text/html; charset=utf-8", page(poolPage()));
            } else if (path.equals("/search")) {
                String address = query.getOrDefault("address", "").strip();
                ex.getResponseHeaders().set("Location", minerName(address) ? "/miner/" + address : "/");
                send(ex, 303, "text/plain", new byte[0]);
            } else if (path.startsWith("/miner/")) {
                String address = path.substring("/miner/".length());
                if (!minerName(address)) {
                    send(ex, 404, "text/html; charset=utf-8", page("<h2>Not an address</h2><p><a href=\"/\">Back to the pool</a></p>"));
                    return;
                }
                send(ex, 200, "text/html; charset=utf-8", page(minerPage(address, view)));
            } else if (path.equals("/api/pool")) {
                send(ex, 200, "application/json", json(this::poolJson));
            } else if (path.equals("/api/pool/hashrate")) {
                send(ex, 200, "application/json", json(g -> series(g, view, Map.of("pool", source.poolSeries(view)))));
            } else if (path.equals("/api/blocks")) {
                send(ex, 200, "application/json", json(g -> {
                    g.writeStartObject();
                    blocksJson(g);
                    g.writeEndObject();
                }));
            } else if (path.startsWith("/api/miner/")) {
                String rest = path.substring("/api/miner/".length());
                boolean hashrate = rest.endsWith("/hashrate");
                String address = hashrate ? rest.substring(0, rest.length() - "/hashrate".length()) : rest;
                if (!minerName(address)) {
                    send(ex, 404, "application/json", "{\"error\":\"not an address\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                send(ex, 200, "application/json", json(g -> {
                    if (hashrate) {
                        Map<String, double[][]> each = new java.util.LinkedHashMap<>();
                        for (ShareHistory.WorkerView w : source.workersOf(address)) {
                            double[][] s = source.workerSeries(w.worker(), view);
                            if (s != null) {
                                each.put(w.worker(), s);
                            }
                        }
                        series(g, view, each);
                    } else {
                        minerJson(g, address);
                    }
                }));
            } else if (STATIC.containsKey(path)) {
                String[] file = STATIC.get(path);
                try (InputStream in = WebServer.class.getClassLoader().getResourceAsStream(file[0])) {
                    if (in == null) {
                        send(ex, 404, "text/plain", "missing".getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    ex.getResponseHeaders().set("Cache-Control", "max-age=3600");
                    send(ex, 200, file[1], in.readAllBytes());
                }
            } else {
                send(ex, 404, "text/html; charset=utf-8", page("<h2>Not found</h2><p><a href=\"/\">Back to the pool</a></p>"));
            }
        } catch (IOException e) {
            LOG.debug("web: a reader went away", e);
        } catch (RuntimeException e) {
            LOG.error("web: {} failed", ex.getRequestURI().getRawPath(), e);
        }
    }

    /** The version of a WebJar on the class path (its pom.properties), so that the pom alone names it. */
    static String webJarVersion(String group, String artifact) {
        String file = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = WebServer.class.getClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(group + ":" + artifact + " is not on the class path (" + file + ")");
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return Objects.requireNonNull(p.getProperty("version"), "version in " + file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private boolean minerName(String name) {
        return safeName(name) && minerNames.test(name);
    }

    /** Letters, digits, '-' and '_', 1..90 of them: safe in a path and a page. */
    static boolean safeName(String a) {
        if (a.isEmpty() || a.length() > 90) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** Addresses are bech32 or base58: letters and digits only, 14..90 of them. */
    static boolean validAddress(String a) {
        if (a.length() < 14 || a.length() > 90) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new java.util.HashMap<>();
        if (raw == null || raw.length() > 2048) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // a malformed pair is ignored
                }
            }
        }
        return out;
    }

    private byte[] page(String body) {
        String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + Html.text(title) + "</title>"
                + "<link rel=\"stylesheet\" href=\"/static/uplot.css\"><link rel=\"stylesheet\" href=\"/static/app.css\"></head><body>"
                + "<header><a class=\"home\" href=\"/\">" + Html.text(title) + "</a>"
                + "<form action=\"/search\" method=\"get\"><input name=\"address\" placeholder=\"Your address\" aria-label=\"Your address\">"
                + "<button>Show</button></form></header><main>" + body + "</main>"
                + "<script src=\"/static/uplot.js\"></script><script src=\"/static/app.js\"></script></body></html>";
        return html.getBytes(StandardCharsets.UTF_8);
    }

    private String poolPage() {
        DashboardSource.PoolSummary p = source.pool();
        Instant now = clock.instant();
        StringBuilder b = new StringBuilder(4096);
        b.append("<section class=\"cards\">");
        card(b, "Hashrate", Html.hashrate(p.hashrate()), "pool-hashrate");
        card(b, "Miners online", Integer.toString(p.minersOnline()), "miners-online");
        card(b, "Workers online", Integer.toString(p.workersOnline()), "workers-online");
        card(b, "Height", Long.toString(p.height()), "height");
        card(b, "Network difficulty", Html.difficulty(p.networkDifficulty()), "network-difficulty");
        card(b, "Expected time to a block", Html.duration(p.expectedBlockSeconds()), "expected-block");
        card(b, "Blocks found", Long.toString(p.blocksFound()), "blocks-found");
        b.append("</section>");
        b.append("<section><h2>Pool hashrate, last 24 hours</h2><div class=\"chart\" data-url=\"/api/pool/hashrate?view=24h\"></div></section>");
        b.append("<section><h2>Blocks found</h2>");
        List<DashboardSource.BlockView> blocks = source.blocks(20);
        if (blocks.isEmpty()) {
            b.append("<p>None yet.</p>");
        } else {
            b.append("<div class=\"scroll\"><table id=\"blocks\"><thead><tr><th>Height</th><th>Found</th><th>By</th><th>Status</th>"
                    + "<th>Confirmations</th><th>Hash</th></tr></thead><tbody>");
            for (DashboardSource.BlockView k : blocks) {
                b.append("<tr><td>").append(k.height()).append("</td><td title=\"").append(k.time()).append("\">")
                        .append(Html.ago(k.time(), now)).append("</td><td>").append(Html.text(k.worker())).append("</td><td>")
                        .append(Html.text(k.status())).append("</td><td>").append(k.confirmations()).append("</td><td class=\"hash\">")
                        .append(Html.text(k.hash())).append("</td></tr>");
            }
            b.append("</tbody></table></div>");
        }
        b.append("</section><section><h2>Best shares</h2>");
        List<ShareHistory.BestShare> best = source.bestShares();
        if (best.isEmpty()) {
            b.append("<p>None yet.</p>");
        } else {
            b.append("<div class=\"scroll\"><table id=\"best\"><thead><tr><th>#</th><th>Difficulty</th><th>Worker</th><th>When</th></tr>"
                    + "</thead><tbody>");
            int rank = 1;
            for (ShareHistory.BestShare s : best) {
                b.append("<tr><td>").append(rank++).append("</td><td>").append(Html.difficulty(s.difficulty())).append("</td><td>")
                        .append(Html.text(s.worker())).append("</td><td>").append(Html.ago(s.time(), now)).append("</td></tr>");
            }
            b.append("</tbody></table></div>");
        }
        b.append("</section><section><h2>Miner software</h2>");
        Map<String, Long> software = source.minerSoftware();
        if (software.isEmpty()) {
            b.append("<p>No miners connected.</p>");
        } else {
            long[] byProtocol = byProtocol(software);
            b.append("<p id=\"protocols\">Stratum V1: ").append(byProtocol[0]).append(" · Stratum V2: ").append(byProtocol[1])
                    .append("</p>");
            b.append("<div class=\"scroll\"><table id=\"software\"><thead><tr><th>Software</th><th>Connections</th></tr></thead><tbody>");
            software.forEach((name, n) -> b.append("<tr><td>").append(Html.text(name)).append("</td><td>").append(n).append("</td></tr>"));
            b.append("</tbody></table></div>");
        }
        b.append("</section>");
        return b.toString();
    }

    /** Open connections of each protocol, [V1, V2], from the software counts (V2 names end with the protocol). */
    static long[] byProtocol(Map<String, Long> software) {
        long[] out = new long[2];
        software.forEach((name, n) -> out[name.endsWith(" (Stratum V2)") ? 1 : 0] += n);
        return out;
    }

    private static void card(StringBuilder b, String label, String value, String id) {
        b.append("<div class=\"card\"><div class=\"label\">").append(Html.text(label)).append("</div><div class=\"value\" id=\"")
                .append(id).append("\">").append(Html.text(value)).append("</div></div>");
    }

    private String minerPage(String address, ShareHistory.View view) {
        List<ShareHistory.WorkerView> workers = source.workersOf(address);
        Instant now = clock.instant();
        StringBuilder b = new StringBuilder(4096);
        b.append("<h2 class=\"address\">").append(Html.text(address)).append("</h2>");
        if (workers.isEmpty()) {
            b.append("<p id=\"no-workers\">No shares from this address yet (or not for a week).</p>");
            return b.toString();
        }
        double total = workers.stream().mapToDouble(ShareHistory.WorkerView::hashrate).sum();
        long online = workers.stream().filter(ShareHistory.WorkerView::online).count();
        b.append("<section class=\"cards\">");
        card(b, "Hashrate", Html.hashrate(total), "miner-hashrate");
        card(b, "Workers online", online + " of " + workers.size(), "miner-workers");
        b.append("</section><section><h2>Hashrate by worker</h2><nav class=\"views\">");
        for (String[] v : new String[][] {{"1h", "1 hour"}, {"24h", "24 hours"}, {"7d", "7 days"}}) {
            boolean current = ShareHistory.View.named(v[0]) == view;
            b.append("<a href=\"?view=").append(v[0]).append("\"").append(current ? " class=\"current\"" : "").append(">")
                    .append(v[1]).append("</a>");
        }
        String viewName = view == ShareHistory.View.HOUR ? "1h" : view == ShareHistory.View.WEEK ? "7d" : "24h";
        b.append("</nav><div class=\"chart\" data-strip=\"").append(address.length() + 1).append("\" data-url=\"/api/miner/")
                .append(address).append("/hashrate?view=").append(viewName).append("\"></div></section>");
        b.append("<section><h2>Workers</h2><div class=\"scroll\"><table id=\"workers\"><thead><tr><th>Worker</th><th>Hashrate</th>"
                + "<th>Last share</th><th>Difficulty</th><th>Accepted</th><th>Stale</th><th>Rejected</th><th>Best</th>"
                + "<th>Best since block</th></tr></thead><tbody>");
        for (ShareHistory.WorkerView w : workers) {
            long rejected = 0;
            StringBuilder reasons = new StringBuilder();
            for (Map.Entry<String, Long> r : w.rejected().entrySet()) {
                rejected += r.getValue();
                reasons.append(reasons.length() == 0 ? "" : ", ").append(r.getKey()).append(' ').append(r.getValue());
            }
            String shortName = w.worker().length() > address.length() ? w.worker().substring(address.length() + 1) : "(no name)";
            b.append("<tr class=\"").append(w.online() ? "online" : "offline").append("\"><td class=\"worker\" title=\"")
                    .append(Html.text(w.worker())).append("\">").append(Html.text(shortName)).append("</td><td class=\"hashrate\">").append(Html.hashrate(w.hashrate()))
                    .append("</td><td title=\"").append(w.lastShare() == null ? "" : w.lastShare().toString()).append("\">")
                    .append(Html.ago(w.lastShare(), now)).append("</td><td>").append(Html.difficulty(w.difficulty()))
                    .append("</td><td>").append(w.accepted()).append("</td><td>").append(w.stale()).append("</td><td title=\"")
                    .append(Html.text(reasons.toString())).append("\">").append(rejected).append("</td><td>")
                    .append(Html.difficulty(w.bestDifficulty())).append("</td><td>").append(Html.difficulty(w.bestDifficultySinceBlock()))
                    .append("</td></tr>");
        }
        b.append("</tbody></table></div></section>");
        List<DashboardSource.BlockView> found = source.blocks(100).stream()
                .filter(k -> k.worker() != null && ShareHistory.addressOf(k.worker()).equals(address)).toList();
        if (!found.isEmpty()) {
            b.append("<section><h2>Blocks found by this address</h2><div class=\"scroll\"><table id=\"miner-blocks\"><thead><tr>"
                    + "<th>Height</th><th>Found</th><th>Worker</th><th>Status</th><th>Confirmations</th></tr></thead><tbody>");
            for (DashboardSource.BlockView k : found) {
                String worker = k.worker().length() > address.length() ? k.worker().substring(address.length() + 1) : "";
                b.append("<tr><td title=\"").append(Html.text(k.hash())).append("\">").append(k.height()).append("</td><td title=\"")
                        .append(k.time()).append("\">").append(Html.ago(k.time(), now)).append("</td><td>").append(Html.text(worker))
                        .append("</td><td>").append(Html.text(k.status())).append("</td><td>").append(k.confirmations())
                        .append("</td></tr>");
            }
            b.append("</tbody></table></div></section>");
        }
        List<DashboardSource.EarningView> earnings = source.earnings(address);
        if (!earnings.isEmpty()) {
            b.append("<section><h2>Earnings</h2><div class=\"scroll\"><table id=\"earnings\"><thead><tr><th>Block</th><th>Found</th>"
                    + "<th>Earned</th><th>Paid in its coinbase</th><th>Balance after</th><th>Status</th></tr></thead><tbody>");
            for (DashboardSource.EarningView e : earnings) {
                b.append("<tr><td title=\"").append(Html.text(e.blockHash())).append("\">")
                        .append(e.height() == null ? "?" : e.height().toString()).append("</td><td title=\"").append(e.foundAt())
                        .append("\">").append(Html.ago(e.foundAt(), now)).append("</td><td>").append(Html.btc(e.earnedSats()))
                        .append("</td><td>").append(Html.btc(e.paidSats())).append("</td><td>").append(Html.btc(e.balanceSats()))
                        .append("</td><td>").append(Html.text(e.status()));
                if (e.confirmations() > 0) {
                    b.append(" (").append(e.confirmations()).append(" conf.)");
                }
                b.append("</td></tr>");
            }
            b.append("</tbody></table></div></section>");
        }
        return b.toString();
    }

    @FunctionalInterface
    private interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] json(JsonWriter w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            w.write(g);
        }
        return out.toByteArray();
    }

    private void poolJson(JsonGenerator g) throws IOException {
        DashboardSource.PoolSummary p = source.pool();
        g.writeStartObject();
        g.writeNumberField("hashrate_hs", p.hashrate());
        g.writeNumberField("miners_online", p.minersOnline());
        g.writeNumberField("workers_online", p.workersOnline());
        g.writeNumberField("height", p.height());
        g.writeNumberField("network_difficulty", p.networkDifficulty());
        g.writeNumberField("expected_block_seconds", p.expectedBlockSeconds());
        g.writeNumberField("blocks_found", p.blocksFound());
        Map<String, Long> software = source.minerSoftware();
        g.writeObjectFieldStart("miner_software");
        for (Map.Entry<String, Long> e : software.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        long[] byProtocol = byProtocol(software);
        g.writeObjectFieldStart("connections_by_protocol");
        g.writeNumberField("stratum_v1", byProtocol[0]);
        g.writeNumberField("stratum_v2", byProtocol[1]);
        g.writeEndObject();
        g.writeArrayFieldStart("best_shares");
        for (ShareHistory.BestShare s : source.bestShares()) {
            g.writeStartObject();
            g.writeStringField("worker", s.worker());
            g.writeNumberField("difficulty", s.difficulty());
            g.writeStringField("time", s.time().toString());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void blocksJson(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("blocks");
        for (DashboardSource.BlockView k : source.blocks(100)) {
            g.writeStartObject();
            g.writeNumberField("height", k.height());
            g.writeStringField("hash", k.hash());
            g.writeStringField("worker", k.worker());
            g.writeStringField("time", k.time().toString());
            g.writeStringField("status", k.status());
            g.writeNumberField("confirmations", k.confirmations());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void minerJson(JsonGenerator g, String address) throws IOException {
        List<ShareHistory.WorkerView> workers = source.workersOf(address);
        g.writeStartObject();
        g.writeStringField("address", address);
        g.writeNumberField("hashrate_hs", workers.stream().mapToDouble(ShareHistory.WorkerView::hashrate).sum());
        g.writeNumberField("workers_online", workers.stream().filter(ShareHistory.WorkerView::online).count());
        g.writeArrayFieldStart("workers");
        for (ShareHistory.WorkerView w : workers) {
            g.writeStartObject();
            g.writeStringField("worker", w.worker());
            g.writeBooleanField("online", w.online());
            g.writeNumberField("hashrate_hs", w.hashrate());
            if (w.lastShare() != null) {
                g.writeStringField("last_share", w.lastShare().toString());
                g.writeNumberField("last_share_age_seconds", Math.max(0, clock.instant().getEpochSecond() - w.lastShare().getEpochSecond()));
            }
            g.writeNumberField("difficulty", w.difficulty());
            g.writeNumberField("accepted", w.accepted());
            g.writeNumberField("stale", w.stale());
            g.writeObjectFieldStart("rejected");
            for (Map.Entry<String, Long> r : w.rejected().entrySet()) {
                g.writeNumberField(r.getKey(), r.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("best_difficulty", w.bestDifficulty());
            g.writeNumberField("best_difficulty_since_block", w.bestDifficultySinceBlock());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("earnings");
        for (DashboardSource.EarningView e : source.earnings(address)) {
            g.writeStartObject();
            g.writeStringField("block_hash", e.blockHash());
            if (e.height() != null) {
                g.writeNumberField("height", e.height());
            }
            g.writeStringField("found", e.foundAt().toString());
            g.writeNumberField("earned_sats", e.earnedSats());
            g.writeNumberField("paid_sats", e.paidSats());
            g.writeNumberField("balance_sats", e.balanceSats());
            g.writeStringField("status", e.status());
            g.writeNumberField("confirmations", e.confirmations());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void series(JsonGenerator g, ShareHistory.View view, Map<String, double[][]> series) throws IOException {
        // The source decides the resolution (the share store's rollups are 10 minutes wide): the points say it.
        long interval = view.intervalSeconds();
        for (double[][] points : series.values()) {
            if (points.length >= 2) {
                interval = (long) (points[1][0] - points[0][0]);
                break;
            }
        }
        g.writeStartObject();
        g.writeNumberField("interval_seconds", interval);
        g.writeObjectFieldStart("series");
        for (Map.Entry<String, double[][]> s : series.entrySet()) {
            g.writeArrayFieldStart(s.getKey());
            for (double[] p : s.getValue()) {
                g.writeStartArray();
                g.writeNumber((long) p[0]);
                g.writeNumber(p[1]);
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops answering. */
    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}
