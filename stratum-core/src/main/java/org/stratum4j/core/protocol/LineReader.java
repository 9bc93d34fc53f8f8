package org.stratum4j.core.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;

/**
 * Reads one JSON line into a {@link TokenBuffer} and finds its top-level members (id, method,
 * params, result, error).
 *
 * <p>One jackson non-blocking parser is fed line after line, so reading a line allocates no parser
 * and no buffers; the parser is replaced only after a malformed line left it mid-value, and every
 * so many lines so that its field-name table, which hostile peers could grow with made-up keys,
 * stays small. Not thread-safe: one per codec, one codec per event loop.
 */
final class LineReader {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(ProtocolLimits.MAX_DEPTH)
                    .maxNumberLength(ProtocolLimits.MAX_NUMBER_LENGTH)
                    .maxNameLength(ProtocolLimits.MAX_NAME_LENGTH)
                    .build())
            // Field names go to a per-parser table only; never into the JVM's string pool.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();
    private static final byte[] LINE_END = {'\n'};
    /** Replace the parser after this many lines, bounding its field-name table. */
    private static final int LINES_PER_PARSER = 100_000;

    private final int maxLineBytes;
    final TokenBuffer tokens = new TokenBuffer();
    private JsonParser parser;
    private int linesOnParser;
    /** Whether the current line has a backslash, i.e. JSON escapes that could hide a lone surrogate. */
    private boolean escapes;
    private final WhitespaceCheck rest = new WhitespaceCheck();

    /** Token indexes of the top-level members, -1 when absent. */
    int id;
    int method;
    int params;
    int result;
    int error;

    LineReader(int maxLineBytes) {
        if (maxLineBytes < 64) {
            throw new IllegalArgumentException("max line length must be at least 64 bytes, got " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /** The id read, or {@link RequestId#NULL} when absent or not usable. */
    RequestId requestId() {
        if (id < 0) {
            return RequestId.NULL;
        }
        switch (tokens.kind(id)) {
            case TokenBuffer.INT: {
                // JSON forbids leading zeros, so a small value's canonical text is the text received.
                int small = tokens.smallInt(id);
                return small >= 0 ? RequestId.of(small) : RequestId.numberText(tokens.text(id));
            }
            case TokenBuffer.FLOAT:
                return RequestId.numberText(tokens.text(id));
            case TokenBuffer.STRING:
                return RequestId.ofString(tokens.text(id));
            default:
                return RequestId.NULL;
        }
    }

    /**
     * Reads a line (without its line end; a trailing {@code \r} is ignored).
     *
     * @return null when the line is one JSON object whose members are now indexed, else the error
     */
    DecodeError read(byte[] line, int offset, int length) {
        id = method = params = result = error = -1;
        tokens.clear();
        if (length > 0 && line[offset + length - 1] == '\r') {
            length--;
        }
        if (length > maxLineBytes) {
            return new DecodeError(RequestId.NULL, DecodeError.Kind.LINE_TOO_LONG,
                    "line of " + length + " bytes exceeds the limit of " + maxLineBytes);
        }
        if (isBlank(line, offset, length)) {
            return new DecodeError(RequestId.NULL, DecodeError.Kind.EMPTY_LINE, "empty line");
        }
        int bad = Utf8.scan(line, offset, length);
        // Unpaired surrogates can only come from \\u escapes: raw ones fail the UTF-8 check.
        escapes = bad == Utf8.VALID_WITH_BACKSLASH;
        if (bad >= 0) {
            return new DecodeError(RequestId.NULL, DecodeError.Kind.INVALID_UTF8, "invalid UTF-8 at byte " + (bad - offset));
        }
        try {
            if (parser == null || ++linesOnParser > LINES_PER_PARSER) {
                newParser();
            }
            DecodeError e = parse(line, offset, length);
            if (e != null) {
                // The parser may have stopped mid-value; never let that leak into the next line.
                discardParser();
            }
            return e;
        } catch (StreamConstraintsException e) {
            discardParser();
            return new DecodeError(requestIdSafely(), DecodeError.Kind.LIMIT_EXCEEDED, limitMessage(e));
        } catch (IOException e) {
            discardParser();
            return new DecodeError(requestIdSafely(), DecodeError.Kind.NOT_JSON, "not valid JSON: " + shortMessage(e));
        }
    }

    private DecodeError parse(byte[] line, int offset, int length) throws IOException {
        ByteArrayFeeder feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        feeder.feedInput(line, offset, offset + length);
        JsonToken t = parser.nextToken();
        if (t == JsonToken.NOT_AVAILABLE) {
            return finishOrIncomplete(feeder);
        }
        if (t != JsonToken.START_OBJECT) {
            // A scalar or array: the parser is discarded with the error, so nothing needs draining.
            return new DecodeError(RequestId.NULL, DecodeError.Kind.NOT_AN_OBJECT, "a message must be a JSON object");
        }
        tokens.add(TokenBuffer.START_OBJECT, null, 0, 0);
        int seen = 0;
        String[] otherKeys = null;
        int otherCount = 0;
        boolean lineEndFed = false;
        while (true) {
            t = parser.nextToken();
            if (t == JsonToken.NOT_AVAILABLE) {
                if (lineEndFed) {
                    return new DecodeError(requestId(), DecodeError.Kind.NOT_JSON, "incomplete JSON object");
                }
                feeder.feedInput(LINE_END, 0, 1);
                lineEndFed = true;
                continue;
            }
            if (t == JsonToken.END_OBJECT) {
                tokens.add(TokenBuffer.END, null, 0, 0);
                break;
            }
            // t is FIELD_NAME at the top level.
            String name = parser.currentName();
            if (escapes && hasLoneSurrogate(name)) {
                return new DecodeError(requestId(), DecodeError.Kind.INVALID_UTF8, "key with an unpaired surrogate escape");
            }
            int bit = memberBit(name);
            if (bit != 0) {
                if ((seen & bit) != 0) {
                    return new DecodeError(requestId(), DecodeError.Kind.DUPLICATE_KEY, "duplicate key \"" + name + '"');
                }
                seen |= bit;
            } else {
                if (otherKeys == null) {
                    otherKeys = new String[8];
                }
                for (int k = 0; k < otherCount; k++) {
                    if (otherKeys[k].equals(name)) {
                        return new DecodeError(requestId(), DecodeError.Kind.DUPLICATE_KEY, "duplicate key \"" + abbreviate(name) + '"');
                    }
                }
                if (otherCount == 64) {
                    return new DecodeError(requestId(), DecodeError.Kind.LIMIT_EXCEEDED, "object with more than 64 keys");
                }
                if (otherCount == otherKeys.length) {
                    otherKeys = java.util.Arrays.copyOf(otherKeys, otherCount * 2);
                }
                otherKeys[otherCount++] = name;
            }
            int fieldStart = tokens.count();
            tokens.add(TokenBuffer.FIELD, null, 0, 0);
            DecodeError e = readValue(feeder);
            if (e != null) {
                return e;
            }
            int value = fieldStart + 1;
            switch (bit) {
                case 1:
                    id = value;
                    break;
                case 2:
                    method = value;
                    break;
                case 4:
                    params = value;
                    break;
                case 8:
                    result = value;
                    break;
                case 16:
                    error = value;
                    break;
                default:
                    break;
            }
        }
        // Anything but whitespace after the object on this line is an error. Look at the bytes the
        // parser has not consumed rather than at its next token: a trailing fragment such as "ab}
        // is an unterminated string, which the parser would silently carry into the next line.
        rest.reset();
        if (parser.releaseBuffered(rest) > 0) {
            if (!rest.onlyWhitespace) {
                return new DecodeError(requestId(), DecodeError.Kind.TRAILING_DATA, "data after the JSON object");
            }
            // Consume the whitespace so the next line can be fed.
            if (parser.nextToken() != JsonToken.NOT_AVAILABLE) {
                return new DecodeError(requestId(), DecodeError.Kind.TRAILING_DATA, "data after the JSON object");
            }
        }
        if (id >= 0 && !isIdKind(tokens.kind(id))) {
            return new DecodeError(RequestId.NULL, DecodeError.Kind.INVALID_ID, "id must be a number, a string or null");
        }
        return null;
    }

    private DecodeError finishOrIncomplete(ByteArrayFeeder feeder) throws IOException {
        feeder.feedInput(LINE_END, 0, 1);
        JsonToken t = parser.nextToken();
        if (t == JsonToken.NOT_AVAILABLE) {
            return new DecodeError(RequestId.NULL, DecodeError.Kind.NOT_JSON, "incomplete JSON");
        }
        return new DecodeError(RequestId.NULL, DecodeError.Kind.NOT_AN_OBJECT, "a message must be a JSON object");
    }

    /** Reads one value (the parser is positioned before it) into the token buffer. */
    private DecodeError readValue(ByteArrayFeeder feeder) throws IOException {
        int depth = 0;
        boolean lineEndFed = false;
        String[] keys = null;
        do {
            JsonToken t = parser.nextToken();
            if (t == JsonToken.NOT_AVAILABLE) {
                if (lineEndFed || !parser.getNonBlockingInputFeeder().needMoreInput()) {
                    return new DecodeError(requestId(), DecodeError.Kind.NOT_JSON, "incomplete JSON value");
                }
                feeder.feedInput(LINE_END, 0, 1);
                lineEndFed = true;
                continue;
            }
            if (tokens.count() >= ProtocolLimits.MAX_TOKENS) {
                return new DecodeError(requestId(), DecodeError.Kind.LIMIT_EXCEEDED, "more than " + ProtocolLimits.MAX_TOKENS + " JSON tokens");
            }
            switch (t) {
                case START_OBJECT:
                    tokens.add(TokenBuffer.START_OBJECT, null, 0, 0);
                    depth++;
                    break;
                case START_ARRAY:
                    tokens.add(TokenBuffer.START_ARRAY, null, 0, 0);
                    depth++;
                    break;
                case END_OBJECT: {
                    int open = tokens.innermostOpen();
                    DecodeError dup = duplicateKeyIn(open);
                    tokens.add(TokenBuffer.END, null, 0, 0);
                    depth--;
                    if (dup != null) {
                        return dup;
                    }
                    break;
                }
                case END_ARRAY:
                    tokens.add(TokenBuffer.END, null, 0, 0);
                    depth--;
                    break;
                case FIELD_NAME: {
                    // Not getTextCharacters(): jackson's non-blocking parser can return a stale copy
                    // of the previous name there. currentName() is the canonical String, no copy.
                    String name = parser.currentName();
                    if (escapes && hasLoneSurrogate(name)) {
                        return new DecodeError(requestId(), DecodeError.Kind.INVALID_UTF8, "key with an unpaired surrogate escape");
                    }
                    tokens.add(TokenBuffer.FIELD, name);
                    break;
                }
                case VALUE_STRING:
                    if (escapes && hasLoneSurrogate(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength())) {
                        // A \uD800-style escape with no partner: not text, and it could not be echoed faithfully.
                        return new DecodeError(requestId(), DecodeError.Kind.INVALID_UTF8, "string with an unpaired surrogate escape");
                    }
                    addText(TokenBuffer.STRING);
                    break;
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT:
                    // jackson's non-blocking parser does not apply maxNumberLength to every number.
                    if (parser.getTextLength() > ProtocolLimits.MAX_NUMBER_LENGTH) {
                        return new DecodeError(requestId(), DecodeError.Kind.LIMIT_EXCEEDED,
                                "number longer than " + ProtocolLimits.MAX_NUMBER_LENGTH + " characters");
                    }
                    addText(t == JsonToken.VALUE_NUMBER_INT ? TokenBuffer.INT : TokenBuffer.FLOAT);
                    break;
                case VALUE_TRUE:
                    tokens.add(TokenBuffer.TRUE, null, 0, 0);
                    break;
                case VALUE_FALSE:
                    tokens.add(TokenBuffer.FALSE, null, 0, 0);
                    break;
                case VALUE_NULL:
                    tokens.add(TokenBuffer.NULL, null, 0, 0);
                    break;
                default:
                    return new DecodeError(requestId(), DecodeError.Kind.NOT_JSON, "unexpected JSON token " + t);
            }
        } while (depth > 0);
        return null;
    }

    /** Checks the keys of the object opened at {@code open} (not yet closed) for duplicates. */
    private DecodeError duplicateKeyIn(int open) {
        int end = tokens.count();
        int fields = 0;
        for (int c = open + 1; c < end; c = tokens.next(tokens.next(c))) {
            fields++;
            for (int d = open + 1; d < c; d = tokens.next(tokens.next(d))) {
                if (tokens.textEquals(c, d)) {
                    return new DecodeError(requestId(), DecodeError.Kind.DUPLICATE_KEY,
                            "duplicate key \"" + abbreviate(tokens.text(c)) + '"');
                }
            }
            if (fields > 64) {
                return new DecodeError(requestId(), DecodeError.Kind.LIMIT_EXCEEDED, "object with more than 64 keys");
            }
        }
        return null;
    }

    private void addText(byte kind) throws IOException {
        tokens.add(kind, parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }

    /** Only called for lines with a backslash, so wrapping the parser's chars costs nothing in the common case. */
    static boolean hasLoneSurrogate(char[] c, int off, int len) {
        return hasLoneSurrogate(java.nio.CharBuffer.wrap(c, off, len));
    }

    static boolean hasLoneSurrogate(CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (Character.isSurrogate(ch)) {
                if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }

    private static int memberBit(String name) {
        switch (name) {
            case "id":
                return 1;
            case "method":
                return 2;
            case "params":
                return 4;
            case "result":
                return 8;
            case "error":
                return 16;
            default:
                return 0;
        }
    }

    private static boolean isIdKind(byte k) {
        return k == TokenBuffer.INT || k == TokenBuffer.FLOAT || k == TokenBuffer.STRING || k == TokenBuffer.NULL;
    }

    private RequestId requestIdSafely() {
        // The id may be half-read when the parser failed; only a completed scalar id is used.
        return id >= 0 && id < tokens.count() && isIdKind(tokens.kind(id)) ? requestId() : RequestId.NULL;
    }

    private void newParser() throws IOException {
        discardParser();
        parser = FACTORY.createNonBlockingByteArrayParser();
        linesOnParser = 0;
    }

    void discardParser() {
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException ignored) {
                // Closing an in-memory parser releases buffers only.
            }
            parser = null;
        }
    }

    private static boolean isBlank(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return false;
            }
        }
        return true;
    }

    private static String limitMessage(StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("Depth")) {
            return "JSON nested deeper than " + ProtocolLimits.MAX_DEPTH;
        }
        if (m.contains("Number")) {
            return "number longer than " + ProtocolLimits.MAX_NUMBER_LENGTH + " characters";
        }
        if (m.contains("Name")) {
            return "key longer than " + ProtocolLimits.MAX_NAME_LENGTH + " characters";
        }
        return "JSON exceeds a size limit";
    }

    private static String shortMessage(IOException e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException
                ? ((com.fasterxml.jackson.core.JsonProcessingException) e).getOriginalMessage()
                : e.getMessage();
        if (m == null) {
            return "syntax error";
        }
        int nl = m.indexOf('\n');
        m = nl >= 0 ? m.substring(0, nl) : m;
        return abbreviate(m);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    /** Receives the parser's unconsumed bytes and notes whether they are all whitespace. */
    private static final class WhitespaceCheck extends java.io.OutputStream {
        boolean onlyWhitespace = true;

        void reset() {
            onlyWhitespace = true;
        }

        @Override
        public void write(int b) {
            onlyWhitespace &= b == ' ' || b == '\t' || b == '\r' || b == '\n';
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
