package org.stratum4j.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.engine.Announcement;
import org.stratum4j.core.engine.DifficultyPolicy;
import org.stratum4j.core.engine.FoundBlock;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.CoinbaseOutput;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.Reconnect;
import org.stratum4j.core.protocol.Response;

/** The server over loopback: the engine's answers on the wire, framing, limits and hostile clients. */
class ServerTest {

    static final Difficulty EASY = Difficulty.of("0.000000001");

    final List<FoundBlock> blocks = new CopyOnWriteArrayList<>();
    PoolEngine engine;
    StratumServer server;
    InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        engine = engine(blocks::add);
        server = StratumServer.builder(engine).listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .eventLoops(2).maxOutboundBytes(8192).maxConnectionsPerAddress(5000).socketSendBuffer(16 * 1024).build();
        server.start();
        address = server.boundAddresses().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** An engine at a fixed, very easy difficulty whose found blocks go to {@code found}. */
    static PoolEngine engine(java.util.function.Consumer<FoundBlock> found) {
        return PoolEngine.builder().clock(Clock.systemUTC())
                .payouts(t -> List.of(CoinbaseOutput.of(t.coinbaseValue(), Hex.decode("51"))))
                .blockSubmitter(b -> {
                    found.accept(b);
                    return CompletableFuture.completedFuture(Optional.empty());
                })
                .difficultyPolicy(DifficultyPolicy.fixed(Difficulty.of("1e-12"), Difficulty.of(1L << 40)))
                .initialDifficulty(EASY)
                .build();
    }

    static BlockTemplate template(int tip) {
        byte[] prev = new byte[32];
        prev[31] = (byte) tip;
        long now = System.currentTimeMillis() / 1000;
        return BlockTemplate.builder().previousBlockHash(Sha256Hash.fromInternalBytes(prev)).bits(CompactBits.of(0x2000ffff))
                .height(100 + tip).curTime(now).minTime(now - 600).coinbaseValue(5_000_000_000L).build();
    }

    /** Subscribes and authorizes; returns the extranonce1 and leaves the client after the notify. */
    static byte[] ready(LineClient c) throws IOException {
        c.sendLine("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"test\"]}");
        Response sub = c.response();
        String en1 = sub.result().toString().replaceAll(".*Str\\[value=([0-9a-f]{8})\\].*", "$1");
        c.sendLine("{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"w1\",\"x\"]}");
        assertThat(c.response().isTrue()).isTrue();
        return Hex.decode(en1);
    }

    static long nonce(Job job, byte[] en1, byte[] en2, boolean accepted) {
        for (long n = 0; ; n++) {
            Sha256Hash h = job.header(en1, en2, job.version(), job.ntime(), n).hash();
            if (EASY.toTarget().isMetBy(h) == accepted && !job.networkTarget().isMetBy(h)) {
                return n;
            }
        }
    }

    static String submit(Job job, String en2, long nonce) {
        return String.format("{\"id\":4,\"method\":\"mining.submit\",\"params\":[\"w1\",\"%s\",\"%s\",\"%08x\",\"%08x\"]}",
                job.id(), en2, job.ntime(), nonce);
    }

    @Test
    void sharesAreJudgedOverTheWireWithEveryCode() throws IOException {
        Announcement a = engine.newTemplate(template(1));
        server.announce(a);
        try (LineClient c = new LineClient(address)) {
            c.sendLine("{\"id\":9,\"method\":\"mining.submit\",\"params\":[\"w1\",\"x\",\"00\",\"00000000\",\"00000000\"]}");
            assertThat(c.response().error().code()).isEqualTo(25);
            byte[] en1 = ready(c);
            Job job = a.job();
            byte[] en2 = new byte[8];
            c.sendLine(submit(job, Hex.encode(en2), nonce(job, en1, en2, true)));
            assertThat(c.response().isTrue()).isTrue();
            c.sendLine(submit(job, Hex.encode(en2), nonce(job, en1, en2, true)));
            assertThat(c.response().error().code()).isEqualTo(22);
            c.sendLine(submit(job, Hex.encode(en2), nonce(job, en1, en2, false)));
            assertThat(c.response().error().code()).isEqualTo(23);
            c.sendLine("{\"id\":4,\"method\":\"mining.submit\",\"params\":[\"w1\",\"nope\",\"0000000000000000\",\"00000000\",\"00000000\"]}");
            assertThat(c.response().error().code()).isEqualTo(21);
            c.sendLine("{\"id\":4,\"method\":\"mining.submit\",\"params\":[\"w2\",\"nope\",\"0000000000000000\",\"00000000\",\"00000000\"]}");
            assertThat(c.response().error().code()).isEqualTo(24);
            c.sendLine(submit(job, "00", 1));
            assertThat(c.response().error().code()).isEqualTo(20);
        }
        assertThat(server.metrics().linesIn()).isGreaterThanOrEqualTo(9);
    }

    @Test
    void aDrainTellsEveryMinerWhereToReconnectSpreadOverTheWindowThenClosesTheRest() throws Exception {
        server.announce(engine.newTemplate(template(1)));
        List<LineClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                LineClient c = new LineClient(address);
                ready(c);
                clients.add(c);
            }
            CompletableFuture<Void> drain = CompletableFuture.runAsync(() -> server.drain(Duration.ofSeconds(1),
                    new Reconnect("pool.example.com", 3333, null)));
            // Each client waits on its own thread, so that its message's arrival time is its own.
            java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(clients.size());
            List<CompletableFuture<Long>> arrivals = new ArrayList<>();
            for (LineClient c : clients) {
                arrivals.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        Reconnect r = c.next(Reconnect.class);
                        assertThat(r.host()).isEqualTo("pool.example.com");
                        assertThat(r.port()).isEqualTo(3333);
                        return System.nanoTime();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }, readers));
            }
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            try {
                for (CompletableFuture<Long> a : arrivals) {
                    long t = a.get(10, TimeUnit.SECONDS);
                    first = Math.min(first, t);
                    last = Math.max(last, t);
                }
            } finally {
                readers.shutdownNow();
            }
            // Ten miners over a second in 100 ms steps (five per event loop): not all at once.
            assertThat(TimeUnit.NANOSECONDS.toMillis(last - first)).isGreaterThanOrEqualTo(400);
            // These miners ignore the message: the drain closes them when its window is over.
            for (LineClient c : clients) {
                assertThat(c.closedByServer()).isTrue();
            }
            drain.get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> new LineClient(address).close()).isInstanceOf(IOException.class);
        } finally {
            for (LineClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void aDrainEndsAsSoonAsEveryMinerHasGone() throws Exception {
        server.announce(engine.newTemplate(template(1)));
        List<LineClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            LineClient c = new LineClient(address);
            ready(c);
            clients.add(c);
        }
        CompletableFuture<Void> drain = CompletableFuture.runAsync(() -> server.drain(Duration.ofSeconds(60)));
        Thread.sleep(300);
        assertThat(drain).isNotDone();
        for (LineClient c : clients) {
            c.close(); // miners that go on their own (or on a message) before their turn
        }
        // Well before the 60 s window: nobody is left to wait for.
        drain.get(20, TimeUnit.SECONDS);
    }

    @Test
    void pipelinedRequestsSplitAcrossPacketsAreAnsweredInOrder() throws Exception {
        server.announce(engine.newTemplate(template(1)));
        try (LineClient c = new LineClient(address)) {
            String all = "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\r\n"
                    + "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"w1\",\"x\"]}\n"
                    + "{\"id\":3,\"method\":\"mining.suggest_difficulty\",\"params\":[0.5]}\n";
            for (char ch : all.toCharArray()) {
                c.send(String.valueOf(ch));
            }
            List<Object> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(c.response().id().toString());
            }
            assertThat(ids).containsExactly("1", "2", "3");
        }
    }

    @Test
    void aHugeLineClosesOnlyThatConnection() throws Exception {
        Announcement a = engine.newTemplate(template(1));
        server.announce(a);
        try (LineClient honest = new LineClient(address); LineClient hostile = new LineClient(address)) {
            byte[] en1 = ready(honest);
            hostile.sendLine("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}");
            hostile.response();
            StringBuilder big = new StringBuilder(1 << 20);
            while (big.length() < (1 << 20)) {
                big.append("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
            }
            try {
                hostile.send(big.toString());
            } catch (IOException e) {
                // the server may close before it has read everything
            }
            assertThat(hostile.closedByServer()).isTrue();
            byte[] en2 = new byte[8];
            honest.sendLine(submit(a.job(), Hex.encode(en2), nonce(a.job(), en1, en2, true)));
            assertThat(honest.response().isTrue()).isTrue();
        }
        assertThat(server.metrics().closesByReason()).containsKey("line too long");
    }

    @Test
    void aMinerThatNeverReadsIsClosedAndOthersKeepWorking() throws Exception {
        try (LineClient honest = new LineClient(address); LineClient sleeper = new LineClient(address, 4096)) {
            sleeper.sendLine("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}");
            byte[] en1 = ready(honest);
            java.util.concurrent.BlockingQueue<Notify> received = new java.util.concurrent.LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        received.add(honest.next(Notify.class));
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            reader.start();
            Announcement last = null;
            // Jobs pile up for the sleeper (it never reads) until the socket buffers and its 8 KiB queue are
            // full, at a pace the honest miner keeps up with.
            for (int i = 0; i < 20_000 && !server.metrics().closesByReason().containsKey("slow reader"); i++) {
                last = engine.newTemplate(template(1 + (i % 2)));
                server.announce(last);
                Thread.sleep(1);
            }
            assertThat(server.metrics().closesByReason()).containsKey("slow reader");
            Notify n;
            do {
                n = received.poll(10, TimeUnit.SECONDS);
                assertThat(n).as("the honest miner keeps getting jobs; closes %s, received so far %d", server.metrics().closesByReason(), received.size()).isNotNull();
            } while (!n.jobId().equals(last.job().id()));
            reader.interrupt();
        }
        assertThat(server.metrics().closesByReason()).containsEntry("slow reader", 1L);
    }

    @Test
    void connectionsPerAddressAreLimited() throws Exception {
        StratumServer small = StratumServer.builder(engine).listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .eventLoops(1).maxConnectionsPerAddress(2).build();
        small.start();
        try (LineClient a = new LineClient(small.boundAddresses().get(0)); LineClient b = new LineClient(small.boundAddresses().get(0));
             LineClient c = new LineClient(small.boundAddresses().get(0))) {
            assertThat(c.closedByServer()).isTrue();
            for (LineClient admitted : List.of(a, b)) {
                admitted.sendLine("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}");
                assertThat(admitted.response().error()).isNull();
            }
        } finally {
            small.close();
        }
        assertThat(small.metrics().refusedConnections()).isEqualTo(1);
    }

    @Test
    void abruptResetsMidLineHarmNoOne() throws Exception {
        Announcement a = engine.newTemplate(template(1));
        server.announce(a);
        try (LineClient honest = new LineClient(address)) {
            byte[] en1 = ready(honest);
            for (int i = 0; i < 50; i++) {
                // Half a request, then a TCP reset (linger 0): the pool sees ECONNRESET with a partial line buffered.
                java.net.Socket cut = new java.net.Socket();
                cut.connect(address, 5000);
                cut.getOutputStream().write(("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n"
                        + "{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"w").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                cut.setSoLinger(true, 0);
                cut.close();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            // A reset connection may still wait in the listen backlog when the loop below first looks: wait until all 51 were
            // accepted. The transport counts a connection gone when it closes; the engine ends its session just after.
            while ((server.metrics().acceptedConnections() < 51 || server.metrics().openConnections() > 1
                    || engine.stats().sessions() > 1) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.metrics().openConnections()).isEqualTo(1);
            assertThat(engine.stats().sessions()).isEqualTo(1);
            byte[] en2 = new byte[8];
            honest.sendLine(submit(a.job(), Hex.encode(en2), nonce(a.job(), en1, en2, true)));
            assertThat(honest.response().isTrue()).isTrue();
        }
        assertThat(server.metrics().closesByReason().keySet()).isSubsetOf("read error", "write error", "peer closed");
    }

    @Test
    void garbageBeforeSubscribeIsClosed() throws Exception {
        try (LineClient c = new LineClient(address)) {
            c.sendLine("GET / HTTP/1.1");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void twoThousandConnectionsEachGetADistinctExtranonceAndTheJob() throws Exception {
        Announcement a = engine.newTemplate(template(1));
        server.announce(a);
        java.util.concurrent.atomic.AtomicReference<Job> latest = new java.util.concurrent.atomic.AtomicReference<>(a.job());
        List<LineClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2000; i++) {
                clients.add(new LineClient(address));
            }
            for (LineClient c : clients) {
                c.sendLine("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}");
            }
            List<byte[]> en1s = new ArrayList<>();
            Set<String> distinct = new HashSet<>();
            for (LineClient c : clients) {
                Response r = c.response();
                String en1 = r.result().toString().replaceAll(".*Str\\[value=([0-9a-f]{8})\\].*", "$1");
                en1s.add(Hex.decode(en1));
                distinct.add(en1);
                assertThat(c.next(Notify.class).jobId()).isEqualTo(a.job().id());
            }
            assertThat(distinct).hasSize(2000);
            assertThat(server.metrics().openConnections()).isEqualTo(2000);
            // Every tenth connection authorizes and mines: all its shares are accepted, first all sent, then all read.
            byte[] en2 = new byte[8];
            for (int i = 0; i < clients.size(); i += 10) {
                LineClient c = clients.get(i);
                c.sendLine("{\"id\":2,\"method\":\"mining.authorize\",\"params\":[\"w1\",\"x\"]}");
                c.sendLine(submit(a.job(), Hex.encode(en2), nonce(a.job(), en1s.get(i), en2, true)));
            }
            for (int i = 0; i < clients.size(); i += 10) {
                LineClient c = clients.get(i);
                assertThat(c.response().isTrue()).as("authorize on connection %d", i).isTrue();
                assertThat(c.response().isTrue()).as("share on connection %d", i).isTrue();
            }
            Announcement b = engine.newTemplate(template(2));
            latest.set(b.job());
            server.announce(b);
            for (int i = 0; i < clients.size(); i += 10) {
                LineClient c = clients.get(i);
                Notify n = c.next(Notify.class);
                assertThat(n.cleanJobs()).isTrue();
                assertThat(n.jobId()).isEqualTo(b.job().id());
                c.sendLine(submit(b.job(), Hex.encode(en2), nonce(b.job(), en1s.get(i), en2, true)));
                c.sendLine(submit(a.job(), Hex.encode(en2), nonce(a.job(), en1s.get(i), en2, true)));
            }
            for (int i = 0; i < clients.size(); i += 10) {
                LineClient c = clients.get(i);
                assertThat(c.response().isTrue()).as("share on the new tip, connection %d", i).isTrue();
                assertThat(c.response().error().code()).as("share on the old tip, connection %d", i).isEqualTo(21);
            }
            assertThat(server.metrics().openConnections()).isEqualTo(2000);
        } finally {
            for (LineClient c : clients) {
                c.close();
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.metrics().openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.metrics().openConnections()).isZero();
        assertThat(engine.stats().sessions()).isZero();
        // Healthy afterwards: a newcomer is served and mines.
        try (LineClient c = new LineClient(address)) {
            byte[] en1 = ready(c);
            Job job = latest.get();
            c.sendLine(submit(job, Hex.encode(new byte[8]), nonce(job, en1, new byte[8], true)));
            assertThat(c.response().isTrue()).isTrue();
        }
    }

    @Test
    void proxyListenerUsesTheRealAddressForLimitsAndRefusesGarbage() throws Exception {
        StratumServer proxied = StratumServer.builder(engine)
                .listen(Listener.on(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).withProxyProtocol(true)
                        .withStartingDifficulty(Difficulty.of(64)))
                .eventLoops(1).maxConnectionsPerAddress(1).build();
        proxied.start();
        InetSocketAddress at = proxied.boundAddresses().get(0);
        try (LineClient first = new LineClient(at); LineClient second = new LineClient(at); LineClient other = new LineClient(at);
             LineClient garbage = new LineClient(at)) {
            // Header and first request in one packet, as balancers send them.
            first.send("PROXY TCP4 203.0.113.7 192.0.2.1 40000 3333\r\n{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n");
            assertThat(first.response().error()).isNull();
            assertThat(first.next(org.stratum4j.core.protocol.SetDifficulty.class).difficulty()).isEqualTo(Difficulty.of(64));
            // The same real client again is over its limit of one, although all four come from the balancer's address.
            second.send("PROXY TCP4 203.0.113.7 192.0.2.1 40001 3333\r\n");
            assertThat(second.closedByServer()).isTrue();
            other.send("PROXY TCP4 198.51.100.9 192.0.2.1 40002 3333\r\n{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n");
            assertThat(other.response().error()).isNull();
            garbage.send("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n");
            assertThat(garbage.closedByServer()).isTrue();
        } finally {
            proxied.close();
        }
        assertThat(proxied.metrics().closesByReason()).containsKeys("bad PROXY header", "refused: too many connections from one address");
    }

    @Test
    void closeStopsEveryThread() throws Exception {
        try (LineClient c = new LineClient(address)) {
            ready(c);
            server.close();
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("stratum-"));
    }

    @Test
    void aDrainStopsAcceptingTellsEveryMinerToReconnectSpreadOverTheWindowThenClosesTheRest() throws Exception {
        server.announce(engine.newTemplate(template(1)));
        List<LineClient> miners = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            LineClient c = new LineClient(address);
            ready(c);
            miners.add(c);
        }
        long started = System.nanoTime();
        Thread drain = new Thread(() -> server.drain(Duration.ofMillis(1000)));
        drain.start();
        List<Long> toldAtMillis = new CopyOnWriteArrayList<>();
        List<Thread> readers = new java.util.ArrayList<>();
        for (LineClient c : miners) {
            Thread t = new Thread(() -> {
                try {
                    c.next(Reconnect.class);
                    toldAtMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                } catch (IOException e) {
                    // closed before being told: counted as missing below
                }
            });
            t.start();
            readers.add(t);
        }
        Thread.sleep(200);
        // No new miner once the drain has begun.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            try (LineClient late = new LineClient(address)) {
                ready(late);
            }
        }).isInstanceOf(IOException.class);
        drain.join(10_000);
        for (Thread t : readers) {
            t.join(5_000);
        }
        assertThat(toldAtMillis).as("every miner told to reconnect").hasSize(40);
        // Spread: some in the first half of the window, some in the second, none long after it.
        assertThat(toldAtMillis).anyMatch(ms -> ms < 500).anyMatch(ms -> ms >= 500).allMatch(ms -> ms < 3_000);
        for (LineClient c : miners) {
            assertThat(c.closedByServer()).isTrue();
            c.close();
        }
    }

    @Test
    void aDrainWithNoMinersLeftEndsWithoutWaitingOutItsWindow() {
        long started = System.nanoTime();
        server.drain(Duration.ofSeconds(60));
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(30);
    }
}
