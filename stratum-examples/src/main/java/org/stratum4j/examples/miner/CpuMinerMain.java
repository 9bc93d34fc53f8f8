package org.stratum4j.examples.miner;

import java.nio.file.Path;
import java.util.Locale;
import org.stratum4j.examples.pool.PoolMain;
import org.stratum4j.transport.nio.ClientTls;

/**
 * {@code java -cp stratum-example-pool.jar org.stratum4j.examples.miner.CpuMinerMain [options]}:
 * mines on a pool and prints hashrate and accepted/rejected shares every 10 seconds. With no
 * options it mines on the example pool's demo chain at 127.0.0.1:3333 to the demo address.
 */
public final class CpuMinerMain {

    private CpuMinerMain() {
    }

    private static final String HELP = """
            Usage: java -cp stratum-example-pool.jar org.stratum4j.examples.miner.CpuMinerMain [options]

              --url URL          stratum+tcp://host:port, stratum+ssl://host:port, or stratum2+tcp://host:port/KEY for
                                 Stratum V2 (KEY: the pool's authority key, as its banner prints it)
                                 (default: stratum+tcp://127.0.0.1:3333)
              --user USER        worker name; on a solo pool, your address[.worker] (default: the demo chain's demo address + .cpu)
              --password PASS    password (default: x)
              --threads N        hashing threads (default: the number of cores)
              --tls-trust FILE   over stratum+ssl, trust the pool certificate(s) in this PEM file (default: the JDK's CAs)
              --tls-insecure     over stratum+ssl, accept any certificate (loopback testing only)
              --seconds N        stop after N seconds (default: run until interrupted)
              --work-switch immediate|cpuminer
                                 immediate: every notify or difficulty moves the threads to new work at once;
                                 cpuminer: as cpuminer 2.5.1, a difficulty applies from the next notify and each
                                 thread finishes its work until a share (to test a pool with) (default: immediate)
            """;

    /** Entry point; exits 2 on a bad option or a refused connection. */
    public static void main(String[] args) throws InterruptedException {
        String url = "stratum+tcp://127.0.0.1:3333";
        String user = PoolMain.DEMO_ADDRESS + ".cpu";
        String password = "x";
        int threads = Runtime.getRuntime().availableProcessors();
        Path trust = null;
        boolean insecure = false;
        long seconds = 0;
        CpuMiner.WorkSwitch workSwitch = CpuMiner.WorkSwitch.IMMEDIATE;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help" -> {
                        System.out.print(HELP);
                        return;
                    }
                    case "--tls-insecure" -> insecure = true;
                    case "--url", "--user", "--password", "--threads", "--tls-trust", "--seconds", "--work-switch" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(a + " needs a value");
                        }
                        String v = args[++i];
                        switch (a) {
                            case "--url" -> url = v;
                            case "--user" -> user = v;
                            case "--password" -> password = v;
                            case "--threads" -> threads = Integer.parseInt(v);
                            case "--tls-trust" -> trust = Path.of(v);
                            case "--work-switch" -> workSwitch = workSwitch(v);
                            default -> seconds = Long.parseLong(v);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a + " (see --help)");
                }
            }
            PoolUrl pool;
            try {
                pool = PoolUrl.parse(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--url " + e.getMessage());
            }
            Miner miner;
            if (pool.v2()) {
                miner = new Sv2CpuMiner(pool.address(), pool.authority(), user, threads);
            } else {
                ClientTls tls = null;
                if (pool.tls()) {
                    tls = insecure ? ClientTls.insecureTrustAll() : trust != null ? ClientTls.trusting(trust) : ClientTls.systemTrust();
                }
                miner = new CpuMiner(pool.address(), tls, user, password, threads, workSwitch);
            }
            try {
                miner.start();
            } catch (Exception e) {
                throw new IllegalArgumentException("cannot mine on " + url + ": " + rootMessage(e));
            }
            System.out.printf("mining on %s as %s with %d threads%n", url, user, threads);
            run(miner, seconds);
        } catch (IllegalArgumentException e) {
            System.err.println("cpuminer: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(Miner miner, long seconds) throws InterruptedException {
        long start = System.nanoTime();
        long lastHashes = 0;
        long last = start;
        Runtime.getRuntime().addShutdownHook(new Thread(miner::close));
        while (!miner.closedFuture().isDone() && (seconds == 0 || System.nanoTime() - start < seconds * 1_000_000_000L)) {
            Thread.sleep(Math.min(10_000, seconds == 0 ? 10_000 : Math.max(1, seconds * 1000 - (System.nanoTime() - start) / 1_000_000)));
            long now = System.nanoTime();
            long h = miner.hashes();
            System.out.printf("%.2f MH/s, difficulty %s, accepted %d, rejected %d%n", (h - lastHashes) / ((now - last) / 1e9) / 1e6,
                    miner.difficulty(), miner.accepted(), miner.rejected());
            lastHashes = h;
            last = now;
        }
        miner.close();
    }

    private static CpuMiner.WorkSwitch workSwitch(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "immediate" -> CpuMiner.WorkSwitch.IMMEDIATE;
            case "cpuminer" -> CpuMiner.WorkSwitch.CPUMINER;
            default -> throw new IllegalArgumentException("--work-switch " + v + ": use immediate or cpuminer");
        };
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
