package org.stratum4j.examples.bitcoind;

/**
 * A Bitcoin Core RPC call that did not produce a usable answer. {@link #kind()} says what went
 * wrong so the caller can decide: retry with backoff (unreachable, timeout, HTTP status), stop and
 * tell the operator (unauthorized), or log the node's own error.
 */
public final class RpcException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** No connection: refused, host unknown, reset before an answer. */
        UNREACHABLE,
        /** No complete answer within the call's time limit. */
        TIMEOUT,
        /** HTTP 401 or 403: wrong user/password, or a stale or unreadable cookie file. */
        UNAUTHORIZED,
        /** An HTTP status other than 200 without a JSON-RPC error in the body. */
        HTTP_STATUS,
        /** A body that is not the JSON-RPC answer expected (garbage, too large, an unusable template). */
        BAD_RESPONSE,
        /** The node answered with a JSON-RPC error object; see {@link #rpcCode()}. */
        NODE_ERROR,
        /** The client was closed before or during the call ({@link BitcoindRpc#close}). */
        INTERRUPTED
    }

    private final Kind kind;
    private final int httpStatus;
    private final Integer rpcCode;

    RpcException(Kind kind, String message, int httpStatus, Integer rpcCode, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.rpcCode = rpcCode;
    }

    RpcException(Kind kind, String message, Throwable cause) {
        this(kind, message, -1, null, cause);
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or -1 when there was no response. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The node's JSON-RPC error code (e.g. -8, -10 "in initial download"), or {@code null}. */
    public Integer rpcCode() {
        return rpcCode;
    }
}
