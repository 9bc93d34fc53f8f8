package org.stratum4j.core.protocol;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.stratum4j.core.bitcoin.Hex;

/**
 * A response: {@code {"id":…, "result":…, "error":…}}. Pools send them to answer miners'
 * requests; miners send them to answer {@code client.get_version}.
 *
 * @param id     the id of the request answered
 * @param result the result ({@link JsonValue.Null} on most errors)
 * @param error  the error, or null on success
 */
public record Response(RequestId id, JsonValue result, StratumError error) implements MinerMessage, PoolMessage {

    /** Checks the components. */
    public Response {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(result, "result");
    }

    /** {@code result: true}, the answer to an accepted share or authorized worker. */
    public static Response ok(RequestId id) {
        return new Response(id, JsonValue.Bool.TRUE, null);
    }

    /**
     * An error answer. {@code result} is {@code false} when {@code booleanMethod} (submit,
     * authorize and other methods whose success is {@code true}), else {@code null}.
     */
    public static Response error(RequestId id, StratumError error, boolean booleanMethod) {
        return new Response(id, booleanMethod ? JsonValue.Bool.FALSE : JsonValue.Null.INSTANCE, Objects.requireNonNull(error, "error"));
    }

    /**
     * The answer to {@code mining.subscribe}:
     * {@code [[["mining.set_difficulty", sid], ["mining.notify", sid]], extranonce1, extranonce2_size]}.
     */
    public static Response subscribed(RequestId id, String subscriptionId, byte[] extranonce1, int extranonce2Size) {
        JsonValue sid = new JsonValue.Str(subscriptionId);
        JsonValue subscriptions = new JsonValue.Array(List.of(
                new JsonValue.Array(List.of(new JsonValue.Str(Methods.SET_DIFFICULTY), sid)),
                new JsonValue.Array(List.of(new JsonValue.Str(Methods.NOTIFY), sid))));
        return new Response(id, new JsonValue.Array(List.of(subscriptions, new JsonValue.Str(Hex.encode(extranonce1)),
                new JsonValue.Num(Integer.toString(extranonce2Size)))), null);
    }

    /** The answer to {@code mining.configure}: one entry per requested extension and its parameters. */
    public static Response configured(RequestId id, Map<String, JsonValue> entries) {
        return new Response(id, new JsonValue.Object(entries), null);
    }

    /** Whether this is a success whose result is {@code true}. */
    public boolean isTrue() {
        return error == null && result.isTrue();
    }
}
