package org.stratum4j.examples.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.stratum4j.core.bitcoin.Difficulty;

/**
 * {@code java -cp stratum-example-pool.jar org.stratum4j.examples.demo.DemoNodeMain [options]}: the
 * demo chain as a node that several pools follow with {@code --chain bitcoind}, as they would follow
 * one Bitcoin Core (see {@link DemoNode}). Runs until interrupted.
 */
public final class DemoNodeMain {

    private DemoNodeMain() {
    }

    private static final String HELP = """
            Usage: java -cp stratum-example-pool.jar org.stratum4j.examples.demo.DemoNodeMain [options]

              --bind ADDRESS               where the JSON-RPC port listens (default: 127.0.0.1)
              --port PORT                  JSON-RPC port (default: 18443, regtest's; 0: any free port)
              --rpc-user USER              (default: demo)
              --rpc-password PASSWORD      required unless --bind is a loopback address (default there: demo)
              --network-difficulty DIFF    the chain's fixed difficulty, at most 1 (default: 0.05)
              --block-interval SECONDS     the chain also finds a block of its own this often (default: never)
              --long-poll-hold SECONDS     a long poll is answered after this long without a new tip (default: 20)

            Pools follow it with: --chain bitcoind --rpc-url http://127.0.0.1:18443/ --rpc-user demo --rpc-password demo
            """;

    /** Entry point; exits 2 on a bad option or a port that cannot be bound. */
    public static void main(String[] args) throws InterruptedException {
        String bind = "127.0.0.1";
        int port = 18443;
        String user = "demo";
        String password = null;
        Difficulty difficulty = Difficulty.of("0.05");
        Duration interval = null;
        Duration hold = Duration.ofSeconds(20);
        DemoNode node;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help")) {
                    System.out.print(HELP);
                    return;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a.startsWith("--") ? a + " needs a value (see --help)" : "unknown option " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--bind" -> bind = v;
                    case "--port" -> port = number(a, v, 0, 65535);
                    case "--rpc-user" -> user = v;
                    case "--rpc-password" -> password = v;
                    case "--network-difficulty" -> difficulty = difficulty(v);
                    case "--block-interval" -> interval = Duration.ofMillis(Math.round(seconds(a, v, 0.1, 86_400) * 1000));
                    case "--long-poll-hold" -> hold = Duration.ofMillis(Math.round(seconds(a, v, 1, 600) * 1000));
                    default -> throw new IllegalArgumentException("unknown option " + a + " (see --help)");
                }
            }
            InetAddress address = InetAddress.getByName(bind);
            if (password == null) {
                if (!address.isLoopbackAddress()) {
                    throw new IllegalArgumentException("--bind " + bind + " is reachable from other machines: give --rpc-password");
                }
                password = "demo";
            }
            DemoChain chain = DemoChain.builder().networkDifficulty(difficulty).blockInterval(interval).build();
            node = DemoNode.start(chain, new InetSocketAddress(address, port), user, password, hold);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("demo node: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.printf("demo node: regtest chain, difficulty %s, JSON-RPC at %s (user %s)%n", difficulty, node.url(), user);
        CountDownLatch stopped = new CountDownLatch(1);
        DemoNode running = node;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static int number(String flag, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(flag + " " + v + ": expected a whole number " + min + ".." + max);
    }

    private static double seconds(String flag, String v, double min, double max) {
        try {
            double d = Double.parseDouble(v);
            if (d >= min && d <= max) {
                return d;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(flag + " " + v + ": expected seconds " + min + ".." + max);
    }

    private static Difficulty difficulty(String v) {
        try {
            return Difficulty.of(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--network-difficulty " + v + ": a difficulty is a positive number like 0.05");
        }
    }
}
