package org.stratum4j.transport.nio;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.protocol.Notify;

/**
 * Measures the transport on this machine, server and clients in one JVM over loopback, and prints
 * the figures (not a test: timings are never asserted). Fan-out: the time from
 * {@link StratumServer#announce} until the first and the last of N connections has decoded the new
 * job. TLS: handshakes per second. Memory: heap per idle session.
 *
 * <pre>
 * ./mvnw -q -pl stratum-core,stratum-transport-nio test-compile exec:exec@probe -Dprobe.args="4000 20 plain"
 * </pre>
 */
public final class TransportProbe {

    private TransportProbe() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        boolean tls = args.length > 2 && args[2].equals("tls");
        PoolEngine engine = ServerTest.engine(b -> { });
        Listener listener = Listener.on(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        if (tls) {
            listener = listener.withTls(TlsConfig.fromPem(TlsConfigTest.tls("pool-cert.pem"), TlsConfigTest.tls("pool-key.pem")));
        }
        int tip = 1;
        long heapBefore = usedHeap();
        try (StratumServer server = StratumServer.builder(engine).listen(listener).maxConnectionsPerAddress(n + 10)
                .maxConnections(n + 10).build();
             ClientGroup clients = ClientGroup.start(1)) {
            server.start();
            server.announce(engine.newTemplate(ServerTest.template(tip++)));
            InetSocketAddress at = server.boundAddresses().get(0);
            AtomicLongArray received = new AtomicLongArray(n);
            CountDownLatch[] latch = {new CountDownLatch(n)};
            String[] expected = {null};
            List<StratumClient> connected = new ArrayList<>();
            long t0 = System.nanoTime();
            List<CompletableFuture<StratumClient>> pending = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                pending.add(clients.connect(at, tls ? ClientTls.insecureTrustAll() : null, new StratumClient.Listener() {
                    @Override
                    public void onNotify(StratumClient client, Notify notify) {
                        if (expected[0] == null || notify.jobId().equals(expected[0])) {
                            received.set(index, System.nanoTime());
                            latch[0].countDown();
                        }
                    }
                }));
                if (pending.size() == 500) {
                    for (CompletableFuture<StratumClient> f : pending) {
                        connected.add(f.get(60, TimeUnit.SECONDS));
                    }
                    pending.clear();
                }
            }
            for (CompletableFuture<StratumClient> f : pending) {
                connected.add(f.get(60, TimeUnit.SECONDS));
            }
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%d %s connections in %.2f s (%.0f per second)%n", n, tls ? "TLS" : "plain", connectSeconds, n / connectSeconds);
            List<CompletableFuture<StratumClient.Subscription>> subs = new ArrayList<>();
            for (StratumClient c : connected) {
                subs.add(c.subscribe("probe"));
            }
            for (CompletableFuture<StratumClient.Subscription> s : subs) {
                s.get(60, TimeUnit.SECONDS);
            }
            if (!latch[0].await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not every connection got its first job");
            }
            long heapAfter = usedHeap();
            System.out.printf("heap: %.1f KiB per idle session (server and client sides together, %d sessions open)%n",
                    (heapAfter - heapBefore) / 1024.0 / n, server.metrics().openConnections());
            double[] firsts = new double[rounds];
            double[] lasts = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                Thread.sleep(200);
                var announcement = engine.newTemplate(ServerTest.template(tip++));
                expected[0] = announcement.job().id();
                latch[0] = new CountDownLatch(n);
                long start = System.nanoTime();
                server.announce(announcement);
                if (!latch[0].await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("round " + r + ": " + latch[0].getCount() + " connections never got the job");
                }
                long first = Long.MAX_VALUE;
                long last = Long.MIN_VALUE;
                for (int i = 0; i < n; i++) {
                    first = Math.min(first, received.get(i));
                    last = Math.max(last, received.get(i));
                }
                firsts[r] = (first - start) / 1e6;
                lasts[r] = (last - start) / 1e6;
            }
            Arrays.sort(firsts);
            Arrays.sort(lasts);
            System.out.printf("fan-out to %d connections over %d new blocks: first %.1f ms (median), last %.1f ms median,"
                    + " %.1f ms worst; bytes out %d%n", n, rounds, firsts[rounds / 2], lasts[rounds / 2], lasts[rounds - 1],
                    server.metrics().bytesOut());
            for (StratumClient c : connected) {
                c.close();
            }
        }
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
