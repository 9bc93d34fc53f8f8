package org.stratum4j.examples.alerts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@link Alert}s to webhooks: each URL has its own bounded queue and thread, so a receiver
 * that hangs holds up only itself, and {@link #accept} never blocks (a full queue drops its oldest
 * event, counted). A failed POST (no answer within the timeout, or a status other than 2xx) is
 * retried with backoff, 1 s doubling to 60 s, up to the attempt limit; then the event is dropped.
 * A webhook that starts failing is one WARN line, and one INFO line when it delivers again.
 */
public final class WebhookSender implements Consumer<Alert>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final long MAX_BACKOFF_MILLIS = 60_000;

    private final List<Hook> hooks = new ArrayList<>();
    private final HttpClient http;

    private WebhookSender(Builder b) {
        http = HttpClient.newBuilder().connectTimeout(b.timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        for (URI url : b.urls) {
            hooks.add(new Hook(url, b));
        }
        for (Hook h : hooks) {
            h.thread.start();
        }
    }

    /** A builder; at least one URL is needed. */
    public static Builder builder() {
        return new Builder();
    }

    /** Queues {@code alert} for every webhook; never blocks. */
    @Override
    public void accept(Alert alert) {
        Objects.requireNonNull(alert, "alert");
        for (Hook h : hooks) {
            h.offer(alert);
        }
    }

    /** How many webhooks it sends to. */
    public int webhooks() {
        return hooks.size();
    }

    /** Events delivered (answered 2xx), over all webhooks. */
    public long delivered() {
        return hooks.stream().mapToLong(h -> h.delivered.get()).sum();
    }

    /** Events given up: dropped from a full queue, or out of attempts. */
    public long dropped() {
        return hooks.stream().mapToLong(h -> h.dropped.get()).sum();
    }

    /** Stops the threads; events still queued are not sent. */
    @Override
    public void close() {
        for (Hook h : hooks) {
            h.stop();
        }
        for (Hook h : hooks) {
            try {
                h.thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One webhook: its queue, its thread, its state. */
    private final class Hook implements Runnable {
        final URI url;
        final String shown;
        final int capacity;
        final int maxAttempts;
        final Duration timeout;
        final long firstBackoffMillis;
        final ArrayDeque<Alert> queue = new ArrayDeque<>();
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final Thread thread;
        boolean stopped;
        boolean failing;

        Hook(URI url, Builder b) {
            this.url = url;
            // The URL may carry a token in its path or query: logs show the host only.
            this.shown = url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/…";
            this.capacity = b.queueCapacity;
            this.maxAttempts = b.maxAttempts;
            this.timeout = b.timeout;
            this.firstBackoffMillis = b.firstBackoff.toMillis();
            this.thread = new Thread(this, "webhook-" + url.getHost());
            thread.setDaemon(true);
        }

        synchronized void offer(Alert a) {
            if (stopped) {
                return;
            }
            if (queue.size() >= capacity) {
                queue.pollFirst();
                if (dropped.incrementAndGet() == 1 || dropped.get() % 1000 == 0) {
                    LOG.warn("webhook {}: queue full ({} events); {} dropped so far, oldest first", shown, capacity, dropped.get());
                }
            }
            queue.addLast(a);
            notifyAll();
        }

        synchronized void stop() {
            stopped = true;
            notifyAll();
            thread.interrupt();
        }

        private synchronized Alert next() throws InterruptedException {
            while (queue.isEmpty() && !stopped) {
                wait();
            }
            return stopped ? null : queue.peekFirst();
        }

        private synchronized void done(Alert a) {
            if (queue.peekFirst() == a) {
                queue.pollFirst();
            }
        }

        @Override
        public void run() {
            try {
                Alert a;
                while ((a = next()) != null) {
                    deliver(a);
                    done(a);
                }
            } catch (InterruptedException e) {
                // stopped
            }
        }

        private void deliver(Alert a) throws InterruptedException {
            long backoff = firstBackoffMillis;
            for (int attempt = 1; attempt <= maxAttempts; attempt++) {
                String failure = post(a);
                if (failure == null) {
                    delivered.incrementAndGet();
                    if (failing) {
                        failing = false;
                        LOG.info("webhook {} delivers again", shown);
                    }
                    return;
                }
                if (!failing) {
                    failing = true;
                    LOG.warn("webhook {} failed ({}); events are retried with backoff, and kept up to {}", shown, failure, capacity);
                }
                if (attempt < maxAttempts) {
                    Thread.sleep(backoff);
                    backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                }
            }
            dropped.incrementAndGet();
            LOG.debug("webhook {}: {} event {} dropped after {} attempts", shown, a.event(), a.id(), maxAttempts);
        }

        /** Null when the receiver took it, otherwise why not. */
        private String post(Alert a) throws InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                    .header("User-Agent", "stratum4j-alerts/1").POST(HttpRequest.BodyPublishers.ofByteArray(a.toJson())).build();
            try {
                HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                return r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode();
            } catch (java.io.IOException e) {
                return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
        }
    }

    /** Webhook settings, checked as they are set. */
    public static final class Builder {
        private final List<URI> urls = new ArrayList<>();
        private int queueCapacity = 1_000;
        private int maxAttempts = 8;
        private Duration timeout = Duration.ofSeconds(10);
        private Duration firstBackoff = Duration.ofSeconds(1);

        private Builder() {
        }

        /** A webhook: an http:// or https:// URL with a host. */
        public Builder url(URI url) {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw new IllegalArgumentException("webhook " + url + " must be an http:// or https:// URL with a host");
            }
            urls.add(url);
            return this;
        }

        /** Events each webhook holds while it is slow or away, 1..1,000,000 (default 1,000). */
        public Builder queueCapacity(int n) {
            if (n < 1 || n > 1_000_000) {
                throw new IllegalArgumentException("webhook queue capacity " + n + " is outside 1..1000000");
            }
            this.queueCapacity = n;
            return this;
        }

        /** Tries per event before it is dropped, 1..100 (default 8: about two minutes of backoff). */
        public Builder maxAttempts(int n) {
            if (n < 1 || n > 100) {
                throw new IllegalArgumentException("webhook attempts " + n + " is outside 1..100");
            }
            this.maxAttempts = n;
            return this;
        }

        /** How long one POST may take, 100 ms .. 5 min (default 10 s). */
        public Builder timeout(Duration d) {
            if (d == null || d.toMillis() < 100 || d.toMinutes() > 5) {
                throw new IllegalArgumentException("webhook timeout " + d + " is outside 100 ms .. 5 min");
            }
            this.timeout = d;
            return this;
        }

        /** The wait after the first failure, doubled after each (to 60 s); 10 ms .. 60 s (default 1 s). */
        public Builder firstBackoff(Duration d) {
            if (d == null || d.toMillis() < 10 || d.toSeconds() > 60) {
                throw new IllegalArgumentException("webhook backoff " + d + " is outside 10 ms .. 60 s");
            }
            this.firstBackoff = d;
            return this;
        }

        /** The sender, its threads started. */
        public WebhookSender build() {
            if (urls.isEmpty()) {
                throw new IllegalStateException("a webhook sender needs at least one URL");
            }
            return new WebhookSender(this);
        }
    }
}
