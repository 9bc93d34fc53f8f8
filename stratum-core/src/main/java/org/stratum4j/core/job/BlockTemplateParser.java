package org.stratum4j.core.job;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.bitcoin.WitnessCommitment;

/**
 * Reads the {@code result} object of Bitcoin Core's {@code getblocktemplate} (called with
 * {@code {"rules":["segwit"]}}) into a {@link BlockTemplate}, with jackson's streaming parser.
 *
 * <p>Unknown fields are skipped. A missing or malformed field, a transaction whose {@code txid} or
 * {@code hash} does not match its {@code data}, or a {@code target} that disagrees with
 * {@code bits} is an {@link IllegalArgumentException} whose message names the field: a node that
 * sends such a template is not mined on. Both template shapes are read: current Core
 * ({@code txid} = id, {@code hash} = wtxid) and pre-0.13 Core ({@code hash} = id, no {@code txid}).
 */
public final class BlockTemplateParser {

    /**
     * A full block of hex is under 8 million characters; a single string is allowed up to twice
     * that, and no document is nested deeper than the template needs.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(16_000_000)
                    .maxNestingDepth(32)
                    .maxNumberLength(64)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private BlockTemplateParser() {
    }

    /** Parses the UTF-8 JSON of a {@code getblocktemplate} result object. */
    public static BlockTemplate parse(byte[] json) {
        Objects.requireNonNull(json, "json");
        try (JsonParser p = FACTORY.createParser(json)) {
            BlockTemplate t = read(p);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("getblocktemplate result has data after the closing brace");
            }
            return t;
        } catch (IOException e) {
            throw invalidJson(e);
        }
    }

    /** Parses the JSON text of a {@code getblocktemplate} result object. */
    public static BlockTemplate parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a template object from {@code parser}, which is positioned at the object's
     * {@code START_OBJECT} token or just before it; on return the parser is at the matching
     * {@code END_OBJECT}. For callers that stream a JSON-RPC envelope and meet the result inside it.
     */
    public static BlockTemplate read(JsonParser parser) {
        Objects.requireNonNull(parser, "parser");
        try {
            return readObject(parser);
        } catch (IOException e) {
            throw invalidJson(e);
        }
    }

    private static IllegalArgumentException invalidJson(IOException e) {
        if (e instanceof StreamConstraintsException sce) {
            return new IllegalArgumentException("getblocktemplate result exceeds a size limit: " + sce.getOriginalMessage(), e);
        }
        String msg = e instanceof JsonParseException jpe ? jpe.getOriginalMessage() : e.getMessage();
        return new IllegalArgumentException("getblocktemplate result is not valid JSON: " + msg, e);
    }

    private static BlockTemplate readObject(JsonParser p) throws IOException {
        JsonToken t = p.currentToken() == JsonToken.START_OBJECT ? JsonToken.START_OBJECT : p.nextToken();
        if (t != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("getblocktemplate result must be a JSON object, found " + describe(t));
        }
        BlockTemplate.Builder b = BlockTemplate.builder();
        String targetHex = null;
        boolean sawVersion = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "version" -> {
                    long v = integer(p, field, Integer.MIN_VALUE, 0xffffffffL);
                    b.version((int) v);
                    sawVersion = true;
                }
                case "previousblockhash" -> b.previousBlockHash(hash(p, field));
                case "transactions" -> readTransactions(p, b);
                case "coinbasevalue" -> b.coinbaseValue(integer(p, field, 0, BlockTemplate.MAX_MONEY));
                case "bits" -> {
                    String hex = string(p, field);
                    if (hex.length() != 8) {
                        throw field(field, "must be 8 hex digits, got \"" + abbreviate(hex) + "\"");
                    }
                    b.bits(compact(hex, field));
                }
                case "target" -> targetHex = string(p, field);
                case "curtime" -> b.curTime(integer(p, field, 0, 0xffffffffL));
                case "mintime" -> b.minTime(integer(p, field, 0, 0xffffffffL));
                case "height" -> b.height(integer(p, field, 1, Integer.MAX_VALUE));
                case "default_witness_commitment" -> b.witnessCommitment(commitment(p, field));
                case "longpollid" -> b.longPollId(string(p, field));
                case "coinbaseaux" -> b.coinbaseAux(readCoinbaseAux(p));
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("getblocktemplate result ends before its closing brace");
        }
        if (!sawVersion) {
            throw new IllegalArgumentException("template is missing version");
        }
        BlockTemplate template = b.build();
        if (targetHex != null) {
            Target target;
            try {
                target = Target.fromHex(targetHex);
            } catch (IllegalArgumentException e) {
                throw field("target", e.getMessage());
            }
            if (!target.equals(template.target())) {
                throw field("target", "\"" + abbreviate(targetHex) + "\" does not match bits " + template.bits().toHex()
                        + ", which expands to " + template.target().toHex());
            }
        }
        return template;
    }

    private static void readTransactions(JsonParser p, BlockTemplate.Builder b) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw field("transactions", "must be an array, found " + describe(p.currentToken()));
        }
        int index = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            b.addTransaction(readTransaction(p, "transactions[" + index + "]"));
            index++;
        }
        if (t != JsonToken.END_ARRAY) {
            throw field("transactions[" + index + "]", "must be an object, found " + describe(t));
        }
    }

    private static TemplateTransaction readTransaction(JsonParser p, String where) throws IOException {
        String data = null;
        String txid = null;
        String hash = null;
        long fee = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "data" -> data = string(p, where + ".data");
                case "txid" -> txid = string(p, where + ".txid");
                case "hash" -> hash = string(p, where + ".hash");
                case "fee" -> fee = integer(p, where + ".fee", 0, BlockTemplate.MAX_MONEY);
                default -> p.skipChildren();
            }
        }
        if (data == null) {
            throw new IllegalArgumentException("template field " + where + " has no data");
        }
        TemplateTransaction tx;
        try {
            tx = TemplateTransaction.fromHex(data, fee);
        } catch (IllegalArgumentException e) {
            throw field(where + ".data", e.getMessage());
        }
        if (txid != null) {
            checkId(where + ".txid", txid, tx.txid());
            if (hash != null) {
                checkId(where + ".hash", hash, tx.wtxid());
            }
        } else if (hash != null) {
            // Core before 0.13 sent only "hash", and it meant the txid.
            checkId(where + ".hash", hash, tx.txid());
        }
        return tx;
    }

    private static void checkId(String field, String given, Sha256Hash computed) {
        Sha256Hash parsed;
        try {
            parsed = Sha256Hash.fromDisplayHex(given);
        } catch (IllegalArgumentException e) {
            throw field(field, e.getMessage());
        }
        if (!parsed.equals(computed)) {
            throw field(field, given + " does not match the transaction's data, which hashes to "
                    + computed.toDisplayHex());
        }
    }

    private static byte[] readCoinbaseAux(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw field("coinbaseaux", "must be an object, found " + describe(p.currentToken()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            String hex = string(p, "coinbaseaux." + name);
            try {
                out.writeBytes(Hex.decode(hex));
            } catch (IllegalArgumentException e) {
                throw field("coinbaseaux." + name, e.getMessage());
            }
        }
        return out.toByteArray();
    }

    private static Sha256Hash hash(JsonParser p, String field) throws IOException {
        String hex = string(p, field);
        try {
            return Sha256Hash.fromDisplayHex(hex);
        } catch (IllegalArgumentException e) {
            throw field(field, e.getMessage());
        }
    }

    private static CompactBits compact(String hex, String field) {
        try {
            return CompactBits.fromHex(hex);
        } catch (IllegalArgumentException e) {
            throw field(field, e.getMessage());
        }
    }

    private static WitnessCommitment commitment(JsonParser p, String field) throws IOException {
        String hex = string(p, field);
        try {
            return WitnessCommitment.fromScript(Hex.decode(hex));
        } catch (IllegalArgumentException e) {
            throw field(field, e.getMessage());
        }
    }

    private static String string(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw field(field, "must be a string, found " + describe(p.currentToken()));
        }
        return p.getText();
    }

    private static long integer(JsonParser p, String field, long min, long max) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw field(field, "must be an integer, found " + describe(p.currentToken()));
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw field(field, p.getText() + " is outside " + min + ".." + max);
        }
        long v = p.getLongValue();
        if (v < min || v > max) {
            throw field(field, v + " is outside " + min + ".." + max);
        }
        return v;
    }

    private static IllegalArgumentException field(String field, String problem) {
        return new IllegalArgumentException("template field " + field + ": " + problem);
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
