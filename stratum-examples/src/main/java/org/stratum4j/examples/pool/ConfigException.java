package org.stratum4j.examples.pool;

/** A setting the pool cannot start with; the message is one sentence for the operator. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    /** With the sentence to print. */
    public ConfigException(String message) {
        super(message);
    }
}
