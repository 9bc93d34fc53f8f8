package org.stratum4j.core.protocol;

import java.util.Objects;

/**
 * A line that is not a usable message. The engine answers it with error 20 (using {@link #id()},
 * which is {@link RequestId#NULL} when no id could be read) or closes the connection; the kind
 * tells which, e.g. a line that is not JSON at all is grounds to close.
 *
 * @param id      the request id if one was read before the problem, else {@link RequestId#NULL}
 * @param kind    what is wrong
 * @param message a short explanation, safe to send back to the peer
 */
public record DecodeError(RequestId id, Kind kind, String message) implements MinerMessage, PoolMessage {

    /** What is wrong with the line. */
    public enum Kind {
        /** The line is empty or only whitespace. */
        EMPTY_LINE,
        /** The line is longer than the codec's limit. */
        LINE_TOO_LONG,
        /** The bytes are not valid UTF-8. */
        INVALID_UTF8,
        /** The text is not JSON (syntax error, NaN, truncated, …). */
        NOT_JSON,
        /** Valid JSON, but not an object. */
        NOT_AN_OBJECT,
        /** Nested too deeply, a number or key too long, or too many tokens. */
        LIMIT_EXCEEDED,
        /** The same key twice in one object. */
        DUPLICATE_KEY,
        /** More data after the JSON object. */
        TRAILING_DATA,
        /** The id is neither a number, a string nor null. */
        INVALID_ID,
        /** No method (and no result/error either), or a method that is not a string. */
        INVALID_METHOD,
        /** A known method whose params are not what it takes. */
        INVALID_PARAMS,
        /** A bug in the codec; reported instead of thrown so that one line never harms a connection loop. */
        INTERNAL
    }

    /** Checks the components. */
    public DecodeError {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /** Whether the line was not even JSON (or not UTF-8, or oversized): a peer speaking something else. */
    public boolean isGarbage() {
        switch (kind) {
            case LINE_TOO_LONG:
            case INVALID_UTF8:
            case NOT_JSON:
            case NOT_AN_OBJECT:
            case LIMIT_EXCEEDED:
            case TRAILING_DATA:
                return true;
            default:
                return false;
        }
    }
}
