package org.stratum4j.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.engine.Announcement;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.job.BlockValidator;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.Response;

/** StratumClient ⇄ StratumServer ⇄ PoolEngine over loopback. */
class ClientServerTest {

    final LinkedBlockingQueue<byte[]> blocks = new LinkedBlockingQueue<>();
    PoolEngine engine;
    StratumServer server;
    ClientGroup clients;

    @BeforeEach
    void start() throws IOException {
        engine = ServerTest.engine(b -> blocks.add(b.block()));
        server = StratumServer.builder(engine).listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).eventLoops(2).build();
        server.start();
        clients = ClientGroup.start(1);
    }

    @AfterEach
    void stop() {
        clients.close();
        server.close();
    }

    /** Collects notifications. */
    static final class Recorder implements StratumClient.Listener {
        final LinkedBlockingQueue<Notify> jobs = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<Difficulty> difficulties = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public void onNotify(StratumClient client, Notify notify) {
            jobs.add(notify);
        }

        @Override
        public void onSetDifficulty(StratumClient client, Difficulty difficulty) {
            difficulties.add(difficulty);
        }

        @Override
        public void onClosed(StratumClient client, String reason) {
            closed.complete(reason);
        }
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aMinerSubscribesAuthorizesAndItsSharesAndBlockAreJudged() throws Exception {
        var template = ServerTest.template(1);
        Announcement a = engine.newTemplate(template);
        server.announce(a);
        Recorder r = new Recorder();
        StratumClient c = get(clients.connect(server.boundAddresses().get(0), r));
        StratumClient.Subscription sub = get(c.subscribe("stratum4j-test/1"));
        assertThat(sub.extranonce2Size()).isEqualTo(8);
        assertThat(r.difficulties.poll(10, TimeUnit.SECONDS)).isEqualTo(ServerTest.EASY);
        Notify n = r.jobs.poll(10, TimeUnit.SECONDS);
        assertThat(n.jobId()).isEqualTo(a.job().id());
        assertThat(get(c.authorize("w1", "x")).isTrue()).isTrue();

        Job job = a.job();
        byte[] en1 = sub.extranonce1();
        byte[] en2 = new byte[8];
        long good = ServerTest.nonce(job, en1, en2, true);
        assertThat(get(c.submit("w1", n.jobId(), en2, n.ntime(), (int) good)).isTrue()).isTrue();
        assertThat(get(c.submit("w1", n.jobId(), en2, n.ntime(), (int) good)).error().code()).isEqualTo(22);
        long low = ServerTest.nonce(job, en1, en2, false);
        assertThat(get(c.submit("w1", n.jobId(), en2, n.ntime(), (int) low)).error().code()).isEqualTo(23);
        assertThat(get(c.submit("w1", "nope", en2, n.ntime(), (int) low)).error().code()).isEqualTo(21);
        assertThat(get(c.submit("w2", n.jobId(), en2, n.ntime(), (int) low)).error().code()).isEqualTo(24);
        assertThat(get(c.submit("w1", n.jobId(), new byte[4], n.ntime(), (int) low)).error().code()).isEqualTo(20);
        assertThat(get(c.submit("w1", n.jobId(), en2, n.ntime() - 100_000, (int) low)).error().code()).isEqualTo(20);
        assertThat(get(c.submit("w1", n.jobId(), en2, n.ntime(), (int) low, 0x00002000)).error().code()).isEqualTo(20);

        // A block: the pool assembles it and Bitcoin Core's rules accept it.
        long block = -1;
        for (long k = 0; block < 0; k++) {
            Sha256Hash h = job.header(en1, en2, job.version(), job.ntime(), k).hash();
            if (job.networkTarget().isMetBy(h)) {
                block = k;
            }
        }
        assertThat(get(c.submit("w1", n.jobId(), en2, n.ntime(), (int) block)).isTrue()).isTrue();
        byte[] found = blocks.poll(10, TimeUnit.SECONDS);
        assertThat(BlockValidator.validate(found, template, template.curTime())).isEmpty();

        // A new tip reaches the client as a clean job.
        server.announce(engine.newTemplate(ServerTest.template(2)));
        assertThat(r.jobs.poll(10, TimeUnit.SECONDS).cleanJobs()).isTrue();
    }

    @Test
    void configureAndSuggestOverTheWire() throws Exception {
        server.announce(engine.newTemplate(ServerTest.template(1)));
        Recorder r = new Recorder();
        StratumClient c = get(clients.connect(server.boundAddresses().get(0), r));
        Response conf = get(c.configureVersionRolling(0xffffffff, 2));
        assertThat(conf.result().toString()).contains("1fffe000");
        get(c.subscribe("x"));
        get(c.suggestDifficulty(Difficulty.of(1024)));
        Difficulty d;
        do {
            d = r.difficulties.poll(10, TimeUnit.SECONDS);
        } while (d != null && !d.equals(Difficulty.of(1024)));
        assertThat(d).isEqualTo(Difficulty.of(1024));
    }

    @Test
    void pendingRequestsFailWhenThePoolGoesAway() throws Exception {
        Recorder r = new Recorder();
        StratumClient c = get(clients.connect(server.boundAddresses().get(0), r));
        get(c.subscribe("x"));
        server.close();
        assertThat(r.closed.get(10, TimeUnit.SECONDS)).isEqualTo("closed by pool");
        assertThatThrownBy(() -> get(c.authorize("w", "x"))).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void connectingToNothingFails() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> get(clients.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                new Recorder()))).isInstanceOf(ExecutionException.class);
    }
}
