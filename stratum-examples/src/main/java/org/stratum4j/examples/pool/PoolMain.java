package org.stratum4j.examples.pool;

import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar stratum-example-pool.jar [options]}: starts the pool and runs until interrupted.
 * A configuration mistake prints one sentence and exits with status 2; never a stack trace.
 */
public final class PoolMain {

    /** A regtest address to mine to on the demo chain: its program is SHA-256("stratum4j demo")[0..20], so nobody holds its key. */
    public static final String DEMO_ADDRESS = "bcrt1q0z9q7p6dsqa95f67hd3xcnhdmvr8088h0dmfms";

    private PoolMain() {
    }

    /** Entry point. */
    public static void main(String[] args) {
        PoolConfig config;
        try {
            config = PoolConfig.parse(args);
        } catch (ConfigException e) {
            System.err.println("stratum4j pool: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (config.helpRequested()) {
            System.out.print(PoolConfig.help());
            return;
        }
        ExamplePool pool;
        try {
            pool = ExamplePool.start(config);
        } catch (ConfigException e) {
            System.err.println("stratum4j pool: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pool.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
