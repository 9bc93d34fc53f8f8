package org.stratum4j.core.protocol;

import java.util.Objects;

/**
 * {@code mining.get_transactions [job_id?]}, which pools may decline with error 20.
 *
 * @param id    the request id
 * @param jobId the job asked about, or null
 */
public record GetTransactions(RequestId id, String jobId) implements MinerMessage {
    /** Checks the components. */
    public GetTransactions {
        Objects.requireNonNull(id, "id");
    }
}
