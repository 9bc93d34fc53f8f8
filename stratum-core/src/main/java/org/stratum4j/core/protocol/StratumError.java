package org.stratum4j.core.protocol;

import java.util.Objects;

/**
 * A Stratum error, sent as {@code [code, "message", null]}.
 *
 * @param code    20 to 25 for the standard errors; other values are passed through as received
 * @param message a short human-readable reason
 */
public record StratumError(int code, String message) {

    /** 20: any other error, including unknown methods and malformed params. */
    public static final int CODE_OTHER = 20;
    /** 21: the job is unknown or stale. */
    public static final int CODE_JOB_NOT_FOUND = 21;
    /** 22: the same share was already submitted. */
    public static final int CODE_DUPLICATE_SHARE = 22;
    /** 23: the share's hash is above the share target. */
    public static final int CODE_LOW_DIFFICULTY = 23;
    /** 24: the worker is not authorized on this connection. */
    public static final int CODE_UNAUTHORIZED_WORKER = 24;
    /** 25: the connection has not subscribed. */
    public static final int CODE_NOT_SUBSCRIBED = 25;

    /** Error 21 with the standard message. */
    public static final StratumError JOB_NOT_FOUND = new StratumError(CODE_JOB_NOT_FOUND, "Job not found");
    /** Error 22 with the standard message. */
    public static final StratumError DUPLICATE_SHARE = new StratumError(CODE_DUPLICATE_SHARE, "Duplicate share");
    /** Error 23 with the standard message. */
    public static final StratumError LOW_DIFFICULTY = new StratumError(CODE_LOW_DIFFICULTY, "Low difficulty share");
    /** Error 24 with the standard message. */
    public static final StratumError UNAUTHORIZED_WORKER = new StratumError(CODE_UNAUTHORIZED_WORKER, "Unauthorized worker");
    /** Error 25 with the standard message. */
    public static final StratumError NOT_SUBSCRIBED = new StratumError(CODE_NOT_SUBSCRIBED, "Not subscribed");

    /** Checks the components. */
    public StratumError {
        Objects.requireNonNull(message, "message");
    }

    /** Error 20 with the given reason, e.g. "Unknown method" or "ntime out of range". */
    public static StratumError other(String message) {
        return new StratumError(CODE_OTHER, message);
    }
}
