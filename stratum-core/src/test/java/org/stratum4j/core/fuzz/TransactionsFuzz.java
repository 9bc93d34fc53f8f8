package org.stratum4j.core.fuzz;

import java.util.Arrays;
import org.stratum4j.core.bitcoin.Transaction;

/**
 * Any bytes as a raw transaction (the {@code data} of every template entry): the parser either
 * returns a transaction or throws {@link IllegalArgumentException}; a transaction it returns
 * serializes back to exactly the bytes it was read from.
 */
public final class TransactionsFuzz {

    private TransactionsFuzz() {
    }

    /** libFuzzer's entry point. */
    public static void fuzzerTestOneInput(byte[] raw) {
        Transaction tx;
        try {
            tx = Transaction.parse(raw);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (!Arrays.equals(tx.serialize(), raw)) {
            throw new IllegalStateException("a parsed transaction does not serialize back to its bytes");
        }
        tx.txid();
        tx.wtxid();
    }
}
