package org.stratum4j.core.protocol;

import java.util.Objects;

/**
 * {@code client.show_message [text]}: a message for the miner's operator.
 *
 * @param text the message
 */
public record ShowMessage(String text) implements PoolMessage {
    /** Checks the components. */
    public ShowMessage {
        Objects.requireNonNull(text, "text");
    }

    @Override
    public RequestId id() {
        return RequestId.NULL;
    }
}
