package org.stratum4j.core.protocol;

import java.util.Objects;

/**
 * {@code mining.multi_version [n]}, which pools may decline with error 20.
 *
 * @param id      the request id
 * @param version the number given
 */
public record MultiVersion(RequestId id, int version) implements MinerMessage {
    /** Checks the components. */
    public MultiVersion {
        Objects.requireNonNull(id, "id");
    }
}
