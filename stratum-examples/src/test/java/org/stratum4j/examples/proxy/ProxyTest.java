package org.stratum4j.examples.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stratum4j.examples.testing.TestPools.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.JsonValue;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.Response;
import org.stratum4j.examples.miner.CpuMiner;
import org.stratum4j.examples.pool.ExamplePool;
import org.stratum4j.examples.pool.PoolMain;
import org.stratum4j.examples.testing.TestPools;
import org.stratum4j.transport.nio.ClientGroup;
import org.stratum4j.transport.nio.StratumClient;

/**
 * The proxy between real example pools (demo chain) and CPU miners or hand-driven clients: shares
 * checked locally and forwarded, the upstream's verdicts, blocks through the proxy, the extranonce
 * split, version rolling through, failover to a backup and back, stale answers after a switch,
 * and upstreams that talk garbage or refuse the account.
 */
class ProxyTest {

    /** Upstream share difficulty: fixed, so that the tests know which shares go up. */
    static final String UPSTREAM_DIFFICULTY = "0.0001";
    /** The demo chain's difficulty: a hand-made share kept below it is not a block, so the job it was on stays in force. */
    static final Difficulty NETWORK = Difficulty.of("0.002");

    static ExamplePool upstreamPool(int port) throws Exception {
        return TestPools.start(new String[] {"--bind", "127.0.0.1", "--port", String.valueOf(port), "--demo-network-difficulty", NETWORK.toString(),
            "--difficulty", UPSTREAM_DIFFICULTY, "--vardiff", "off", "--vardiff-min", UPSTREAM_DIFFICULTY});
    }

    static String url(ExamplePool pool) {
        return "stratum+tcp://127.0.0.1:" + pool.boundAddresses().get(0).getPort();
    }

    static Proxy proxy(String upstreams, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--upstream", upstreams, "--upstream-user", PoolMain.DEMO_ADDRESS, "--bind", "127.0.0.1",
                "--port", "0", "--difficulty", "0.00002", "--vardiff-min", "0.00002"));
        args.addAll(List.of(extra));
        return Proxy.start(ProxyConfig.parse(args.toArray(String[]::new)));
    }

    /** A hand-driven miner on the proxy: what the proxy sends, and shares made to order. */
    static final class Hand implements StratumClient.Listener, AutoCloseable {
        final ClientGroup group = ClientGroup.start(1);
        final LinkedBlockingQueue<Notify> jobs = new LinkedBlockingQueue<>();
        volatile Difficulty difficulty;
        final StratumClient client;
        final StratumClient.Subscription subscription;
        int nextEn2;
        java.util.concurrent.Callable<Response> last;

        Hand(InetSocketAddress proxy, String worker, boolean rollVersions) throws Exception {
            this(proxy, worker, rollVersions ? "1fffe000" : null);
        }

        /** {@code mask}: the version-rolling mask the proxy must grant (null: do not ask). */
        Hand(InetSocketAddress proxy, String worker, String mask) throws Exception {
            client = group.connect(proxy, this).get(10, TimeUnit.SECONDS);
            if (mask != null) {
                Response r = client.configureVersionRolling(0x1fffe000, 2).get(10, TimeUnit.SECONDS);
                assertThat(((JsonValue.Object) r.result()).fields()).containsEntry("version-rolling.mask", new JsonValue.Str(mask));
            }
            subscription = client.subscribe("hand/1").get(10, TimeUnit.SECONDS);
            assertThat(client.authorize(worker, "x").get(10, TimeUnit.SECONDS).isTrue()).isTrue();
        }

        @Override
        public void onNotify(StratumClient c, Notify n) {
            jobs.add(n);
        }

        @Override
        public void onSetDifficulty(StratumClient c, Difficulty d) {
            difficulty = d;
        }

        Notify nextJob() throws InterruptedException {
            Notify n = jobs.poll(30, TimeUnit.SECONDS);
            assertThat(n).as("a job from the proxy").isNotNull();
            return n;
        }

        /** Mines a share on {@code n} whose hash meets {@code meets} and not {@code misses} (null: no upper bound); returns the answer. */
        Response share(String worker, Notify n, int version, Difficulty meets, Difficulty misses) throws Exception {
            Job job = Job.fromNotify(n, subscription.extranonce1().length, subscription.extranonce2Size(), Instant.now());
            byte[] en2 = new byte[subscription.extranonce2Size()];
            en2[0] = (byte) ++nextEn2;
            for (long nonce = 0; ; nonce++) {
                var hash = job.header(subscription.extranonce1(), en2, version, n.ntime() & 0xffffffffL, nonce).hash();
                if (meets.toTarget().isMetBy(hash) && (misses == null || !misses.toTarget().isMetBy(hash))) {
                    int found = (int) nonce;
                    last = () -> (version == n.version() ? client.submit(worker, n.jobId(), en2, n.ntime(), found)
                            : client.submit(worker, n.jobId(), en2, n.ntime(), found, version & 0x1fffe000)).get(30, TimeUnit.SECONDS);
                    return last.call();
                }
            }
        }

        @Override
        public void close() {
            client.close();
            group.close();
        }
    }

    @Test
    void aFarmMinesThroughTheProxyOntoThePoolWithEveryVerdictTheUpstreams() throws Exception {
        try (ExamplePool pool = upstreamPool(0);
             Proxy proxy = proxy(url(pool), "--per-miner-workers", "--stats-port", "0", "--web-port", "0", "--web-bind", "127.0.0.1")) {
            InetSocketAddress at = proxy.boundAddresses().get(0);
            await(() -> proxy.upstream().isPresent(), 30, "the proxy on its upstream");
            try (Hand hand = new Hand(at, "farm.hand", true)) {
                // The split: a 2-byte index for each miner, 4 bytes to roll.
                assertThat(hand.subscription.extranonce1()).hasSize(2);
                assertThat(hand.subscription.extranonce2Size()).isEqualTo(4);
                Notify job = hand.nextJob();
                assertThat(hand.difficulty).isEqualTo(Difficulty.of("0.00002"));
                // Below the upstream's difficulty: judged here, answered at once, not sent up.
                long before = pool.engine().stats().accepted();
                Difficulty upstream = Difficulty.of(UPSTREAM_DIFFICULTY);
                assertThat(hand.share("farm.hand", job, job.version(), Difficulty.of("0.00002"), upstream).isTrue()).isTrue();
                assertThat(proxy.miners().get("farm.hand").forwarded()).isZero();
                // Meeting it, with rolled version bits: forwarded, and the pool's true is the miner's true.
                Response up = hand.share("farm.hand", job, job.version() | 0x00a4e000, upstream, NETWORK);
                assertThat(up.isTrue()).as("%s", up).isTrue();
                assertThat(pool.engine().stats().accepted()).isEqualTo(before + 1);
                MinerBook.Counts c = proxy.miners().get("farm.hand");
                assertThat(c.accepted()).isEqualTo(2);
                assertThat(c.forwarded()).isEqualTo(1);
                assertThat(c.upstreamAccepted()).isEqualTo(1);
                // The same share again: the proxy's own duplicate filter answers 22, and nothing more goes up.
                assertThat(hand.last.call().error().code()).isEqualTo(22);
                assertThat(proxy.miners().get("farm.hand").forwarded()).isEqualTo(1);
                assertThat(pool.engine().stats().accepted()).isEqualTo(before + 1);
            }
            try (CpuMiner rig1 = new CpuMiner(at, null, "farm.rig1", "x", 1);
                 CpuMiner rig2 = new CpuMiner(at, null, "farm.rig2", "x", 1)) {
                rig1.start();
                rig2.start();
                var demo = pool.demoChain().orElseThrow();
                long blocksBefore = demo.blocksAccepted();
                await(() -> rig1.accepted() >= 5 && rig2.accepted() >= 5 && demo.blocksAccepted() > blocksBefore
                        && upstreamAccepted(proxy, "farm.rig1") >= 2 && upstreamAccepted(proxy, "farm.rig2") >= 2, 240,
                        "shares from both rigs accepted upstream and a block through the proxy; " + proxy.miners());
            }
            // Every forwarded share got the pool's answer, and the pool counted exactly what the proxy says it accepted.
            Map<String, MinerBook.Counts> miners = proxy.miners();
            long forwarded = miners.values().stream().mapToLong(MinerBook.Counts::forwarded).sum();
            long upAccepted = miners.values().stream().mapToLong(MinerBook.Counts::upstreamAccepted).sum();
            long upRejected = miners.values().stream().mapToLong(MinerBook.Counts::upstreamRejected).sum();
            await(() -> pool.engine().stats().accepted() == proxy.miners().values().stream().mapToLong(MinerBook.Counts::upstreamAccepted)
                    .sum(), 10, "the pool's count to match the proxy's");
            assertThat(forwarded).isEqualTo(upAccepted + upRejected);
            // One upstream connection for the whole farm, each miner under its own name there.
            assertThat(pool.engine().stats().sessions()).isEqualTo(1);
            String stats = get(proxy.statsAddress().orElseThrow(), "/stats");
            assertThat(stats).contains("\"mode\" : \"proxy\"").contains("\"farm.rig1\" : {").contains("\"upstream_accepted\"")
                    .contains("\"url\" : \"" + url(pool) + "\"");
            // The farm's dashboard: its workers by the farm's own names, the chain read from upstream jobs, blocks with their verdicts.
            InetSocketAddress web = proxy.webAddress().orElseThrow();
            assertThat(get(web, "/api/miner/farm")).contains("\"worker\":\"farm.rig1\"").contains("\"worker\":\"farm.rig2\"");
            assertThat(get(web, "/miner/farm")).contains("farm.rig1");
            assertThat(get(web, "/api/pool")).containsPattern("\"height\":[1-9]").contains("\"network_difficulty\":0.002");
            assertThat(get(web, "/api/blocks")).contains("\"status\":\"accepted upstream\"");
        }
    }

    @Test
    void v1MinersMineOnAV2PoolThroughOneExtendedChannel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (ExamplePool pool = TestPools.start(new String[] {"--bind", "127.0.0.1", "--port", "0", "--sv2-port", "0",
                "--sv2-authority-key", dir.resolve("authority.key").toString(), "--demo-network-difficulty", NETWORK.toString(),
                "--difficulty", UPSTREAM_DIFFICULTY, "--vardiff", "off", "--vardiff-min", UPSTREAM_DIFFICULTY});
             Proxy proxy = proxy(pool.sv2Urls().get(0))) {
            await(() -> proxy.upstream().isPresent(), 30, "the proxy on the V2 pool");
            Difficulty upstream = Difficulty.of(UPSTREAM_DIFFICULTY);
            try (Hand hand = new Hand(proxy.boundAddresses().get(0), "bitaxe", true)) {
                Notify job = hand.nextJob();
                // Rolled version bits through the extended channel: the pool checks the full version.
                long before = pool.engine().stats().accepted();
                assertThat(hand.share("bitaxe", job, job.version() | 0x0001e000, upstream, NETWORK).isTrue()).isTrue();
                assertThat(pool.engine().stats().accepted()).isEqualTo(before + 1);
                assertThat(hand.last.call().error().code()).as("the same share again").isEqualTo(22);
            }
            try (CpuMiner rig = new CpuMiner(proxy.boundAddresses().get(0), null, "farm.rig1", "x", 1)) {
                rig.start();
                var demo = pool.demoChain().orElseThrow();
                long blocksBefore = demo.blocksAccepted();
                await(() -> rig.accepted() >= 5 && demo.blocksAccepted() > blocksBefore && upstreamAccepted(proxy, "farm.rig1") >= 2,
                        240, "shares and a block through the V2 channel; " + proxy.miners());
            }
            // The pool saw one V2 connection with one channel, and counted what the proxy says it accepted.
            await(() -> pool.engine().stats().accepted() == proxy.miners().values().stream()
                    .mapToLong(MinerBook.Counts::upstreamAccepted).sum(), 10, "the pool's count to match the proxy's");
            assertThat(pool.engine().stats().sessions()).isZero();
        }
    }

    @Test
    void minersRollOnlyTheBitsTheUpstreamAllows() throws Exception {
        try (ExamplePool pool = upstreamPool(0);
             ServerSocket relay = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // Between proxy and pool: a relay that makes the pool's mining.configure answer grant fewer bits.
            Thread t = new Thread(() -> relayNarrowingTheMask(relay, pool.boundAddresses().get(0)));
            t.setDaemon(true);
            t.start();
            try (Proxy proxy = proxy("stratum+tcp://127.0.0.1:" + relay.getLocalPort())) {
                await(() -> proxy.upstream().isPresent(), 30, "the proxy on its upstream");
                try (Hand hand = new Hand(proxy.boundAddresses().get(0), "rig", "00ffe000")) {
                    Notify n = hand.nextJob();
                    Response outside = hand.share("rig", n, n.version() | 0x10000000, Difficulty.of("0.00002"), null);
                    assertThat(outside.error().code()).as("%s", outside).isEqualTo(20);
                    assertThat(hand.share("rig", n, n.version() | 0x00a00000, Difficulty.of(UPSTREAM_DIFFICULTY), null).isTrue()).isTrue();
                }
            }
        }
    }

    /** Relays one proxy connection to {@code pool}, rewriting the granted mask 1fffe000 to 00ffe000 on the way back. */
    static void relayNarrowingTheMask(ServerSocket relay, InetSocketAddress pool) {
        try (Socket down = relay.accept(); Socket up = new Socket(pool.getAddress(), pool.getPort())) {
            Thread toPool = new Thread(() -> {
                try {
                    down.getInputStream().transferTo(up.getOutputStream());
                } catch (IOException e) {
                    // the other side closed
                }
            });
            toPool.setDaemon(true);
            toPool.start();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = down.getOutputStream();
            for (String line; (line = in.readLine()) != null; ) {
                out.write((line.replace("\"version-rolling.mask\":\"1fffe000\"", "\"version-rolling.mask\":\"00ffe000\"") + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the test is over
        }
    }

    static long upstreamAccepted(Proxy proxy, String worker) {
        MinerBook.Counts c = proxy.miners().get(worker);
        return c == null ? 0 : c.upstreamAccepted();
    }

    @Test
    void failsOverToTheBackupWithoutDroppingMinersAndReturnsToThePrimary() throws Exception {
        int primaryPort = TestPools.freePort();
        int backupPort = TestPools.freePort();
        String primaryUrl = "stratum+tcp://127.0.0.1:" + primaryPort;
        String backupUrl = "stratum+tcp://127.0.0.1:" + backupPort;
        ExamplePool primary = upstreamPool(primaryPort);
        try (Proxy proxy = proxy(primaryUrl + "," + backupUrl, "--upstream-timeout", "5", "--return-after", "2")) {
            await(() -> proxy.upstream().equals(java.util.Optional.of(primaryUrl)), 30, "the proxy on the primary");
            try (Hand hand = new Hand(proxy.boundAddresses().get(0), "farm.hand", false);
                 CpuMiner rig = new CpuMiner(proxy.boundAddresses().get(0), null, "farm.rig", "x", 1)) {
                rig.start();
                Notify old = hand.nextJob();
                await(() -> primary.engine().stats().accepted() >= 2, 60, "shares on the primary");
                // The primary goes away and the backup is not up yet: a share on the primary's job is stale, and said so.
                primary.close();
                await(() -> proxy.upstream().isEmpty(), 30, "the proxy to notice");
                // The primary's last job: still in force at the proxy (a block found meanwhile may have voided earlier ones).
                Notify last = old;
                for (Notify n; (n = hand.jobs.poll()) != null; ) {
                    last = n;
                }
                Response stale = hand.share("farm.hand", last, last.version(), Difficulty.of("0.00002"), null);
                assertThat(stale.error()).isEqualTo(ForwardingSink.STALE);
                try (ExamplePool backup = upstreamPool(backupPort)) {
                    await(() -> proxy.upstream().equals(java.util.Optional.of(backupUrl)), 60, "the proxy on the backup");
                    long onBackup = rig.accepted();
                    await(() -> backup.engine().stats().accepted() >= 2 && rig.accepted() > onBackup, 60, "shares on the backup");
                    assertThat(rig.closedFuture()).as("the miner kept its connection").isNotDone();
                    // After the switch the primary's jobs are void (the backup's first job was clean): 21 from the proxy itself.
                    assertThat(hand.share("farm.hand", old, old.version(), Difficulty.of("0.00002"), null).error().code()).isEqualTo(21);
                    try (ExamplePool again = upstreamPool(primaryPort)) {
                        await(() -> proxy.upstream().equals(java.util.Optional.of(primaryUrl)) && proxy.upstreamSwitches() == 2, 60,
                                "the proxy back on the primary");
                        long back = again.engine().stats().accepted();
                        await(() -> again.engine().stats().accepted() > back + 1, 60, "shares on the primary again");
                        assertThat(rig.closedFuture()).isNotDone();
                    }
                }
            }
        } finally {
            primary.close();
        }
    }

    @Test
    void upstreamsThatTalkGarbageOrRefuseTheAccountAreSkipped() throws Exception {
        try (ServerSocket garbage = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ExamplePool pool = upstreamPool(0)) {
            Thread t = new Thread(() -> {
                while (!garbage.isClosed()) {
                    try (Socket s = garbage.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        in.read(new byte[4096]);
                        out.write("HTTP/1.1 400 Bad Request\r\n\r\n\u0000\u0001{]\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        Thread.sleep(100);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            // A solo pool refuses a worker name that is not an address; garbage is garbage; the third pool is fine.
            try (Proxy refused = Proxy.start(ProxyConfig.parse("--upstream", url(pool) + ",stratum+tcp://127.0.0.1:" + garbage.getLocalPort()
                    + "," + url(pool), "--upstream-user", "not-an-address", "--bind", "127.0.0.1", "--port", "0", "--upstream-timeout", "3"))) {
                Thread.sleep(1500);
                assertThat(refused.upstream()).as("nothing usable: the account is refused everywhere").isEmpty();
            }
            // A pool that takes the connection and never answers: given up on after the timeout, then garbage, then the pool.
            try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                 Proxy proxy = proxy("stratum+tcp://127.0.0.1:" + silent.getLocalPort() + ",stratum+tcp://127.0.0.1:" + garbage.getLocalPort()
                         + "," + url(pool), "--upstream-timeout", "3")) {
                await(() -> proxy.upstream().equals(java.util.Optional.of(url(pool))), 30, "the proxy past the silent pool and the garbage");
                try (Hand hand = new Hand(proxy.boundAddresses().get(0), "rig", false)) {
                    Notify n = hand.nextJob();
                    assertThat(hand.share("rig", n, n.version(), Difficulty.of(UPSTREAM_DIFFICULTY), null).isTrue()).isTrue();
                }
            }
        }
    }

    static String get(InetSocketAddress at, String path) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + at.getPort() + path)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    @Test
    void workerNamesUpstreamAndContradictoryFlags() throws Exception {
        assertThat(ForwardingSink.upstreamWorker("acct", "farm.rig7")).isEqualTo("acct.rig7");
        assertThat(ForwardingSink.upstreamWorker("acct", "rig7")).isEqualTo("acct.rig7");
        assertThat(ForwardingSink.upstreamWorker("acct", "")).isEqualTo("acct");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProxyConfig.parse("--upstream-user", "a"))
                .hasMessageContaining("--upstream is required");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProxyConfig.parse("--upstream", "http://x:1", "--upstream-user", "a"))
                .hasMessageContaining("must look like stratum+tcp://host:port");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProxyConfig.parse("--upstream", "stratum+tcp://x:1", "--upstream-user", "a",
                "--difficulty", "0.5")).hasMessage("--difficulty 0.5 is below --vardiff-min (its default) 1; lower --vardiff-min or raise the"
                + " difficulty (vardiff never goes below its minimum)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProxyConfig.parse("--upstream", "stratum+tcp://x:1", "--upstream-user", "a",
                "--return-after", "5", "--web-title", "farm")).hasMessage("--web-title is used only with --web-port");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProxyConfig.parse("--upstream", "stratum+tcp://x:1", "--upstream-user", "a",
                "--return-after", "5")).hasMessage("--return-after is used only with more than one upstream (a primary to return to)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProxyConfig.parse("--upstream", "stratum+tcp://x:1", "--upstream-user", "a",
                "--miner-extranonce2-size", "1")).hasMessageContaining("--miner-extranonce2-size 1: expected a whole number 2..8");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProxyConfig.parse("--upstream", "stratum+tcp://x:1", "--upstream-user", "a",
                "--vardiff-min", "2", "--vardiff-max", "1")).hasMessage("--vardiff-max 1 is below --vardiff-min 2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProxyConfig.parse("--upstream",
                "stratum2+tcp://x:1/9boEA1pLNEAaYQcD4zbZ6LrCMN9ECME6msbFqyzqRQM8p4pU3D9", "--upstream-user", "a", "--per-miner-workers"))
                .hasMessageContaining("--per-miner-workers needs Stratum V1 upstreams");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProxyConfig.parse("--upstream", "stratum+tcp://x:1", "--upstream-user", "a",
                "--tls-trust", "f.pem", "--tls-insecure")).hasMessage("--tls-trust and --tls-insecure contradict each other: give one");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProxyConfig.parse("--upstream", "stratum+tcp://x:1", "--upstream-user", "a",
                "--tls-insecure")).hasMessage("--tls-insecure is used only with a stratum+ssl:// upstream");
    }
}
