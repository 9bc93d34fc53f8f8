package org.stratum4j.examples.alerts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One event for the webhooks: what happened ({@link #event}, e.g. {@code worker_offline}), when, a
 * sequence number that is unique in this process (a receiver that sees one twice, after a retry
 * whose answer was lost, can drop it), and the event's own fields, whose names carry their units
 * ({@code offline_seconds}).
 *
 * @param event  the kind, one of the constants of this class
 * @param time   when it was noticed
 * @param id     unique per process and event
 * @param fields the event's fields in order; values are strings, numbers, booleans or null
 */
public record Alert(String event, Instant time, long id, Map<String, Object> fields) {

    /** A worker that was sending shares has sent none for the offline time. */
    public static final String WORKER_OFFLINE = "worker_offline";
    /** A worker reported offline sent a share again. */
    public static final String WORKER_BACK = "worker_back";
    /** A block was found and submitted, with the node's verdict. */
    public static final String BLOCK_FOUND = "block_found";
    /** The node stopped answering (miners keep the last job meanwhile). */
    public static final String NODE_UNREACHABLE = "node_unreachable";
    /** The node answers again. */
    public static final String NODE_RECOVERED = "node_recovered";
    /** The share store cannot reach its database (shares wait in the journal). */
    public static final String DATABASE_UNREACHABLE = "database_unreachable";
    /** The share store reaches its database again. */
    public static final String DATABASE_RECOVERED = "database_recovered";

    private static final JsonFactory JSON = new JsonFactory();

    /** Checks the parts and keeps an unmodifiable copy of the fields in their order. */
    public Alert {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(fields, "fields");
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            Object v = f.getValue();
            if (f.getKey() == null || !(v == null || v instanceof String || v instanceof Number || v instanceof Boolean)) {
                throw new IllegalArgumentException("alert field " + f.getKey() + " = " + v + ": values are strings, numbers,"
                        + " booleans or null");
            }
        }
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The JSON body POSTed: {@code {"event":…,"id":…,"time":…,"time_epoch_seconds":…, the fields}}. */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("event", event);
            g.writeNumberField("id", id);
            g.writeStringField("time", time.toString());
            g.writeNumberField("time_epoch_seconds", time.getEpochSecond());
            for (Map.Entry<String, Object> f : fields.entrySet()) {
                Object v = f.getValue();
                g.writeFieldName(f.getKey());
                if (v == null) {
                    g.writeNull();
                } else if (v instanceof String s) {
                    g.writeString(s);
                } else if (v instanceof Boolean b) {
                    g.writeBoolean(b);
                } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                    g.writeNumber(((Number) v).longValue());
                } else {
                    g.writeNumber(((Number) v).doubleValue());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }
}
