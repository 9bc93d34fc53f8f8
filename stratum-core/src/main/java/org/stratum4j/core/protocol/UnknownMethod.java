package org.stratum4j.core.protocol;

import java.util.Objects;

/**
 * A request or notification with a method this codec does not know. A pool answers a request
 * with error 20 ("Unknown method"), never with silence.
 *
 * @param id     the request id ({@link RequestId#NULL} for a notification)
 * @param method the method name as received
 */
public record UnknownMethod(RequestId id, String method) implements MinerMessage, PoolMessage {
    /** Checks the components. */
    public UnknownMethod {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(method, "method");
    }
}
