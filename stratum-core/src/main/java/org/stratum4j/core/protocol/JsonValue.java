package org.stratum4j.core.protocol;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small immutable JSON tree for the few places where a message's shape is open: the result of a
 * response (the client side interprets it knowing what it asked) and unknown notifications. Hot
 * messages (submit, notify) never go through it.
 */
public sealed interface JsonValue {

    /** JSON null. */
    enum Null implements JsonValue {
        /** The one null. */
        INSTANCE
    }

    /** JSON true or false. */
    enum Bool implements JsonValue {
        /** true. */
        TRUE,
        /** false. */
        FALSE;

        /** The value as a boolean. */
        public boolean value() {
            return this == TRUE;
        }

        /** The constant for {@code b}. */
        public static Bool of(boolean b) {
            return b ? TRUE : FALSE;
        }
    }

    /**
     * A JSON number, kept as its text.
     *
     * @param text the number's JSON text
     */
    record Num(String text) implements JsonValue {
        /** Checks the text. */
        public Num {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A JSON string.
     *
     * @param value the string's value
     */
    record Str(String value) implements JsonValue {
        /** Checks the value. */
        public Str {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A JSON array.
     *
     * @param items the elements, in order
     */
    record Array(List<JsonValue> items) implements JsonValue {
        /** Copies the items. */
        public Array {
            items = List.copyOf(items);
        }
    }

    /**
     * A JSON object. Keys keep their order.
     *
     * @param fields the members, in order
     */
    record Object(Map<String, JsonValue> fields) implements JsonValue {
        /** Copies the fields, keeping their order. */
        public Object {
            fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        }
    }

    /** Whether this is JSON true. */
    default boolean isTrue() {
        return this == Bool.TRUE;
    }
}
