package org.stratum4j.examples.loadgen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.stratum4j.examples.pool.PoolMain;

/**
 * {@code java -cp stratum-example-pool.jar org.stratum4j.examples.loadgen.LoadGenMain [options]}:
 * the load generator. It holds N connections to a pool on this machine, each subscribed and
 * authorized, submits shares with random nonces (so the pool must hash and reject every one) at a
 * set total rate for a set time, and prints: connections held, submit round trips
 * (p50/p99/p999/max), unanswered submits, answers by code, how long each new block's job took to
 * reach every connection (fan-out spread), and the pool's resident memory and heap per session
 * (from its {@code /stats}). It spreads itself over child processes ({@code --processes}) since one
 * process may hold only 20,000 open files here; it targets loopback addresses only and always
 * stops by itself.
 */
public final class LoadGenMain {

    private LoadGenMain() {
    }

    private static final String HELP = """
            Usage: java -cp stratum-example-pool.jar org.stratum4j.examples.loadgen.LoadGenMain [options]

              --url URL             the pool, stratum+tcp://127.0.0.1:PORT or stratum2+tcp://127.0.0.1:PORT/KEY (Stratum V2:
                                    a standard channel per connection) (loopback only) (default: stratum+tcp://127.0.0.1:3333)
              --connections N       connections in all (default: 1000)
              --processes P         spread the connections over P child processes (default: 1, this process)
              --rate N              submits per second in all, spread over the connections (default: 1000)
              --warmup-seconds N    submit this long first without recording round trips (JIT warm-up) (default: 5)
              --seconds N           how long to submit and measure after the warm-up (default: 60)
              --connect-rate N      new connections per second in all (default: 4000)
              --idle-seconds N      pause between the last connection and the first submit (default: 5)
              --drain-seconds N     after the last submit, wait this long for answers still due (default: 5)
              --threads N           loop threads per process (default: 1)
              --user USER           worker name (default: the demo address + .load, for a solo demo pool)
              --same-source         connect from 127.0.0.1 only (default: each connection from its own 127.x.y.z)
              --stats-url URL       the pool's /stats, for memory per session and RSS (default: none)
              --new-blocks-at S,S…  run --new-block-command at these seconds from the start of the measured window, so that
                                    new blocks fall inside it at known times; negative ones fall in the warm-up (default: never)
              --new-block-command C a shell command that makes the pool's node find a block, e.g. bitcoin-cli -regtest
                                    generatetoaddress 1 ADDRESS, or a curl to the demo node's generatetoaddress
              --reconnect-within MS when the pool closes a connection or says client.reconnect, connect again after a
                                    random delay up to MS milliseconds, as miners do; reports how long each was without
                                    work (default: never reconnect)
            """;

    /** Entry point; exits 2 on a bad option, 1 when the test could not run or held no connection. */
    public static void main(String[] args) {
        Map<String, String> o;
        try {
            o = options(args);
        } catch (IllegalArgumentException e) {
            System.err.println("loadgen: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o.containsKey("help")) {
            System.out.print(HELP);
            return;
        }
        try {
            if (o.containsKey("child")) {
                runChild(o);
            } else if (runParent(o, System.out).connectionsHeld() == 0) {
                System.err.println("loadgen: no connection was held; is the pool running at "
                        + o.getOrDefault("url", "stratum+tcp://127.0.0.1:3333") + "?");
                System.exit(1);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("loadgen: " + e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("loadgen: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        }
    }

    private static final List<String> VALUED = List.of("url", "connections", "processes", "rate", "warmup-seconds", "seconds", "connect-rate",
            "idle-seconds", "drain-seconds", "threads", "user", "stats-url", "child", "first-index", "start-at", "reconnect-within",
            "new-blocks-at", "new-block-command");
    private static final List<String> FLAGS = List.of("same-source", "help");

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (see --help)");
            }
            String name = a.substring(2);
            if (FLAGS.contains(name)) {
                o.put(name, "true");
            } else if (VALUED.contains(name)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value (see --help)");
                }
                o.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + a + " (see --help)");
            }
        }
        return o;
    }

    private static int whole(Map<String, String> o, String name, int fallback, int min, int max) {
        String v = o.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message follows
        }
        throw new IllegalArgumentException("--" + name + " " + v + ": expected a whole number " + min + ".." + max);
    }

    private static InetSocketAddress pool(Map<String, String> o) {
        String url = o.getOrDefault("url", "stratum+tcp://127.0.0.1:3333");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url " + url + " is not a URL");
        }
        if (!"stratum+tcp".equalsIgnoreCase(uri.getScheme()) && !"stratum2+tcp".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null || uri.getPort() < 1) {
            throw new IllegalArgumentException("--url " + url + " must look like stratum+tcp://127.0.0.1:3333 or"
                    + " stratum2+tcp://127.0.0.1:34254/KEY");
        }
        InetAddress host;
        try {
            host = InetAddress.getByName(uri.getHost());
        } catch (IOException e) {
            throw new IllegalArgumentException("--url " + url + ": unknown host " + uri.getHost());
        }
        if (!host.isLoopbackAddress()) {
            throw new IllegalArgumentException("--url " + url + ": the load generator targets loopback addresses only");
        }
        return new InetSocketAddress(host, uri.getPort());
    }

    /** The authority key at the end of a {@code stratum2+tcp} URL, or null for V1. */
    private static org.stratum4j.core.sv2.noise.XOnlyPublicKey sv2Authority(Map<String, String> o) {
        URI uri = URI.create(o.getOrDefault("url", "stratum+tcp://127.0.0.1:3333"));
        if (!"stratum2+tcp".equalsIgnoreCase(uri.getScheme())) {
            return null;
        }
        String key = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("--url: a stratum2+tcp URL ends with the pool's authority key (stratum2+tcp://HOST:PORT/KEY)");
        }
        return org.stratum4j.core.sv2.noise.XOnlyPublicKey.fromBase58Check(key);
    }

    /** The settings of one process out of {@code processes}. */
    private static LoadGenerator.Settings slice(Map<String, String> o, int connections, int firstIndex, double rate, long startAt) {
        return new LoadGenerator.Settings(pool(o), connections, firstIndex, !o.containsKey("same-source"),
                o.getOrDefault("user", PoolMain.DEMO_ADDRESS + ".load"), rate,
                Duration.ofSeconds(whole(o, "warmup-seconds", 5, 0, 3600)), Duration.ofSeconds(whole(o, "seconds", 60, 0, 86_400)),
                startAt, whole(o, "connect-rate", 4000, 1, 1_000_000),
                Duration.ofSeconds(whole(o, "drain-seconds", 5, 0, 600)), whole(o, "threads", 1, 1, 64),
                o.containsKey("reconnect-within") ? Duration.ofMillis(whole(o, "reconnect-within", 0, 0, 600_000)) : null,
                sv2Authority(o));
    }

    private static void runChild(Map<String, String> o) throws IOException, InterruptedException {
        LoadGenerator.Settings s = slice(o, whole(o, "connections", 1000, 1, 60_000), whole(o, "first-index", 0, 0, 10_000_000),
                Double.parseDouble(o.getOrDefault("rate", "1000")), Long.parseLong(o.get("start-at")));
        LoadReport r = new LoadGenerator(s).run();
        for (String line : r.encode()) {
            System.out.println(line);
        }
        System.out.flush();
    }

    /** Runs the whole test and prints its summary to {@code out}; returns the merged report. */
    static LoadReport runParent(Map<String, String> o, PrintStream out) throws IOException, InterruptedException {
        int connections = whole(o, "connections", 1000, 1, 1_000_000);
        int processes = whole(o, "processes", 1, 1, 64);
        int rate = whole(o, "rate", 1000, 0, 1_000_000);
        int warmup = whole(o, "warmup-seconds", 5, 0, 3600);
        int seconds = whole(o, "seconds", 60, 0, 86_400) + warmup;
        int connectRate = whole(o, "connect-rate", 4000, 1, 1_000_000);
        int idle = whole(o, "idle-seconds", 5, 0, 3600);
        int drain = whole(o, "drain-seconds", 5, 0, 600);
        if (connections < processes) {
            throw new IllegalArgumentException("--connections " + connections + " is fewer than --processes " + processes);
        }
        if ((connections + processes - 1) / processes > 18_000) {
            throw new IllegalArgumentException("--connections " + connections + " over " + processes + " process(es) is more than "
                    + "18,000 per process (each process may open 20,000 files here); raise --processes");
        }
        InetSocketAddress target = pool(o);
        List<Integer> blocksAt = blocksAt(o, warmup, seconds - warmup);
        PoolProbe probe = o.containsKey("stats-url") ? new PoolProbe(URI.create(o.get("stats-url"))) : null;
        PoolProbe.Sample before = probe == null ? null : probe.sample(true);

        int connectSeconds = (int) Math.ceil((double) connections / connectRate) + 3;
        long startAt = System.currentTimeMillis() + (connectSeconds + idle) * 1000L;
        out.printf(Locale.ROOT, "loadgen: %,d connections to %s over %d process(es), %,d submits/s for %d s with the warm-up (connect phase %d s, idle %d s)%n",
                connections, target, processes, rate, seconds, connectSeconds, idle);

        List<Child> children = new ArrayList<>();
        Thread inProcessThread = null;
        LoadReport[] holder = new LoadReport[1];
        Throwable[] failed = new Throwable[1];
        int first = 0;
        for (int p = 0; p < processes; p++) {
            int n = connections / processes + (p < connections % processes ? 1 : 0);
            double share = (double) rate * n / connections;
            if (processes == 1) {
                LoadGenerator g = new LoadGenerator(slice(o, n, first, share, startAt));
                inProcessThread = new Thread(() -> {
                    try {
                        holder[0] = g.run();
                    } catch (Throwable t) {
                        failed[0] = t;
                    }
                }, "loadgen-main");
                inProcessThread.start();
            } else {
                children.add(Child.start(o, n, first, share, startAt));
            }
            first += n;
        }

        Thread blockMaker = blocksAt.isEmpty() ? null
                : startBlockMaker(o.get("new-block-command"), startAt + warmup * 1000L, blocksAt, out);
        PoolProbe.Sample loaded = null;
        if (probe != null) {
            // Wait for the connections (or the start), then weigh the pool while they sit idle.
            long deadline = startAt - 1500;
            PoolProbe.Sample s;
            do {
                Thread.sleep(200);
                s = probe.sample(false);
            } while (s.sessions() < connections && System.currentTimeMillis() < deadline);
            loaded = System.currentTimeMillis() < deadline ? probe.sample(true) : s;
        }

        long hardStop = TimeUnit.SECONDS.toMillis(connectSeconds + idle + seconds + drain + 60);
        LoadReport total = new LoadReport();
        if (inProcessThread != null) {
            inProcessThread.join(hardStop);
            if (inProcessThread.isAlive()) {
                throw new IOException("the load generator did not finish in time");
            }
            if (failed[0] != null) {
                throw new IOException("the load generator failed: " + failed[0], failed[0]);
            }
            total.merge(holder[0]);
        }
        for (Child c : children) {
            total.merge(c.await(hardStop));
        }
        if (blockMaker != null) {
            blockMaker.interrupt();
            blockMaker.join(5000);
        }
        PoolProbe.Sample after = probe == null ? null : probe.sample(false);
        print(out, total, before, loaded, after);
        return total;
    }

    /**
     * The seconds of {@code --new-blocks-at}, ascending, counted from the start of the measured
     * window (negative ones fall in the warm-up); empty without it.
     */
    static List<Integer> blocksAt(Map<String, String> o, int warmup, int seconds) {
        String at = o.get("new-blocks-at");
        if (at == null) {
            if (o.containsKey("new-block-command")) {
                throw new IllegalArgumentException("--new-block-command needs --new-blocks-at (when to run it)");
            }
            return List.of();
        }
        if (!o.containsKey("new-block-command")) {
            throw new IllegalArgumentException("--new-blocks-at needs --new-block-command (what makes a block)");
        }
        List<Integer> out = new ArrayList<>();
        for (String part : at.split(",")) {
            int s;
            try {
                s = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--new-blocks-at " + at + ": expected whole seconds separated by commas, e.g. 5,8");
            }
            if (s < -warmup || s >= seconds || (!out.isEmpty() && s <= out.get(out.size() - 1))) {
                throw new IllegalArgumentException("--new-blocks-at " + at + ": expected ascending seconds from the window's start, "
                        + -warmup + ".." + (seconds - 1) + " (negative: in the warm-up)");
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Runs {@code command} ({@code sh -c}) at each of {@code seconds} after {@code windowStart}
     * (epoch milliseconds) and says when each ran and how it ended.
     */
    private static Thread startBlockMaker(String command, long windowStart, List<Integer> seconds, PrintStream out) {
        Thread t = new Thread(() -> {
            for (int s : seconds) {
                try {
                    long wait = windowStart + s * 1000L - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                    Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    boolean done = p.waitFor(30, TimeUnit.SECONDS);
                    if (!done) {
                        p.destroyForcibly();
                    }
                    out.printf(Locale.ROOT, "new block at %s: %s%n", s < 0 ? -s + " s before the window (in the warm-up)" : s + " s into the window",
                            !done ? "the command did not finish in 30 s" : p.exitValue() == 0 ? "made" : "the command failed (exit " + p.exitValue() + ")");
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    out.println("new block at " + s + " s from the window's start: the command could not run: " + e.getMessage());
                }
            }
        }, "loadgen-new-blocks");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A child process running one slice. */
    private record Child(Process process, List<String> lines, Thread reader) {
        static Child start(Map<String, String> o, int n, int first, double rate, long startAt) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java));
            // The children run with this JVM's options (heap, collector, logging) so one command line sets them all.
            cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadGenMain.class.getName(), "--child", "1", "--connections", Integer.toString(n), "--first-index",
                    Integer.toString(first), "--rate", Double.toString(rate), "--start-at", Long.toString(startAt)));
            for (String k : List.of("url", "warmup-seconds", "seconds", "connect-rate", "drain-seconds", "threads", "user", "reconnect-within")) {
                if (o.containsKey(k)) {
                    cmd.add("--" + k);
                    cmd.add(o.get(k));
                }
            }
            if (o.containsKey("same-source")) {
                cmd.add("--same-source");
            }
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "loadgen-child-output");
            t.setDaemon(true);
            t.start();
            return new Child(p, lines, t);
        }

        LoadReport await(long millis) throws IOException, InterruptedException {
            if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("a load generator process did not finish in time and was killed");
            }
            reader.join(5000);
            List<String> copy;
            synchronized (lines) {
                copy = new ArrayList<>(lines);
            }
            if (process.exitValue() != 0 || copy.stream().noneMatch(LoadReport::isEndLine)) {
                throw new IOException("a load generator process failed (exit status " + process.exitValue() + ")");
            }
            return LoadReport.decode(copy);
        }
    }

    private static void print(PrintStream out, LoadReport r, PoolProbe.Sample before, PoolProbe.Sample loaded, PoolProbe.Sample after) {
        LatencyHistogram h = r.roundTrip();
        out.printf(Locale.ROOT, "connections held: %,d of %,d (connect failures %d, authorize refused %d, closed by the pool during the run %d)%n",
                r.connectionsHeld(), r.connectionsWanted(), r.connectFailures, r.authorizeFailures, r.closedByPool());
        out.printf(Locale.ROOT, "submits: %,d in the warm-up, then %,d sent in %.1f s (%,.0f/s), %,d answered, %,d unanswered (warm-up included), "
                + "%,d accepted, rejected by code %s%s%n", r.warmupSubmits, r.submitsSent(), r.submitSeconds, r.submitSeconds > 0 ? r.submitsSent() / r.submitSeconds : 0.0, r.answered(),
                r.unanswered(), r.accepted(), r.rejectedByCode(),
                r.busySkips > 0 ? String.format(Locale.ROOT, " (%,d times no connection was free to submit)", r.busySkips) : "");
        out.printf(Locale.ROOT, "submit round trip: p50 %s, p99 %s, p999 %s, max %s%n", ms(h.quantile(0.5)), ms(h.quantile(0.99)),
                ms(h.quantile(0.999)), ms(h.max()));
        LatencyHistogram during = r.roundTripDuringFanOut();
        if (during.count() > 0) {
            out.printf(Locale.ROOT, "  of which in flight while a new block's job was reaching their generator process's connections: %,d (%.2f%%),"
                    + " p50 %s, p99 %s, p999 %s%n", during.count(), 100.0 * during.count() / Math.max(1, h.count()), ms(during.quantile(0.5)),
                    ms(during.quantile(0.99)), ms(during.quantile(0.999)));
        }
        List<Long> spreads = new ArrayList<>();
        int partial = 0;
        int reach = r.connectionsHeld() - r.closedByPool();
        for (LoadReport.JobArrival a : r.jobs().values()) {
            if (a.connections() >= reach) {
                spreads.add(a.spreadNanos());
            } else {
                partial++;
            }
        }
        if (!spreads.isEmpty()) {
            List<Long> sorted = new ArrayList<>(spreads);
            Collections.sort(sorted);
            out.printf(Locale.ROOT, "new blocks: %d reached every connection; fan-out spread (first to last connection) median %s, max %s; each: %s%s%n",
                    spreads.size(), ms(sorted.get(sorted.size() / 2) / 1000), ms(sorted.get(sorted.size() - 1) / 1000),
                    spreads.stream().map(s -> ms(s / 1000)).toList(), partial > 0 ? "; " + partial + " reached only some" : "");
        } else if (partial > 0) {
            out.printf(Locale.ROOT, "new blocks: %d, none reached every connection%n", partial);
        } else {
            out.println("new blocks: none during the run");
        }
        if (!r.closeReasons.isEmpty()) {
            out.println("closes: " + r.closeReasons);
        }
        if (r.reconnects() > 0 || r.stillOut() > 0) {
            LatencyHistogram w = r.outOfWork();
            out.printf(Locale.ROOT, "lost and reconnected: %,d attempts; %,d connections had a job again, without work p50 %s, p99 %s,"
                    + " max %s; %,d still without work at the end; %,.1f connection-seconds without work (%.3f%% of the run's)%n",
                    r.reconnects(), r.returned(), ms(w.quantile(0.5)), ms(w.quantile(0.99)), ms(w.max()), r.stillOut(),
                    r.outOfWorkSeconds(), r.submitSeconds > 0 ? 100 * r.outOfWorkSeconds() / (r.connectionsWanted() * r.submitSeconds) : 0.0);
        }
        if (before != null && loaded != null) {
            long sessions = Math.max(1, loaded.sessions() - Math.max(0, before.sessions()));
            out.printf(Locale.ROOT, "pool memory: %,d sessions; heap %s → %s (%s per session, %s)%s%n", loaded.sessions(),
                    mib(before.heapUsedBytes()), mib(loaded.heapUsedBytes()),
                    kib((double) (loaded.heapUsedBytes() - before.heapUsedBytes()) / sessions),
                    before.collected() && loaded.collected() ? "live, after a full collection" : "not collected: an upper bound",
                    before.residentBytes() >= 0 ? String.format(Locale.ROOT, "; RSS %s → %s (%s per session)", mib(before.residentBytes()),
                            mib(loaded.residentBytes()), kib((double) (loaded.residentBytes() - before.residentBytes()) / sessions)) : "");
        }
        if (after != null) {
            out.printf(Locale.ROOT, "pool after the run: RSS %s, heap in use %s, %d threads%n", mib(after.residentBytes()),
                    mib(after.heapUsedBytes()), after.threads());
        }
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.3f ms", micros / 1000.0);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String kib(double bytes) {
        return String.format(Locale.ROOT, "%.2f KiB", bytes / 1024);
    }
}
