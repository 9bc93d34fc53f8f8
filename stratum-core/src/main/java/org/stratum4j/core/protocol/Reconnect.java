package org.stratum4j.core.protocol;

/**
 * {@code client.reconnect [host?, port?, wait_seconds?]}: connect again, possibly elsewhere.
 *
 * @param host        the host to connect to, or null for the same one
 * @param port        the port, or null for the same one
 * @param waitSeconds seconds to wait before reconnecting, or null for none
 */
public record Reconnect(String host, Integer port, Integer waitSeconds) implements PoolMessage {
    @Override
    public RequestId id() {
        return RequestId.NULL;
    }
}
