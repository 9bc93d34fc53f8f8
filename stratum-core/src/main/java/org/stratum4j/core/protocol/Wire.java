package org.stratum4j.core.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Encoding and decoding pieces shared by both codecs. */
final class Wire {

    private static final byte[] ID_PREFIX = ascii("{\"id\":");
    private static final byte[] METHOD_PREFIX = ascii(",\"method\":");
    private static final byte[] PARAMS_PREFIX = ascii(",\"params\":[");
    private static final byte[] END_PARAMS = ascii("]}\n");
    private static final byte[] RESULT_PREFIX = ascii(",\"result\":");
    private static final byte[] ERROR_NULL = ascii(",\"error\":null}\n");
    private static final byte[] ERROR_PREFIX = ascii(",\"error\":[");
    private static final byte[] ERROR_SUFFIX = ascii(",null]}\n");

    private Wire() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes {@code {"id":…,"method":"…","params":[}; the caller writes the params and {@link #endParams}. */
    static void beginCall(JsonLineWriter out, RequestId id, String method) {
        out.raw(ID_PREFIX);
        id.writeTo(out);
        out.raw(METHOD_PREFIX);
        // Escaped: an unknown method echoed by a proxy is whatever text the peer sent.
        out.string(method);
        out.raw(PARAMS_PREFIX);
    }

    static void endParams(JsonLineWriter out) {
        out.raw(END_PARAMS);
    }

    static void writeResponse(JsonLineWriter out, Response r) {
        out.raw(ID_PREFIX);
        r.id().writeTo(out);
        out.raw(RESULT_PREFIX);
        writeValue(out, r.result());
        if (r.error() == null) {
            out.raw(ERROR_NULL);
        } else {
            out.raw(ERROR_PREFIX);
            out.number(r.error().code());
            out.raw((byte) ',');
            out.string(r.error().message());
            out.raw(ERROR_SUFFIX);
        }
    }

    static void writeValue(JsonLineWriter out, JsonValue v) {
        if (v instanceof JsonValue.Bool) {
            out.bool(((JsonValue.Bool) v).value());
        } else if (v instanceof JsonValue.Str) {
            out.string(((JsonValue.Str) v).value());
        } else if (v instanceof JsonValue.Num) {
            out.ascii(((JsonValue.Num) v).text());
        } else if (v instanceof JsonValue.Array) {
            out.raw((byte) '[');
            boolean first = true;
            for (JsonValue item : ((JsonValue.Array) v).items()) {
                if (!first) {
                    out.raw((byte) ',');
                }
                first = false;
                writeValue(out, item);
            }
            out.raw((byte) ']');
        } else if (v instanceof JsonValue.Object) {
            out.raw((byte) '{');
            boolean first = true;
            for (Map.Entry<String, JsonValue> e : ((JsonValue.Object) v).fields().entrySet()) {
                if (!first) {
                    out.raw((byte) ',');
                }
                first = false;
                out.string(e.getKey());
                out.raw((byte) ':');
                writeValue(out, e.getValue());
            }
            out.raw((byte) '}');
        } else {
            out.ascii("null");
        }
    }

    /** A response (no method; result and/or error present). */
    static Response readResponse(LineReader r) {
        TokenBuffer t = r.tokens;
        JsonValue result = r.result >= 0 ? t.toJsonValue(r.result) : JsonValue.Null.INSTANCE;
        return new Response(r.requestId(), result, r.error >= 0 ? readError(t, r.error) : null);
    }

    /** Reads {@code [code, message, …]}, {@code {"code":…,"message":…}} or a bare string; null for JSON null. */
    static StratumError readError(TokenBuffer t, int e) {
        switch (t.kind(e)) {
            case TokenBuffer.NULL:
                return null;
            case TokenBuffer.START_ARRAY: {
                int code = t.size(e) >= 1 ? intOr(t, t.element(e, 0), StratumError.CODE_OTHER) : StratumError.CODE_OTHER;
                int m = t.size(e) >= 2 ? t.element(e, 1) : -1;
                return new StratumError(code, m >= 0 && t.isString(m) ? t.text(m) : "");
            }
            case TokenBuffer.START_OBJECT: {
                int code = StratumError.CODE_OTHER;
                String message = "";
                int end = t.next(e) - 1;
                for (int c = e + 1; c < end; c = t.next(t.next(c))) {
                    int v = c + 1;
                    if (t.textEquals(c, "code")) {
                        code = intOr(t, v, code);
                    } else if (t.textEquals(c, "message") && t.isString(v)) {
                        message = t.text(v);
                    }
                }
                return new StratumError(code, message);
            }
            case TokenBuffer.STRING:
                return new StratumError(StratumError.CODE_OTHER, t.text(e));
            default:
                return new StratumError(StratumError.CODE_OTHER, t.toJsonValue(e).toString());
        }
    }

    private static int intOr(TokenBuffer t, int i, int fallback) {
        if (t.kind(i) != TokenBuffer.INT || t.textLength(i) > 9) {
            return fallback;
        }
        return Integer.parseInt(t.text(i));
    }

    /** The params array's token index, -1 when absent or JSON null (both read as no params). */
    static int paramsOrNone(LineReader r) {
        return r.params >= 0 && r.tokens.kind(r.params) == TokenBuffer.NULL ? -1 : r.params;
    }

    static int paramCount(TokenBuffer t, int params) {
        return params < 0 ? 0 : t.size(params);
    }

    static int param(TokenBuffer t, int params, int n) {
        return params < 0 ? -1 : t.element(params, n);
    }
}
