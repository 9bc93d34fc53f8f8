package org.stratum4j.transport.nio;

import java.io.IOException;

/** The TLS layer refused a peer's bytes; {@link #reason} is the stable text closes are counted under. */
final class TlsFailure extends IOException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    TlsFailure(String reason, String detail, Throwable cause) {
        super(reason + ": " + detail, cause);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
