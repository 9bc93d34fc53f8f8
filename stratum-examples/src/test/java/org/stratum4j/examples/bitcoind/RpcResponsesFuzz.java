package org.stratum4j.examples.bitcoind;

import java.net.URI;
import java.util.Arrays;

/**
 * Coverage-guided fuzz target (Jazzer) for everything Bitcoin Core, or whatever answers on its
 * port, can send back: the first byte picks the call ({@code getblocktemplate},
 * {@code getblockchaininfo}, {@code submitblock}) and the HTTP status, the rest is the body. The
 * answer is a result or an {@link RpcException}, never another exception (one would end the
 * template thread, leaving miners on a stale job).
 */
public final class RpcResponsesFuzz {

    private static final BitcoindRpc RPC = BitcoindRpc.builder(URI.create("http://127.0.0.1:1/"), RpcAuth.password("u", "p")).build();
    private static final String[] METHODS = {"getblocktemplate", "getblockchaininfo", "submitblock"};
    private static final int[] STATUSES = {200, 500, 404, 401};

    private RpcResponsesFuzz() {
    }

    /** libFuzzer's entry point. */
    public static void fuzzerTestOneInput(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int pick = data[0] & 0xff;
        byte[] body = Arrays.copyOfRange(data, 1, data.length);
        try {
            RPC.parseResponse(METHODS[pick % METHODS.length], STATUSES[(pick / METHODS.length) % STATUSES.length], body);
        } catch (RpcException e) {
            if (e.getMessage() == null || e.getMessage().isEmpty()) {
                throw new IllegalStateException("an RPC fault without a message", e);
            }
        }
    }
}
