package org.stratum4j.core.protocol;

import java.util.Objects;

/**
 * {@code client.get_version []}: the pool asks for the miner's software version; the miner
 * answers with a {@link Response} whose result is a string.
 *
 * @param id the request id
 */
public record GetVersion(RequestId id) implements PoolMessage {
    /** Checks the components. */
    public GetVersion {
        Objects.requireNonNull(id, "id");
    }
}
