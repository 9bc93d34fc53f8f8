package org.stratum4j.examples.proxy;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.MerkleBranch;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.StratumError;
import org.stratum4j.core.sv2.Sv2Message;
import org.stratum4j.core.sv2.Sv2Message.CloseChannel;
import org.stratum4j.core.sv2.Sv2Message.NewExtendedMiningJob;
import org.stratum4j.core.sv2.Sv2Message.Reconnect;
import org.stratum4j.core.sv2.Sv2Message.SetExtranoncePrefix;
import org.stratum4j.core.sv2.Sv2Message.SetNewPrevHash;
import org.stratum4j.core.sv2.Sv2Message.SetTarget;
import org.stratum4j.core.sv2.Sv2Message.SetupConnection;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesError;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesExtended;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesSuccess;
import org.stratum4j.examples.miner.PoolUrl;
import org.stratum4j.transport.nio.ClientGroup;
import org.stratum4j.transport.nio.Sv2Client;

/**
 * A Stratum V2 upstream session: the Noise handshake pinned to the URL's authority key, then one
 * extended channel for the whole farm. Its jobs become V1 jobs for the miners (coinbase prefix and
 * suffix are V1's coinb1 and coinb2 around the channel's extranonce prefix and extranonce; a
 * future job waits for its {@code SetNewPrevHash}); {@code SetTarget} is the upstream difficulty,
 * {@code SetExtranoncePrefix} a new split; shares go up as {@code SubmitShares.Extended} with the
 * full version, and the pool's error codes come back in V1 terms. V1 miners reach a V2 pool so,
 * with version rolling, {@code suggest_difficulty} and {@code extranonce.subscribe} served by the
 * proxy's own engine.
 */
final class V2Upstream extends Upstream implements Sv2Client.Listener {

    /** BIP320's bits: what an extended channel may roll when a job allows rolling. */
    static final int BIP320_MASK = 0x1fffe000;

    private final AtomicInteger sequence = new AtomicInteger();
    // Only on the client loop:
    private final Map<Integer, NewExtendedMiningJob> futureJobs = new HashMap<>();
    private Sha256Hash prevHash;
    private int nbits;
    private int minNtime;
    private boolean fixedVersion;
    private volatile Sv2Client client;
    private volatile int channelId = -1;
    private volatile boolean probing;

    V2Upstream(PoolUrl url, int number, Settings settings, Clock clock, Events events) {
        super(url, number, settings, clock, events);
    }

    @Override
    protected void connect(ClientGroup group) {
        group.connectV2(url.address(), url.authority(), this).whenComplete((c, e) -> {
            if (e != null) {
                fail("cannot connect: " + rootMessage(e));
                return;
            }
            client = c;
            if (ready.isDone()) {
                c.close();
                return;
            }
            c.setup(new SetupConnection(Sv2Message.MINING_PROTOCOL, 2, 2, 0, url.host(), url.port(), "stratum4j", "proxy",
                    ProxyMain.USER_AGENT, "")).thenCompose(ok -> {
                        heard();
                        fixedVersion = (ok.flags() & Sv2Message.REQUIRES_FIXED_VERSION) != 0;
                        return c.openExtendedChannel(settings.user(), 0f, Target.MAX, settings.indexBytes() + settings.minerExtranonce2());
                    }).whenComplete((open, failure) -> {
                        if (failure != null) {
                            fail(rootMessage(failure));
                            return;
                        }
                        heard();
                        channelId = open.channelId();
                        difficulty = Difficulty.of(open.target().difficulty());
                        if (extranonce(open.extranoncePrefix(), open.extranonceSize())) {
                            becomeReady(true);
                        }
                    });
        });
    }

    // ------------------------------------------------------------------ from the pool (client loop)

    @Override
    public void onMessage(Sv2Client c, Sv2Message m) {
        heard();
        if (m instanceof NewExtendedMiningJob j && j.channelId() == channelId) {
            if (j.minNtime().isPresent()) {
                publish(j, j.minNtime().getAsInt(), false);
            } else {
                futureJobs.put(j.jobId(), j);
            }
        } else if (m instanceof SetNewPrevHash p && p.channelId() == channelId) {
            prevHash = p.prevHash();
            nbits = p.nbits();
            minNtime = p.minNtime();
            NewExtendedMiningJob j = futureJobs.remove(p.jobId());
            futureJobs.clear();
            if (j != null) {
                publish(j, minNtime, true);
            }
        } else if (m instanceof SetTarget t && t.channelId() == channelId) {
            difficulty = Difficulty.of(t.maximumTarget().difficulty());
        } else if (m instanceof SetExtranoncePrefix x && x.channelId() == channelId) {
            extranonce(x.extranoncePrefix(), split.upstreamExtranonce2Size());
        } else if (m instanceof Reconnect) {
            close("the pool asked the proxy to reconnect");
        } else if (m instanceof CloseChannel cc && cc.channelId() == channelId) {
            close("the pool closed the channel: " + cc.reasonCode());
        }
    }

    private void publish(NewExtendedMiningJob j, int ntime, boolean clean) {
        if (prevHash == null) {
            return; // a job before any previous block: the pool's next SetNewPrevHash brings one
        }
        versionMask = j.versionRollingAllowed() && !fixedVersion ? BIP320_MASK & settings.versionMask() : 0;
        job(new Notify(Integer.toUnsignedString(j.jobId()), prevHash, j.coinbaseTxPrefix(), j.coinbaseTxSuffix(),
                MerkleBranch.of(j.merklePath()), j.version(), CompactBits.of(nbits), ntime, clean), true);
    }

    @Override
    public void onClosed(Sv2Client c, String reason) {
        ended(reason);
    }

    // ------------------------------------------------------------------ to the pool

    @Override
    CompletableFuture<StratumError> submit(String worker, Work work, byte[] extranonce2, int ntime, int nonce, int version) {
        Sv2Client c = client;
        if (c == null || !isOpen()) {
            return CompletableFuture.failedFuture(new IllegalStateException("upstream session closed"));
        }
        int jobId = Integer.parseUnsignedInt(work.upstreamJob().jobId());
        return c.submit(new SubmitSharesExtended(channelId, sequence.incrementAndGet(), jobId, nonce, ntime, version, extranonce2))
                .orTimeout(settings.answerTimeout().toMillis(), TimeUnit.MILLISECONDS).thenApply(answer -> {
                    heard();
                    if (answer instanceof SubmitSharesSuccess) {
                        return null;
                    }
                    return answer instanceof SubmitSharesError e ? v1(e.errorCode()) : StratumError.other("unexpected answer " + answer);
                });
    }

    /** A V2 share error in V1 terms: the code the miner's software understands, the V2 code as the message. */
    static StratumError v1(String code) {
        return switch (code) {
            case "stale-share", "invalid-job-id" -> new StratumError(StratumError.CODE_JOB_NOT_FOUND, "Job not found (upstream: " + code + ")");
            case "duplicate-share" -> new StratumError(StratumError.CODE_DUPLICATE_SHARE, "Duplicate share (upstream: " + code + ")");
            case "difficulty-too-low" -> new StratumError(StratumError.CODE_LOW_DIFFICULTY, "Low difficulty share (upstream: " + code + ")");
            default -> StratumError.other("upstream: " + code);
        };
    }

    /** The channel's user is the account: Stratum V2 names the worker per channel, not per share. */
    @Override
    CompletableFuture<StratumError> authorize(String worker) {
        return CompletableFuture.completedFuture(null);
    }

    /** Opens a standard channel and closes it again: every V2 pool answers an open. */
    @Override
    void probe() {
        Sv2Client c = client;
        if (c == null || probing || channelId < 0) {
            return;
        }
        probing = true;
        c.openStandardChannel(settings.user(), 0f, Target.MAX).whenComplete((open, e) -> {
            probing = false;
            if (e == null) {
                heard();
                c.send(new CloseChannel(open.channelId(), "probe"));
            } else if (e.getCause() instanceof Sv2Client.RefusedException || e instanceof Sv2Client.RefusedException) {
                heard(); // refused is an answer too
            }
        });
    }

    @Override
    protected void disconnect() {
        Sv2Client c = client;
        if (c != null) {
            c.close();
        }
    }
}
