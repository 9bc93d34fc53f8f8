package org.stratum4j.examples.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Webhooks against a real HTTP receiver on loopback: once each, retried on failure, never blocking. */
class WebhookSenderTest {

    /** A receiver that records bodies and answers what {@code status} says (0: never answers). */
    static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final AtomicInteger requests = new AtomicInteger();
        volatile int failFirst;
        volatile boolean hang;
        final CountDownLatch release = new CountDownLatch(1);

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", ex -> {
                try (ex) {
                    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    int n = requests.incrementAndGet();
                    if (hang) {
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            return;
                        }
                        return;
                    }
                    if (n <= failFirst) {
                        ex.sendResponseHeaders(500, -1);
                        return;
                    }
                    bodies.add(body);
                    ex.sendResponseHeaders(204, -1);
                }
            });
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook/secret-token");
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
        }
    }

    final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    Receiver receiver() throws IOException {
        Receiver r = new Receiver();
        closing.add(r);
        return r;
    }

    static Alert alert(long id) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("worker", "addr.rig" + id);
        return new Alert(Alert.WORKER_OFFLINE, Instant.parse("2026-12-04T12:00:00Z"), id, f);
    }

    static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test
    void everyEventArrivesOnceInOrder() throws Exception {
        Receiver r = receiver();
        WebhookSender s = WebhookSender.builder().url(r.url()).build();
        closing.add(0, s);
        for (int i = 1; i <= 50; i++) {
            s.accept(alert(i));
        }
        await(() -> r.bodies.size() >= 50);
        Thread.sleep(200);
        assertThat(r.bodies).hasSize(50);
        assertThat(r.bodies.get(0)).contains("\"id\":1,").contains("\"worker\":\"addr.rig1\"");
        assertThat(r.bodies.get(49)).contains("\"id\":50,");
        assertThat(s.delivered()).isEqualTo(50);
        assertThat(s.dropped()).isZero();
    }

    @Test
    void aFailedPostIsRetriedUntilTheReceiverTakesIt() throws Exception {
        Receiver r = receiver();
        r.failFirst = 3;
        WebhookSender s = WebhookSender.builder().url(r.url()).firstBackoff(Duration.ofMillis(20)).build();
        closing.add(0, s);
        s.accept(alert(1));
        s.accept(alert(2));
        await(() -> r.bodies.size() >= 2);
        assertThat(r.requests.get()).isEqualTo(5);
        assertThat(r.bodies).hasSize(2);
        assertThat(r.bodies.get(0)).contains("\"id\":1,");

        // Out of attempts: dropped, counted, and the next one still goes.
        r.failFirst = r.requests.get() + 2;
        WebhookSender once = WebhookSender.builder().url(r.url()).maxAttempts(2).firstBackoff(Duration.ofMillis(10)).build();
        closing.add(0, once);
        once.accept(alert(3));
        once.accept(alert(4));
        await(() -> once.delivered() + once.dropped() >= 2);
        assertThat(once.dropped()).isEqualTo(1);
        assertThat(once.delivered()).isEqualTo(1);
    }

    @Test
    void aHangingReceiverStallsNeitherTheCallerNorTheOtherWebhooks() throws Exception {
        Receiver stuck = receiver();
        stuck.hang = true;
        Receiver fine = receiver();
        WebhookSender s = WebhookSender.builder().url(stuck.url()).url(fine.url()).queueCapacity(10).timeout(Duration.ofSeconds(30)).build();
        closing.add(0, s);
        long start = System.nanoTime();
        for (int i = 1; i <= 1000; i++) {
            s.accept(alert(i));
        }
        // A thousand events queued without waiting for the receiver that holds its first POST for 30 s.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        await(() -> fine.bodies.stream().anyMatch(b -> b.contains("\"id\":1000,")));
        assertThat(fine.bodies).as("the other webhook got the newest event").anyMatch(b -> b.contains("\"id\":1000,"));
        assertThat(stuck.requests.get()).isEqualTo(1);
        assertThat(s.dropped()).as("the stuck webhook keeps only its newest ten").isGreaterThanOrEqualTo(990);
    }

    @Test
    void onlyHttpUrlsAreTaken() {
        assertThatThrownBy(() -> WebhookSender.builder().url(URI.create("ftp://example.com/x")))
                .hasMessageContaining("must be an http:// or https:// URL");
        assertThatThrownBy(() -> WebhookSender.builder().build()).hasMessageContaining("at least one URL");
        assertThatThrownBy(() -> WebhookSender.builder().queueCapacity(0)).hasMessageContaining("outside 1..1000000");
    }
}
