package org.stratum4j.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.engine.Announcement;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.PoolMessage;
import org.stratum4j.core.protocol.Response;

/**
 * A new job reaches a loop's sessions a slice at a time, and the loop serves reads between the
 * slices: a request that arrives while a job goes out to hundreds of sessions is answered before
 * the fan-out reaches its own session. The loop is held still while the job is announced and the
 * request is sent, so what happens next does not depend on timing.
 */
class FanOutTest {

    static final int MINERS = 300;

    PoolEngine engine;
    StratumServer server;
    final List<LineClient> miners = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        engine = ServerTest.engine(b -> { });
        server = StratumServer.builder(engine).listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).eventLoops(1)
                .fanOutSlice(Duration.ZERO).build();
        server.start();
        server.announce(engine.newTemplate(ServerTest.template(1)));
        for (int i = 0; i < MINERS; i++) {
            LineClient c = new LineClient(server.boundAddresses().get(0));
            miners.add(c);
            ServerTest.ready(c); // reads past the first job
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (LineClient c : miners) {
            c.close();
        }
        server.close();
    }

    /** Holds the loop until the returned latch is opened. */
    CountDownLatch holdTheLoop() throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.loop(0).execute(() -> {
            held.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    @Test
    void aRequestThatArrivesDuringAFanOutIsAnsweredBeforeTheFanOutReachesItsSession() throws Exception {
        LineClient last = miners.get(MINERS - 1);
        double before = server.metrics().lastFanOutMillis();
        CountDownLatch release = holdTheLoop();
        Announcement next = engine.newTemplate(ServerTest.template(2));
        server.announce(next);
        last.sendLine("{\"id\":77,\"method\":\"mining.authorize\",\"params\":[\"w9\",\"x\"]}");
        release.countDown();

        // The last miner to come is the last the job reaches; its request was read between two slices, long before.
        PoolMessage first = last.read();
        assertThat(first).isInstanceOfSatisfying(Response.class, r -> assertThat(r.id().toString()).isEqualTo("77"));
        assertThat(last.next(Notify.class).jobId()).isEqualTo(next.job().id());
        for (LineClient c : miners.subList(0, MINERS - 1)) {
            Notify n = c.next(Notify.class);
            assertThat(n.jobId()).isEqualTo(next.job().id());
            assertThat(n.cleanJobs()).isTrue();
        }
        // The metric now tells how long this fan-out took (the first one, to nobody, took next to nothing).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.metrics().lastFanOutMillis() == before && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(server.metrics().lastFanOutMillis()).isGreaterThan(before).isLessThan(10_000);
    }

    @Test
    void aNewBlockReplacesTheJobsStillGoingOutAndJobsOnOneTipGoOutInOrder() throws Exception {
        CountDownLatch release = holdTheLoop();
        Announcement sameTip = engine.newTemplate(ServerTest.template(1));
        Announcement replaced = engine.newTemplate(ServerTest.template(2));
        Announcement newBlock = engine.newTemplate(ServerTest.template(3));
        Announcement after = engine.newTemplate(ServerTest.template(3));
        for (Announcement a : List.of(sameTip, replaced, newBlock, after)) {
            server.announce(a);
        }
        LineClient probe = miners.get(0);
        release.countDown();
        for (LineClient c : miners) {
            Notify n = c.next(Notify.class);
            assertThat(n.jobId()).isEqualTo(newBlock.job().id());
            assertThat(n.cleanJobs()).isTrue();
            Notify then = c.next(Notify.class);
            assertThat(then.jobId()).isEqualTo(after.job().id());
            assertThat(then.cleanJobs()).isFalse();
        }
        // Nothing else was queued for them: the next line the first miner gets is the answer to its next request.
        probe.sendLine("{\"id\":78,\"method\":\"mining.authorize\",\"params\":[\"w9\",\"x\"]}");
        assertThat(probe.read()).isInstanceOfSatisfying(Response.class, r -> assertThat(r.id().toString()).isEqualTo("78"));
    }

    @Test
    void theSliceIsChecked() {
        StratumServer.Builder b = StratumServer.builder(engine);
        assertThatThrownBy(() -> b.fanOutSlice(Duration.ofMillis(101))).hasMessage("fanOutSlice PT0.101S is outside 0..100 ms");
        assertThatThrownBy(() -> b.fanOutSlice(Duration.ofNanos(-1))).hasMessageContaining("is outside 0..100 ms");
    }
}
