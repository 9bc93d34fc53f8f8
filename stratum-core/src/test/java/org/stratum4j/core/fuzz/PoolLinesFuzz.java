package org.stratum4j.core.fuzz;

import java.nio.charset.StandardCharsets;
import org.stratum4j.core.protocol.ClientCodec;
import org.stratum4j.core.protocol.PoolMessage;
import org.stratum4j.core.protocol.Response;

/**
 * Any bytes a pool (or a proxy's upstream) can send as a line: the client's decoder never throws
 * and never returns null, and decodes a good response right after.
 */
public final class PoolLinesFuzz {

    private static final ClientCodec CODEC = new ClientCodec();
    private static final byte[] GOOD = "{\"id\":4,\"result\":true,\"error\":null}".getBytes(StandardCharsets.US_ASCII);

    private PoolLinesFuzz() {
    }

    /** libFuzzer's entry point. */
    public static void fuzzerTestOneInput(byte[] line) {
        PoolMessage m = CODEC.decode(line, 0, line.length);
        if (m == null) {
            throw new IllegalStateException("decode returned null");
        }
        if (!(CODEC.decode(GOOD, 0, GOOD.length) instanceof Response r) || !r.isTrue()) {
            throw new IllegalStateException("the codec did not recover after " + new String(line, StandardCharsets.ISO_8859_1));
        }
    }
}
