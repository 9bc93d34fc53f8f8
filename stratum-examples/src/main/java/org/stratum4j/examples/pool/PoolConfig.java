package org.stratum4j.examples.pool;

import static org.stratum4j.examples.pool.CommandLine.address;
import static org.stratum4j.examples.pool.CommandLine.choice;
import static org.stratum4j.examples.pool.CommandLine.difficulty;
import static org.stratum4j.examples.pool.CommandLine.number;
import static org.stratum4j.examples.pool.CommandLine.port;
import static org.stratum4j.examples.pool.CommandLine.single;
import static org.stratum4j.examples.pool.CommandLine.whole;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stratum4j.core.bitcoin.Difficulty;

/**
 * The example pool's settings, from command-line flags and an optional {@code --config} file of
 * {@code name = value} lines (the same names without dashes; flags given on the command line win).
 * Every value is checked as it is read; a mistake is a {@link ConfigException} whose message names
 * the flag, the value, and what is allowed.
 */
public final class PoolConfig {

    /** Where templates come from. */
    public enum Chain {
        /** The embedded demo chain. */
        DEMO,
        /** Bitcoin Core over JSON-RPC. */
        BITCOIND
    }

    /** Who the coinbase pays. */
    public enum Mode {
        /** Each miner's own address, from its worker name. */
        SOLO,
        /** The pool's address; shares are accounted per worker (PPLNS). */
        POOL
    }

    /** How pool mode pays a block. */
    public enum PayoutScheme {
        /** Every block to {@code --payout-address}. */
        POOL_ADDRESS,
        /** Miners' addresses in the coinbase, over a PPLNS window read from the share store. */
        PPLNS_COINBASE
    }

    /** A Stratum port and its optional starting difficulty. */
    public record Port(int port, Difficulty difficulty) {
        @Override
        public String toString() {
            return difficulty == null ? String.valueOf(port) : port + ":" + difficulty;
        }
    }

    private static final CommandLine FLAGS = new CommandLine(List.of(
            new CommandLine.Option("bind", "ADDRESS", "0.0.0.0", "address the Stratum, TLS and stats ports listen on"),
            new CommandLine.Option("port", "PORT[:DIFF],…", "3333", "Stratum port(s), repeatable or comma-separated, each with an optional starting difficulty"),
            new CommandLine.Option("chain", "demo|bitcoind", "demo", "where templates come from: the embedded demo chain or Bitcoin Core"),
            new CommandLine.Option("mode", "solo|pool", "solo", "solo: blocks pay the address in the worker name (address.worker); pool: blocks pay --payout-address"),
            new CommandLine.Option("payout-address", "ADDRESS", "none", "the pool's address (required with --mode pool)"),
            new CommandLine.Option("difficulty", "DIFF", "0.001 demo, 1024 bitcoind", "starting share difficulty"),
            new CommandLine.Option("vardiff", "on|off", "on", "adjust each miner's difficulty to its hashrate"),
            new CommandLine.Option("vardiff-seconds-per-share", "SECONDS", "3.33", "vardiff's target time between a miner's shares"),
            new CommandLine.Option("vardiff-change-interval", "SECONDS", "10", "least time between two difficulty changes of one miner after its first"),
            new CommandLine.Option("vardiff-min", "DIFF", "0.00001 demo, 1 bitcoind", "lowest difficulty vardiff sets"),
            new CommandLine.Option("vardiff-max", "DIFF", "1099511627776", "highest difficulty vardiff sets"),
            new CommandLine.Option("rpc-url", "URL", "http://127.0.0.1:8332/", "Bitcoin Core's RPC endpoint"),
            new CommandLine.Option("rpc-user", "USER", "none", "RPC user (with --rpc-password)"),
            new CommandLine.Option("rpc-password", "PASSWORD", "none", "RPC password"),
            new CommandLine.Option("rpc-cookie", "FILE", "none", "Bitcoin Core's .cookie file (instead of user and password)"),
            new CommandLine.Option("share-log", "FILE", "none", "append every share as a JSON line, on disk before its 'true' is sent"),
            new CommandLine.Option("database", "URL", "none", "PostgreSQL share store: postgresql://user:password@host:port/dbname or jdbc:postgresql:…;"
                    + " the share log becomes its journal (default file stratum4j-journal-INSTANCE.jsonl)"),
            new CommandLine.Option("database-password-file", "FILE", "none", "the database password, when not in the URL (else PGPASSWORD)"),
            new CommandLine.Option("share-retention-days", "DAYS", "30", "days of shares the database keeps (older daily partitions are dropped)"),
            new CommandLine.Option("block-check-seconds", "SECONDS", "30", "how often the store looks up found blocks on the chain (confirmations, orphans)"),
            new CommandLine.Option("payout-scheme", "pplns-coinbase|pool-address", "pplns-coinbase with --database, else pool-address",
                    "pool mode: pay miners' addresses in every coinbase over a PPLNS window of shares in the database, or pay"
                    + " every block to --payout-address"),
            new CommandLine.Option("pplns-window-factor", "N", "2", "the PPLNS window is N times the network difficulty of shares"),
            new CommandLine.Option("pplns-refresh-seconds", "SECONDS", "10", "how often the PPLNS window is read again from the database"),
            new CommandLine.Option("pool-fee", "PERCENT", "0", "the pool's part of each block (to --payout-address)"),
            new CommandLine.Option("min-payout", "SATS", "10000", "a payee due less is carried (held at --payout-address) to a later block"),
            new CommandLine.Option("max-payout-outputs", "N", "50", "most payee outputs in a coinbase (the rest are carried); the coinbase also"
                    + " stays under 4 KiB whatever N is"),
            new CommandLine.Option("stats-port", "PORT", "none", "HTTP port for /stats, /metrics (Prometheus) and /health"),
            new CommandLine.Option("stats-bind", "ADDRESS", "127.0.0.1", "address the stats port listens on (it shows workers and the process: keep it private)"),
            new CommandLine.Option("demo-network-difficulty", "DIFF", "0.05", "the demo chain's fixed network difficulty (at most 1)"),
            new CommandLine.Option("demo-block-interval", "SECONDS", "never", "the demo chain also finds a block of its own this often"),
            new CommandLine.Option("tls-port", "PORT[:DIFF],…", "none", "Stratum-over-TLS port(s) (stratum+ssl://), with --tls-cert and --tls-key"),
            new CommandLine.Option("tls-cert", "FILE", "none", "PEM certificate chain for the TLS ports"),
            new CommandLine.Option("sv2-port", "PORT[:DIFF],…", "none", "Stratum V2 port(s) (stratum2+tcp://HOST:PORT/KEY): Noise-encrypted binary"
                    + " mining beside V1, on the same jobs, shares and blocks"),
            new CommandLine.Option("sv2-authority-key", "FILE", "sv2-authority.key", "the pool's Stratum V2 authority key (created, mode 600,"
                    + " when missing): it signs the servers' certificates, and miners pin its public key"),
            new CommandLine.Option("sv2-certificate-hours", "HOURS", "24", "validity of each server certificate; a new one is issued at half"
                    + " of it"),
            new CommandLine.Option("tls-key", "FILE", "none", "PEM private key for the TLS ports (as openssl req -x509 -nodes writes it)"),
            new CommandLine.Option("proxy-protocol", null, "off", "every connection on the Stratum and TLS ports starts with a PROXY v1 or v2 header"),
            new CommandLine.Option("max-connections", "N", "100000", "most miner connections at once; more are refused at accept"),
            new CommandLine.Option("max-connections-per-address", "N", "1000", "most connections from one address (raise it for farms behind NAT)"),
            new CommandLine.Option("ban-threshold", "N", "100", "refuse an address for 10 minutes once a connection sends N rejected shares in a minute "
                    + "that are 90% or more of its shares (stale ones not counted); 0 never bans"),
            new CommandLine.Option("event-loops", "N", "the number of cores", "threads that serve miner connections"),
            new CommandLine.Option("instance-id", "0..255", "0", "first byte of every extranonce1 and end of every job id: distinct per pool"
                    + " process behind one balancer"),
            new CommandLine.Option("reconnect-address", "HOST:PORT", "none", "the address miners dial (the balancer's public name and port),"
                    + " named in the client.reconnect a drain sends: cpuminer acts only on one that names an address; without it the"
                    + " message names none, and most miners dial the address they used"),
            new CommandLine.Option("drain-seconds", "SECONDS", "30", "on SIGTERM: stop accepting, tell miners to reconnect spread over this"
                    + " long, then close the rest, copy the journal into the database and exit 0"),
            new CommandLine.Option("web-port", "PORT", "none", "the public dashboard: pool and miner pages with charts, and their JSON API"),
            new CommandLine.Option("web-bind", "ADDRESS", "0.0.0.0", "address the dashboard listens on"),
            new CommandLine.Option("web-title", "TEXT", "stratum4j pool", "the pool's name on the dashboard"),
            new CommandLine.Option("alert-webhook", "URL", "none", "POST a JSON event here when a worker goes offline or comes back, a block is"
                    + " found, or the node or the database is lost or back (repeatable; retried, never slows mining)"),
            new CommandLine.Option("alert-offline-minutes", "MINUTES", "10", "a worker that sent shares and has sent none for this long is offline"),
            new CommandLine.Option("config", "FILE", "none", "read name = value lines (these flags without dashes) from FILE"),
            new CommandLine.Option("help", null, "", "print this help and exit")));

    InetAddress bind;
    List<Port> ports = List.of(new Port(3333, null));
    Chain chain = Chain.DEMO;
    Mode mode = Mode.SOLO;
    String payoutAddress;
    Difficulty difficulty;
    boolean vardiff = true;
    double vardiffSecondsPerShare = 10.0 / 3;
    double vardiffChangeInterval = 10;
    Difficulty vardiffMin;
    Difficulty vardiffMax = Difficulty.of(1L << 40);
    URI rpcUrl = URI.create("http://127.0.0.1:8332/");
    String rpcUser;
    String rpcPassword;
    Path rpcCookie;
    Path shareLog;
    /** The share store, or null; its password never leaves this value's own toString. */
    org.stratum4j.examples.store.DatabaseUrl database;
    int shareRetentionDays = 30;
    double blockCheckSeconds = 30;
    PayoutScheme payoutScheme;
    java.math.BigDecimal pplnsWindowFactor = java.math.BigDecimal.valueOf(2);
    java.math.BigDecimal poolFee = java.math.BigDecimal.ZERO;
    double pplnsRefreshSeconds = 10;
    long minPayout = 10_000;
    int maxPayoutOutputs = 50;
    Integer statsPort;
    InetAddress statsBind = InetAddress.getLoopbackAddress();
    Difficulty demoNetworkDifficulty = Difficulty.of("0.05");
    Duration demoBlockInterval;
    List<Port> tlsPorts = List.of();
    List<Port> sv2Ports = List.of();
    Path sv2AuthorityKey;
    Double sv2CertificateHours;
    Path tlsCert;
    Path tlsKey;
    boolean proxyProtocol;
    int instanceId;
    double drainSeconds = 30;
    Integer webPort;
    InetAddress webBind;
    String webTitle = "stratum4j pool";
    List<URI> alertWebhooks = List.of();
    double alertOfflineMinutes = 10;
    /** Host and port named in a drain's client.reconnect, or null. */
    String reconnectHost;
    Integer reconnectPort;
    int maxConnections = 100_000;
    int maxConnectionsPerAddress = 1000;
    Integer eventLoops;
    int banThreshold = 100;
    boolean help;

    private PoolConfig() {
    }

    /**
     * Reads the flags (and the {@code --config} file they name).
     *
     * @throws ConfigException with one sentence naming what is wrong
     */
    public static PoolConfig parse(String... args) throws ConfigException {
        PoolConfig c = new PoolConfig();
        c.apply(FLAGS.read(args));
        return c;
    }

    private void apply(Map<String, List<String>> m) throws ConfigException {
        help = m.containsKey("help");
        if (help) {
            return;
        }
        bind = m.containsKey("bind") ? address("bind", single(m, "bind")) : null;
        if (m.containsKey("port")) {
            ports = CommandLine.ports("port", m.get("port"));
        }
        if (m.containsKey("chain")) {
            chain = choice("chain", single(m, "chain"), Chain.class);
        }
        if (m.containsKey("mode")) {
            mode = choice("mode", single(m, "mode"), Mode.class);
        }
        payoutAddress = m.containsKey("payout-address") ? single(m, "payout-address") : null;
        difficulty = m.containsKey("difficulty") ? difficulty("difficulty", single(m, "difficulty"))
                : Difficulty.of(chain == Chain.DEMO ? "0.001" : "1024");
        if (m.containsKey("vardiff")) {
            String v = single(m, "vardiff").toLowerCase(Locale.ROOT);
            if (!v.equals("on") && !v.equals("off")) {
                throw new ConfigException("--vardiff " + v + ": use on or off");
            }
            vardiff = v.equals("on");
        }
        if (m.containsKey("vardiff-seconds-per-share")) {
            vardiffSecondsPerShare = number("vardiff-seconds-per-share", single(m, "vardiff-seconds-per-share"), 0.1, 3600);
        }
        if (m.containsKey("vardiff-change-interval")) {
            vardiffChangeInterval = number("vardiff-change-interval", single(m, "vardiff-change-interval"), 0, 3600);
        }
        vardiffMin = m.containsKey("vardiff-min") ? difficulty("vardiff-min", single(m, "vardiff-min"))
                : Difficulty.of(chain == Chain.DEMO ? "0.00001" : "1");
        if (m.containsKey("vardiff-max")) {
            vardiffMax = difficulty("vardiff-max", single(m, "vardiff-max"));
        }
        if (vardiffMin.compareTo(vardiffMax) > 0) {
            throw new ConfigException("--vardiff-min " + vardiffMin + " is above --vardiff-max " + vardiffMax);
        }
        if (m.containsKey("rpc-url")) {
            String u = single(m, "rpc-url");
            try {
                rpcUrl = URI.create(u);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--rpc-url " + u + " is not a URL: " + e.getMessage());
            }
            if (!"http".equals(rpcUrl.getScheme()) && !"https".equals(rpcUrl.getScheme()) || rpcUrl.getHost() == null) {
                throw new ConfigException("--rpc-url " + u + " must be an http:// URL with a host, like http://127.0.0.1:8332/");
            }
        }
        rpcUser = m.containsKey("rpc-user") ? single(m, "rpc-user") : null;
        rpcPassword = m.containsKey("rpc-password") ? single(m, "rpc-password") : null;
        rpcCookie = m.containsKey("rpc-cookie") ? Path.of(single(m, "rpc-cookie")) : null;
        shareLog = m.containsKey("share-log") ? Path.of(single(m, "share-log")) : null;
        statsPort = m.containsKey("stats-port") ? port("stats-port", single(m, "stats-port")) : null;
        if (m.containsKey("stats-bind")) {
            statsBind = address("stats-bind", single(m, "stats-bind"));
        }
        if (m.containsKey("demo-network-difficulty")) {
            demoNetworkDifficulty = difficulty("demo-network-difficulty", single(m, "demo-network-difficulty"));
            if (demoNetworkDifficulty.toDouble() > 1) {
                throw new ConfigException("--demo-network-difficulty " + demoNetworkDifficulty + " is above 1, the most the demo chain allows");
            }
        }
        if (m.containsKey("demo-block-interval")) {
            double s = number("demo-block-interval", single(m, "demo-block-interval"), 0.1, 86_400);
            demoBlockInterval = Duration.ofMillis((long) (s * 1000));
        }
        if (m.containsKey("tls-port")) {
            tlsPorts = CommandLine.ports("tls-port", m.get("tls-port"));
        }
        if (m.containsKey("sv2-port")) {
            sv2Ports = CommandLine.ports("sv2-port", m.get("sv2-port"));
        }
        sv2AuthorityKey = m.containsKey("sv2-authority-key") ? Path.of(single(m, "sv2-authority-key")) : null;
        if (m.containsKey("sv2-certificate-hours")) {
            sv2CertificateHours = number("sv2-certificate-hours", single(m, "sv2-certificate-hours"), 1, 24 * 365);
        }
        tlsCert = m.containsKey("tls-cert") ? Path.of(single(m, "tls-cert")) : null;
        tlsKey = m.containsKey("tls-key") ? Path.of(single(m, "tls-key")) : null;
        proxyProtocol = m.containsKey("proxy-protocol");
        if (m.containsKey("instance-id")) {
            instanceId = whole("instance-id", single(m, "instance-id"), 0, 255);
        }
        if (m.containsKey("drain-seconds")) {
            drainSeconds = number("drain-seconds", single(m, "drain-seconds"), 0, 3600);
        }
        webPort = m.containsKey("web-port") ? port("web-port", single(m, "web-port")) : null;
        if (m.containsKey("web-bind")) {
            webBind = address("web-bind", single(m, "web-bind"));
        }
        if (m.containsKey("web-title")) {
            webTitle = single(m, "web-title").strip();
            if (webTitle.isEmpty() || webTitle.length() > 80) {
                throw new ConfigException("--web-title: 1 to 80 characters");
            }
        }
        if (m.containsKey("alert-webhook")) {
            List<URI> hooks = new ArrayList<>();
            for (String v : m.get("alert-webhook")) {
                URI u;
                try {
                    u = new URI(v.strip());
                } catch (java.net.URISyntaxException e) {
                    throw new ConfigException("--alert-webhook " + v + " is not a URL: " + e.getMessage());
                }
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                    throw new ConfigException("--alert-webhook " + v + " must be an http:// or https:// URL with a host");
                }
                hooks.add(u);
            }
            alertWebhooks = List.copyOf(hooks);
        }
        if (m.containsKey("alert-offline-minutes")) {
            alertOfflineMinutes = number("alert-offline-minutes", single(m, "alert-offline-minutes"), 1, 10_080);
        }
        if (m.containsKey("reconnect-address")) {
            String v = single(m, "reconnect-address");
            int colon = v.lastIndexOf(':');
            String host = colon > 0 ? v.substring(0, colon) : "";
            if (host.isEmpty() || host.length() > 253 || !host.chars().allMatch(ch -> ch > ' ' && ch < 127 && ch != '"' && ch != '\\')) {
                throw new ConfigException("--reconnect-address " + v + ": expected HOST:PORT, like pool.example.com:3333");
            }
            reconnectHost = host;
            reconnectPort = whole("reconnect-address", v.substring(colon + 1), 1, 65535);
        }
        if (m.containsKey("max-connections")) {
            maxConnections = whole("max-connections", single(m, "max-connections"), 1, 10_000_000);
        }
        if (m.containsKey("max-connections-per-address")) {
            maxConnectionsPerAddress = whole("max-connections-per-address", single(m, "max-connections-per-address"), 1, 10_000_000);
        }
        if (m.containsKey("ban-threshold")) {
            banThreshold = whole("ban-threshold", single(m, "ban-threshold"), 0, 1_000_000);
        }
        if (m.containsKey("event-loops")) {
            eventLoops = whole("event-loops", single(m, "event-loops"), 1, 256);
        }
        if (m.containsKey("block-check-seconds")) {
            blockCheckSeconds = number("block-check-seconds", single(m, "block-check-seconds"), 0.1, 3600);
        }
        if (m.containsKey("share-retention-days")) {
            shareRetentionDays = whole("share-retention-days", single(m, "share-retention-days"), 1, 3650);
        }
        if (m.containsKey("payout-scheme")) {
            String v = single(m, "payout-scheme").strip();
            payoutScheme = switch (v) {
                case "pplns-coinbase" -> PayoutScheme.PPLNS_COINBASE;
                case "pool-address" -> PayoutScheme.POOL_ADDRESS;
                default -> throw new ConfigException("--payout-scheme " + v + ": expected pplns-coinbase or pool-address");
            };
        }
        if (m.containsKey("pplns-window-factor")) {
            pplnsWindowFactor = decimal("pplns-window-factor", single(m, "pplns-window-factor"), "0.01", "1000");
        }
        if (m.containsKey("pplns-refresh-seconds")) {
            pplnsRefreshSeconds = number("pplns-refresh-seconds", single(m, "pplns-refresh-seconds"), 0.1, 3600);
        }
        if (m.containsKey("pool-fee")) {
            poolFee = decimal("pool-fee", single(m, "pool-fee"), "0", "100");
        }
        if (m.containsKey("min-payout")) {
            minPayout = whole("min-payout", single(m, "min-payout"), 0, 2_100_000_000);
        }
        if (m.containsKey("max-payout-outputs")) {
            maxPayoutOutputs = whole("max-payout-outputs", single(m, "max-payout-outputs"), 0, 1000);
        }
        if (m.containsKey("database")) {
            Path passwordFile = m.containsKey("database-password-file") ? Path.of(single(m, "database-password-file")) : null;
            try {
                database = org.stratum4j.examples.store.DatabaseUrl.parse(single(m, "database"), passwordFile, System.getenv("PGPASSWORD"));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--database: " + e.getMessage());
            }
            if (shareLog == null) {
                shareLog = Path.of("stratum4j-journal-" + instanceId + ".jsonl");
            }
        } else if (m.containsKey("database-password-file")) {
            throw new ConfigException("--database-password-file needs --database");
        }
        checkTogether();
        checkNothingIgnored(m);
    }

    /**
     * Flags that would silently do nothing, or be silently changed, are refused: an operator who
     * gives a flag expects it to act.
     */
    private void checkNothingIgnored(Map<String, List<String>> m) throws ConfigException {
        String minFlag = "--vardiff-min" + (m.containsKey("vardiff-min") ? "" : " (its default with --chain " + chain.name().toLowerCase(Locale.ROOT) + ")");
        String maxFlag = "--vardiff-max" + (m.containsKey("vardiff-max") ? "" : " (its default)");
        CommandLine.withinRange(m.containsKey("difficulty") ? "--difficulty " + difficulty : "the default --difficulty " + difficulty,
                difficulty, vardiffMin, minFlag, vardiffMax, maxFlag);
        for (String flag : List.of("port", "tls-port", "sv2-port")) {
            for (Port p : flag.equals("port") ? ports : flag.equals("tls-port") ? tlsPorts : sv2Ports) {
                if (p.difficulty() != null) {
                    CommandLine.withinRange("--" + flag + " " + p, p.difficulty(), vardiffMin, minFlag, vardiffMax, maxFlag);
                }
            }
        }
        CommandLine.onlyWith(m, vardiff, "--vardiff on", "vardiff-seconds-per-share", "vardiff-change-interval");
        CommandLine.onlyWith(m, chain == Chain.BITCOIND, "--chain bitcoind", "rpc-url", "rpc-user", "rpc-password", "rpc-cookie");
        CommandLine.onlyWith(m, chain == Chain.DEMO, "--chain demo", "demo-network-difficulty");
        CommandLine.onlyWith(m, database != null, "--database", "share-retention-days", "block-check-seconds");
        CommandLine.onlyWith(m, payoutScheme == PayoutScheme.PPLNS_COINBASE, "--payout-scheme pplns-coinbase (pool mode with --database)",
                "pplns-window-factor", "pplns-refresh-seconds", "pool-fee", "min-payout", "max-payout-outputs");
        CommandLine.onlyWith(m, m.containsKey("alert-webhook"), "--alert-webhook", "alert-offline-minutes");
    }

    private static java.math.BigDecimal decimal(String flag, String v, String min, String max) throws ConfigException {
        try {
            java.math.BigDecimal d = new java.math.BigDecimal(v.strip());
            if (d.compareTo(new java.math.BigDecimal(min)) >= 0 && d.compareTo(new java.math.BigDecimal(max)) <= 0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new ConfigException("--" + flag + " " + v + ": expected a number " + min + ".." + max);
    }

    /** Rules that involve several settings. */
    private void checkTogether() throws ConfigException {
        if (payoutScheme == null) {
            payoutScheme = mode == Mode.POOL && database != null ? PayoutScheme.PPLNS_COINBASE : PayoutScheme.POOL_ADDRESS;
        }
        if (payoutScheme == PayoutScheme.PPLNS_COINBASE && (mode != Mode.POOL || database == null)) {
            throw new ConfigException("--payout-scheme pplns-coinbase needs --mode pool and --database (the window is read from the"
                    + " share store)");
        }
        if (mode == Mode.POOL && payoutAddress == null) {
            throw new ConfigException("--mode pool needs --payout-address (the address blocks pay)");
        }
        if (mode == Mode.SOLO && payoutAddress != null) {
            throw new ConfigException("--payout-address is for --mode pool; in solo mode each block pays the address in its worker name");
        }
        if (!tlsPorts.isEmpty() && (tlsCert == null || tlsKey == null)) {
            throw new ConfigException("--tls-port needs --tls-cert and --tls-key (PEM files)");
        }
        if (webPort != null && webPort != 0 && statsPort != null && webPort.intValue() == statsPort.intValue()) {
            throw new ConfigException("port " + webPort + " is given twice (--web-port and --stats-port)");
        }
        if (webPort == null && (webBind != null || !webTitle.equals("stratum4j pool"))) {
            throw new ConfigException("--web-bind and --web-title are used only with --web-port");
        }
        if (statsPort == null && !statsBind.isLoopbackAddress()) {
            throw new ConfigException("--stats-bind is used only with --stats-port");
        }
        if (sv2Ports.isEmpty() && (sv2AuthorityKey != null || sv2CertificateHours != null)) {
            throw new ConfigException("--sv2-authority-key and --sv2-certificate-hours are used only with --sv2-port");
        }
        if (!sv2Ports.isEmpty() && sv2AuthorityKey == null) {
            sv2AuthorityKey = Path.of("sv2-authority.key");
        }
        if (tlsPorts.isEmpty() && (tlsCert != null || tlsKey != null)) {
            throw new ConfigException("--tls-cert and --tls-key are used only with --tls-port");
        }
        if (chain == Chain.BITCOIND) {
            if (rpcCookie != null && (rpcUser != null || rpcPassword != null)) {
                throw new ConfigException("give either --rpc-cookie or --rpc-user with --rpc-password, not both");
            }
            if (rpcCookie == null && (rpcUser == null || rpcPassword == null)) {
                throw new ConfigException("--chain bitcoind needs --rpc-cookie, or --rpc-user and --rpc-password");
            }
            if (demoBlockInterval != null) {
                throw new ConfigException("--demo-block-interval is for --chain demo");
            }
        }
        List<Integer> seen = new ArrayList<>();
        for (Port p : concat(concat(ports, tlsPorts), sv2Ports)) {
            if (p.port() != 0 && (seen.contains(p.port()) || (statsPort != null && statsPort == p.port())
                    || (webPort != null && webPort == p.port()))) {
                throw new ConfigException("port " + p.port() + " is given twice");
            }
            seen.add(p.port());
        }
    }

    private static List<Port> concat(List<Port> a, List<Port> b) {
        List<Port> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The help text: every flag with its default. */
    public static String help() {
        return FLAGS.help("Usage: java -jar stratum-example-pool.jar [options]\n\n"
                + "A Stratum V1 pool for Bitcoin miners (stratum4j). With no options it serves its embedded demo chain on port 3333.\n\n");
    }

    /** Whether {@code --help} was asked for. */
    public boolean helpRequested() {
        return help;
    }

    /** The chain. */
    public Chain chain() {
        return chain;
    }

    /** The payout mode. */
    public Mode mode() {
        return mode;
    }

    /** The Stratum ports. */
    public List<Port> ports() {
        return ports;
    }
}
