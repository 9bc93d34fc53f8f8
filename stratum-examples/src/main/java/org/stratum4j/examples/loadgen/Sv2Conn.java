package org.stratum4j.examples.loadgen;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.function.Predicate;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.sv2.Sv2DecodeException;
import org.stratum4j.core.sv2.Sv2Framing;
import org.stratum4j.core.sv2.Sv2Message;
import org.stratum4j.core.sv2.Sv2Message.OpenStandardMiningChannelSuccess;
import org.stratum4j.core.sv2.Sv2Message.SetupConnection;
import org.stratum4j.core.sv2.Sv2Message.SubmitSharesStandard;
import org.stratum4j.core.sv2.noise.NoiseException;
import org.stratum4j.core.sv2.noise.NoiseInitiator;
import org.stratum4j.core.sv2.noise.NoiseResponder;
import org.stratum4j.core.sv2.noise.XOnlyPublicKey;

/**
 * One load-generator connection's Stratum V2 side: the Noise handshake as initiator, then
 * SetupConnection and one standard channel, and random-nonce shares on the channel's latest job.
 * Owned by the generator's loop thread.
 */
final class Sv2Conn {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_PAYLOAD = 1 << 20;

    private final NoiseInitiator initiator;
    private final byte[] act2 = new byte[NoiseResponder.ACT2_LENGTH];
    private int act2Length;
    private Sv2Framing framing;
    private int channelId = -1;
    private int jobId;
    private int ntime;
    /** The last share's sequence number (from 1). */
    int sequence;

    Sv2Conn(XOnlyPublicKey authority) {
        this.initiator = new NoiseInitiator(authority, RANDOM);
    }

    byte[] act1() {
        return initiator.writeAct1();
    }

    /**
     * Takes bytes from the pool: first act 2, after which the SetupConnection and
     * OpenStandardMiningChannel frames are returned to be sent; then messages for {@code sink}.
     */
    byte[] read(ByteBuffer bytes, String user, Predicate<Sv2Message> sink) throws NoiseException, Sv2DecodeException {
        byte[] opening = null;
        if (framing == null) {
            int take = Math.min(bytes.remaining(), act2.length - act2Length);
            bytes.get(act2, act2Length, take);
            act2Length += take;
            if (act2Length < act2.length) {
                return null;
            }
            framing = new Sv2Framing(initiator.readAct2(act2, System.currentTimeMillis() / 1000), MAX_PAYLOAD);
            byte[] setup = framing.encode(new SetupConnection(Sv2Message.MINING_PROTOCOL, 2, 2, Sv2Message.REQUIRES_STANDARD_JOBS,
                    "127.0.0.1", 0, "stratum4j-loadgen", "load", "1", ""));
            byte[] open = framing.encode(new Sv2Message.OpenStandardMiningChannel(1, user, 0f, Target.MAX));
            opening = new byte[setup.length + open.length];
            System.arraycopy(setup, 0, opening, 0, setup.length);
            System.arraycopy(open, 0, opening, setup.length, open.length);
        }
        if (bytes.hasRemaining()) {
            framing.feed(bytes, m -> {
                if (m instanceof OpenStandardMiningChannelSuccess ok) {
                    channelId = ok.channelId();
                }
                return sink.test(m);
            });
        }
        return opening;
    }

    /** The channel's current job. */
    void job(int id, int time) {
        this.jobId = id;
        this.ntime = time;
    }

    /** A share with {@code nonce} on the current job, encrypted. */
    byte[] submit(int nonce) {
        sequence = sequence == Integer.MAX_VALUE ? 1 : sequence + 1;
        return framing.encode(new SubmitSharesStandard(channelId, sequence, jobId, nonce, ntime, 0x20000000));
    }

    /** The V1 error code the report files a V2 refusal under (21 stale, 22 duplicate, 23 low difficulty, else 20). */
    static int v1Code(String code) {
        return switch (code) {
            case "stale-share", "invalid-job-id" -> 21;
            case "duplicate-share" -> 22;
            case "difficulty-too-low" -> 23;
            default -> 20;
        };
    }
}
