package org.stratum4j.examples.miner;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.LittleEndian;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Sha256Hasher;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.sv2.Sv2Message;
import org.stratum4j.core.sv2.Sv2Message.NewMiningJob;
import org.stratum4j.core.sv2.Sv2Message.SetNewPrevHash;
import org.stratum4j.core.sv2.Sv2Message.SetTarget;
import org.stratum4j.core.sv2.Sv2Message.SetupConnection;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesStandard;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesSuccess;
import org.stratum4j.core.sv2.noise.XOnlyPublicKey;
import org.stratum4j.transport.nio.ClientGroup;
import org.stratum4j.transport.nio.Sv2Client;

/**
 * A Stratum V2 CPU miner as a header-only device: one standard channel, the pool's merkle root, and
 * each thread rolling its own part of the version's BIP320 bits ({@code 1fffe000}) and the nonce.
 * It follows the protocol as a device must: a future job waits for its {@code SetNewPrevHash}, a
 * job with {@code min_ntime} replaces the work at once, {@code SetTarget} applies to what is mined
 * next. Meant for demos and tests.
 */
public final class Sv2CpuMiner extends MinerBase {

    private static final Logger LOG = LoggerFactory.getLogger(Sv2CpuMiner.class);
    private static final int ROLLING_MASK = 0x1fffe000;

    /** One piece of header-only work. */
    private record Work(int jobId, int version, Sha256Hash merkleRoot, Sha256Hash prevHash, int ntime, int bits) {
    }

    private final XOnlyPublicKey authority;
    private final AtomicInteger sequence = new AtomicInteger();
    /** Jobs received, by id, until a SetNewPrevHash picks one (loop thread only). */
    private final Map<Integer, NewMiningJob> jobs = new HashMap<>();
    private Sv2Client client;
    private volatile int channelId;
    /** Starts at the hardest target, so nothing is submitted before the channel's own target is known. */
    private volatile Target target = Target.of(java.math.BigInteger.ZERO);
    private volatile Work work;
    private SetNewPrevHash prevHash;

    /**
     * A miner for the V2 pool at {@code pool}, accepting only a server certified by
     * {@code authority}, as {@code user}, hashing on {@code threads} threads (1..256).
     */
    public Sv2CpuMiner(InetSocketAddress pool, XOnlyPublicKey authority, String user, int threads) {
        super(pool, user, threads);
        this.authority = Objects.requireNonNull(authority, "authority");
    }

    @Override
    public void start() throws Exception {
        group = ClientGroup.start(1);
        client = group.connectV2(pool, authority, new Sv2Client.Listener() {
            @Override
            public void onMessage(Sv2Client c, Sv2Message m) {
                received(m);
            }

            @Override
            public void onClosed(Sv2Client c, String reason) {
                connectionClosed(reason, LOG);
            }
        }).get(30, TimeUnit.SECONDS);
        client.setup(new SetupConnection(Sv2Message.MINING_PROTOCOL, 2, 2, Sv2Message.REQUIRES_STANDARD_JOBS, pool.getHostString(),
                pool.getPort(), "stratum4j-cpuminer", "cpu", "0.1", "")).get(30, TimeUnit.SECONDS);
        // The answer is taken on the loop thread, before the jobs that follow it are.
        client.openStandardChannel(user, 0f, Target.MAX).thenAccept(open -> {
            channelId = open.channelId();
            target = open.target();
        }).get(30, TimeUnit.SECONDS);
        startThreads("sv2-cpuminer", this::hashLoop);
    }

    /** On the client's loop thread. */
    private void received(Sv2Message m) {
        if (m instanceof NewMiningJob j) {
            if (j.minNtime().isPresent()) {
                SetNewPrevHash p = prevHash;
                if (p != null) {
                    work = new Work(j.jobId(), j.version(), j.merkleRoot(), p.prevHash(), j.minNtime().getAsInt(), p.nbits());
                }
            } else {
                jobs.put(j.jobId(), j);
            }
        } else if (m instanceof SetNewPrevHash p) {
            prevHash = p;
            NewMiningJob j = jobs.remove(p.jobId());
            jobs.clear();
            if (j != null) {
                work = new Work(j.jobId(), j.version(), j.merkleRoot(), p.prevHash(), p.minNtime(), p.nbits());
            }
        } else if (m instanceof SetTarget t) {
            target = t.maximumTarget();
        } else if (m instanceof Sv2Message.Reconnect r) {
            LOG.info("the pool asks to reconnect to {}:{}", r.newHost().isEmpty() ? pool.getHostString() : r.newHost(),
                    r.newPort() == 0 ? pool.getPort() : r.newPort());
        }
    }

    private void hashLoop(int index) {
        Sha256Hasher hasher = new Sha256Hasher();
        byte[] header = new byte[80];
        byte[] hash = new byte[32];
        long round = 0;
        while (running) {
            Work w = work;
            if (w == null) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            // Each thread and round gets its own 16 bits of version: index in the high part, round below it.
            int rolled = (int) ((index * 4099L + round++) & 0xffff) << 13;
            int version = (w.version() & ~ROLLING_MASK) | (rolled & ROLLING_MASK);
            LittleEndian.writeInt32(header, 0, version);
            w.prevHash().copyInternalBytesTo(header, 4);
            w.merkleRoot().copyInternalBytesTo(header, 36);
            LittleEndian.writeInt32(header, 68, w.ntime());
            LittleEndian.writeInt32(header, 72, w.bits());
            long done = 0;
            // The target is read again every 65,536 hashes: SetTarget (or the channel's first target) applies from then on.
            Target t = target;
            for (long nonce = 0; nonce <= 0xffffffffL && running; nonce++) {
                LittleEndian.writeInt32(header, 76, (int) nonce);
                hasher.sha256d(header, 0, 80, hash, 0);
                if (t.isMetBy(hash, 0)) {
                    submit(w, (int) nonce, version);
                }
                if ((++done & 0xffff) == 0) {
                    hashes.add(0x10000);
                    t = target;
                    if (work != w) {
                        break;
                    }
                }
            }
        }
    }

    private void submit(Work w, int nonce, int version) {
        int seq = sequence.incrementAndGet();
        client.submit(new SubmitSharesStandard(channelId, seq, w.jobId(), nonce, w.ntime(), version)).whenComplete((r, e) -> {
            if (e == null && r instanceof SubmitSharesSuccess) {
                accepted.incrementAndGet();
            } else {
                rejected.incrementAndGet();
                LOG.debug("share rejected: {}", e != null ? e.getMessage() : r);
            }
        });
    }


    @Override
    public Difficulty difficulty() {
        // A target's difficulty is a long binary fraction; six digits are what a person reads.
        return Difficulty.of(new java.math.BigDecimal(target.difficulty()).round(new java.math.MathContext(6)).stripTrailingZeros());
    }

    @Override
    void disconnect() {
        if (client != null) {
            client.close();
        }
    }
}
