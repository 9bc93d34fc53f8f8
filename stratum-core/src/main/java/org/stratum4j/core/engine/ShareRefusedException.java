package org.stratum4j.core.engine;

import java.util.Objects;
import org.stratum4j.core.protocol.StratumError;

/**
 * How a durable {@link ShareSink} overrules the engine's acceptance of a share: a stage from
 * {@link ShareSink#record} that fails with this exception gives the miner {@link #error()} instead
 * of {@code true} (in Stratum V2, the matching {@code SubmitShares.Error} code). A proxy uses it to
 * pass on the upstream pool's verdict on a share it forwarded; any other failure means "not
 * stored".
 *
 * <p>Immutable and cheap: no stack trace is filled in, since it carries a verdict, not a fault.
 */
public final class ShareRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient StratumError error;

    /**
     * A refusal with the error the miner is to hear.
     *
     * @param error the Stratum error, e.g. the upstream's {@code [21, "Job not found"]}
     */
    public ShareRefusedException(StratumError error) {
        super(Objects.requireNonNull(error, "error").toString(), null, false, false);
        this.error = error;
    }

    /** What the miner hears. */
    public StratumError error() {
        return error;
    }

    /**
     * The refusal inside a failed stage's exception ({@code CompletionException} wrappers
     * unwrapped), or null when the failure was something else.
     */
    public static ShareRefusedException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ShareRefusedException r) {
                return r;
            }
        }
        return null;
    }
}
