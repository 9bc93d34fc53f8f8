package org.stratum4j.core.engine;

import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.MinerMessage;
import org.stratum4j.core.protocol.PoolMessage;
import org.stratum4j.core.share.MerkleRootCache;
import org.stratum4j.core.share.RejectReason;

/**
 * One miner connection as the engine sees it. Made by {@link PoolEngine#open}; all of its state is
 * touched only on the connection's event loop, so it has no locks. The getters are for statistics
 * and tests.
 */
public final class Session {

    /**
     * How many delivered jobs a session remembers, with the difficulty each was sent at. A share on
     * a job older than that gets 21; with vardiff changing at most every 10 s and templates every
     * 30 s, 16 covers well over a minute, longer than cpuminer's 60 s scan keeps a job.
     */
    static final int JOB_MEMORY = 16;
    /** Most requests held while an authorization is pending; more closes the connection. */
    static final int MAX_HELD_REQUESTS = 256;

    final long id;
    final Connection connection;
    final Instant openedAt;
    byte[] extranonce1;
    String extranonce1Hex;
    boolean subscribed;
    /** The miner software this session is counted under once subscribed, or null. */
    String software;
    boolean extranonceSubscribed;
    boolean closed;
    /** The version-rolling mask in force: what was agreed, narrowed to the pool's mask now ({@link PoolCore#versionMask()}). */
    int versionMask;
    /** What {@code mining.configure} agreed (0: no rolling), before any later narrowing. */
    int agreedVersionMask;
    final List<String> workers = new ArrayList<>(1);
    /** With per-worker payouts: the script this connection's coinbases pay (hex), set by its first authorization. */
    String payoutKey;
    byte[] payoutScript;
    final DifficultyPolicy.Controller difficulty;
    /** The difficulty last sent with {@code mining.set_difficulty}: the one every job sent after it is mined at. */
    Difficulty announcedDifficulty;

    /**
     * Jobs delivered to this session, newest last: id, the base job it is work of, the job, and the
     * difficulty announced when it was sent (miners such as cpuminer apply a difficulty from the
     * next notify on and finish older work at the difficulty that came with it).
     */
    final String[] sentIds = new String[JOB_MEMORY];
    final String[] sentBaseIds = new String[JOB_MEMORY];
    final Job[] sentJobs = new Job[JOB_MEMORY];
    final Difficulty[] sentDifficulties = new Difficulty[JOB_MEMORY];
    int sentNext;

    /** Replies and messages in order: while the head waits (durable sink), later ones queue behind it. */
    final ArrayDeque<Outgoing> outgoing = new ArrayDeque<>(0);
    /** Requests that arrived while an authorization was pending. */
    final ArrayDeque<MinerMessage> held = new ArrayDeque<>(0);
    boolean awaitingAuthorization;
    int garbageLines;

    long accepted;
    double acceptedDifficulty;
    final long[] rejected = new long[RejectReason.values().length];
    /** The last share's merkle root: miners roll version and nonce on one extranonce2 for a while. */
    final MerkleRootCache roots = new MerkleRootCache();
    long blocks;
    Instant lastAcceptedAt;
    Instant windowStart;
    long windowAccepted;
    long windowRejected;

    Session(long id, Connection connection, Instant now, DifficultyPolicy.Controller difficulty) {
        this.id = id;
        this.connection = connection;
        this.openedAt = now;
        this.windowStart = now;
        this.difficulty = difficulty;
    }

    /** One queued item of output: a message, a pre-encoded line, or a reply still waiting for its sink. */
    static final class Outgoing {
        PoolMessage message;
        byte[] line;
        boolean ready;
    }

    void remember(Job job, String baseId) {
        int i = sentNext++ % JOB_MEMORY;
        sentIds[i] = job.id();
        sentBaseIds[i] = baseId;
        sentJobs[i] = job;
        sentDifficulties[i] = announcedDifficulty == null ? difficulty.current() : announcedDifficulty;
    }

    /** Index of a delivered job with this id, or -1. */
    int sent(String jobId) {
        for (int k = 1; k <= JOB_MEMORY && k <= sentNext; k++) {
            int i = (sentNext - k) % JOB_MEMORY;
            if (jobId.equals(sentIds[i]) && sentJobs[i] != null) {
                return i;
            }
        }
        return -1;
    }

    /** Forgets every delivered job: their shares no longer count (the payout changed). */
    void forgetJobs() {
        java.util.Arrays.fill(sentIds, null);
        java.util.Arrays.fill(sentBaseIds, null);
        java.util.Arrays.fill(sentJobs, null);
        java.util.Arrays.fill(sentDifficulties, null);
        sentNext = 0;
    }

    /** The last job delivered, or null. */
    Job lastJob() {
        return sentNext == 0 ? null : sentJobs[(sentNext - 1) % JOB_MEMORY];
    }

    String lastBaseId() {
        return sentNext == 0 ? null : sentBaseIds[(sentNext - 1) % JOB_MEMORY];
    }

    /** The engine's id of this session. */
    public long id() {
        return id;
    }

    /** The miner's address. */
    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    /** When the connection opened. */
    public Instant openedAt() {
        return openedAt;
    }

    /** Whether {@code mining.subscribe} was answered. */
    public boolean isSubscribed() {
        return subscribed;
    }

    /** The extranonce1 in hex, or null before subscribe. */
    public String extranonce1Hex() {
        return extranonce1Hex;
    }

    /** The extranonce1 (a copy), or null before subscribe. */
    public byte[] extranonce1() {
        return extranonce1 == null ? null : extranonce1.clone();
    }

    /** The workers authorized on this connection. */
    public List<String> workers() {
        return Collections.unmodifiableList(workers);
    }

    /** The current share difficulty. */
    public Difficulty difficulty() {
        return difficulty.current();
    }

    /** The negotiated version-rolling mask (0 when none). */
    public int versionMask() {
        return versionMask;
    }

    /** Whether the miner asked for {@code mining.set_extranonce}. */
    public boolean isExtranonceSubscribed() {
        return extranonceSubscribed;
    }

    /** Accepted shares. */
    public long acceptedShares() {
        return accepted;
    }

    /** Sum of the difficulties accepted shares were judged at (for hash rate: × 2^32 / seconds). */
    public double acceptedDifficulty() {
        return acceptedDifficulty;
    }

    /** Rejected shares for one reason. */
    public long rejectedShares(RejectReason reason) {
        return rejected[reason.ordinal()];
    }

    /** Blocks found on this connection. */
    public long blocks() {
        return blocks;
    }

    @Override
    public String toString() {
        return "Session[" + id + " " + connection.remoteAddress() + (extranonce1 == null ? "" : " en1=" + Hex.encode(extranonce1))
                + " " + workers + "]";
    }
}
