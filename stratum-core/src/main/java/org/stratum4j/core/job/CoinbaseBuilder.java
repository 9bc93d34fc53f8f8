package org.stratum4j.core.job;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.LittleEndian;
import org.stratum4j.core.bitcoin.ScriptNumber;
import org.stratum4j.core.bitcoin.VarInt;
import org.stratum4j.core.bitcoin.WitnessCommitment;

/**
 * Builds the coinbase of a job from a template and the payouts, leaving room for the extranonces.
 *
 * <p>Layout (what every Stratum pool does, and what Bitcoin Core checks):
 * <pre>
 * coinb1 = version ‖ 01 ‖ null outpoint ‖ len(scriptSig) ‖ BIP34 height ‖ [coinbaseaux] ‖ [pool tag]
 * coinb2 = sequence ffffffff ‖ outputs (payouts, then the witness commitment) ‖ lock time 0
 * </pre>
 * The scriptSig (height, aux, tag, extranonce1, extranonce2) must be 2 to 100 bytes; settings that
 * cannot fit fail when they are made, and a template whose aux does not fit fails when the
 * coinbase is built.
 *
 * <p>Immutable and thread-safe; the {@code with…} methods return a changed copy.
 */
public final class CoinbaseBuilder {

    /** Bitcoin Core's bounds for a coinbase scriptSig ("bad-cb-length"). */
    public static final int MIN_SCRIPT_SIG = 2;
    /** Upper bound of a coinbase scriptSig. */
    public static final int MAX_SCRIPT_SIG = 100;
    /** The largest BIP34 height push: length byte plus 4 bytes, enough for any height below 2^31. */
    private static final int MAX_HEIGHT_PUSH = 5;
    /** Largest extranonce part this library supports (each). */
    public static final int MAX_EXTRANONCE_SIZE = 32;

    private static final CoinbaseBuilder DEFAULTS = new CoinbaseBuilder(new byte[0], 4, 8, true, 2);

    private final byte[] poolTag;
    private final int extranonce1Size;
    private final int extranonce2Size;
    private final boolean includeCoinbaseAux;
    private final int txVersion;

    private CoinbaseBuilder(byte[] poolTag, int extranonce1Size, int extranonce2Size, boolean includeCoinbaseAux,
                            int txVersion) {
        if (extranonce1Size < 0 || extranonce1Size > MAX_EXTRANONCE_SIZE) {
            throw new IllegalArgumentException("extranonce1 size " + extranonce1Size + " is outside 0.." + MAX_EXTRANONCE_SIZE);
        }
        if (extranonce2Size < 1 || extranonce2Size > MAX_EXTRANONCE_SIZE) {
            throw new IllegalArgumentException("extranonce2 size " + extranonce2Size + " is outside 1.." + MAX_EXTRANONCE_SIZE);
        }
        int worst = MAX_HEIGHT_PUSH + poolTag.length + extranonce1Size + extranonce2Size;
        if (worst > MAX_SCRIPT_SIG) {
            throw new IllegalArgumentException("coinbase scriptSig would be up to " + worst + " bytes (height "
                    + MAX_HEIGHT_PUSH + " + pool tag " + poolTag.length + " + extranonce1 " + extranonce1Size
                    + " + extranonce2 " + extranonce2Size + "); Bitcoin Core allows at most " + MAX_SCRIPT_SIG
                    + ": shorten the pool tag or the extranonces");
        }
        this.poolTag = poolTag;
        this.extranonce1Size = extranonce1Size;
        this.extranonce2Size = extranonce2Size;
        this.includeCoinbaseAux = includeCoinbaseAux;
        this.txVersion = txVersion;
    }

    /** No pool tag, extranonce1 4 bytes, extranonce2 8 bytes, coinbaseaux included, transaction version 2. */
    public static CoinbaseBuilder defaults() {
        return DEFAULTS;
    }

    /** With a pool tag written after the height (UTF-8 text such as {@code "/stratum4j/"}). */
    public CoinbaseBuilder withPoolTag(String tag) {
        return withPoolTag(Objects.requireNonNull(tag, "tag").getBytes(StandardCharsets.UTF_8));
    }

    /** With a pool tag of raw bytes. */
    public CoinbaseBuilder withPoolTag(byte[] tag) {
        return new CoinbaseBuilder(Objects.requireNonNull(tag, "tag").clone(), extranonce1Size, extranonce2Size,
                includeCoinbaseAux, txVersion);
    }

    /** With room for extranonces of these sizes: extranonce1 0..32, extranonce2 1..32 bytes. */
    public CoinbaseBuilder withExtranonceSizes(int extranonce1Size, int extranonce2Size) {
        return new CoinbaseBuilder(poolTag, extranonce1Size, extranonce2Size, includeCoinbaseAux, txVersion);
    }

    /** Whether the template's {@code coinbaseaux} bytes go into the scriptSig (default true). */
    public CoinbaseBuilder withCoinbaseAux(boolean include) {
        return new CoinbaseBuilder(poolTag, extranonce1Size, extranonce2Size, include, txVersion);
    }

    /** The coinbase transaction's version: 1 or 2 (default 2, as Bitcoin Core's own miner). */
    public CoinbaseBuilder withTransactionVersion(int version) {
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("coinbase transaction version " + version + " is not 1 or 2");
        }
        return new CoinbaseBuilder(poolTag, extranonce1Size, extranonce2Size, includeCoinbaseAux, version);
    }

    /** The configured extranonce1 size. */
    public int extranonce1Size() {
        return extranonce1Size;
    }

    /** The configured extranonce2 size. */
    public int extranonce2Size() {
        return extranonce2Size;
    }

    /** The configured pool tag (a copy). */
    public byte[] poolTag() {
        return poolTag.clone();
    }

    /**
     * The coinbase paying {@code payouts} (in order) on {@code template}, followed by the
     * template's witness commitment when it has one.
     *
     * @throws IllegalArgumentException when there is no payout, the payouts add up to more than the
     *     template's {@code coinbasevalue}, or the scriptSig would exceed 100 bytes
     */
    public Coinbase build(BlockTemplate template, List<CoinbaseOutput> payouts) {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(payouts, "payouts");
        if (payouts.isEmpty()) {
            throw new IllegalArgumentException("a coinbase needs at least one payout output");
        }
        long total = 0;
        for (CoinbaseOutput o : payouts) {
            // Each value is at most MAX_MONEY, so the sum cannot overflow before it passes coinbasevalue.
            total += Objects.requireNonNull(o, "payout").value();
            if (total > template.coinbaseValue()) {
                throw new IllegalArgumentException("payouts add up to more than the template's coinbasevalue of "
                        + template.coinbaseValue() + " satoshis (Bitcoin Core would reject the block: bad-cb-amount)");
            }
        }

        byte[] height = ScriptNumber.bip34HeightPush(template.height());
        byte[] aux = includeCoinbaseAux ? template.coinbaseAux() : new byte[0];
        int scriptSigLength = height.length + aux.length + poolTag.length + extranonce1Size + extranonce2Size;
        if (scriptSigLength > MAX_SCRIPT_SIG) {
            throw new IllegalArgumentException("coinbase scriptSig would be " + scriptSigLength + " bytes with the template's "
                    + aux.length + "-byte coinbaseaux " + Hex.encode(aux) + "; at most " + MAX_SCRIPT_SIG
                    + " are allowed: turn coinbaseaux off or shorten the pool tag");
        }
        // The lower bound holds by construction: the height push is at least 1 byte, extranonce2 at least 1.

        int prefix = 4 + 1 + 36 + VarInt.size(scriptSigLength);
        byte[] coinb1 = new byte[prefix + height.length + aux.length + poolTag.length];
        int p = LittleEndian.write(txVersion, coinb1, 0, 4);
        coinb1[p++] = 1;
        p += 32;
        p = LittleEndian.write(0xffffffffL, coinb1, p, 4);
        p = VarInt.write(scriptSigLength, coinb1, p);
        p = put(height, coinb1, p);
        p = put(aux, coinb1, p);
        put(poolTag, coinb1, p);

        WitnessCommitment commitment = template.witnessCommitment().orElse(null);
        int outputCount = payouts.size() + (commitment == null ? 0 : 1);
        int size = 4 + VarInt.size(outputCount) + 4;
        for (CoinbaseOutput o : payouts) {
            size += o.serializedSize();
        }
        byte[] commitmentScript = commitment == null ? null : commitment.scriptPubKey();
        if (commitmentScript != null) {
            size += 8 + VarInt.size(commitmentScript.length) + commitmentScript.length;
        }
        byte[] coinb2 = new byte[size];
        int q = LittleEndian.write(0xffffffffL, coinb2, 0, 4);
        q = VarInt.write(outputCount, coinb2, q);
        for (CoinbaseOutput o : payouts) {
            q = o.writeTo(coinb2, q);
        }
        if (commitmentScript != null) {
            q = LittleEndian.write(0, coinb2, q, 8);
            q = VarInt.write(commitmentScript.length, coinb2, q);
            q = put(commitmentScript, coinb2, q);
        }
        LittleEndian.write(0, coinb2, q, 4);
        return new Coinbase(coinb1, coinb2, extranonce1Size, extranonce2Size, commitment != null, total);
    }

    private static int put(byte[] src, byte[] out, int at) {
        System.arraycopy(src, 0, out, at, src.length);
        return at + src.length;
    }

    @Override
    public String toString() {
        return "CoinbaseBuilder[tag=" + Hex.encode(poolTag) + ", extranonce " + extranonce1Size + "+" + extranonce2Size
                + ", aux=" + includeCoinbaseAux + ", version=" + txVersion + "]";
    }
}
