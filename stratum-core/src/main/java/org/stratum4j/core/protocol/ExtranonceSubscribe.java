package org.stratum4j.core.protocol;

import java.util.Objects;

/**
 * {@code mining.extranonce.subscribe []}: the miner can take {@code mining.set_extranonce}.
 *
 * @param id the request id
 */
public record ExtranonceSubscribe(RequestId id) implements MinerMessage {
    /** Checks the components. */
    public ExtranonceSubscribe {
        Objects.requireNonNull(id, "id");
    }
}
