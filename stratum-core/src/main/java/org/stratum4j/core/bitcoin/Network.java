package org.stratum4j.core.bitcoin;

import java.util.Locale;

/**
 * A Bitcoin network, as far as payout addresses tell them apart.
 *
 * <p>testnet3, testnet4 and signet share their address prefixes, so they are one value here,
 * {@link #TEST}. Base58 addresses of {@link #TEST} and {@link #REGTEST} also share their version
 * bytes; only bech32 ({@code tb} vs {@code bcrt}) tells those two apart.
 */
public enum Network {
    /** Bitcoin mainnet: P2PKH version 0x00, P2SH 0x05, bech32 prefix {@code bc}. */
    MAIN("main", 0x00, 0x05, "bc"),
    /** testnet3, testnet4 and signet: P2PKH 0x6f, P2SH 0xc4, bech32 prefix {@code tb}. */
    TEST("test", 0x6f, 0xc4, "tb"),
    /** regtest: P2PKH 0x6f, P2SH 0xc4, bech32 prefix {@code bcrt}. */
    REGTEST("regtest", 0x6f, 0xc4, "bcrt");

    private final String id;
    private final int p2pkhVersion;
    private final int p2shVersion;
    private final String bech32Hrp;

    Network(String id, int p2pkhVersion, int p2shVersion, String bech32Hrp) {
        this.id = id;
        this.p2pkhVersion = p2pkhVersion;
        this.p2shVersion = p2shVersion;
        this.bech32Hrp = bech32Hrp;
    }

    /** A short name: {@code main}, {@code test} or {@code regtest}. */
    public String id() {
        return id;
    }

    /** Base58Check version byte of P2PKH addresses. */
    public int p2pkhVersion() {
        return p2pkhVersion;
    }

    /** Base58Check version byte of P2SH addresses. */
    public int p2shVersion() {
        return p2shVersion;
    }

    /** Human-readable part of segwit addresses. */
    public String bech32Hrp() {
        return bech32Hrp;
    }

    /**
     * The network of a Bitcoin Core chain name as {@code getblockchaininfo} reports it
     * ({@code main}, {@code test}, {@code testnet4}, {@code signet}, {@code regtest}).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Network fromChainName(String chain) {
        switch (chain == null ? "" : chain.toLowerCase(Locale.ROOT)) {
            case "main":
            case "mainnet":
                return MAIN;
            case "test":
            case "testnet":
            case "testnet3":
            case "testnet4":
            case "signet":
                return TEST;
            case "regtest":
                return REGTEST;
            default:
                throw new IllegalArgumentException("unknown chain \"" + chain
                        + "\"; expected main, test, testnet4, signet or regtest");
        }
    }
}
