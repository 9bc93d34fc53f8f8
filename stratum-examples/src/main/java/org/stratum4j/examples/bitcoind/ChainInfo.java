package org.stratum4j.examples.bitcoind;

import java.util.Objects;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.bitcoin.Sha256Hash;

/**
 * The parts of {@code getblockchaininfo} a pool checks at start: which chain the node is on, how
 * far it is, and whether it is still catching up.
 *
 * @param chain                Core's chain name: {@code main}, {@code test}, {@code testnet4}, {@code signet}, {@code regtest}
 * @param blocks               height of the node's tip
 * @param bestBlockHash        the tip
 * @param initialBlockDownload true while the node is syncing (its templates would be stale)
 */
public record ChainInfo(String chain, long blocks, Sha256Hash bestBlockHash, boolean initialBlockDownload) {

    /** Checks the fields. */
    public ChainInfo {
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(bestBlockHash, "bestBlockHash");
    }

    /**
     * The address network of this chain.
     *
     * @throws IllegalArgumentException for a chain name this library does not know
     */
    public Network network() {
        return Network.fromChainName(chain);
    }
}
