package org.stratum4j.core.engine;

import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * SPI: decides whether a worker may submit shares on a connection. It may answer at once (a
 * completed stage) or later (a database lookup); the engine holds the connection's later requests
 * until it answers, so they are processed in order, and never blocks its loop.
 */
@FunctionalInterface
public interface Authorizer {

    /** What the miner sent in {@code mining.authorize}, and from where. */
    record Request(String worker, String password, SocketAddress remoteAddress) {
        /** Checks the worker name is present. */
        public Request {
            Objects.requireNonNull(worker, "worker");
        }
    }

    /**
     * The answer.
     *
     * @param authorized   whether the worker may submit
     * @param reason       why not, shown to the miner (ignored when authorized)
     * @param payoutScript the output script this worker's coinbase pays, for an engine with
     *                     per-worker payouts (solo mining); null otherwise
     */
    record Result(boolean authorized, String reason, byte[] payoutScript) {
        /** Yes. */
        public static final Result OK = new Result(true, "", null);

        /** Copies the script. */
        public Result {
            Objects.requireNonNull(reason, "reason");
            payoutScript = payoutScript == null ? null : payoutScript.clone();
        }

        /** No, because {@code reason}. */
        public static Result refused(String reason) {
            return new Result(false, Objects.requireNonNull(reason, "reason"), null);
        }

        /** Yes, and this worker's blocks pay {@code script} (see {@link Payouts#outputsFor(org.stratum4j.core.job.BlockTemplate, byte[])}). */
        public static Result payingTo(byte[] script) {
            if (script == null || script.length == 0) {
                throw new IllegalArgumentException("payout script must not be empty");
            }
            return new Result(true, "", script);
        }

        /** The payout script (a copy), or null. */
        @Override
        public byte[] payoutScript() {
            return payoutScript == null ? null : payoutScript.clone();
        }
    }

    /** Decides; must not throw (a failed stage counts as a refusal). */
    CompletionStage<Result> authorize(Request request);

    /** Authorizes every well-formed worker name (1–128 printable characters, no spaces). */
    static Authorizer acceptWellFormed() {
        return request -> CompletableFuture.completedFuture(wellFormed(request.worker())
                ? Result.OK : Result.refused("worker name must be 1 to 128 printable characters without spaces"));
    }

    /** Whether {@code worker} is 1–128 printable ASCII characters without spaces. */
    static boolean wellFormed(String worker) {
        if (worker == null || worker.isEmpty() || worker.length() > 128) {
            return false;
        }
        for (int i = 0; i < worker.length(); i++) {
            char c = worker.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
