package org.stratum4j.core.share;

import org.stratum4j.core.protocol.StratumError;

/**
 * Why a share was not accepted, in the order the checks run (PROTOCOL.md), each with the
 * Stratum error it is answered with. Counters and logs use the enum; miners see the error.
 */
public enum RejectReason {
    /** {@code mining.submit} before {@code mining.subscribe}: 25. */
    NOT_SUBSCRIBED(StratumError.NOT_SUBSCRIBED),
    /** The worker was not authorized on this connection: 24. */
    UNAUTHORIZED_WORKER(StratumError.UNAUTHORIZED_WORKER),
    /** Wrong parameter count or types, bad hex: 20. */
    MALFORMED(StratumError.other("Malformed submit")),
    /** Unknown job, or stale (expired, or on a replaced tip): 21. */
    JOB_NOT_FOUND(StratumError.JOB_NOT_FOUND),
    /** extranonce2 is not the announced size: 20. */
    EXTRANONCE2_SIZE(StratumError.other("Incorrect size of extranonce2")),
    /** ntime before the job's minimum or more than two hours ahead: 20. */
    NTIME_OUT_OF_RANGE(StratumError.other("ntime out of range")),
    /** Version bits outside the negotiated mask (or rolling without negotiating it): 20. */
    VERSION_BITS_OUTSIDE_MASK(StratumError.other("Version bits outside the negotiated mask")),
    /** The same header was already accepted: 22. */
    DUPLICATE(StratumError.DUPLICATE_SHARE),
    /** The hash does not meet the share target: 23. */
    LOW_DIFFICULTY(StratumError.LOW_DIFFICULTY);

    private final StratumError error;

    RejectReason(StratumError error) {
        this.error = error;
    }

    /** The error the miner is answered with. */
    public StratumError error() {
        return error;
    }
}
