package org.stratum4j.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.Address;
import org.stratum4j.core.bitcoin.BlockHeader;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Network;
import org.stratum4j.core.bitcoin.Transaction;
import org.stratum4j.core.protocol.PoolCodec;
import org.stratum4j.core.testing.Json;

/**
 * The coinbase builder reproduces, byte for byte, what real pools sent for the same templates:
 * public-pool's notify for testnet 2442185 (the Bitaxe exchange) and btcpool's coinbase halves.
 */
class CoinbaseBuilderTest {

    private static final byte[] PUBLIC_POOL_TAG = "\\public-pool\\".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] BITAXE_SCRIPT = Hex.decode("0014e6f22ca44dc800e9d049621a3b9a42c509f1c4bc");

    private static Map<String, Object> bitaxeExchange() {
        return Json.maps(Json.resource("/vectors/stratum_sessions.json"), "exchanges").stream()
                .filter(e -> e.get("name").equals("public_pool_bitaxe_testnet")).findFirst().orElseThrow();
    }

    private static Coinbase publicPoolCoinbase(BlockTemplate t) {
        return CoinbaseBuilder.defaults().withPoolTag(PUBLIC_POOL_TAG).withExtranonceSizes(4, 4)
                .build(t, List.of(CoinbaseOutput.of(36986, BITAXE_SCRIPT), CoinbaseOutput.of(2428731, BITAXE_SCRIPT)));
    }

    @Test
    void publicPoolNotifyIsReproducedByteForByte() {
        BlockTemplate t = GbtVectors.template("public_pool_testnet_2442185");
        Coinbase cb = publicPoolCoinbase(t);
        List<Object> notify = Json.asList(bitaxeExchange().get("notify_params"));
        assertThat(Hex.encode(cb.coinb1())).isEqualTo(notify.get(2));
        assertThat(Hex.encode(cb.coinb2())).isEqualTo(notify.get(3));
        assertThat(cb.outputValue()).isEqualTo(t.coinbaseValue());
        assertThat(cb.hasWitness()).isTrue();

        // The job's notify, encoded by the codec, carries the same prevhash, branch, version and bits.
        Job job = new JobFactory(Clock.fixed(Instant.ofEpochSecond(1_689_514_989L), ZoneOffset.UTC),
                CoinbaseBuilder.defaults().withPoolTag(PUBLIC_POOL_TAG).withExtranonceSizes(4, 4))
                .create(t, List.of(CoinbaseOutput.of(36986, BITAXE_SCRIPT), CoinbaseOutput.of(2428731, BITAXE_SCRIPT)));
        List<Object> params = Json.asList(Json.asMap(Json.parse(new String(new PoolCodec().encode(job.notifyMessage()),
                java.nio.charset.StandardCharsets.UTF_8))).get("params"));
        assertThat(params.subList(1, 7)).isEqualTo(notify.subList(1, 7));
        assertThat(params.get(7)).isEqualTo(String.format("%08x", t.curTime()));
        assertThat(params.get(0)).isEqualTo(job.id());
        assertThat(params.get(8)).isEqualTo(Boolean.TRUE);
    }

    @Test
    void bitaxeShareRebuildsTheRecordedCoinbaseRootAndHeader() {
        Map<String, Object> ex = bitaxeExchange();
        Map<String, Object> expected = Json.asMap(ex.get("expected"));
        BlockTemplate t = GbtVectors.template("public_pool_testnet_2442185");
        Coinbase cb = publicPoolCoinbase(t);
        Job job = Job.onTemplate("1", t, cb, 0x64b3f3ecL, false, Instant.EPOCH);
        byte[] en1 = Hex.decode((String) ex.get("extranonce1"));
        byte[] en2 = Hex.decode("c7080000");
        assertThat(Hex.encode(cb.serialize(en1, en2))).isEqualTo(expected.get("coinbase_hex"));
        assertThat(cb.txid(en1, en2).toDisplayHex()).isEqualTo(expected.get("coinbase_txid"));
        assertThat(job.merkleRoot(en1, en2).toInternalHex()).isEqualTo(expected.get("merkle_root_internal"));
        BlockHeader header = job.header(en1, en2, 0x20002000, 0x64b3f3ecL, 0xed460d91L);
        assertThat(header.toHex()).isEqualTo(expected.get("header_hex"));
        assertThat(header.hash().toDisplayHex()).isEqualTo(expected.get("hash"));
    }

    @Test
    void btcpoolPreSegwitCoinbaseHalves() {
        Map<String, Object> v = GbtVectors.named("btcpool_testnet_898487");
        Map<String, Object> fixture = GbtVectors.expected(v, "expected_from_fixture");
        BlockTemplate t = GbtVectors.template("btcpool_testnet_898487");
        Address payout = Address.parse("myxopLJB19oFtNBdrAxD5Z34Aw6P8o9P8U", Network.TEST);
        // btcpool's scriptSig is 0x1e = 30 bytes: height 4 + its 14 bytes of tag + extranonce 4 + 8.
        Coinbase cb = CoinbaseBuilder.defaults().withPoolTag(new byte[14]).withExtranonceSizes(4, 8)
                .build(t, List.of(CoinbaseOutput.to(payout, t.coinbaseValue())));
        assertThat(Hex.encode(cb.coinb1())).startsWith((String) fixture.get("coinbase1_prefix"));
        assertThat(Hex.encode(cb.coinb2())).isEqualTo(fixture.get("coinbase2_payout_myxopLJB19oFtNBdrAxD5Z34Aw6P8o9P8U"));
        assertThat(cb.hasWitness()).isFalse();
    }

    @Test
    void btcpoolWitnessCommitmentCoinbaseForP2pkhAndP2wsh() {
        Map<String, Object> fixture = GbtVectors.expected(GbtVectors.named("btcpool_testnet_1038222_witness_commitment"),
                "expected_from_fixture");
        BlockTemplate t = GbtVectors.template("btcpool_testnet_1038222_witness_commitment");
        for (String address : List.of("myxopLJB19oFtNBdrAxD5Z34Aw6P8o9P8U",
                "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7")) {
            Coinbase cb = CoinbaseBuilder.defaults().build(t,
                    List.of(CoinbaseOutput.to(Address.parse(address, Network.TEST), t.coinbaseValue())));
            assertThat(Hex.encode(cb.coinb2())).as(address).isEqualTo(fixture.get("coinbase2_payout_" + address));
            assertThat(cb.hasWitness()).isTrue();
        }
    }

    @Test
    void blockFormAddsMarkerFlagAndTheZeroReservedValue() {
        BlockTemplate t = GbtVectors.template("public_pool_testnet_2442185");
        Coinbase cb = publicPoolCoinbase(t);
        byte[] en1 = {1, 2, 3, 4};
        byte[] en2 = {5, 6, 7, 8};
        Transaction withWitness = Transaction.parse(cb.serializeForBlock(en1, en2));
        assertThat(withWitness.hasWitness()).isTrue();
        assertThat(withWitness.txid()).isEqualTo(cb.txid(en1, en2));
        assertThat(withWitness.inputs().get(0).witness()).hasSize(1);
        assertThat(withWitness.inputs().get(0).witness().get(0)).isEqualTo(new byte[32]);
        assertThat(withWitness.isCoinbase()).isTrue();
        assertThat(withWitness.lockTime()).isZero();
        assertThat(withWitness.inputs().get(0).sequence()).isEqualTo(0xffffffffL);

        BlockTemplate legacy = GbtVectors.template("btcpool_testnet_898487");
        Coinbase plain = CoinbaseBuilder.defaults().withExtranonceSizes(4, 4)
                .build(legacy, List.of(CoinbaseOutput.of(1, BITAXE_SCRIPT)));
        assertThat(plain.serializeForBlock(en1, en2)).isEqualTo(plain.serialize(en1, en2));
    }

    @Test
    void smallHeightsUseOpNAsBitcoinCoreRequires() {
        BlockTemplate t = regtestTemplate(7);
        Coinbase cb = CoinbaseBuilder.defaults().build(t, List.of(CoinbaseOutput.of(50, BITAXE_SCRIPT)));
        byte[] scriptSig = Transaction.parse(cb.serialize(new byte[4], new byte[8])).inputs().get(0).scriptSig();
        assertThat(scriptSig[0]).isEqualTo((byte) 0x57); // OP_7
        assertThat(scriptSig).hasSize(1 + 12);
    }

    @Test
    void settingsThatCannotFitFailWhenMade() {
        assertThatThrownBy(() -> CoinbaseBuilder.defaults().withPoolTag("x".repeat(90)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 100").hasMessageContaining("pool tag 90");
        assertThatThrownBy(() -> CoinbaseBuilder.defaults().withExtranonceSizes(4, 0))
                .hasMessageContaining("extranonce2 size 0 is outside 1..32");
        assertThatThrownBy(() -> CoinbaseBuilder.defaults().withExtranonceSizes(33, 4))
                .hasMessageContaining("extranonce1 size 33");
        assertThatThrownBy(() -> CoinbaseBuilder.defaults().withTransactionVersion(3))
                .hasMessageContaining("not 1 or 2");
        // The largest tag that fits: 100 - 5 (height) - 4 - 8.
        assertThat(CoinbaseBuilder.defaults().withPoolTag(new byte[83]).poolTag()).hasSize(83);
    }

    @Test
    void auxThatDoesNotFitFailsAtBuildAndCanBeTurnedOff() {
        BlockTemplate t = BlockTemplate.builder().previousBlockHash(org.stratum4j.core.bitcoin.Sha256Hash.ZERO)
                .bits(org.stratum4j.core.bitcoin.CompactBits.of(0x207fffff)).height(1000).curTime(1).coinbaseValue(100)
                .coinbaseAux(new byte[32]).build();
        CoinbaseBuilder full = CoinbaseBuilder.defaults().withPoolTag(new byte[60]);
        List<CoinbaseOutput> pay = List.of(CoinbaseOutput.of(100, BITAXE_SCRIPT));
        assertThatThrownBy(() -> full.build(t, pay)).hasMessageContaining("coinbaseaux").hasMessageContaining("107 bytes");
        assertThat(full.withCoinbaseAux(false).build(t, pay).size()).isPositive();
        Coinbase withAux = CoinbaseBuilder.defaults().build(t, pay);
        byte[] scriptSig = Transaction.parse(withAux.serialize(new byte[4], new byte[8])).inputs().get(0).scriptSig();
        assertThat(scriptSig).hasSize(3 + 32 + 12);
    }

    @Test
    void payoutsAreChecked() {
        BlockTemplate t = regtestTemplate(200);
        assertThatThrownBy(() -> CoinbaseBuilder.defaults().build(t, List.of()))
                .hasMessageContaining("at least one payout");
        assertThatThrownBy(() -> CoinbaseBuilder.defaults().build(t,
                List.of(CoinbaseOutput.of(3_000_000_000L, BITAXE_SCRIPT), CoinbaseOutput.of(2_000_000_001L, BITAXE_SCRIPT))))
                .hasMessageContaining("bad-cb-amount");
        assertThatThrownBy(() -> CoinbaseOutput.of(-1, BITAXE_SCRIPT)).hasMessageContaining("output value -1");
        assertThatThrownBy(() -> CoinbaseOutput.of(1, new byte[0])).hasMessageContaining("output script is 0 bytes");
        Coinbase exact = CoinbaseBuilder.defaults().build(t,
                List.of(CoinbaseOutput.of(3_000_000_000L, BITAXE_SCRIPT), CoinbaseOutput.of(2_000_000_000L, BITAXE_SCRIPT)));
        assertThat(exact.outputValue()).isEqualTo(5_000_000_000L);
        assertThatThrownBy(() -> exact.serialize(new byte[3], new byte[8])).hasMessageContaining("extranonce1 is 3 bytes");
        assertThatThrownBy(() -> exact.serialize(new byte[4], new byte[7])).hasMessageContaining("extranonce2 is 7 bytes");
    }

    static BlockTemplate regtestTemplate(long height) {
        return BlockTemplate.builder().previousBlockHash(org.stratum4j.core.bitcoin.Sha256Hash.ZERO)
                .bits(org.stratum4j.core.bitcoin.CompactBits.of(0x207fffff)).height(height).curTime(1_700_000_000L)
                .coinbaseValue(5_000_000_000L).build();
    }
}
