package org.stratum4j.transport.nio;

import java.util.Arrays;

/**
 * Coverage-guided fuzz target (Jazzer) for the PROXY protocol v1/v2 header parser, which reads the
 * first bytes of every connection on a PROXY listener: it never throws, never claims more bytes than
 * it was given, gives either an address or an error for a complete header, and gives the same answer
 * when the bytes arrive with room to spare after them.
 */
public final class ProxyHeaderFuzz {

    private ProxyHeaderFuzz() {
    }

    /** libFuzzer's entry point. */
    public static void fuzzerTestOneInput(byte[] data) {
        ProxyHeader.Result r = ProxyHeader.parse(data, data.length);
        if (r.complete()) {
            if (r.consumed() < 1 || r.consumed() > data.length) {
                throw new IllegalStateException("consumed " + r.consumed() + " of " + data.length + " bytes");
            }
            if (r.error() != null) {
                throw new IllegalStateException("a complete header with an error");
            }
        }
        ProxyHeader.Result again = ProxyHeader.parse(Arrays.copyOf(data, data.length + 64), data.length);
        if (again.complete() != r.complete() || again.consumed() != r.consumed() || !java.util.Objects.equals(again.error(), r.error())) {
            throw new IllegalStateException("the answer depends on the buffer's spare room");
        }
    }
}
