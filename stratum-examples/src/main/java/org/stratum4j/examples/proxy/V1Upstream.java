package org.stratum4j.examples.proxy;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.protocol.ExtranonceSubscribe;
import org.stratum4j.core.protocol.JsonValue;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.Reconnect;
import org.stratum4j.core.protocol.Response;
import org.stratum4j.core.protocol.SetExtranonce;
import org.stratum4j.core.protocol.StratumError;
import org.stratum4j.examples.miner.PoolUrl;
import org.stratum4j.transport.nio.ClientGroup;
import org.stratum4j.transport.nio.StratumClient;

/**
 * A Stratum V1 upstream session: {@code mining.configure} (version rolling), subscribe,
 * {@code mining.extranonce.subscribe}, authorize; then notifies, {@code set_difficulty},
 * {@code set_extranonce} and {@code set_version_mask} as the pool sends them.
 */
final class V1Upstream extends Upstream implements StratumClient.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(V1Upstream.class);

    private final Map<String, CompletableFuture<StratumError>> workers = new ConcurrentHashMap<>();
    private volatile StratumClient client;
    private volatile boolean authorized;
    private volatile boolean probing;

    V1Upstream(PoolUrl url, int number, Settings settings, Clock clock, Events events) {
        super(url, number, settings, clock, events);
    }

    @Override
    protected void connect(ClientGroup group) {
        CompletableFuture<StratumClient> connecting = url.tls() ? group.connect(url.address(), settings.tls(), this)
                : group.connect(url.address(), this);
        connecting.whenComplete((c, e) -> {
            if (e != null) {
                fail("cannot connect: " + rootMessage(e));
                return;
            }
            client = c;
            if (ready.isDone()) {
                c.close(); // gave up while the connection was being made
                return;
            }
            setUp(c);
        });
    }

    private void setUp(StratumClient c) {
        CompletableFuture<Void> configured = settings.versionMask() == 0 ? CompletableFuture.completedFuture(null)
                : c.configureVersionRolling(settings.versionMask(), 0).thenAccept(this::configured);
        configured.thenCompose(x -> c.subscribe(ProxyMain.USER_AGENT)).thenCompose(sub -> {
            heard();
            if (!extranonce(sub.extranonce1(), sub.extranonce2Size())) {
                throw new IllegalStateException("its extranonce does not fit");
            }
            // Optional: pools that do not know it say so, and then they never change our extranonce anyway.
            c.request(ExtranonceSubscribe::new);
            return c.authorize(settings.user(), settings.password());
        }).whenComplete((r, e) -> {
            if (e != null) {
                fail(rootMessage(e));
            } else if (!r.isTrue()) {
                fail("the pool refused worker " + settings.user() + ": " + (r.error() == null ? "false" : r.error().message()));
            } else {
                heard();
                authorized = true;
                workers.put(settings.user(), CompletableFuture.completedFuture(null));
                becomeReady(true);
            }
        });
    }

    private void configured(Response r) {
        heard();
        int granted = 0;
        if (r.error() == null && r.result() instanceof JsonValue.Object o && JsonValue.Bool.TRUE.equals(o.fields().get("version-rolling"))
                && o.fields().get("version-rolling.mask") instanceof JsonValue.Str mask) {
            try {
                granted = (int) Long.parseLong(mask.value(), 16);
            } catch (NumberFormatException e) {
                granted = 0;
            }
        }
        versionMask = granted & settings.versionMask();
        if (versionMask != settings.versionMask()) {
            LOG.warn("upstream {} allows version rolling mask {} (asked for {}): miners' shares with other rolled bits are refused",
                    url, String.format("%08x", versionMask), String.format("%08x", settings.versionMask()));
        }
    }

    // ------------------------------------------------------------------ from the pool (client loop)

    @Override
    public void onNotify(StratumClient c, Notify notify) {
        job(notify, authorized);
    }

    @Override
    public void onSetDifficulty(StratumClient c, Difficulty d) {
        heard();
        difficulty = d;
    }

    @Override
    public void onSetExtranonce(StratumClient c, SetExtranonce e) {
        heard();
        extranonce(e.extranonce1(), e.extranonce2Size());
    }

    @Override
    public void onSetVersionMask(StratumClient c, int mask) {
        heard();
        versionMask = mask & settings.versionMask();
    }

    @Override
    public void onReconnect(StratumClient c, Reconnect r) {
        close("the pool asked the proxy to reconnect");
    }

    @Override
    public void onClosed(StratumClient c, String reason) {
        ended(reason);
    }

    // ------------------------------------------------------------------ to the pool

    @Override
    CompletableFuture<StratumError> submit(String worker, Work work, byte[] extranonce2, int ntime, int nonce, int version) {
        StratumClient c = client;
        if (c == null || !isOpen()) {
            return CompletableFuture.failedFuture(new IllegalStateException("upstream session closed"));
        }
        int mask = versionMask;
        String jobId = work.upstreamJob().jobId();
        return authorize(worker).thenCompose(refused -> {
            if (refused != null) {
                return CompletableFuture.completedFuture(refused);
            }
            CompletableFuture<Response> answer = mask == 0 ? c.submit(worker, jobId, extranonce2, ntime, nonce)
                    : c.submit(worker, jobId, extranonce2, ntime, nonce, version & mask);
            return answer.thenApply(r -> {
                heard();
                return r.isTrue() ? null : r.error() != null ? r.error() : StratumError.other("the upstream pool said false");
            });
        }).orTimeout(settings.answerTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    CompletableFuture<StratumError> authorize(String worker) {
        StratumClient c = client;
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("upstream session not connected"));
        }
        return workers.computeIfAbsent(worker, w -> c.authorize(w, settings.password())
                .orTimeout(settings.answerTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(r -> r.isTrue() ? null : r.error() != null ? r.error() : StratumError.UNAUTHORIZED_WORKER));
    }

    /** The account's {@code mining.authorize} again: harmless and answered by every pool. */
    @Override
    void probe() {
        StratumClient c = client;
        if (c == null || probing || !authorized) {
            return;
        }
        probing = true;
        c.authorize(settings.user(), settings.password()).whenComplete((r, e) -> {
            probing = false;
            if (e == null) {
                heard();
            }
        });
    }

    @Override
    protected void disconnect() {
        StratumClient c = client;
        if (c != null) {
            c.close();
        }
    }
}
