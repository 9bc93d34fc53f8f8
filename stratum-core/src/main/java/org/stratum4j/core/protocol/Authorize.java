package org.stratum4j.core.protocol;

import java.util.Objects;

/**
 * {@code mining.authorize [worker_name, password?]}.
 *
 * @param id       the request id
 * @param worker   the worker name, often {@code address.worker} or {@code account.worker}
 * @param password the password, which often carries options such as {@code d=1024}; null when absent
 */
public record Authorize(RequestId id, String worker, String password) implements MinerMessage {
    /** Checks the components. */
    public Authorize {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(worker, "worker");
    }
}
