package org.stratum4j.examples.store;

/** The share store cannot be used as configured; the message is one sentence for the operator. */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** With a sentence saying what is wrong. */
    public StoreException(String message) {
        super(message);
    }

    /** With a sentence and the cause. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
