package org.stratum4j.core.bitcoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.stratum4j.core.testing.Json;

/** Payout addresses from {@code addresses.json}: valid, invalid everywhere, and wrong network. */
class AddressVectorsTest {

    private static final Map<String, Object> FILE = Json.resource("/vectors/addresses.json");

    private static Network network(Object id) {
        return Network.fromChainName((String) id);
    }

    private static boolean isBase58(String address) {
        return "123mn".indexOf(address.charAt(0)) >= 0;
    }

    @TestFactory
    Stream<DynamicTest> validAddressesGiveTheirScript() {
        return Json.maps(FILE, "valid").stream().map(v -> dynamicTest((String) v.get("address"), () -> {
            String text = (String) v.get("address");
            Network net = network(v.get("network"));
            Address a = Address.parse(text, net);
            assertThat(a.scriptPubKeyHex()).isEqualTo(v.get("script_pubkey_hex"));
            assertThat(a.network()).isEqualTo(net);
            assertThat(a.text()).isEqualTo(text);
            if (!isBase58(text)) {
                String flipped = text.equals(text.toUpperCase(Locale.ROOT)) ? text.toLowerCase(Locale.ROOT) : text.toUpperCase(Locale.ROOT);
                assertThat(Address.parse(flipped, net).scriptPubKeyHex()).as("bech32 is case-insensitive").isEqualTo(v.get("script_pubkey_hex"));
            }
            for (Network other : Network.values()) {
                boolean sharesEncoding = other.bech32Hrp().equals(net.bech32Hrp())
                        || (isBase58(text) && other.p2pkhVersion() == net.p2pkhVersion());
                if (!sharesEncoding) {
                    assertThatThrownBy(() -> Address.parse(text, other)).as("rejected on %s", other)
                            .isInstanceOf(IllegalArgumentException.class);
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidAddressesAreRejectedOnEveryNetwork() {
        return Json.maps(FILE, "invalid").stream().map(v -> dynamicTest(v.get("address") + " (" + v.get("reason") + ")", () -> {
            for (Network n : Network.values()) {
                assertThatThrownBy(() -> Address.parse((String) v.get("address"), n))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("invalid " + n.id() + " address \"");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> wrongNetworkAddressesAreRejectedWithThatReason() {
        return Json.maps(FILE, "wrong_network").stream().map(v -> dynamicTest(v.get("address") + " on " + v.get("wrong_network"), () ->
                assertThatThrownBy(() -> Address.parse((String) v.get("address"), network(v.get("wrong_network"))))
                        .hasMessageContaining("but the pool runs on " + network(v.get("wrong_network")).id())));
    }

    @Test
    void messagesSayWhatIsWrong() {
        assertThatThrownBy(() -> Address.parse("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", Network.MAIN)).hasMessageContaining("checksum mismatch");
        assertThatThrownBy(() -> Address.parse("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7", Network.TEST)).hasMessageContaining("mixed");
        assertThatThrownBy(() -> Address.parse("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx", Network.MAIN))
                .hasMessageContaining("witness version 1 needs a BECH32M checksum");
        assertThatThrownBy(() -> Address.parse("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", Network.MAIN)).hasMessageContaining("20 or 32 bytes");
        assertThatThrownBy(() -> Address.parse("tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty", Network.MAIN)).hasMessageContaining("segwit prefix \"tc\"");
        assertThatThrownBy(() -> Address.parse("1A1zP1eP5QGefi2DMPPfTL5SLmv7DivfNa", Network.MAIN)).hasMessageContaining("Base58Check checksum mismatch");
        assertThatThrownBy(() -> Address.parse("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2m0", Network.MAIN)).hasMessageContaining("'0' at position 33 is not a Base58");
        assertThatThrownBy(() -> Address.parse("", Network.MAIN)).hasMessage("address is empty");
        assertThatThrownBy(() -> Address.parse("bc1gmk9yu", Network.MAIN)).hasMessageContaining("no witness version");
    }

    @Test
    void typesAreRecognised() {
        assertThat(Address.parse("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo", Network.MAIN).type()).isEqualTo(Address.Type.P2PKH);
        assertThat(Address.parse("36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm", Network.MAIN).type()).isEqualTo(Address.Type.P2SH);
        assertThat(Address.parse("bc1qvyq0cc6rahyvsazfdje0twl7ez82ndmuac2lhv", Network.MAIN).type()).isEqualTo(Address.Type.P2WPKH);
        assertThat(Address.parse("bc1qyucykdlhp62tezs0hagqury402qwhk589q80tqs5myh3rxq34nwqhkdhv7", Network.MAIN).type()).isEqualTo(Address.Type.P2WSH);
        assertThat(Address.parse("bc1p83n3au0rjylefxq2nc2xh2y4jzz4pm6zxj4mw5pagdjjr2a9f36s6jjnnu", Network.MAIN).type()).isEqualTo(Address.Type.P2TR);
        assertThat(Address.parse("bc1z2rksukkjr8", Network.MAIN).type()).isEqualTo(Address.Type.WITNESS_UNKNOWN);
    }

    @Test
    void base58AndBech32EncodersRoundTrip() {
        byte[] payload = Base58.decodeChecked("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo");
        assertThat(Base58.encodeChecked(payload)).isEqualTo("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo");
        Bech32.Decoded d = Bech32.decode("bc1p83n3au0rjylefxq2nc2xh2y4jzz4pm6zxj4mw5pagdjjr2a9f36s6jjnnu");
        assertThat(Bech32.encode(d.hrp(), d.data(), d.variant())).isEqualTo("bc1p83n3au0rjylefxq2nc2xh2y4jzz4pm6zxj4mw5pagdjjr2a9f36s6jjnnu");
        assertThat(Network.fromChainName("testnet4")).isEqualTo(Network.TEST);
        assertThat(Network.fromChainName("signet")).isEqualTo(Network.TEST);
        assertThatThrownBy(() -> Network.fromChainName("liquid")).hasMessageContaining("unknown chain \"liquid\"");
    }
}
