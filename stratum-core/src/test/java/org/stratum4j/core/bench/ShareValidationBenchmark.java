package org.stratum4j.core.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Difficulty;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.MerkleBranch;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.bitcoin.Target;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.RequestId;
import org.stratum4j.core.protocol.StratumPrevHash;
import org.stratum4j.core.protocol.Submit;
import org.stratum4j.core.share.DuplicateFilter;
import org.stratum4j.core.share.MerkleRootCache;
import org.stratum4j.core.share.PowFunction;
import org.stratum4j.core.share.ShareValidator;
import org.stratum4j.core.share.Verdict;

/**
 * Full share validation (a decoded submit on a known job → verdict) against the naive floor: the
 * same coinbase, branch and header hashed with plain {@link MessageDigest} sha256d and nothing
 * else. The shares are the Bitaxe's with its nonce (or extranonce2) changed, so each is hashed all the way and rejected
 * as low difficulty, the common case under load. {@code branch} is the merkle branch length: 3 is
 * the recorded testnet job, 12 a mainnet block of ~3,000 transactions; {@code tag} lengthens coinb1
 * past {@link Job#MIDSTATE_MIN_PREFIX} so that the midstate path is measured too.
 *
 * <p>Run: {@code ./mvnw -q -pl stratum-core test-compile exec:exec@jmh -Djmh.args="ShareValidationBenchmark -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ShareValidationBenchmark {

    private static final String COINB1 = "02000000010000000000000000000000000000000000000000000000000000000000000000ffffffff1903c943255c7075626c69632d706f6f6c5c";
    private static final String COINB2 = "ffffffff037a90000000000000160014e6f22ca44dc800e9d049621a3b9a42c509f1c4bc3b0f250000000000160014e6f22ca44dc800e9d049621a3b9a42c509f1c4bc0000000000000000266a24aa21a9edbd3d1d916aa0b57326a2d88ebe1b68a1d7c48585f26d8335fe6a94b62755f64c00000000";

    @Param({"3", "12"})
    public int branch;

    /** Bytes of pool tag appended to the recorded 59-byte coinb1: 0, or 80 to make the prefix midstate pay. */
    @Param({"0", "80"})
    public int tag;

    /**
     * {@code fresh}: every share has a new extranonce2, so the coinbase and the branch are hashed
     * each time (a miner that moves its extranonce2 per share, the worst case). {@code same}: shares
     * roll the nonce on one extranonce2, as ASICs do for a while, so the session's
     * {@link MerkleRootCache} skips to the header. The floor hashes everything either way.
     */
    @Param({"fresh", "same"})
    public String extranonce2;

    private ShareValidator validator;
    private final MerkleRootCache roots = new MerkleRootCache();
    private final Submit[] submits = new Submit[1024];
    private int next;
    private Job job;
    private byte[] extranonce1;
    private Target target;
    private DuplicateFilter duplicates;
    private long now;

    private MessageDigest digest;
    private byte[] coinbase;
    private byte[][] steps;
    private byte[] header;
    private byte[] pair;

    /** The recorded Bitaxe job (with a longer made-up branch for 12) and its share, nonce changed. */
    @Setup
    public void setUp() throws NoSuchAlgorithmException {
        List<Sha256Hash> list = new ArrayList<>(List.of(
                Sha256Hash.fromInternalHex("175335649d5e8746982969ec88f52e85ac9917106fba5468e699c8879ab974a1"),
                Sha256Hash.fromInternalHex("d5644ab3e708c54cd68dc5aedc92b8d3037449687f92ec41ed6e37673d969d4a"),
                Sha256Hash.fromInternalHex("5c9ec187517edc0698556cca5ce27e54c96acb014770599ed9df4d4937fbf2b0")));
        for (int i = list.size(); i < branch; i++) {
            list.add(Sha256Hash.twiceOf(new byte[] {(byte) i}));
        }
        String coinb1 = COINB1 + "2f".repeat(tag);
        Notify n = new Notify("1", StratumPrevHash.fromStratumHex("171592f223740e92d223f6e68bff25279af7ac4f2246451e0000000200000000"),
                Hex.decode(coinb1), Hex.decode(COINB2), MerkleBranch.of(list), 0x20000000, CompactBits.fromHex("192495f8"),
                0x64b3f3ec, false);
        job = Job.fromNotify(n, 4, 4, Instant.EPOCH);
        validator = new ShareValidator(PowFunction.sha256d());
        extranonce1 = Hex.decode("57a6f098");
        for (int i = 0; i < submits.length; i++) {
            byte[] en2 = Hex.decode("c7080000");
            int nonce = 0xed460d92;
            if (extranonce2.equals("fresh")) {
                en2[2] = (byte) (i >>> 8);
                en2[3] = (byte) i;
            } else {
                nonce += i;
            }
            submits[i] = Submit.of(RequestId.of(5), "w", "1", en2, 0x64b3f3ec, nonce, 0x00002000);
        }
        target = Difficulty.of(512).toTarget();
        duplicates = new DuplicateFilter();
        now = 0x64b3f3ecL;

        digest = MessageDigest.getInstance("SHA-256");
        coinbase = Hex.decode(coinb1 + "57a6f098" + "c7080000" + COINB2);
        steps = new byte[list.size()][];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = list.get(i).internalBytes();
        }
        header = new byte[80];
        pair = new byte[64];
    }

    /** stratum4j's full check. */
    @Benchmark
    public Verdict validate() {
        Submit s = submits[next++ & (submits.length - 1)];
        return validator.check(job, extranonce1, s, 0x1fffe000, target, now, duplicates, roots);
    }

    /** The floor: sha256d(coinbase), one sha256d per branch step, sha256d(header). */
    @Benchmark
    public byte[] naiveFloor() {
        byte[] node = sha256d(coinbase);
        for (byte[] step : steps) {
            System.arraycopy(node, 0, pair, 0, 32);
            System.arraycopy(step, 0, pair, 32, 32);
            node = sha256d(pair);
        }
        System.arraycopy(node, 0, header, 36, 32);
        header[76] ^= 1;
        return sha256d(header);
    }

    private byte[] sha256d(byte[] data) {
        digest.update(data);
        return digest.digest(digest.digest());
    }
}
