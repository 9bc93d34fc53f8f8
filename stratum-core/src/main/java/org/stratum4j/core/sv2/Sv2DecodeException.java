package org.stratum4j.core.sv2;

/**
 * A Stratum V2 payload that is not the message its header names: too short, a length prefix past
 * the end, a sequence longer than its type allows. The connection that sent it is closed; the
 * message is for the log.
 */
public final class Sv2DecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** An exception with this explanation. */
    public Sv2DecodeException(String message) {
        super(message);
    }
}
