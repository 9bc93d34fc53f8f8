package org.stratum4j.core.protocol;

import java.util.Objects;

/**
 * A JSON-RPC request id, echoed back exactly as it came: a number of any size (kept as its JSON
 * text), a string, or null. Ids are not unique (cpuminer sends every submit with id 4), so nothing
 * may be keyed by id alone.
 *
 * <p>Immutable. Small non-negative integer ids are cached, so decoding a typical submit allocates
 * no id.
 */
public final class RequestId {

    /** The kind of JSON value an id is. */
    public enum Kind {
        /** A JSON number, kept as its exact text. */
        NUMBER,
        /** A JSON string. */
        STRING,
        /** JSON null (notifications, or a request that gave no id). */
        NULL
    }

    /** The null id. */
    public static final RequestId NULL = new RequestId(Kind.NULL, "null");

    private static final RequestId[] SMALL = new RequestId[1024];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = new RequestId(Kind.NUMBER, Integer.toString(i));
        }
    }

    private final Kind kind;
    private final String text;

    private RequestId(Kind kind, String text) {
        this.kind = kind;
        this.text = text;
    }

    /** A numeric id. */
    public static RequestId of(long number) {
        return number >= 0 && number < SMALL.length ? SMALL[(int) number] : new RequestId(Kind.NUMBER, Long.toString(number));
    }

    /** A string id. */
    public static RequestId ofString(String value) {
        return new RequestId(Kind.STRING, Objects.requireNonNull(value, "value"));
    }

    /**
     * A numeric id from its JSON text, kept verbatim (e.g. {@code 18446744073709551616} or
     * {@code 1.0}).
     *
     * @throws IllegalArgumentException if the text is not a JSON number
     */
    public static RequestId ofNumberText(String jsonNumber) {
        if (!isJsonNumber(jsonNumber)) {
            throw new IllegalArgumentException("not a JSON number: \"" + jsonNumber + '"');
        }
        return numberText(jsonNumber);
    }

    /** A numeric id from JSON text the parser has already validated. */
    static RequestId numberText(String jsonNumber) {
        return new RequestId(Kind.NUMBER, jsonNumber);
    }

    /** The kind of value. */
    public Kind kind() {
        return kind;
    }

    /** For a number, its JSON text; for a string, its value; for null, {@code "null"}. */
    public String text() {
        return text;
    }

    /** Whether this is the null id. */
    public boolean isNull() {
        return kind == Kind.NULL;
    }

    void writeTo(JsonLineWriter out) {
        if (kind == Kind.STRING) {
            out.string(text);
        } else {
            out.ascii(text);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestId && ((RequestId) o).kind == kind && ((RequestId) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + text.hashCode();
    }

    /** The id as JSON would show it. */
    @Override
    public String toString() {
        return kind == Kind.STRING ? '"' + text + '"' : text;
    }

    private static boolean isJsonNumber(String s) {
        return s != null && s.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    }
}
