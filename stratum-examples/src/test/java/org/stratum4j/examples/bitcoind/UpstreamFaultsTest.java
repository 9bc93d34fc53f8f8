package org.stratum4j.examples.bitcoind;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.job.BlockTemplate;

/**
 * Bitcoin Core failing in every way a pool meets, against {@link BitcoindChain}: down at start,
 * HTTP 500, a changed password (401), garbage bodies, answers slower than the deadline, and the
 * connection cut in the middle of a long poll. Through each fault no template is published (miners
 * keep the last job), each fault is one outage (one WARN line, one INFO line when it ends), the
 * source recovers on its own, and stopping it leaves none of its threads behind.
 */
class UpstreamFaultsTest {

    /** What the fake node does now. */
    enum Mode { OK, HTTP_500, GARBAGE, SLOW, CUT }

    private FakeBitcoind fake;
    private volatile Mode mode = Mode.OK;
    private volatile int tip = 1;
    private final List<BlockTemplate> published = new CopyOnWriteArrayList<>();
    private BitcoindChain chain;
    private java.util.Set<Thread> before;

    @BeforeEach
    void start() throws Exception {
        before = Thread.getAllStackTraces().keySet();
        fake = new FakeBitcoind();
        fake.script = body -> {
            switch (mode) {
                case HTTP_500:
                    return FakeBitcoind.Answer.error(500, -1, "internal error");
                case GARBAGE:
                    return new FakeBitcoind.Answer(200, "<html>proxy error</html>");
                case SLOW:
                    Thread.sleep(3000);
                    return FakeBitcoind.Answer.result(BitcoindChainTest.gbt(tip));
                case CUT:
                    return FakeBitcoind.CUT;
                default:
                    if (body.contains("longpollid")) {
                        Thread.sleep(200); // a node with new transactions every 200 ms
                    }
                    return FakeBitcoind.Answer.result(BitcoindChainTest.gbt(tip));
            }
        };
        BitcoindRpc rpc = BitcoindRpc.builder(fake.url(), RpcAuth.password("user", "pass"))
                .requestTimeout(Duration.ofSeconds(1)).longPollTimeout(Duration.ofSeconds(2)).build();
        chain = new BitcoindChain(rpc);
    }

    @AfterEach
    void stop() {
        if (chain != null) {
            chain.stop();
        }
        fake.close();
    }

    /** One fault: the node is lost, nothing is published meanwhile, and the next tip arrives once it is back. */
    private void survive(Runnable fault, Runnable repair, String what) throws InterruptedException {
        long outagesBefore = chain.outages();
        fault.run();
        BitcoindChainTest.await(() -> !chain.nodeReachable(), what + " noticed");
        int publishedDuringFault = published.size();
        Thread.sleep(1500);
        assertThat(published).as("no template while %s", what).hasSize(publishedDuringFault);
        tip++;
        repair.run();
        BitcoindChainTest.await(() -> chain.nodeReachable(), "the node back after " + what);
        BitcoindChainTest.await(() -> published.get(published.size() - 1).height() == 100 + tip, "the new tip after " + what);
        assertThat(chain.outages()).as("one outage for %s", what).isEqualTo(outagesBefore + 1);
    }

    @Test
    void everyFaultKeepsTheLastJobIsOneOutageAndHeals() throws Exception {
        mode = Mode.HTTP_500;
        chain.start(published::add);
        // Down at start: nothing to serve, retried until the node answers.
        BitcoindChainTest.await(() -> !chain.nodeReachable(), "the node down at start");
        assertThat(published).isEmpty();
        mode = Mode.OK;
        BitcoindChainTest.await(() -> !published.isEmpty(), "the first template");
        assertThat(chain.outages()).isEqualTo(1);

        survive(() -> mode = Mode.HTTP_500, () -> mode = Mode.OK, "HTTP 500");
        survive(() -> fake.acceptedCredentials = "user:rotated", () -> fake.acceptedCredentials = "user:pass", "HTTP 401");
        survive(() -> mode = Mode.GARBAGE, () -> mode = Mode.OK, "a garbage body");
        survive(() -> mode = Mode.SLOW, () -> mode = Mode.OK, "answers slower than the deadline");
        survive(() -> mode = Mode.CUT, () -> mode = Mode.OK, "the connection cut mid-call");
        assertThat(chain.outages()).isEqualTo(6);
    }

    @Test
    void stoppingLeavesNoThreadBehind() throws Exception {
        chain.start(published::add);
        BitcoindChainTest.await(() -> !published.isEmpty(), "the first template");
        chain.stop();
        chain = null;
        // Our threads (template poller, submitter, the RPC client's workers) end with stop. The JDK 17
        // client's own selector thread is not ours to stop: it ends once the client is collected and
        // idle, which takes a collection and a few seconds, so it is not counted here.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!leftovers().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(leftovers()).isEmpty();
    }

    /**
     * Threads started since the test began, other than the fake node's (its JDK HttpServer, with its timers: the request
     * time bound the tests run with adds one) and the JDK client's selector.
     */
    private List<String> leftovers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName).filter(n -> !n.startsWith("fake-bitcoind") && !n.startsWith("HTTP-Dispatcher")
                        && !n.equals("idle-timeout-task") && !n.equals("req-rsp-timeout-task") && !n.endsWith("-SelectorManager"))
                .toList();
    }
}
