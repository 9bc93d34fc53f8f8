package org.stratum4j.core.bench;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
import org.stratum4j.core.bitcoin.Hex;
import org.stratum4j.core.bitcoin.Sha256Hash;
import org.stratum4j.core.engine.Announcement;
import org.stratum4j.core.engine.PoolEngine;
import org.stratum4j.core.job.BlockTemplate;
import org.stratum4j.core.job.BlockTemplateParser;
import org.stratum4j.core.job.CoinbaseBuilder;
import org.stratum4j.core.job.CoinbaseOutput;
import org.stratum4j.core.job.Job;
import org.stratum4j.core.job.JobFactory;
import org.stratum4j.core.testing.Json;

/**
 * What a new block costs the pool before the first byte goes out: parsing Bitcoin Core's
 * {@code getblocktemplate} (every txid and wtxid recomputed and checked), making the job (coinbase
 * halves, merkle branch, notify) and announcing it through the engine (job book, duplicate filter,
 * the notify encoded once). {@code transactions}: 5 is the real public-pool testnet template of
 * {@code gbt.json}; 3000 is that template with 3,000 synthetic 226-byte transactions, the size of a
 * full mainnet block's template.
 *
 * <p>Run: {@code ./mvnw -q -pl stratum-core test-compile exec:exec@jmh -Djmh.args="JobBenchmark -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class JobBenchmark {

    @Param({"5", "3000"})
    public int transactions;

    private byte[] templateJson;
    private BlockTemplate template;
    private JobFactory jobs;
    private List<CoinbaseOutput> payouts;
    private PoolEngine engine;

    /** The real template, or the real template's header fields with synthetic transactions. */
    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() {
        Map<String, Object> vector = Json.maps(Json.resource("/vectors/gbt.json"), "vectors").stream()
                .filter(v -> v.get("name").equals("public_pool_testnet_2442185")).findFirst().orElseThrow();
        Map<String, Object> gbt = new LinkedHashMap<>((Map<String, Object>) vector.get("gbt"));
        if (transactions != 5) {
            SplittableRandom random = new SplittableRandom(42);
            List<Object> txs = new ArrayList<>();
            for (int i = 0; i < transactions; i++) {
                byte[] tx = legacyTransaction(random);
                String id = Sha256Hash.twiceOf(tx).toDisplayHex();
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("data", Hex.encode(tx));
                entry.put("txid", id);
                entry.put("hash", id);
                entry.put("depends", List.of());
                entry.put("fee", new Json.Num("1000"));
                entry.put("sigops", new Json.Num("4"));
                entry.put("weight", new Json.Num(Integer.toString(tx.length * 4)));
                txs.add(entry);
            }
            gbt.put("transactions", txs);
            gbt.remove("default_witness_commitment");
        }
        templateJson = Json.write(gbt).getBytes(StandardCharsets.UTF_8);
        template = BlockTemplateParser.parse(templateJson);
        jobs = new JobFactory(Clock.systemUTC(), CoinbaseBuilder.defaults().withPoolTag("/stratum4j/"));
        payouts = List.of(CoinbaseOutput.of(template.coinbaseValue(), Hex.decode("0014788a0f074d803a5a275ebb626c4eeddb06779cf7")));
        engine = PoolEngine.builder().clock(Clock.systemUTC()).payouts(t -> payouts)
                .blockSubmitter(b -> java.util.concurrent.CompletableFuture.completedFuture(java.util.Optional.empty())).build();
    }

    /** A one-input, two-output P2WPKH-paying legacy transaction (226 bytes), distinct per call. */
    private static byte[] legacyTransaction(SplittableRandom random) {
        StringBuilder b = new StringBuilder("02000000" + "01");
        byte[] prevout = new byte[32];
        random.nextBytes(prevout);
        b.append(Hex.encode(prevout)).append("00000000");
        byte[] sig = new byte[106];
        random.nextBytes(sig);
        b.append("6a").append(Hex.encode(sig)).append("fdffffff");
        b.append("02");
        for (int o = 0; o < 2; o++) {
            b.append("e803000000000000").append("16").append("0014");
            byte[] program = new byte[20];
            random.nextBytes(program);
            b.append(Hex.encode(program));
        }
        b.append("00000000");
        return Hex.decode(b.toString());
    }

    /** Bitcoin Core's JSON → a checked template (every transaction id recomputed). */
    @Benchmark
    public BlockTemplate parseTemplate() {
        return BlockTemplateParser.parse(templateJson);
    }

    /** Template → job: coinbase halves, branch (computed once per template), notify message. */
    @Benchmark
    public Job createJob() {
        return jobs.create(template, payouts);
    }

    /** What the template thread does per block once parsed: job, job book, duplicate filter, the notify line. */
    @Benchmark
    public Announcement announce() {
        return engine.newTemplate(template);
    }
}
