package org.stratum4j.core.protocol;

/** Bounds that keep hostile input cheap to reject. */
final class ProtocolLimits {

    /** Deepest nesting accepted; real messages nest 3 deep (configure: object in array in object). */
    static final int MAX_DEPTH = 16;
    /** Longest number accepted, in characters. */
    static final int MAX_NUMBER_LENGTH = 64;
    /** Longest object key accepted, in characters. */
    static final int MAX_NAME_LENGTH = 128;
    /** Most tokens in one line (a notify with a 13-step branch has about 30). */
    static final int MAX_TOKENS = 4096;
    /** Default longest line, in bytes, without its line end. */
    static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024;
    /** Longest extranonce or coinbase part accepted, in bytes. */
    static final int MAX_HEX_BYTES = 8 * 1024;

    private ProtocolLimits() {
    }
}
