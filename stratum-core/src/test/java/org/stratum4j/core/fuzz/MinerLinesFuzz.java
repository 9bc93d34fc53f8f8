package org.stratum4j.core.fuzz;

import java.nio.charset.StandardCharsets;
import org.stratum4j.core.protocol.MinerMessage;
import org.stratum4j.core.protocol.PoolCodec;
import org.stratum4j.core.protocol.Submit;

/**
 * Any bytes a miner can send as a line: the pool's decoder never throws and never returns null,
 * and decodes a good submit right after (it reuses its parser from line to line, so a bad line
 * must leave nothing behind).
 */
public final class MinerLinesFuzz {

    private static final PoolCodec CODEC = new PoolCodec();
    private static final byte[] GOOD = ("{\"id\":4,\"method\":\"mining.submit\",\"params\":[\"w\",\"1a\",\"00000001\",\"64b3f3ec\","
            + "\"ed460d92\"]}").getBytes(StandardCharsets.US_ASCII);

    private MinerLinesFuzz() {
    }

    /** libFuzzer's entry point. */
    public static void fuzzerTestOneInput(byte[] line) {
        MinerMessage m = CODEC.decode(line, 0, line.length);
        if (m == null) {
            throw new IllegalStateException("decode returned null");
        }
        if (!(CODEC.decode(GOOD, 0, GOOD.length) instanceof Submit s) || !s.jobId().equals("1a")) {
            throw new IllegalStateException("the codec did not recover after " + new String(line, StandardCharsets.ISO_8859_1));
        }
    }
}
