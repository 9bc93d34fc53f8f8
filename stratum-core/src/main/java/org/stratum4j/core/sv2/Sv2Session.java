package org.stratum4j.core.sv2;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.engine.DifficultyPolicy;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.share.MerkleRootCache;

/**
 * One Stratum V2 connection as {@link Sv2Engine} sees it: its setup and its mining channels. Made
 * by {@link Sv2Engine#open}; touched only on the connection's event loop, so it has no locks.
 */
public final class Sv2Session {

    /**
     * Channels one connection may hold. Each costs an extranonce1 and about a kilobyte, and a
     * connection is limited like one V1 session; a farm proxy needs one extended channel, a proxy
     * relaying standard channels one per device, so 64 per connection (more connections for more).
     */
    static final int MAX_CHANNELS = 64;
    /** Messages held while an authorization is pending; more closes the connection. */
    static final int MAX_HELD = 256;

    final long id;
    final Sv2Connection connection;
    final Instant openedAt;
    boolean setUp;
    boolean closed;
    int setupFlags;
    /** The name this connection's software is counted under (from SetupConnection's vendor), or null. */
    String software;
    final Map<Integer, Channel> channels = new LinkedHashMap<>();
    int nextChannelId = 1;
    /** Answers in order: while the head waits for a durable sink, later messages queue behind it. */
    final ArrayDeque<Outgoing> outgoing = new ArrayDeque<>(0);
    final ArrayDeque<Sv2Message> held = new ArrayDeque<>(0);
    boolean awaitingAuthorization;
    Instant windowStart;
    long windowAccepted;
    long windowRejected;

    Sv2Session(long id, Sv2Connection connection, Instant openedAt) {
        this.id = id;
        this.connection = connection;
        this.openedAt = openedAt;
        this.windowStart = openedAt;
    }

    /** The session's number (shared with V1 sessions' numbering; share events carry it). */
    public long id() {
        return id;
    }

    /** Whether SetupConnection has succeeded. */
    public boolean isSetUp() {
        return setUp;
    }

    /** Open mining channels. */
    public int channelCount() {
        return channels.size();
    }

    /** Accepted shares over all of this connection's channels. */
    public long accepted() {
        long n = 0;
        for (Channel c : channels.values()) {
            n += c.accepted;
        }
        return n;
    }

    /** The current difficulty of a channel, or null when there is no such channel. */
    public Difficulty difficulty(int channelId) {
        Channel c = channels.get(channelId);
        return c == null ? null : c.difficulty.current();
    }

    /** A slot in the ordered output. */
    static final class Outgoing {
        Sv2Message message;
        boolean ready;
    }

    /** One mining channel: a worker, its extranonce space, its target and the jobs it was sent. */
    static final class Channel {
        /** Jobs remembered per channel, as a V1 session remembers them. */
        static final int JOB_MEMORY = 16;

        final int id;
        final boolean extended;
        final String worker;
        final byte[] extranonce1;
        final String extranonce1Hex;
        /** Standard channels mine one fixed extranonce2 (zeros): their jobs are header-only. */
        final byte[] fixedExtranonce2;
        final DifficultyPolicy.Controller difficulty;
        /** The largest target the device takes (OpenMiningChannel's max_target). */
        Target maxTarget;
        final int versionMask;
        String payoutKey;
        byte[] payoutScript;
        final MerkleRootCache roots = new MerkleRootCache();
        Sha256Hash prevHash;
        int nextJobId = 1;
        final int[] sentIds = new int[JOB_MEMORY];
        final String[] sentBaseIds = new String[JOB_MEMORY];
        final Job[] sentJobs = new Job[JOB_MEMORY];
        final Target[] sentTargets = new Target[JOB_MEMORY];
        int sentNext;
        /** The target last sent with SetTarget (or in the open answer). */
        Target target;
        long accepted;
        double acceptedDifficulty;
        long rejected;

        Channel(int id, boolean extended, String worker, byte[] extranonce1, String extranonce1Hex, byte[] fixedExtranonce2,
                DifficultyPolicy.Controller difficulty, Target maxTarget, int versionMask) {
            this.id = id;
            this.extended = extended;
            this.worker = worker;
            this.extranonce1 = extranonce1;
            this.extranonce1Hex = extranonce1Hex;
            this.fixedExtranonce2 = fixedExtranonce2;
            this.difficulty = difficulty;
            this.maxTarget = maxTarget;
            this.versionMask = versionMask;
        }

        /** The target to mine at: the difficulty's, but never above what the device takes. */
        Target currentTarget() {
            return Target.min(difficulty.current().toTarget(), maxTarget);
        }

        int remember(Job job, String baseId, Target sentAt) {
            int jobId = nextJobId++;
            int slot = sentNext++ % JOB_MEMORY;
            sentIds[slot] = jobId;
            sentBaseIds[slot] = baseId;
            sentJobs[slot] = job;
            sentTargets[slot] = sentAt;
            return jobId;
        }

        /** The base id of the last job sent to this channel, or null before the first. */
        String lastBaseId() {
            return sentNext == 0 ? null : sentBaseIds[(sentNext - 1) % JOB_MEMORY];
        }

        /** The slot of a job id sent to this channel, or -1. */
        int sent(int jobId) {
            for (int i = 0; i < JOB_MEMORY; i++) {
                if (sentJobs[i] != null && sentIds[i] == jobId) {
                    return i;
                }
            }
            return -1;
        }
    }
}
