package org.stratum4j.core.fuzz;

import java.nio.charset.StandardCharsets;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.bitcoin.Network;

/**
 * Any text as a payout address (solo miners put it in their worker name): for every network the
 * decoder either returns an address or throws {@link IllegalArgumentException}; an address it
 * returns belongs to that network, has a script, and parses again to the same script.
 */
public final class AddressesFuzz {

    private AddressesFuzz() {
    }

    /** libFuzzer's entry point. */
    public static void fuzzerTestOneInput(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        for (Network n : Network.values()) {
            Address a;
            try {
                a = Address.parse(text, n);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (a.network() != n || a.scriptPubKey().length == 0
                    || !java.util.Arrays.equals(Address.parse(text, n).scriptPubKey(), a.scriptPubKey())) {
                throw new IllegalStateException("inconsistent address " + text);
            }
        }
    }
}
