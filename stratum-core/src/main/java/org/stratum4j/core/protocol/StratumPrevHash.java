package org.stratum4j.core.protocol;

import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Sha256Hash;

/**
 * The {@code prevhash} form of {@code mining.notify}: the hash's internal-order bytes with each
 * 4-byte word byte-swapped (equivalently, display-order hex with its eight 4-byte words in reverse
 * order). Miners swap each word back to get the header bytes.
 */
public final class StratumPrevHash {

    private StratumPrevHash() {
    }

    /** The 64-digit notify form of {@code hash}. */
    public static String toStratumHex(Sha256Hash hash) {
        return Hex.encode(wordSwapped(hash.internalBytes()));
    }

    /** The hash that a notify's 64-digit {@code prevhash} stands for. */
    public static Sha256Hash fromStratumHex(String stratumHex) {
        return Sha256Hash.fromInternalBytes(wordSwapped(Hex.decodeExact(stratumHex, 32, "prevhash")));
    }

    /** Reverses the bytes inside each 4-byte word of {@code b}, in place. */
    static void swapWordsInPlace(byte[] b) {
        for (int w = 0; w + 3 < b.length; w += 4) {
            byte t0 = b[w];
            byte t1 = b[w + 1];
            b[w] = b[w + 3];
            b[w + 1] = b[w + 2];
            b[w + 2] = t1;
            b[w + 3] = t0;
        }
    }

    static byte[] wordSwapped(byte[] b) {
        byte[] out = b.clone();
        swapWordsInPlace(out);
        return out;
    }
}
