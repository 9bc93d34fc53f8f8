package org.stratum4j.core.share;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.MerkleBranch;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Sha256Hasher;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.RequestId;
import org.stratum4j.core.protocol.StratumPrevHash;
import org.stratum4j.core.protocol.Submit;
import org.stratum4j.core.testing.Json;

/** Share checks against real shares: public-pool/Bitaxe (version rolling) and ESP-Miner's mainnet share. */
class ShareValidatorTest {

    private static final Map<String, Object> SESSIONS = Json.resource("/vectors/stratum_sessions.json");
    private static final ShareValidator VALIDATOR = new ShareValidator(PowFunction.sha256d());

    static Map<String, Object> exchange(String name) {
        return Json.maps(SESSIONS, "exchanges").stream().filter(e -> e.get("name").equals(name)).findFirst().orElseThrow();
    }

    static Notify notifyOf(List<Object> p) {
        return new Notify((String) p.get(0), StratumPrevHash.fromStratumHex((String) p.get(1)), Hex.decode((String) p.get(2)),
                Hex.decode((String) p.get(3)), MerkleBranch.fromInternalHex(Json.asList(p.get(4)).stream().map(String.class::cast).toList()),
                (int) Long.parseLong((String) p.get(5), 16), CompactBits.fromHex((String) p.get(6)),
                (int) Long.parseLong((String) p.get(7), 16), (Boolean) p.get(8));
    }

    static Submit submitOf(List<Object> p) {
        byte[] en2 = Hex.decode((String) p.get(2));
        int ntime = (int) Long.parseLong((String) p.get(3), 16);
        int nonce = (int) Long.parseLong((String) p.get(4), 16);
        return p.size() > 5
                ? Submit.of(RequestId.of(5), (String) p.get(0), (String) p.get(1), en2, ntime, nonce, (int) Long.parseLong((String) p.get(5), 16))
                : Submit.of(RequestId.of(5), (String) p.get(0), (String) p.get(1), en2, ntime, nonce);
    }

    private final Map<String, Object> bitaxe = exchange("public_pool_bitaxe_testnet");
    private final Job job = Job.fromNotify(notifyOf(Json.asList(bitaxe.get("notify_params"))), 4, 4, Instant.EPOCH);
    private final byte[] en1 = Hex.decode((String) bitaxe.get("extranonce1"));
    private final int mask = 0x1fffe000;
    private final Target diff512 = Difficulty.of(512).toTarget();
    private final long now = 0x64b3f3ecL;

    private Verdict check(List<Object> params, DuplicateFilter dups) {
        return VALIDATOR.check(job, en1, submitOf(params), mask, diff512, now, dups);
    }

    @Test
    void theSessionsMerkleRootCacheNeverChangesAVerdict() {
        List<Object> real = Json.asList(bitaxe.get("submit_params"));
        Submit share = submitOf(real);
        Job other = Job.fromNotify(notifyOf(Json.asList(bitaxe.get("notify_params"))), 4, 4, Instant.EPOCH);
        byte[] otherEn1 = Hex.decode("00000001");
        MerkleRootCache roots = new MerkleRootCache();
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        // A stream mixing the real share, nonce/version changes on its extranonce2, other extranonce2s,
        // an equal job that is another object, and another extranonce1: with and without the cache alike.
        for (int i = 0; i < 2000; i++) {
            byte[] en2 = share.extranonce2();
            if (random.nextInt(3) == 0) {
                en2[random.nextInt(en2.length)] ^= (byte) (1 + random.nextInt(255));
            }
            Job j = random.nextInt(5) == 0 ? other : job;
            byte[] e1 = random.nextInt(7) == 0 ? otherEn1 : en1;
            Submit s = random.nextInt(4) == 0 ? share : Submit.of(RequestId.of(5), "w", share.jobId(), en2, share.ntime(),
                    random.nextInt(), share.versionBits() ^ (random.nextInt(2) << 13));
            Verdict plain = VALIDATOR.check(j, e1, s, mask, diff512, now, new DuplicateFilter());
            Verdict cached = VALIDATOR.check(j, e1, s, mask, diff512, now, new DuplicateFilter(), roots);
            assertThat(cached.rejectReason()).isEqualTo(plain.rejectReason());
            assertThat(cached.hash()).isEqualTo(plain.hash());
        }
        // And the real share still gives the recorded hash through a warm cache.
        Verdict v = VALIDATOR.check(job, en1, share, mask, diff512, now, new DuplicateFilter(), roots);
        assertThat(v.hash().toDisplayHex()).isEqualTo(Json.asMap(bitaxe.get("expected")).get("hash"));
    }

    @Test
    void bitaxeShareIsAcceptedWithTheRecordedHashAndDifficulty() {
        Map<String, Object> expected = Json.asMap(bitaxe.get("expected"));
        DuplicateFilter dups = new DuplicateFilter();
        Verdict v = check(Json.asList(bitaxe.get("submit_params")), dups);
        assertThat(v.isAccepted()).isTrue();
        assertThat(v.isBlock()).isFalse();
        assertThat(v.hash().toDisplayHex()).isEqualTo(expected.get("hash"));
        assertThat(v.header().toHex()).isEqualTo(expected.get("header_hex"));
        assertThat(v.shareDifficulty()).isCloseTo(((Json.Num) expected.get("share_difficulty")).asDouble(),
                org.assertj.core.data.Offset.offset(1e-9));
        // The same share again is a duplicate, even though it meets the target.
        assertThat(check(Json.asList(bitaxe.get("submit_params")), dups).rejectReason()).isEqualTo(RejectReason.DUPLICATE);
        assertThat(dups.size()).isEqualTo(1);
        // Just above its own difficulty it is too low.
        Verdict harder = VALIDATOR.check(job, en1, submitOf(Json.asList(bitaxe.get("submit_params"))), mask,
                Difficulty.of(670).toTarget(), now, new DuplicateFilter());
        assertThat(harder.rejectReason()).isEqualTo(RejectReason.LOW_DIFFICULTY);
    }

    @Test
    void negativeCasesGiveTheRecordedVerdicts() {
        Map<String, RejectReason> expectedReason = Map.of(
                "version_bits_ignored", RejectReason.LOW_DIFFICULTY,
                "nonce_changed", RejectReason.LOW_DIFFICULTY,
                "version_bits_outside_mask", RejectReason.VERSION_BITS_OUTSIDE_MASK,
                "extranonce2_wrong_size", RejectReason.EXTRANONCE2_SIZE);
        for (Map<String, Object> c : Json.maps(bitaxe, "negative_cases")) {
            Verdict v = check(Json.asList(c.get("submit_params")), new DuplicateFilter());
            assertThat(v.rejectReason()).as((String) c.get("name")).isEqualTo(expectedReason.get(c.get("name")));
            if (c.containsKey("expected_hash")) {
                assertThat(v.hash().toDisplayHex()).as((String) c.get("name")).isEqualTo(c.get("expected_hash"));
            }
        }
    }

    @Test
    void ntimeWindowIsJobMinimumToTwoHoursAhead() {
        List<Object> p = new java.util.ArrayList<>(Json.asList(bitaxe.get("submit_params")));
        p.set(3, String.format("%08x", now - 1));
        assertThat(check(p, new DuplicateFilter()).rejectReason()).isEqualTo(RejectReason.NTIME_OUT_OF_RANGE);
        p.set(3, String.format("%08x", now + 7201));
        assertThat(check(p, new DuplicateFilter()).rejectReason()).isEqualTo(RejectReason.NTIME_OUT_OF_RANGE);
        p.set(3, String.format("%08x", now + 7200));
        assertThat(check(p, new DuplicateFilter()).rejectReason()).isEqualTo(RejectReason.LOW_DIFFICULTY);
    }

    @Test
    void versionBitsWithoutNegotiatedRollingAreRejectedButZeroIsAccepted() {
        Submit rolled = submitOf(Json.asList(bitaxe.get("submit_params")));
        assertThat(VALIDATOR.check(job, en1, rolled, 0, diff512, now, new DuplicateFilter()).rejectReason())
                .isEqualTo(RejectReason.VERSION_BITS_OUTSIDE_MASK);
        List<Object> p = new java.util.ArrayList<>(Json.asList(bitaxe.get("submit_params")));
        p.set(5, "00000000");
        // ESP-Miner's habit: a sixth parameter of zeros without rolling is the job's own version.
        Verdict v = VALIDATOR.check(job, en1, submitOf(p), 0, Target.MAX, now, new DuplicateFilter());
        assertThat(v.isAccepted()).isTrue();
        assertThat(v.header().version()).isEqualTo(0x20000000);
    }

    @Test
    void espMinerMainnetShareMeetsDifficulty683AndNot684() {
        Map<String, Object> e = exchange("esp_miner_mainnet_share_683");
        Map<String, Object> j = Json.asMap(e.get("job"));
        byte[] coinbase = Hex.decode((String) e.get("coinbase_hex"));
        // The vector gives the whole coinbase; any split around 4 + 8 bytes of "extranonce" is the same work.
        int at = 60;
        Notify n = new Notify("esp", StratumPrevHash.fromStratumHex((String) j.get("prevhash")),
                Arrays.copyOfRange(coinbase, 0, at), Arrays.copyOfRange(coinbase, at + 12, coinbase.length),
                MerkleBranch.fromInternalHex(Json.strings(e, "merkle_branch")), (int) Long.parseLong((String) j.get("version"), 16),
                CompactBits.fromHex((String) j.get("nbits")), (int) Long.parseLong((String) j.get("ntime"), 16), true);
        Job espJob = Job.fromNotify(n, 4, 8, Instant.EPOCH);
        byte[] en1 = Arrays.copyOfRange(coinbase, at, at + 4);
        Submit s = Submit.of(RequestId.of(1), "w", "esp", Arrays.copyOfRange(coinbase, at + 4, at + 12),
                (int) Long.parseLong((String) j.get("ntime"), 16), (int) Long.parseLong((String) e.get("nonce"), 16));
        long t = Long.parseLong((String) j.get("ntime"), 16);
        Map<String, Object> expected = Json.asMap(e.get("expected"));
        Verdict ok = VALIDATOR.check(espJob, en1, s, 0, Difficulty.of(683).toTarget(), t, new DuplicateFilter());
        assertThat(ok.isAccepted()).isTrue();
        assertThat(ok.hash().toDisplayHex()).isEqualTo(expected.get("hash"));
        assertThat(ok.header().toHex()).isEqualTo(expected.get("header_hex"));
        assertThat(VALIDATOR.check(espJob, en1, s, 0, Difficulty.of(684).toTarget(), t, new DuplicateFilter()).rejectReason())
                .isEqualTo(RejectReason.LOW_DIFFICULTY);
    }

    @Test
    void blockExactlyWhenTheHashMeetsTheNetworkTarget() {
        // The Bitaxe job with regtest's target (about every other hash is a block).
        Notify n = job.notifyMessage();
        Job easy = Job.fromNotify(new Notify("easy", n.prevHash(), n.coinb1(), n.coinb2(), n.merkleBranch(), n.version(),
                CompactBits.of(0x207fffff), n.ntime(), false), 4, 4, Instant.EPOCH);
        int blocks = 0;
        for (int nonce = 0; nonce < 64; nonce++) {
            Submit s = Submit.of(RequestId.of(1), "w", "easy", new byte[4], n.ntime(), nonce);
            Verdict v = VALIDATOR.check(easy, en1, s, mask, Target.MAX, now, new DuplicateFilter());
            assertThat(v.isAccepted()).isTrue();
            assertThat(v.isBlock()).isEqualTo(easy.networkTarget().isMetBy(v.hash()));
            assertThat(v.hash()).isEqualTo(v.header().hash());
            blocks += v.isBlock() ? 1 : 0;
        }
        assertThat(blocks).isBetween(1, 63);
    }

    @Test
    void scryptProofOfWorkOfLitecoinBlock2000000() {
        // Litecoin block 2,000,000: fields from the chain; its sha256d id and scrypt proof of work.
        byte[] header = Hex.decode("00000020c4fbec9d43f174745899ff294bd105d74a072440f1159c59bb0ddb57fce3ff17"
                + "3d2eac89cebaa82bbaf56dd90b3ff78b1af22ba94e54a43cab456350d37edfd58b902760a0a4011a09ad630b");
        byte[] out = new byte[32];
        Sha256Hasher hasher = new Sha256Hasher();
        PowFunction.sha256d().hash(header, 0, out, 0, hasher);
        assertThat(Sha256Hash.fromInternalBytes(out).toDisplayHex())
                .isEqualTo("3a4d8e7c77a85554fc8bd30d4e42d56eb71010e769ea9737f16241ba79bed9c5");
        PowFunction.scrypt().hash(header, 0, out, 0, hasher);
        assertThat(Sha256Hash.fromInternalBytes(out).toDisplayHex())
                .isEqualTo("00000000000000c2c6ae849d8042bd746c986461b520f4ca3391070bb19592cb");
        assertThat(CompactBits.fromHex("1a01a4a0").toTarget().isMetBy(out, 0)).isTrue();
        assertThat(PowFunction.scrypt().id()).isEqualTo("scrypt");
    }
}
