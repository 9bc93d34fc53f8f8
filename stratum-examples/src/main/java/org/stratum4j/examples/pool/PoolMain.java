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

    /**
     * SIGTERM (a service manager's stop, a rolling restart) drains the pool and exits 0; Ctrl-C and
     * other ways out still just close it. Where the JVM offers no signal handling the default
     * stays: SIGTERM closes the pool without a drain.
     */
    private static void drainOnSigterm(ExamplePool pool) {
        // sun.misc.Signal through reflection: the compiler warns about it (and the build treats warnings as errors).
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object term = signal.getConstructor(String.class).newInstance("TERM");
            Object drain = java.lang.reflect.Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            new Thread(() -> {
                                pool.drain();
                                System.exit(0);
                            }, "drain").start();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "SIGTERM: drain";
                    });
            signal.getMethod("handle", signal, handler).invoke(null, term, drain);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            System.err.println("stratum4j pool: SIGTERM will close without a drain (" + e + ")");
        }
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
        drainOnSigterm(pool);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
