package org.stratum4j.core.protocol;

/**
 * What both codecs share: one {@link LineReader}, the never-throw decode wrapper and the checks
 * every message gets before its method is interpreted.
 *
 * @param <D> the decoded message type of this end ({@link MinerMessage} or {@link PoolMessage})
 */
abstract class LineCodec<D> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LineCodec.class);

    final LineReader reader;
    final JsonLineWriter scratch = new JsonLineWriter();

    LineCodec(int maxLineBytes) {
        this.reader = new LineReader(maxLineBytes);
    }

    /** A decode error as this end's message type (DecodeError implements both). */
    abstract D error(DecodeError e);

    /** A response (no method; result and/or error present) as this end's message type. */
    abstract D response(Response r);

    /** Interprets a call whose method is a string and whose params are an array or absent (-1). */
    abstract D call(TokenBuffer t, RequestId id, int method, int params);

    /** What a call with non-array params becomes; a decode error unless a method needs otherwise. */
    D paramsNotArray(TokenBuffer t, RequestId id, int method) {
        return error(new DecodeError(id, DecodeError.Kind.INVALID_PARAMS, "params must be an array"));
    }

    final D decodeLine(byte[] line, int offset, int length) {
        try {
            DecodeError e = reader.read(line, offset, length);
            return e != null ? error(e) : interpret();
        } catch (RuntimeException bug) {
            // A codec bug must not take the event loop down with it: report it as a decode error.
            reader.discardParser();
            LOG.error("stratum4j codec failure on a {}-byte line; please report", length, bug);
            return error(new DecodeError(RequestId.NULL, DecodeError.Kind.INTERNAL, "internal decoder error"));
        }
    }

    private D interpret() {
        TokenBuffer t = reader.tokens;
        RequestId id = reader.requestId();
        if (reader.method < 0) {
            if (reader.result >= 0 || reader.error >= 0) {
                return response(Wire.readResponse(reader));
            }
            return error(new DecodeError(id, DecodeError.Kind.INVALID_METHOD, "missing \"method\""));
        }
        if (!t.isString(reader.method)) {
            return error(new DecodeError(id, DecodeError.Kind.INVALID_METHOD, "\"method\" must be a string"));
        }
        int params = Wire.paramsOrNone(reader);
        if (params >= 0 && !t.isArray(params)) {
            return paramsNotArray(t, id, reader.method);
        }
        return call(t, id, reader.method, params);
    }

    static DecodeError invalid(RequestId id, String method, String why) {
        return new DecodeError(id, DecodeError.Kind.INVALID_PARAMS, method + ": " + why);
    }
}
