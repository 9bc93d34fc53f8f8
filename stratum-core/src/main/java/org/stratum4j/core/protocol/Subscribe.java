package org.stratum4j.core.protocol;

import java.util.Objects;

/**
 * {@code mining.subscribe [user_agent?, session_id?, …]}. Real miners send zero to three params;
 * only the first two mean anything to a pool.
 *
 * @param id        the request id
 * @param userAgent the miner's software, or null when not given
 * @param sessionId a previous subscription id to resume, or null
 */
public record Subscribe(RequestId id, String userAgent, String sessionId) implements MinerMessage {
    /** Checks the components. */
    public Subscribe {
        Objects.requireNonNull(id, "id");
    }
}
