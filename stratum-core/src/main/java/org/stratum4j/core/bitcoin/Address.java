package org.stratum4j.core.bitcoin;

import java.util.Locale;
import java.util.Objects;

/**
 * A Bitcoin payout address, checked for one network and turned into the output script a coinbase
 * pays: Base58Check P2PKH and P2SH, bech32 segwit v0 (P2WPKH, P2WSH) and bech32m v1–v16 (P2TR and
 * future versions).
 *
 * <p>Parsing rejects, with a sentence saying why: a checksum that does not match, a bad length or
 * character, mixed case, the wrong checksum variant for the witness version (BIP350), padding
 * errors, and an address of another network.
 *
 * <p>Immutable.
 */
public final class Address {

    /** The kind of output an address pays to. */
    public enum Type {
        /** Pay to public key hash (Base58, version 0x00 / 0x6f). */
        P2PKH,
        /** Pay to script hash (Base58, version 0x05 / 0xc4). */
        P2SH,
        /** Segwit v0 with a 20-byte program. */
        P2WPKH,
        /** Segwit v0 with a 32-byte program. */
        P2WSH,
        /** Segwit v1 with a 32-byte program (Taproot). */
        P2TR,
        /** Segwit v1–v16 outputs not defined yet (any other version or v1 length); spendable by anyone today. */
        WITNESS_UNKNOWN
    }

    private final String text;
    private final Network network;
    private final Type type;
    private final byte[] scriptPubKey;

    private Address(String text, Network network, Type type, byte[] scriptPubKey) {
        this.text = text;
        this.network = network;
        this.type = type;
        this.scriptPubKey = scriptPubKey;
    }

    /**
     * Parses {@code text} as an address of {@code network}.
     *
     * @throws IllegalArgumentException with a message naming the address and what is wrong
     */
    public static Address parse(String text, Network network) {
        Objects.requireNonNull(network, "network");
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("address is empty");
        }
        try {
            return parseChecked(text, network);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + network.id() + " address \"" + abbreviate(text) + "\": " + e.getMessage(), e);
        }
    }

    private static Address parseChecked(String text, Network network) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (Network n : Network.values()) {
            if (lower.startsWith(n.bech32Hrp() + "1")) {
                return parseSegwit(text, network, n);
            }
        }
        try {
            return parseBase58(text, network);
        } catch (IllegalArgumentException base58Error) {
            String hrp = bech32HrpOrNull(text);
            if (hrp != null) {
                throw new IllegalArgumentException("segwit prefix \"" + hrp + "\" is not Bitcoin's; expected \""
                        + network.bech32Hrp() + "\"", base58Error);
            }
            throw base58Error;
        }
    }

    private static Address parseSegwit(String text, Network network, Network prefixNetwork) {
        Bech32.Decoded d = Bech32.decode(text);
        byte[] data = d.data();
        if (data.length == 0) {
            throw new IllegalArgumentException("segwit address has no witness version");
        }
        int version = data[0];
        if (version > 16) {
            throw new IllegalArgumentException("witness version " + version + " does not exist (0 to 16)");
        }
        byte[] program;
        try {
            program = Bech32.convertBits(data, 1, data.length - 1, 5, 8, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("witness program is malformed: " + e.getMessage(), e);
        }
        if (program.length < 2 || program.length > 40) {
            throw new IllegalArgumentException("witness program is " + program.length + " bytes; 2 to 40 are allowed");
        }
        if (version == 0 && program.length != 20 && program.length != 32) {
            throw new IllegalArgumentException("a version 0 witness program is 20 or 32 bytes, got " + program.length);
        }
        Bech32.Variant expected = version == 0 ? Bech32.Variant.BECH32 : Bech32.Variant.BECH32M;
        if (d.variant() != expected) {
            throw new IllegalArgumentException("witness version " + version + " needs a " + expected
                    + " checksum, this address has " + d.variant() + " (BIP350)");
        }
        if (prefixNetwork != network) {
            throw wrongNetwork(prefixNetwork, network);
        }
        byte[] script = new byte[2 + program.length];
        script[0] = (byte) (version == 0 ? 0x00 : 0x50 + version);
        script[1] = (byte) program.length;
        System.arraycopy(program, 0, script, 2, program.length);
        Type type;
        if (version == 0) {
            type = program.length == 20 ? Type.P2WPKH : Type.P2WSH;
        } else {
            type = version == 1 && program.length == 32 ? Type.P2TR : Type.WITNESS_UNKNOWN;
        }
        return new Address(text, network, type, script);
    }

    private static Address parseBase58(String text, Network network) {
        byte[] payload = Base58.decodeChecked(text);
        if (payload.length != 21) {
            throw new IllegalArgumentException("a Base58 address holds 21 bytes (version and 20-byte hash), this one "
                    + payload.length);
        }
        int version = payload[0] & 0xff;
        if (version == network.p2pkhVersion()) {
            byte[] script = new byte[25];
            script[0] = 0x76; // OP_DUP
            script[1] = (byte) 0xa9; // OP_HASH160
            script[2] = 0x14;
            System.arraycopy(payload, 1, script, 3, 20);
            script[23] = (byte) 0x88; // OP_EQUALVERIFY
            script[24] = (byte) 0xac; // OP_CHECKSIG
            return new Address(text, network, Type.P2PKH, script);
        }
        if (version == network.p2shVersion()) {
            byte[] script = new byte[23];
            script[0] = (byte) 0xa9; // OP_HASH160
            script[1] = 0x14;
            System.arraycopy(payload, 1, script, 2, 20);
            script[22] = (byte) 0x87; // OP_EQUAL
            return new Address(text, network, Type.P2SH, script);
        }
        for (Network other : Network.values()) {
            if (version == other.p2pkhVersion() || version == other.p2shVersion()) {
                throw wrongNetwork(other, network);
            }
        }
        throw new IllegalArgumentException(String.format("Base58 version byte 0x%02x is not a Bitcoin address type", version));
    }

    private static IllegalArgumentException wrongNetwork(Network addressNetwork, Network expected) {
        return new IllegalArgumentException("this is a " + addressNetwork.id() + " address, but the pool runs on "
                + expected.id());
    }

    private static String bech32HrpOrNull(String text) {
        try {
            return Bech32.decode(text).hrp();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "…";
    }

    /** The address as it was given. */
    public String text() {
        return text;
    }

    /** The network it was checked against. */
    public Network network() {
        return network;
    }

    /** The kind of output. */
    public Type type() {
        return type;
    }

    /** A copy of the output script this address pays to. */
    public byte[] scriptPubKey() {
        return scriptPubKey.clone();
    }

    /** The output script as hex. */
    public String scriptPubKeyHex() {
        return Hex.encode(scriptPubKey);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Address)) {
            return false;
        }
        Address a = (Address) o;
        return network == a.network && java.util.Arrays.equals(scriptPubKey, a.scriptPubKey);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(scriptPubKey) * 31 + network.hashCode();
    }

    /** The address text. */
    @Override
    public String toString() {
        return text;
    }
}
