package org.stratum4j.core.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.stratum4j.core.bitcoin.CompactBits;
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.MerkleBranch;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.protocol.JsonLineWriter;
import org.stratum4j.core.protocol.MinerMessage;
import org.stratum4j.core.protocol.Notify;
import org.stratum4j.core.protocol.PoolCodec;
import org.stratum4j.core.protocol.StratumPrevHash;

/**
 * Decoding {@code mining.submit} and encoding {@code mining.notify}, one thread. Run (README,
 * "Benchmarks"): {@code ./mvnw -q -pl stratum-core test-compile exec:exec@jmh -Djmh.args="CodecBenchmark -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CodecBenchmark {

    /** A Bitaxe's 6-param submit from the public-pool exchange. */
    private static final byte[] SUBMIT = ("{\"id\":5,\"method\":\"mining.submit\",\"params\":[\"tb1qumezefzdeqqwn5zfvgdrhxjzc5ylr39uhuxcz4.bitaxe3\","
            + "\"1\",\"c7080000\",\"64b3f3ec\",\"ed460d91\",\"00002000\"]}").getBytes(StandardCharsets.UTF_8);

    private PoolCodec codec;
    private JsonLineWriter out;
    private Notify notify;

    /** Builds the codec and a mainnet-sized notify (12-step branch, as for a ~3,000-transaction block). */
    @Setup
    public void setUp() {
        codec = new PoolCodec();
        out = new JsonLineWriter(2048);
        List<Sha256Hash> steps = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            steps.add(Sha256Hash.twiceOf(new byte[] {(byte) i}));
        }
        notify = new Notify("6b1a4f3c", StratumPrevHash.fromStratumHex("171592f223740e92d223f6e68bff25279af7ac4f2246451e0000000200000000"),
                Hex.decode("02000000010000000000000000000000000000000000000000000000000000000000000000ffffffff1903c943255c7075626c69632d706f6f6c5c"),
                Hex.decode("ffffffff037a90000000000000160014e6f22ca44dc800e9d049621a3b9a42c509f1c4bc3b0f250000000000160014e6f22ca44dc800e9d049621a3b9a42c509f1c4bc0000000000000000266a24aa21a9edbd3d1d916aa0b57326a2d88ebe1b68a1d7c48585f26d8335fe6a94b62755f64c00000000"),
                MerkleBranch.of(steps), 0x20000000, CompactBits.fromHex("192495f8"), 0x64b3f3ec, true);
    }

    /** One submit line to a typed {@code Submit}. */
    @Benchmark
    public MinerMessage decodeSubmit() {
        return codec.decode(SUBMIT, 0, SUBMIT.length);
    }

    /** One notify into a reused buffer (what a job does once, before fan-out). */
    @Benchmark
    public int encodeNotify() {
        out.reset();
        codec.encode(notify, out);
        return out.size();
    }
}
