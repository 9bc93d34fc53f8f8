package org.stratum4j.examples.proxy;

import static org.stratum4j.examples.pool.CommandLine.address;
import static org.stratum4j.examples.pool.CommandLine.difficulty;
import static org.stratum4j.examples.pool.CommandLine.number;
import static org.stratum4j.examples.pool.CommandLine.port;
import static org.stratum4j.examples.pool.CommandLine.single;
import static org.stratum4j.examples.pool.CommandLine.whole;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.examples.miner.PoolUrl;
import org.stratum4j.examples.pool.CommandLine;
import org.stratum4j.examples.pool.CommandLine.Option;
import org.stratum4j.examples.pool.ConfigException;
import org.stratum4j.examples.pool.PoolConfig;

/**
 * The proxy's settings, from flags and an optional {@code --config} file, as the pool's
 * ({@link CommandLine}). Checked as read: a mistake, or two flags that contradict each other, is
 * a {@link ConfigException} naming them.
 */
public final class ProxyConfig {

    private static final CommandLine FLAGS = new CommandLine(List.of(
            new Option("upstream", "URL[,URL…]", "none", "the pools, in order: primary, then backups (stratum+tcp://HOST:PORT,"
                    + " stratum+ssl://HOST:PORT, or stratum2+tcp://HOST:PORT/KEY: one Stratum V2 extended channel); required"),
            new Option("upstream-user", "NAME", "none", "the account (worker name) the proxy mines as upstream; required"),
            new Option("upstream-password", "PASSWORD", "x", "its password"),
            new Option("per-miner-workers", null, "", "authorize each miner upstream as NAME.MINER (MINER: its worker name after the"
                    + " last dot), so the pool sees every miner; otherwise all shares go up as NAME"),
            new Option("upstream-timeout", "SECONDS", "60", "an upstream silent this long (or not ready this long after connecting) is"
                    + " replaced by the next one; also the longest a forwarded share waits for its answer"),
            new Option("return-after", "SECONDS", "60", "on a backup, move back once a trial session with the primary has been"
                    + " healthy this long"),
            new Option("tls-trust", "FILE", "the JDK's CAs", "for stratum+ssl upstreams, trust the certificate(s) in this PEM file"),
            new Option("tls-insecure", null, "", "for stratum+ssl upstreams, accept any certificate (testing only)"),
            new Option("bind", "ADDRESS", "0.0.0.0", "address the miners' and stats ports listen on"),
            new Option("port", "PORT[:DIFF],…", "3334", "port(s) for the farm's miners, each with an optional starting difficulty"),
            new Option("difficulty", "DIFF", "1024", "a miner's starting difficulty (the proxy's own; shares meeting the upstream's"
                    + " go up)"),
            new Option("vardiff-min", "DIFF", "1", "the lowest difficulty vardiff gives a miner"),
            new Option("vardiff-max", "DIFF", "none", "the highest"),
            new Option("vardiff-seconds-per-share", "SECONDS", "10", "vardiff's aim for each miner"),
            new Option("miner-extranonce2-size", "BYTES", "4", "bytes of extranonce2 each miner rolls (2..8); an upstream must give"
                    + " at least 2 more"),
            new Option("version-mask", "HEX", "1fffe000", "version-rolling bits asked for upstream and offered to miners (0: none)"),
            new Option("stats-port", "PORT", "none", "serve /stats, /metrics and /health (HTTP) on this port"),
            new Option("stats-bind", "ADDRESS", "127.0.0.1", "address the stats port listens on"),
            new Option("web-port", "PORT", "none", "the farm's dashboard: hashrate, workers by name (/miner/NAME for NAME.*), blocks"
                    + " found and their upstream verdicts, and its JSON API"),
            new Option("web-bind", "ADDRESS", "0.0.0.0", "address the dashboard listens on"),
            new Option("web-title", "TEXT", "stratum4j proxy", "the farm's name on the dashboard"),
            new Option("max-connections", "N", "65536", "miners connected at once (at most 65,536: each gets a 2-byte index)"),
            new Option("ban-threshold", "N", "100", "refuse an address for 10 minutes once a connection sends N rejected shares in a"
                    + " minute that are 90% or more of its shares; 0 never bans"),
            new Option("config", "FILE", "none", "read name = value lines (these flags without dashes) from FILE"),
            new Option("help", null, "", "print this help and exit")));

    /** Bytes of each miner's index (its extranonce1): 65,536 miners per proxy. */
    static final int INDEX_BYTES = 2;

    boolean help;
    List<PoolUrl> upstreams = List.of();
    String upstreamUser;
    String upstreamPassword = "x";
    boolean perMinerWorkers;
    Duration upstreamTimeout = Duration.ofSeconds(60);
    Duration returnAfter = Duration.ofSeconds(60);
    Path tlsTrust;
    boolean tlsInsecure;
    InetAddress bind;
    List<PoolConfig.Port> ports = List.of(new PoolConfig.Port(3334, null));
    Difficulty difficulty = Difficulty.of(1024);
    Difficulty vardiffMin = Difficulty.of(1);
    Difficulty vardiffMax;
    double vardiffSecondsPerShare = 10;
    int minerExtranonce2Size = 4;
    int versionMask = 0x1fffe000;
    Integer statsPort;
    InetAddress statsBind;
    Integer webPort;
    InetAddress webBind;
    String webTitle = "stratum4j proxy";
    int maxConnections = 1 << (8 * INDEX_BYTES);
    int banThreshold = 100;

    private ProxyConfig() {
    }

    /**
     * Reads and checks the flags.
     *
     * @throws ConfigException naming the flag(s) and what is allowed
     */
    public static ProxyConfig parse(String... args) throws ConfigException {
        ProxyConfig c = new ProxyConfig();
        c.apply(FLAGS.read(args));
        return c;
    }

    private void apply(Map<String, List<String>> m) throws ConfigException {
        help = m.containsKey("help");
        if (help) {
            return;
        }
        if (!m.containsKey("upstream")) {
            throw new ConfigException("--upstream is required: the pool(s) to mine on, e.g. --upstream stratum+tcp://pool.example:3333");
        }
        List<PoolUrl> urls = new ArrayList<>();
        for (String v : m.get("upstream")) {
            for (String item : v.split(",")) {
                try {
                    urls.add(PoolUrl.parse(item));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("--upstream " + e.getMessage());
                }
            }
        }
        upstreams = List.copyOf(urls);
        if (!m.containsKey("upstream-user")) {
            throw new ConfigException("--upstream-user is required: the account (worker name) the proxy mines as upstream");
        }
        upstreamUser = single(m, "upstream-user").strip();
        if (upstreamUser.isEmpty()) {
            throw new ConfigException("--upstream-user must not be empty");
        }
        if (m.containsKey("upstream-password")) {
            upstreamPassword = single(m, "upstream-password");
        }
        perMinerWorkers = m.containsKey("per-miner-workers");
        if (perMinerWorkers && upstreams.stream().anyMatch(PoolUrl::v2)) {
            throw new ConfigException("--per-miner-workers needs Stratum V1 upstreams: a Stratum V2 channel has one user, so the"
                    + " proxy mines as --upstream-user there");
        }
        if (m.containsKey("upstream-timeout")) {
            upstreamTimeout = seconds("upstream-timeout", single(m, "upstream-timeout"));
        }
        if (m.containsKey("return-after")) {
            returnAfter = seconds("return-after", single(m, "return-after"));
        }
        tlsTrust = m.containsKey("tls-trust") ? Path.of(single(m, "tls-trust")) : null;
        tlsInsecure = m.containsKey("tls-insecure");
        if (tlsTrust != null && tlsInsecure) {
            throw new ConfigException("--tls-trust and --tls-insecure contradict each other: give one");
        }
        bind = m.containsKey("bind") ? address("bind", single(m, "bind")) : null;
        if (m.containsKey("port")) {
            ports = CommandLine.ports("port", m.get("port"));
        }
        if (m.containsKey("difficulty")) {
            difficulty = difficulty("difficulty", single(m, "difficulty"));
        }
        if (m.containsKey("vardiff-min")) {
            vardiffMin = difficulty("vardiff-min", single(m, "vardiff-min"));
        }
        vardiffMax = m.containsKey("vardiff-max") ? difficulty("vardiff-max", single(m, "vardiff-max")) : null;
        if (m.containsKey("vardiff-seconds-per-share")) {
            vardiffSecondsPerShare = number("vardiff-seconds-per-share", single(m, "vardiff-seconds-per-share"), 0.1, 3600);
        }
        if (vardiffMax != null && vardiffMax.compareTo(vardiffMin) < 0) {
            throw new ConfigException("--vardiff-max " + vardiffMax + " is below --vardiff-min " + vardiffMin);
        }
        String minFlag = "--vardiff-min" + (m.containsKey("vardiff-min") ? "" : " (its default)");
        CommandLine.withinRange(m.containsKey("difficulty") ? "--difficulty " + difficulty : "the default --difficulty " + difficulty,
                difficulty, vardiffMin, minFlag, vardiffMax, "--vardiff-max");
        for (PoolConfig.Port p : ports) {
            if (p.difficulty() != null) {
                CommandLine.withinRange("--port " + p, p.difficulty(), vardiffMin, minFlag, vardiffMax, "--vardiff-max");
            }
        }
        if (m.containsKey("miner-extranonce2-size")) {
            minerExtranonce2Size = whole("miner-extranonce2-size", single(m, "miner-extranonce2-size"), 2, 8);
        }
        if (m.containsKey("version-mask")) {
            String v = single(m, "version-mask").strip();
            try {
                versionMask = (int) Long.parseLong(v, 16);
                if (Long.parseLong(v, 16) > 0xffffffffL) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new ConfigException("--version-mask " + v + ": a mask is up to 8 hex digits, like 1fffe000 (0: no rolling)");
            }
        }
        statsPort = m.containsKey("stats-port") ? port("stats-port", single(m, "stats-port")) : null;
        statsBind = m.containsKey("stats-bind") ? address("stats-bind", single(m, "stats-bind")) : InetAddress.getLoopbackAddress();
        webPort = m.containsKey("web-port") ? port("web-port", single(m, "web-port")) : null;
        webBind = m.containsKey("web-bind") ? address("web-bind", single(m, "web-bind")) : null;
        if (m.containsKey("web-title")) {
            webTitle = single(m, "web-title").strip();
        }
        CommandLine.onlyWith(m, webPort != null, "--web-port", "web-bind", "web-title");
        CommandLine.onlyWith(m, statsPort != null, "--stats-port", "stats-bind");
        CommandLine.onlyWith(m, upstreams.stream().anyMatch(PoolUrl::tls), "a stratum+ssl:// upstream", "tls-trust", "tls-insecure");
        CommandLine.onlyWith(m, upstreams.size() > 1, "more than one upstream (a primary to return to)", "return-after");
        if (m.containsKey("max-connections")) {
            maxConnections = whole("max-connections", single(m, "max-connections"), 1, 1 << (8 * INDEX_BYTES));
        }
        if (m.containsKey("ban-threshold")) {
            banThreshold = whole("ban-threshold", single(m, "ban-threshold"), 0, 1_000_000);
        }
    }

    private static Duration seconds(String flag, String v) throws ConfigException {
        return Duration.ofMillis(Math.round(number(flag, v, 1, 86_400) * 1000));
    }

    /** The help text. */
    public static String help() {
        return FLAGS.help("Usage: java -cp stratum-example-pool.jar org.stratum4j.examples.proxy.ProxyMain [options]\n\n"
                + "A mining proxy (stratum4j): a farm's miners through one upstream connection, each share checked here, only those"
                + " meeting the upstream's difficulty sent on, with failover to backup pools.\n\n");
    }

    /** Whether {@code --help} was asked for. */
    public boolean helpRequested() {
        return help;
    }
}
