package org.stratum4j.examples.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.stratum4j.examples.pool.ConfigException;
import org.stratum4j.examples.pool.ExamplePool;
import org.stratum4j.examples.pool.PoolConfig;
import org.stratum4j.examples.pool.PoolMain;

/** Example pools for tests: in this JVM from a test's base flags plus its own, or as a child JVM's command line. */
public final class TestPools {

    private TestPools() {
    }

    /** Starts a pool in this JVM with {@code base} followed by {@code extra} (later flags win where they repeat). */
    public static ExamplePool start(String[] base, String... extra) throws ConfigException {
        List<String> args = new ArrayList<>(List.of(base));
        args.addAll(List.of(extra));
        return ExamplePool.start(PoolConfig.parse(args.toArray(String[]::new)));
    }

    /** Waits until {@code condition} holds, polling every 20 ms; fails after {@code seconds} naming {@code what}. */
    public static void await(java.util.function.BooleanSupplier condition, long seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The command that runs {@link PoolMain} with {@code args} in a child JVM on this test's class path. */
    public static List<String> childCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", System.getProperty("java.class.path"), PoolMain.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A loopback port free at the time of asking. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits (up to 30 s) until the child pool listens on loopback {@code port}; fails if it exits first. */
    public static void awaitListening(Process pool, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!pool.isAlive()) {
                throw new AssertionError("the pool exited with status " + pool.exitValue());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                if (s.isConnected()) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the pool did not listen on " + port + " within 30 s");
    }
}
